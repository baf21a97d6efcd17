// A dudect-style timing check (Reparaz, Balasch, Verbauwhede 2017) of the SIMD kernels that the
// valgrind constant-time check cannot run (valgrind 3.19 stops on AVX-512 instructions): the
// AVX-512 IFMA NTT of the Field128 Mul gadget, the VAES (256-bit) AES-128 path of
// XofFixedKeyAes128, and the multi-lane Keccak (AVX2, with AVX-512VL rotates). Run by hand on a
// machine that has them, built with -march=native; the results are recorded in
// bench/README.md ("dudect_simd") and summarised in README "Security properties".
//
// Each kernel is timed (rdtsc, one call per sample) on inputs of two classes, fixed (the same
// secret every time) and random (a fresh one every time), the class picked at random for each
// sample. Welch's t-statistic between the two classes' timings (also over the fastest 50 % and
// 90 % of the samples, to cut interrupts) must stay below 4.5 in absolute value: above, the
// timing depends on the data with high confidence. The inputs are made outside the timed region.
//
//   build-bench/bench/dudect_simd                  # 1,000,000 samples per kernel
//   build-bench/bench/dudect_simd --samples 200000
//
// With any --benchmark_* argument (CI's smoke run of every bench program) it runs 2000 samples
// per kernel and always exits 0: too few to mean anything, but the program is exercised.
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "vdaf/flp/gadgets.hpp"
#include "vdaf/xof/xof_fixed_key_aes128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

#if defined(__x86_64__)
namespace {

struct Rng {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  std::uint64_t next() {
    s += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

/// Welford's running mean and variance.
struct Stat {
  double n = 0, mean = 0, m2 = 0;
  void add(double x) {
    n += 1;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  double var() const { return n > 1 ? m2 / (n - 1) : 0; }
};

double welch_t(const Stat& a, const Stat& b) {
  const double se = std::sqrt(a.var() / a.n + b.var() / b.n);
  return se == 0 ? 0 : (a.mean - b.mean) / se;
}

/// One kernel: `prepare(cls, rng)` makes the input of class cls (0 fixed, 1 random) untimed;
/// `run()` is the timed call. Short kernels repeat the call inside `run()` on the same input, so
/// that a sample spans thousands of cycles (rdtsc's granularity and overhead would otherwise
/// quantize the timings, and cropping at a quantile of discrete values biases the t-test).
struct Kernel {
  const char* name;
  std::function<void(int, Rng&)> prepare;
  std::function<void()> run;
};

/// Returns max |t| over the raw samples and the fastest 50 % and 90 %.
double measure(const Kernel& k, std::size_t samples) {
  Rng rng;
  std::vector<std::uint64_t> t(samples);
  std::vector<std::uint8_t> cls(samples);
  for (std::size_t i = 0; i < 1000; ++i) {  // warm-up
    k.prepare(static_cast<int>(i & 1), rng);
    k.run();
  }
  for (std::size_t i = 0; i < samples; ++i) {
    cls[i] = static_cast<std::uint8_t>(rng.next() & 1);
    k.prepare(cls[i], rng);
    unsigned aux;
    const std::uint64_t t0 = __rdtscp(&aux);
    k.run();
    const std::uint64_t t1 = __rdtscp(&aux);
    t[i] = t1 - t0;
  }
  std::vector<std::uint64_t> sorted = t;
  std::sort(sorted.begin(), sorted.end());
  double worst = 0;
  for (const double keep : {1.0, 0.9, 0.5}) {
    const std::uint64_t cut =
        sorted[static_cast<std::size_t>(keep * static_cast<double>(samples - 1))];
    Stat a, b;
    for (std::size_t i = 0; i < samples; ++i) {
      if (t[i] > cut) continue;
      (cls[i] == 0 ? a : b).add(static_cast<double>(t[i]));
    }
    const double tv = welch_t(a, b);
    std::printf("  %-34s keep %3.0f%%: fixed %8.1f cycles, random %8.1f cycles, t = %+6.2f\n",
                k.name, keep * 100, a.mean, b.mean, tv);
    worst = std::max(worst, std::fabs(tv));
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t samples = 1000000;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--samples" && i + 1 < argc) {
      samples = std::stoul(argv[++i]);
    } else if (a.rfind("--benchmark", 0) == 0) {
      smoke = true;
    }
  }
  if (smoke) samples = 2000;

  using F128 = vdaf::Field128;
  // The fixed class's values are drawn once from a separate generator, so they look like random
  // values (about half their bits set): a fixed input of a special shape (zeros, a repeated
  // byte) can change the CPU's power draw and, through its clock (Hertzbleed), the time of
  // perfectly constant-time code; that is not what this check looks for.
  Rng fixed_rng;
  fixed_rng.s = 0x0123456789abcdefULL;
  std::vector<std::uint64_t> fixed_words(4096);
  for (auto& w : fixed_words) w = fixed_rng.next();
  // 1. Field128 Mul gadget polynomial, 8 pairs of wires of 64 points (the IFMA kernel with
  //    AVX-512 IFMA, else the scalar path).
  const auto mul = vdaf::Gadget<F128>::ParallelSum(vdaf::Gadget<F128>::Mul(), 8);
  std::vector<F128> wires(16 * 64);
  std::vector<F128> poly;
  // 2. AES-128 over 16 blocks with a fixed key (VAES with AVX3_DL or __VAES__, AES-NI, or the
  //    bitsliced fallback).
  std::array<std::uint8_t, 16> aes_key{};
  std::array<std::uint8_t, 16 * 16> blocks{}, work{};
  constexpr int kAesReps = 64;
  vdaf::XofFixedKeyAes128::FixedKey fk = vdaf::XofFixedKeyAes128::FixedKey::from_aes_key(aes_key);
  // 3. Four XofTurboShake128 streams expanded together (multi-lane Keccak with AVX2).
  std::array<std::array<std::uint8_t, 32>, 4> seeds{};
  std::array<std::array<vdaf::Field64, 64>, 4> outs{};
  const std::uint8_t dst[4] = {1, 2, 3, 4};

