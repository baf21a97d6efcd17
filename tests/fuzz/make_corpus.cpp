// Writes the seed corpora of the fuzz targets: honest inputs in each target's input format, so
// that fuzzing reaches verification, the IDPF walk and the stored-state decoders from the first
// second instead of spending its time on decoders (from an empty corpus fuzz_poplar1 never
// reached verify_init). The committed corpora in tests/fuzz/corpus/ are this program's output;
// regenerate them with
//
//   build-fuzz/tests/fuzz/make_corpus tests/fuzz/corpus
//
// (built with VDAF_BUILD_FUZZERS). Deterministic: fixed randomness, so the files only change
// when the formats or the library's encodings do.
//
// - fuzz_prio3: every instance with 2 and 3 aggregators; each decoder on an honest encoding
//   (public share, every input share, aggregate share, aggregation parameter), whole rounds with
//   the verifier shares decoded from the input (ops 4, 5) or computed (ops 6, 7), and tampered
//   rounds (op 8).
// - fuzz_poplar1: BITS 4 and 16; each decoder; both rounds at the first, a middle and the last
//   level, with the measurement's prefix and its sibling (ops 4 and 5).
// - fuzz_stored_state: every instance and kind in mode (c) (mutated honest encodings).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_measurements.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"

namespace {

namespace fs = std::filesystem;
using vdaf::Bytes;
using vdaf::ByteSpan;

const Bytes kVerifyKey = [] {
  Bytes k(32, 0);
  k[0] = 7;  // the fuzz targets' key: {7, 0, ..., 0}
  return k;
}();

std::size_t g_files = 0;

void write(const fs::path& dir, const std::string& name, const Bytes& data) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  ++g_files;
}

/// vdaf_fuzz::Input::piece: a le16 length, then the bytes.
void piece(Bytes& out, ByteSpan b) {
  out.push_back(static_cast<std::uint8_t>(b.size()));
  out.push_back(static_cast<std::uint8_t>(b.size() >> 8));
  out.insert(out.end(), b.begin(), b.end());
}

Bytes seq(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed * 31 + i * 7);
  return b;
}

template <class V>
void prio3_seeds(const fs::path& dir, const V& v, std::uint8_t which, const std::string& name) {
  const std::uint8_t mbyte = 5;
  const auto m = vdaf_fuzz::prio3_measurement_of<V>(mbyte);
  const Bytes nonce = seq(16, which),
              rand = seq(v.rand_size(), static_cast<std::uint8_t>(which + 1));
  const auto sh = v.shard({}, m, nonce, rand);
  const Bytes ps = v.encode_public_share(sh.public_share);
  std::vector<Bytes> in;
  for (const auto& s : sh.input_shares) in.push_back(v.encode_input_share(s));
  std::vector<typename V::VerifyState> states;
  std::vector<Bytes> vss;
  for (std::size_t j = 0; j < v.shares(); ++j) {
    auto [st, vs] =
        v.verify_init(kVerifyKey, {}, j, {}, nonce, sh.public_share, sh.input_shares[j]);
    vss.push_back(v.encode_verifier_share(vs));
    states.push_back(std::move(st));
  }
  auto with = [&](std::uint8_t op) { return Bytes{which, op}; };
  Bytes b = with(0);
  b.insert(b.end(), ps.begin(), ps.end());
  write(dir, name + "-public-share", b);
  for (std::size_t j = 0; j < v.shares(); ++j) {
    b = with(1);
    b.push_back(static_cast<std::uint8_t>(j));
    b.insert(b.end(), in[j].begin(), in[j].end());
    write(dir, name + "-input-share-" + std::to_string(j), b);
  }
  b = with(2);
  const Bytes agg = v.encode_agg_share(v.agg_init({}));
  b.insert(b.end(), agg.begin(), agg.end());
  write(dir, name + "-agg-share", b);
  write(dir, name + "-agg-param", with(3));
  for (std::uint8_t op : {std::uint8_t{4}, std::uint8_t{6}}) {
    b = with(op);
    piece(b, ps);
    piece(b, nonce);
    for (std::size_t j = 0; j < v.shares(); ++j) {
      piece(b, in[j]);
      if (op == 4) piece(b, vss[j]);
    }
    write(dir, name + "-round-op" + std::to_string(op), b);
  }
  // op 8: the target shards from these bytes itself, then tampers (none with count 0).
  for (std::uint8_t k : {std::uint8_t{0}, std::uint8_t{1}}) {
    b = with(8);
    b.push_back(mbyte);
    const Bytes r = seq(16 + v.rand_size(), static_cast<std::uint8_t>(which + 9));
    b.insert(b.end(), r.begin(), r.end());
    b.push_back(k);
    b.insert(b.end(), {0, 3, 0, 0x40});
    write(dir, name + "-tampered-" + std::to_string(k), b);
  }
}

