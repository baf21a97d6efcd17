// SmallVector: inline storage, growth to the heap, and self-referencing arguments; InplaceArray:
// construction and destruction order; secure_zero_inline: exactly the bytes asked for.
#include "vdaf/core/small_vector.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/ct/ct.hpp"
#include "vdaf/xof/turboshake128.hpp"

namespace {

using vdaf::SmallVector;

TEST(SmallVector, GrowsPastInlineCapacity) {
  SmallVector<int, 2> v;
  for (int i = 0; i < 10; ++i) v.push_back(i);
  ASSERT_EQ(v.size(), 10u);
  EXPECT_GE(v.capacity(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i);
}

// push_back and assign of an element of the vector itself, at the moment the vector moves to a
// larger buffer: the value must be read before the old buffer goes.
TEST(SmallVector, SelfReferenceAcrossReallocation) {
  SmallVector<int, 2> v;
  v.push_back(7);
  v.push_back(8);
  v.push_back(v[0]);  // full: reallocates
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), (std::vector<int>{7, 8, 7}));
  v.assign(50, v[1]);  // reallocates from capacity 4 to 50
  ASSERT_EQ(v.size(), 50u);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], 8) << i;
}

TEST(SmallVector, AssignRangeAndResize) {
  SmallVector<int, 4> v;
  const std::vector<int> src = {1, 2, 3, 4, 5, 6};
  v.assign(src.begin(), src.end());
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), src);
  v.resize(2);
  v.resize(4, 9);
  EXPECT_EQ((std::vector<int>(v.begin(), v.end())), (std::vector<int>{1, 2, 9, 9}));
}

// InplaceArray builds objects in place in order and destroys them last first when it goes; a
// constructor that throws leaves the object uncounted (not destroyed).
struct Logged {
  static inline std::vector<int>* log = nullptr;
  int id;
  explicit Logged(int i) : id(i) {
    if (i < 0) throw std::runtime_error("no");
    log->push_back(i);
  }
  ~Logged() { log->push_back(-100 - id); }
};

TEST(InplaceArray, BuildsInOrderDestroysInReverse) {
  std::vector<int> log;
  Logged::log = &log;
  {
    vdaf::InplaceArray<Logged, 4> a;
    EXPECT_EQ(a.size(), 0u);
    a.emplace_back(1);
    EXPECT_EQ(a.emplace_back(2).id, 2);
    EXPECT_THROW(a.emplace_back(-1), std::runtime_error);
    a.emplace_back(3);
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].id, 1);
    EXPECT_EQ(a[1].id, 2);
    EXPECT_EQ(a[2].id, 3);
  }
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3, -103, -102, -101}));
  Logged::log = nullptr;
}

// secure_zero_inline zeroes count objects and nothing around them, for sizes with and without a
// partial 8-byte word.
TEST(SecureZeroInline, ZeroesExactlyTheObjects) {
  for (const std::size_t n : std::vector<std::size_t>{0, 1, 7, 8, 9, 15, 16, 80, 200, 203}) {
    std::vector<std::uint8_t> buf(n + 16, 0xA5);
    vdaf::secure_zero_inline(buf.data() + 8, n);
    for (std::size_t i = 0; i < buf.size(); ++i) {
      EXPECT_EQ(buf[i], i >= 8 && i < 8 + n ? 0 : 0xA5) << "n = " << n << " i = " << i;
    }
  }
  std::uint64_t words[5] = {1, 2, 3, 4, 5};
  vdaf::secure_zero_inline(words + 1, 3);
  EXPECT_EQ(words[0], 1u);
  EXPECT_EQ(words[1] | words[2] | words[3], 0u);
  EXPECT_EQ(words[4], 5u);
}

// The wiping allocator honours over-alignment (the TurboSHAKE128 state is 64-byte aligned).
TEST(WipingAllocator, OverAlignedElements) {
  struct alignas(64) Wide {
    std::uint64_t w[3];
  };
  for (const std::size_t n : std::vector<std::size_t>{1, 2, 3, 17}) {
    vdaf::secret_vector<Wide> v(n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % 64, 0u) << "n = " << n;
    v[n - 1].w[2] = 7;
    EXPECT_EQ(v[n - 1].w[2], 7u);
  }
  vdaf::secret_vector<vdaf::TurboShake128> sponges(3);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(sponges.data()) % 64, 0u);
}

}  // namespace
