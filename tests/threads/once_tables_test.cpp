// detail::OnceTables (the lazily built NTT / barycentric tables): each slot is built once, by
// one thread, even when many threads ask at the same moment; every caller gets the same table;
// a build that throws leaves the slot empty and a later call builds it; slots are independent.
#include "vdaf/core/once_tables.hpp"

#include <atomic>
#include <cstddef>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"

namespace {

struct Table {
  std::vector<int> v;
};

TEST(OnceTables, ConcurrentFirstUseBuildsOnce) {
  static vdaf::detail::OnceTables<Table, 4> tables;
  std::atomic<int> builds{0};
  std::atomic<bool> go{false};
  std::vector<const Table*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) {
      }
      seen[t] = &tables.get(2, [&](Table& x) {
        builds.fetch_add(1);
        std::this_thread::yield();
        x.v.assign(1000, 7);
      });
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(builds.load(), 1);
  for (const Table* p : seen) {
    ASSERT_EQ(p, seen[0]);
    EXPECT_EQ(p->v.size(), 1000U);
    EXPECT_EQ(p->v[999], 7);
  }
  // Another slot is another table.
  const Table& other = tables.get(3, [](Table& x) { x.v.assign(1, 1); });
  EXPECT_NE(&other, seen[0]);
  EXPECT_EQ(other.v.size(), 1U);
}

TEST(OnceTables, ThrowingBuildLeavesTheSlotEmpty) {
  static vdaf::detail::OnceTables<Table, 2> tables;
  int calls = 0;
  EXPECT_THROW(tables.get(0,
                          [&](Table&) {
                            ++calls;
                            throw std::bad_alloc();
                          }),
               std::bad_alloc);
  const Table& t = tables.get(0, [&](Table& x) {
    ++calls;
    x.v = {1, 2, 3};
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(t.v, (std::vector<int>{1, 2, 3}));
  // Built: later calls do not build again.
  EXPECT_EQ(&tables.get(0, [&](Table&) { ++calls; }), &t);
  EXPECT_EQ(calls, 2);
}

TEST(OnceTables, NttTablesFromManyThreadsAreTheSame) {
  // Size 2^11 of Field128, built here for the first time in this test program by 4 threads.
  std::vector<const vdaf::NttTable<vdaf::Field128>*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] { seen[t] = &vdaf::ntt_table<vdaf::Field128>(11); });
  }
  for (auto& th : threads) th.join();
  for (const auto* p : seen) EXPECT_EQ(p, seen[0]);
  EXPECT_EQ(seen[0]->bitrev.size(), std::size_t{1} << 11);
  EXPECT_EQ(seen[0]->w * seen[0]->w_inv, vdaf::Field128::one());
}

}  // namespace