void poplar1_seeds(const fs::path& dir, std::uint8_t bits_byte, std::size_t bits) {
  const vdaf::Poplar1 v(bits);
  const auto m = vdaf::Poplar1::measurement_from_int(0x5A5A, bits);
  const Bytes nonce = seq(16, 3), rand = seq(vdaf::Poplar1::RAND_SIZE, 4);
  const auto sh = v.shard({}, m, nonce, rand);
  const Bytes ps = v.encode_public_share(sh.public_share);
  const std::vector<Bytes> in = {v.encode_input_share(sh.input_shares[0]),
                                 v.encode_input_share(sh.input_shares[1])};
  const std::string name = "bits" + std::to_string(bits);
  auto with = [&](std::uint8_t op) { return Bytes{bits_byte, op}; };
  Bytes b = with(0);
  b.insert(b.end(), ps.begin(), ps.end());
  write(dir, name + "-public-share", b);
  for (std::uint8_t j = 0; j < 2; ++j) {
    b = with(1);
    b.push_back(j);
    b.insert(b.end(), in[j].begin(), in[j].end());
    write(dir, name + "-input-share-" + std::to_string(j), b);
  }
  for (std::size_t level : {std::size_t{0}, bits / 2, bits - 1}) {
    vdaf::BitString a = m.prefix(level + 1), sib = a;
    sib.set(level, !sib.test(level));
    const vdaf::Poplar1::AggParam ap{static_cast<std::uint16_t>(level),
                                     {std::min(a, sib), std::max(a, sib)}};
    const Bytes apb = v.encode_agg_param(ap);
    const std::string lv = name + "-level" + std::to_string(level);
    b = with(2);
    b.insert(b.end(), apb.begin(), apb.end());
    write(dir, lv + "-agg-param", b);
    b = with(3);
    piece(b, apb);
    const Bytes agg = v.encode_agg_share(v.agg_init(ap));
    b.insert(b.end(), agg.begin(), agg.end());
    write(dir, lv + "-agg-share", b);
    std::vector<Bytes> vss;
    for (std::size_t j = 0; j < 2; ++j) {
      auto [st, vs] =
          v.verify_init(kVerifyKey, {}, j, ap, nonce, sh.public_share, sh.input_shares[j]);
      vss.push_back(v.encode_verifier_share(vs));
    }
    for (std::uint8_t op : {std::uint8_t{4}, std::uint8_t{5}}) {
      b = with(op);
      piece(b, apb);
      piece(b, ps);
      piece(b, nonce);
      for (std::size_t j = 0; j < 2; ++j) {
        piece(b, in[j]);
        if (op == 4) piece(b, vss[j]);
      }
      write(dir, lv + "-rounds-op" + std::to_string(op), b);
    }
  }
}

void stored_state_seeds(const fs::path& dir) {
  // which % 4 picks the family (Prio3 state, Poplar1 state, Poplar1 cache, PingPong state) and
  // which / 4 the instance; mode 2 (c) builds a valid encoding from the honest report that the
  // following bytes choose, then mutates it as they say (nothing, with these zeros).
  for (std::uint8_t which = 0; which < 24; ++which) {
    for (std::uint8_t choice = 0; choice < 3; ++choice) {
      Bytes b = {which, 2, choice, 0, 0};
      const Bytes rest = seq(48, static_cast<std::uint8_t>(which * 3 + choice));
      b.insert(b.end(), rest.begin(), rest.end());
      write(dir, "which" + std::to_string(which) + "-choice" + std::to_string(choice), b);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus DIR (e.g. tests/fuzz/corpus)\n");
    return 2;
  }
  const fs::path root = argv[1];
  for (std::uint8_t shares : {std::uint8_t{2}, std::uint8_t{3}}) {
    const std::uint8_t hi = shares == 3 ? 0x80 : 0;
    const std::string s = "-shares" + std::to_string(shares);
    const fs::path d = root / "prio3";
    prio3_seeds(d, vdaf::Prio3Count(shares), static_cast<std::uint8_t>(hi | 0), "count" + s);
    prio3_seeds(d, vdaf::Prio3Sum(shares, 255), static_cast<std::uint8_t>(hi | 1), "sum" + s);
    prio3_seeds(d, vdaf::Prio3SumVec(shares, 10, 1, 3), static_cast<std::uint8_t>(hi | 2),
                "sumvec" + s);
    prio3_seeds(d, vdaf::Prio3Histogram(shares, 10, 3), static_cast<std::uint8_t>(hi | 3),
                "histogram" + s);
    prio3_seeds(d, vdaf::Prio3MultihotCountVec(shares, 10, 2, 3), static_cast<std::uint8_t>(hi | 4),
                "multihot" + s);
    prio3_seeds(d, vdaf::Prio3L1BoundSum(shares, 10, 255, 4), static_cast<std::uint8_t>(hi | 5),
                "l1boundsum" + s);
    prio3_seeds(d, vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(shares, 10, 1, 3, 3),
                static_cast<std::uint8_t>(hi | 6), "hmac1003" + s);
  }
  poplar1_seeds(root / "poplar1", 0, 4);
  poplar1_seeds(root / "poplar1", 1, 16);
  stored_state_seeds(root / "stored_state");
  std::printf("make_corpus: %zu seed files under %s\n", g_files, root.c_str());
  return 0;
}