  const std::vector<Kernel> kernels = {
      {"Field128 Mul gadget (IFMA NTT)",
       [&](int cls, Rng& rng) {
         for (std::size_t i = 0; i < wires.size(); ++i) {
           // Both classes draw random numbers (the same work before the timed call).
           const vdaf::uint128 r = static_cast<vdaf::uint128>(rng.next()) << 62 ^ rng.next();
           const vdaf::uint128 f =
               static_cast<vdaf::uint128>(fixed_words[2 * i]) << 62 ^ fixed_words[2 * i + 1];
           wires[i] = F128::from_int(cls == 0 ? f : r);
         }
       },
       [&] { poly = mul.eval_poly(wires, 64); }},
      {"AES-128 x16 blocks (hash_blocks) x64",
       [&](int cls, Rng& rng) {
         for (std::size_t i = 0; i < blocks.size(); i += 8) {
           const std::uint64_t r = rng.next();
           const std::uint64_t v = cls == 0 ? fixed_words[i / 8] : r;
           std::memcpy(blocks.data() + i, &v, 8);
         }
         std::uint64_t k[2] = {rng.next(), rng.next()};
         if (cls == 0) {
           k[0] = fixed_words[100];
           k[1] = fixed_words[101];
         }
         std::memcpy(aes_key.data(), k, 16);
         fk = vdaf::XofFixedKeyAes128::FixedKey::from_aes_key(aes_key);
       },
       [&] {
         // hash_blocks works in place: each repetition hashes a fresh copy of the same input.
         for (int r = 0; r < kAesReps; ++r) {
           std::memcpy(work.data(), blocks.data(), blocks.size());
           vdaf::XofFixedKeyAes128::hash_blocks(fk, work.data(), 16);
         }
       }},
      {"control: same inputs, no AES (x64)",
       // The AES kernel's harness (the same prepare: blocks and key) around code that cannot
       // depend on the data (a copy and a fixed XOR): what it reports is the harness's own
       // bias, against which the AES row is to be read.
       [&](int cls, Rng& rng) {
         for (std::size_t i = 0; i < blocks.size(); i += 8) {
           const std::uint64_t r = rng.next();
           const std::uint64_t v = cls == 0 ? fixed_words[i / 8] : r;
           std::memcpy(blocks.data() + i, &v, 8);
         }
         std::uint64_t k[2] = {rng.next(), rng.next()};
         if (cls == 0) {
           k[0] = fixed_words[100];
           k[1] = fixed_words[101];
         }
         std::memcpy(aes_key.data(), k, 16);
         fk = vdaf::XofFixedKeyAes128::FixedKey::from_aes_key(aes_key);
       },
       [&] {
         for (int r = 0; r < kAesReps; ++r) {
           std::memcpy(work.data(), blocks.data(), blocks.size());
           for (std::size_t i = 0; i < work.size(); ++i) work[i] ^= static_cast<std::uint8_t>(i);
           asm volatile("" : : "r"(work.data()) : "memory");
         }
       }},
      {"XofTurboShake128 x4 streams (Keccak) x4",
       [&](int cls, Rng& rng) {
         std::size_t f = 200;
         for (auto& sd : seeds) {
           for (std::size_t i = 0; i < sd.size(); i += 8) {
             const std::uint64_t r = rng.next();
             const std::uint64_t v = cls == 0 ? fixed_words[f++] : r;
             std::memcpy(sd.data() + i, &v, 8);
           }
         }
       },
       [&] {
         const vdaf::XofExpandRequest<vdaf::Field64> reqs[4] = {
             {seeds[0], vdaf::ByteSpan(dst), {}, outs[0]},
             {seeds[1], vdaf::ByteSpan(dst), {}, outs[1]},
             {seeds[2], vdaf::ByteSpan(dst), {}, outs[2]},
             {seeds[3], vdaf::ByteSpan(dst), {}, outs[3]}};
         for (int r = 0; r < 4; ++r) vdaf::XofTurboShake128::expand_many<vdaf::Field64>(reqs);
       }},
  };
  std::printf("dudect_simd: %zu samples per kernel; IFMA NTT %s, AES backend %s, Keccak x4 %s\n",
              samples, VDAF_NTT128_IFMA ? "on" : "off", vdaf::XofFixedKeyAes128::aes_backend(),
              VDAF_KECCAK_X4 ? "on" : "off");
  int failures = 0;
  for (const auto& k : kernels) {
    const double t = measure(k, samples);
    const bool ok = t < 4.5;
    std::printf("%s: max |t| = %.2f -> %s\n", k.name, t,
                ok ? "no timing difference detected" : "TIMING DEPENDS ON THE DATA");
    failures += ok ? 0 : 1;
  }
  return smoke ? 0 : (failures == 0 ? 0 : 1);
}
#else
int main() {
  std::puts("dudect_simd: x86-64 only (rdtscp); nothing to do here");
  return 0;
}
#endif
