// Secrets are wiped when freed: a whole round of every Prio3 instance and of Poplar1 (inner
// and leaf levels, with the IDPF cache, through the stored encodings) runs with the global
// operator new/delete replaced by versions that scan every freed heap block for the secrets of
// that round; a block that still holds one when it is freed is a leak.
//
// How the secrets are known: each round is deterministic (fixed randomness, key, nonce), so it
// runs twice. The first run (not scanned) collects the in-memory bytes of the round's secrets:
// the input shares (measurement and proof shares, seeds, blinds, IDPF keys, correlated shares),
// the verify key, the output shares and the Poplar1 sketch values. The second run scans for them.
// A pattern is 8 bytes: one Field64 element, the low limb of a Field128 or Field255 element, or
// 8 bytes of a seed; values with few or many bits set (0, 1, small counts) are skipped, so a
// match is a real copy (about 2^-40 chance per freed word otherwise).
//
// What it cannot see: secrets on the stack (the Keccak state, SecretScratch's inline buffers
// are wiped by their destructors but are not heap blocks), and the library's own intermediate
// values that the test cannot compute (the prove randomness, IDPF nodes): those are covered by
// reading the code and by ct_valgrind's poison tracking, not here.
//
// Exit status 0 if no freed block held a secret, 1 otherwise (each leak is printed with the
// size of the block and which secret it held). A separate program (not gtest): it replaces the
// global allocator, which must not be shared with other tests. Not built under sanitizers.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <vdaf/poplar1.hpp>
#include <vdaf/prio3.hpp>
#include <vdaf/topology/ping_pong.hpp>

// ---------------------------------------------------------------------------------------------
// The scanning allocator. Every block carries a 16-byte header (its size) so that delete knows
// how much to scan; aligned allocations keep the header in the alignment padding.
// ---------------------------------------------------------------------------------------------
namespace scan {

constexpr std::size_t kMaxPatterns = 1 << 16;
std::uint64_t g_patterns[kMaxPatterns];  // sorted while scanning
const char* g_labels[kMaxPatterns];
std::size_t g_count = 0;
std::atomic<bool> g_on{false};
std::vector<std::uint64_t> g_public;  // words the protocol publishes (sorted; not secrets)
std::size_t g_leaks = 0, g_blocks = 0;

struct Header {
  std::size_t size;
  std::size_t offset;  // from the start of the malloc'd region to the user block
};

void check_block(const unsigned char* p, std::size_t n) {
  ++g_blocks;
  for (std::size_t i = 0; i + 8 <= n; ++i) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    const std::uint64_t* end = g_patterns + g_count;
    const std::uint64_t* it =
        std::lower_bound(static_cast<const std::uint64_t*>(g_patterns), end, w);
    if (it != end && *it == w) {
      ++g_leaks;
      std::fprintf(stderr, "LEAK: a freed block of %zu bytes holds %s at offset %zu\n", n,
                   g_labels[it - g_patterns], i);
      return;  // one report per block
    }
  }
}

void* alloc(std::size_t n, std::size_t align) {
  if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
  const std::size_t head = std::max<std::size_t>(align, sizeof(Header));
  void* raw = std::aligned_alloc(align, ((head + n + align - 1) / align) * align);
  if (raw == nullptr) throw std::bad_alloc();
  unsigned char* user = static_cast<unsigned char*>(raw) + head;
  Header h{n, head};
  std::memcpy(user - sizeof(Header), &h, sizeof h);
  return user;
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  unsigned char* user = static_cast<unsigned char*>(p);
  Header h;
  std::memcpy(&h, user - sizeof(Header), sizeof h);
  if (g_on.load(std::memory_order_relaxed)) check_block(user, h.size);
  std::free(user - h.offset);
}

}  // namespace scan

