// The per-thread DRBG behind Prio3::shard(ctx, measurement) (include/vdaf/ct/drbg.hpp): output
// lengths, distinctness across calls, instances, threads and fork(), the reseed path, and that
// shard without explicit randomness still gives reports that verify.
#include "vdaf/ct/drbg.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;
using vdaf::Drbg;

TEST(Drbg, FillsExactlyTheRequestedBytes) {
  Drbg d;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{479},
                        std::size_t{480}, std::size_t{481}, std::size_t{5000}}) {
    Bytes b(n + 16, 0xAB);
    d.fill(std::span(b).first(n));
    for (std::size_t i = n; i < b.size(); ++i) EXPECT_EQ(b[i], 0xAB) << "n = " << n;
    if (n >= 32) {
      std::size_t same = 0;
      for (std::size_t i = 0; i < n; ++i) same += b[i] == 0xAB ? 1 : 0;
      EXPECT_LT(same, n / 8) << "n = " << n;  // ~n/256 expected
    }
  }
}

TEST(Drbg, OutputsAreDistinctAndBalanced) {
  Drbg d;
  std::set<Bytes> seen;
  std::size_t ones = 0;
  for (int i = 0; i < 2000; ++i) {
    Bytes b(32);
    d.fill(b);
    for (std::uint8_t x : b) ones += static_cast<std::size_t>(std::popcount(x));
    EXPECT_TRUE(seen.insert(b).second);
  }
  // 512000 bits: mean 256000, standard deviation ~358.
  EXPECT_GT(ones, 250000U);
  EXPECT_LT(ones, 262000U);
  Drbg other;
  Bytes a(64), b(64);
  d.fill(a);
  other.fill(b);
  EXPECT_NE(a, b);
}

TEST(Drbg, ReseedsAfterTheInterval) {
  Drbg d(100);
  EXPECT_EQ(d.reseed_count(), 0U);
  Bytes b(64);
  d.fill(b);
  EXPECT_EQ(d.reseed_count(), 1U);  // first use
  d.fill(b);                        // 64 < 100 bytes since the seed
  EXPECT_EQ(d.reseed_count(), 1U);
  d.fill(b);  // 128 >= 100
  EXPECT_EQ(d.reseed_count(), 2U);
  d.reseed();
  EXPECT_EQ(d.reseed_count(), 3U);
  EXPECT_THROW(Drbg(0), vdaf::invalid_argument);
}

TEST(Drbg, ThreadsGetTheirOwnStreams) {
  Bytes a(32), b(32);
  vdaf::drbg_bytes(a);
  std::thread t([&b] { vdaf::drbg_bytes(b); });
  t.join();
  EXPECT_NE(a, b);
  EXPECT_NE(&vdaf::thread_drbg(), nullptr);
}

TEST(Drbg, ForkedChildReseeds) {
  Drbg& d = vdaf::thread_drbg();
  Bytes warm(8);
  d.fill(warm);  // seeded before the fork
  const std::uint64_t before = d.reseed_count();
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::array<std::uint8_t, 40> msg{};
    vdaf::drbg_bytes(std::span(msg).first(32));
    const std::uint64_t r = d.reseed_count();
    for (std::size_t i = 0; i < 8; ++i) msg[32 + i] = static_cast<std::uint8_t>(r >> (8 * i));
    const auto w = ::write(fds[1], msg.data(), msg.size());
    ::_exit(w == static_cast<ssize_t>(msg.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  Bytes mine(32);
  vdaf::drbg_bytes(mine);
  std::array<std::uint8_t, 40> child{};
  std::size_t got = 0;
  while (got < child.size()) {
    const auto r = ::read(fds[0], child.data() + got, child.size() - got);
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(got, child.size());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(Bytes(child.begin(), child.begin() + 32), mine);
  std::uint64_t child_reseeds = 0;
  for (std::size_t i = 0; i < 8; ++i) child_reseeds |= std::uint64_t{child[32 + i]} << (8 * i);
  EXPECT_EQ(child_reseeds, before + 1);
  EXPECT_EQ(d.reseed_count(), before);  // the parent keeps its key
}

TEST(Drbg, ShardWithoutRandomnessGivesDistinctVerifiableReports) {
  const vdaf::Prio3SumVec v(2, 10, 1, 3);
  const std::vector<std::uint64_t> m = {1, 0, 1, 1, 0, 0, 1, 0, 0, 1};
  const auto r1 = v.shard({}, m);
  const auto r2 = v.shard({}, m);
  EXPECT_NE(r1.nonce, r2.nonce);
  EXPECT_NE(v.encode_input_share(r1.input_shares[1]), v.encode_input_share(r2.input_shares[1]));
  const Bytes key(32, 7);
  std::vector<vdaf::Prio3SumVec::VerifierShare> vs;
  std::vector<vdaf::Prio3SumVec::VerifyState> st;
  for (std::size_t j = 0; j < 2; ++j) {
    auto [s, share] = v.verify_init(key, {}, j, {}, r1.nonce, r1.public_share, r1.input_shares[j]);
    st.push_back(std::move(s));
    vs.push_back(std::move(share));
  }
  const auto msg = v.verifier_shares_to_message({}, {}, vs);
  std::vector<vdaf::Prio3SumVec::AggShare> agg;
  for (std::size_t j = 0; j < 2; ++j) {
    auto out = std::get<vdaf::Prio3SumVec::OutShare>(v.verify_next({}, st[j], msg));
    agg.push_back(std::move(out));
  }
  EXPECT_EQ(v.unshard({}, agg, 1), vdaf::Prio3SumVec::AggResult(m.begin(), m.end()));
}

}  // namespace
