// ctx as any contiguous range of bytes or chars (vdaf::CtxBytes): a std::string_view, a string
// literal, a std::string, Bytes, a std::array and a ByteSpan holding the same bytes give the same
// shares and verification; a literal's terminating NUL is not part of the context; {} is empty.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::CtxBytes;

TEST(CtxBytes, EveryRangeKindViewsTheSameBytes) {
  const std::string s = "dap-18 task";
  const Bytes b(s.begin(), s.end());
  const std::array<std::uint8_t, 11> a = {'d', 'a', 'p', '-', '1', '8', ' ', 't', 'a', 's', 'k'};
  const std::vector<char> vc(s.begin(), s.end());
  for (const CtxBytes c : {CtxBytes(std::string_view(s)), CtxBytes("dap-18 task"), CtxBytes(s),
                           CtxBytes(b), CtxBytes(a), CtxBytes(ByteSpan(b)), CtxBytes(vc)}) {
    EXPECT_EQ(Bytes(c.bytes().begin(), c.bytes().end()), b);
  }
  EXPECT_EQ(CtxBytes("").size(), 0u);
  EXPECT_TRUE(CtxBytes().empty());
  EXPECT_EQ(CtxBytes("ab").size(), 2u);  // no terminating NUL
}

TEST(CtxBytes, Prio3AndPoplar1AcceptStringsAsCtx) {
  const vdaf::Prio3Histogram v(2, 4, 2);
  const Bytes nonce(16, 1), rand(v.rand_size(), 2), key(32, 3);
  const std::string ctx = "application";
  const Bytes ctx_bytes(ctx.begin(), ctx.end());
  const auto a = v.shard(ctx, 3, nonce, rand);
  const auto b = v.shard(ctx_bytes, 3, nonce, rand);
  const auto c = v.shard("application", 3, nonce, rand);
  EXPECT_EQ(v.encode_input_share(a.input_shares[0]), v.encode_input_share(b.input_shares[0]));
  EXPECT_EQ(v.encode_input_share(a.input_shares[0]), v.encode_input_share(c.input_shares[0]));
  EXPECT_EQ(v.encode_public_share(a.public_share), v.encode_public_share(b.public_share));
  // Another context gives other shares (the context is bound in).
  const auto d = v.shard(std::string_view("applicatio"), 3, nonce, rand);
  EXPECT_NE(v.encode_public_share(a.public_share), v.encode_public_share(d.public_share));
  // Verification with the context as a string_view on one side and bytes on the other.
  auto [s0, v0] =
      v.verify_init(key, std::string_view(ctx), 0, {}, nonce, a.public_share, a.input_shares[0]);
  auto [s1, v1] = v.verify_init(key, ctx_bytes, 1, {}, nonce, a.public_share, a.input_shares[1]);
  const std::vector<vdaf::Prio3Histogram::VerifierShare> shares = {v0, v1};
  const auto msg = v.verifier_shares_to_message("application", {}, shares);
  EXPECT_NO_THROW((void)std::get<vdaf::Prio3Histogram::OutShare>(v.verify_next(ctx, s0, msg)));

  const vdaf::Poplar1 p(8);
  vdaf::BitString m(8);
  m.set(3, true);
  const Bytes prand(vdaf::Poplar1::RAND_SIZE, 4);
  const auto pa = p.shard("heavy hitters", m, nonce, prand);
  const std::string hh = "heavy hitters";
  const auto pb = p.shard(hh, m, nonce, prand);
  EXPECT_EQ(p.encode_public_share(pa.public_share), p.encode_public_share(pb.public_share));
}

TEST(CtxBytes, PingPongTakesAStringContext) {
  const vdaf::Prio3Count v(2);
  const Bytes key(32, 9);
  const vdaf::PingPong<vdaf::Prio3Count> pp(v, key, std::string("dap-18"), {});
  EXPECT_EQ(Bytes(pp.ctx().begin(), pp.ctx().end()), (Bytes{'d', 'a', 'p', '-', '1', '8'}));
}

}  // namespace