void* operator new(std::size_t n) { return scan::alloc(n, 0); }
void* operator new[](std::size_t n) { return scan::alloc(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) {
  return scan::alloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return scan::alloc(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return scan::alloc(n, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return scan::alloc(n, 0);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { scan::release(p); }
void operator delete[](void* p) noexcept { scan::release(p); }
void operator delete(void* p, std::size_t) noexcept { scan::release(p); }
void operator delete[](void* p, std::size_t) noexcept { scan::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { scan::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { scan::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { scan::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { scan::release(p); }

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;

/// The secrets of a round: in the first run it collects their words (into a vector, freed
/// before scanning starts); in the scanned run it only checks that each word it is shown was
/// collected (no allocation), so a round that is not deterministic fails instead of passing
/// vacuously.
struct Collector {
  bool collecting = true;
  // Wiping storage: the collector's own copies must not be left in freed memory, where a later
  // allocation of the scanned run would find them in its unused capacity.
  vdaf::secret_vector<std::pair<std::uint64_t, const char*>> words;
  vdaf::secret_vector<std::uint64_t> published;
  std::size_t missing = 0;

  /// Words the protocol makes public (every 8-byte window of a message sent to the other
  /// aggregator): a secret share element may equal one by design (the FLP verifier's circuit
  /// output is a proof share element in the Lagrange basis), so they are not secrets.
  void add_public(ByteSpan b) {
    if (!collecting) return;
    for (std::size_t i = 0; i + 8 <= b.size(); ++i) {
      std::uint64_t w;
      std::memcpy(&w, b.data() + i, 8);
      published.push_back(w);
      // Messages encode elements little-endian; a big-endian host holds them byte-swapped.
      published.push_back(__builtin_bswap64(w));
    }
  }

  void add_word(std::uint64_t w, const char* label) {
    const int bits = std::popcount(w);
    if (bits < 12 || bits > 52) return;
    if (collecting) {
      words.emplace_back(w, label);
    } else if (!std::binary_search(scan::g_patterns, scan::g_patterns + scan::g_count, w) &&
               !std::binary_search(scan::g_public.begin(), scan::g_public.end(), w)) {
      ++missing;
    }
  }
  /// The first 8 bytes of a field element (its low limb in memory).
  template <class F>
  void add_elems(std::span<const F> v, const char* label) {
    for (const F& x : v) {
      std::uint64_t w;
      std::memcpy(&w, &x, 8);
      add_word(w, label);
    }
  }
  /// Every 8-byte word of a seed or key.
  void add_seed(ByteSpan s, const char* label) {
    for (std::size_t i = 0; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      add_word(w, label);
    }
  }
};

/// Deterministic bytes (a key, randomness or a nonce) straight into wiping memory, so the test
/// itself leaves no copy behind.
vdaf::SecretBytes pattern(std::size_t n, std::uint8_t seed) {
  vdaf::SecretBytes b(n);
  std::uint32_t x = 0x9e3779b9u * (seed + 1u);
  for (auto& v : b) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<std::uint8_t>(x >> 24);
  }
  return b;
}

const Bytes kCtx = {'w', 'i', 'p', 'e'};

/// One Prio3 round of two aggregators through ping-pong, the states stored and restored, the
/// output shares aggregated; `c` collects the secrets (first run).
template <class V>
void prio3_round(const V& v, const typename V::Measurement& m, Collector& c) {
  const vdaf::SecretBytes key = pattern(32, 1), nonce = pattern(16, 2),
                          rand = pattern(v.rand_size(), 3);
  c.add_seed(key, "the verify key");
  auto shard = v.shard(kCtx, m, nonce, rand);
  for (const auto& s : shard.input_shares) {
    using F = typename V::Field;
    c.add_elems<F>(s.meas_share, "a measurement share element");
    c.add_elems<F>(s.proofs_share, "a proofs share element");
    if (s.seed) c.add_seed(*s.seed, "a helper's seed");
    if (s.blind) c.add_seed(*s.blind, "a blind");
  }
  using PP = vdaf::PingPong<V>;
  const PP pp(v, key, kCtx, {});
  auto l = pp.decode_state(
      pp.encode_state(pp.leader_initialized(nonce, shard.public_share, shard.input_shares[0])));
  auto h =
      pp.helper_initialized(nonce, shard.public_share, shard.input_shares[1], *PP::outbound(l));
  c.add_public(*PP::outbound(l));
  c.add_public(*PP::outbound(h));
  auto lf = pp.leader_continued(l, *PP::outbound(h));
  auto hs = pp.decode_state(pp.encode_state(h));
  for (const auto* s : {&lf, &hs}) {
    const auto* os = PP::out_share(*s);
    if (os == nullptr) {
      std::fprintf(stderr, "FAIL: the round did not finish\n");
      std::exit(1);
    }
    c.add_elems<typename V::Field>(*os, "an output share element");
    auto agg = v.agg_init({});
    v.agg_update({}, agg, *os);
  }
}

void poplar1_round(std::uint16_t level, Collector& c) {
  constexpr std::size_t kBits = 12;
  const vdaf::Poplar1 v(kBits);
  const vdaf::SecretBytes key = pattern(32, 11), nonce = pattern(16, 12),
                          rand = pattern(vdaf::Poplar1::RAND_SIZE, 13);
  const auto m = vdaf::Poplar1::measurement_from_int(0xA5C, kBits);
  c.add_seed(key, "the verify key");
  auto shard = v.shard(kCtx, m, nonce, rand);
  for (const auto& s : shard.input_shares) {
    c.add_seed(s.idpf_key, "an IDPF key");
    c.add_seed(s.corr_seed, "a correlation seed");
    c.add_elems<vdaf::Field64>(s.corr_inner, "a correlated share (inner)");
    c.add_elems<vdaf::Field255>(s.corr_leaf, "a correlated share (leaf)");
  }
  vdaf::Poplar1::AggParam ap{level, {}};
  for (std::uint64_t x = 0; x < 8; ++x) {
    ap.prefixes.push_back(vdaf::Poplar1::measurement_from_int(
        ((0xA5C >> (kBits - 1 - level)) & ~std::uint64_t{7}) + x, level + 1u));
  }
  std::sort(ap.prefixes.begin(), ap.prefixes.end());
  ap.prefixes.erase(std::unique(ap.prefixes.begin(), ap.prefixes.end()), ap.prefixes.end());
  using PP = vdaf::PingPong<vdaf::Poplar1>;
  const PP pp(v, key, kCtx, ap);
  vdaf::Poplar1::EvalCache lc, hc;
  auto l = pp.leader_initialized(nonce, shard.public_share, shard.input_shares[0], lc);
  lc = v.decode_eval_cache(v.encode_eval_cache(lc));
  auto h =
      pp.helper_initialized(nonce, shard.public_share, shard.input_shares[1], *PP::outbound(l), hc);
  h = pp.decode_state(pp.encode_state(h));
  auto l2 = pp.leader_continued(pp.decode_state(pp.encode_state(l)), *PP::outbound(h));
  auto h2 = pp.helper_continued(h, *PP::outbound(l2));
  for (const auto* s : {&l, &h, &l2}) c.add_public(*PP::outbound(*s));
  for (const auto* s : {&l2, &h2}) {
    const auto* os = PP::out_share(*s);
    if (os == nullptr) {
      std::fprintf(stderr, "FAIL: the Poplar1 round did not finish\n");
      std::exit(1);
    }
    std::visit(
        [&](const auto& vec) {
          using F = typename std::decay_t<decltype(vec)>::value_type;
          c.add_elems<F>(vec, "a Poplar1 output share element (an IDPF value)");
        },
        *os);
    auto agg = v.agg_init(ap);
    v.agg_update(ap, agg, *os);
  }
}

/// Runs `round` twice: collect the secrets, then scan for them. Returns the leaks found (or 1
/// if the round collected too little, or was not deterministic).
template <class Round>
std::size_t check(const char* name, Round&& round) {
  {
    Collector c;
    round(c);
    std::sort(c.published.begin(), c.published.end());
    scan::g_public.assign(c.published.begin(), c.published.end());
    std::erase_if(c.words, [&](const auto& w) {
      return std::binary_search(c.published.begin(), c.published.end(), w.first);
    });
    std::sort(c.words.begin(), c.words.end());
    c.words.erase(std::unique(c.words.begin(), c.words.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  c.words.end());
    scan::g_count = std::min(c.words.size(), scan::kMaxPatterns);
    for (std::size_t i = 0; i < scan::g_count; ++i) {
      scan::g_patterns[i] = c.words[i].first;
      scan::g_labels[i] = c.words[i].second;
    }
  }  // the collector's own copies are freed here, before scanning
  if (scan::g_count < 4) {
    std::fprintf(stderr, "FAIL: %s collected too few secrets to mean anything\n", name);
    return 1;
  }
  const std::size_t before = scan::g_leaks, blocks = scan::g_blocks;
  Collector again;
  again.collecting = false;
  scan::g_on = true;
  round(again);
  scan::g_on = false;
  if (again.missing != 0) {
    std::fprintf(stderr, "FAIL: %s is not deterministic (%zu secrets differ)\n", name,
                 again.missing);
    return 1;
  }
  const std::size_t leaks = scan::g_leaks - before;
  std::printf("%-34s %5zu secret words, %6zu freed blocks scanned: %s\n", name, scan::g_count,
              scan::g_blocks - blocks, leaks == 0 ? "no secret in freed memory" : "LEAKS");
  return leaks;
}

}  // namespace

int main() {
  std::size_t leaks = 0;
  leaks += check("Prio3Count", [](Collector& c) { prio3_round(vdaf::Prio3Count(2), 1, c); });
  leaks += check("Prio3Sum", [](Collector& c) { prio3_round(vdaf::Prio3Sum(2, 1000), 777, c); });
  leaks += check("Prio3SumVec", [](Collector& c) {
    prio3_round(vdaf::Prio3SumVec(2, 10, 3, 4), std::vector<std::uint64_t>(10, 2), c);
  });
  leaks += check("Prio3Histogram",
                 [](Collector& c) { prio3_round(vdaf::Prio3Histogram(2, 20, 4), 13, c); });
  leaks += check("Prio3MultihotCountVec", [](Collector& c) {
    std::vector<bool> m(10);
    m[2] = m[7] = true;
    prio3_round(vdaf::Prio3MultihotCountVec(2, 10, 3, 4), m, c);
  });
  leaks += check("Prio3SumVecWithMultiproof<Field64>", [](Collector& c) {
    prio3_round(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 5, 7, 2, 3),
                std::vector<std::uint64_t>{1, 2, 3, 4, 5}, c);
  });
  leaks += check("Prio3L1BoundSum", [](Collector& c) {
    prio3_round(vdaf::Prio3L1BoundSum(2, 6, 40, 4), std::vector<std::uint64_t>{3, 0, 17, 0, 9, 1},
                c);
  });
  leaks += check("Prio3SumVecField64MultiproofHmacSha256Aes128", [](Collector& c) {
    prio3_round(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(2, 5, 7, 2, 3),
                std::vector<std::uint64_t>{1, 2, 3, 4, 5}, c);
  });
  leaks += check("Prio3HigherDegree",
                 [](Collector& c) { prio3_round(vdaf::Prio3HigherDegree(2), 2, c); });
  leaks += check("Poplar1 inner level", [](Collector& c) { poplar1_round(5, c); });
  leaks += check("Poplar1 leaf level", [](Collector& c) { poplar1_round(11, c); });
  if (leaks != 0) {
    std::fprintf(stderr, "%zu freed block(s) held secrets\n", leaks);
    return 1;
  }
  std::puts("freed_memory_test: no secret left in freed heap memory");
  return 0;
}
