// Field, NTT and XOF benchmarks: Field64/Field128 arithmetic, ntt/inv_ntt for
// sizes 16..4096, field vector generation from XofTurboShake128 (16..4096
// elements, the libprio-rs grid) and raw TurboSHAKE128 throughput for 168·k
// bytes (whole rate blocks). See bench/README.md.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "support/splitmix64.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"
#include "vdaf/xof/turboshake128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

namespace {

constexpr std::size_t kVecLen = 1024;  // span length for the element-wise field benchmarks
constexpr std::size_t kChainLen = 64;  // dependent operations per iteration (latency benchmarks)
constexpr std::size_t kRate = 168;     // TurboSHAKE128 rate in bytes

using vdaf_bench::SplitMix64;

template <class F>
F random_element(SplitMix64& rng) {
  if constexpr (sizeof(typename F::Int) > 8) {
    const vdaf::uint128 hi = rng.next();
    return F::from_int((hi << 64) | rng.next());
  } else {
    return F::from_int(rng.next());
  }
}

template <class F>
std::vector<F> random_vec(std::size_t n, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<F> v(n);
  for (auto& x : v) x = random_element<F>(rng);
  return v;
}

// --- element arithmetic -----------------------------------------------------

/// out[i] = a[i] · b[i] over kVecLen elements (throughput).
template <class F>
void bm_mul(benchmark::State& st) {
  const auto a = random_vec<F>(kVecLen, 1), b = random_vec<F>(kVecLen, 2);
  std::vector<F> out(kVecLen);
  for (auto _ : st) {
    for (std::size_t i = 0; i < kVecLen; ++i) out[i] = a[i] * b[i];
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kVecLen));
}

/// x ← x · y, kChainLen times in a row (latency of one multiplication).
template <class F>
void bm_mul_chain(benchmark::State& st) {
  SplitMix64 rng(3);
  F x = random_element<F>(rng);
  const F y = random_element<F>(rng);
  for (auto _ : st) {
    for (std::size_t i = 0; i < kChainLen; ++i) x = x * y;
    benchmark::DoNotOptimize(x);
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kChainLen));
}

/// out[i] = a[i] + b[i] over kVecLen elements (throughput).
template <class F>
void bm_add(benchmark::State& st) {
  const auto a = random_vec<F>(kVecLen, 4), b = random_vec<F>(kVecLen, 5);
  std::vector<F> out(kVecLen);
  for (auto _ : st) {
    for (std::size_t i = 0; i < kVecLen; ++i) out[i] = a[i] + b[i];
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kVecLen));
}

/// x ← inv(x) (constant-time Fermat inversion x^(p−2)).
template <class F>
void bm_inv(benchmark::State& st) {
  SplitMix64 rng(6);
  F x = random_element<F>(rng);
  for (auto _ : st) {
    x = x.inv();
    benchmark::DoNotOptimize(x);
  }
  st.SetItemsProcessed(st.iterations());
}

// --- NTT ----------------------------------------------------------------------

/// n/2·log2(n) butterflies per transform; reported as time per butterfly.
void set_ntt_counters(benchmark::State& st, std::size_t n) {
  const auto log_n = static_cast<std::size_t>(std::countr_zero(n));
  const double butterflies = static_cast<double>(n / 2 * log_n);
  st.SetItemsProcessed(st.iterations());
  st.counters["butterfly_time"] =
      benchmark::Counter(butterflies * static_cast<double>(st.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// ntt(p, n): values of a polynomial with n coefficients at the n-th roots of unity.
template <class F>
void bm_ntt(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  const auto p = random_vec<F>(n, 7);
  for (auto _ : st) {
    auto v = vdaf::ntt<F>(p, n);
    benchmark::DoNotOptimize(v);
  }
  set_ntt_counters(st, n);
}

/// inv_ntt(v, n): coefficients from n values (transform plus scaling by 1/n).
template <class F>
void bm_inv_ntt(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  const auto v = random_vec<F>(n, 8);
  for (auto _ : st) {
    auto p = vdaf::inv_ntt<F>(v, n);
    benchmark::DoNotOptimize(p);
  }
  set_ntt_counters(st, n);
}

// --- XOF ----------------------------------------------------------------------

/// A fresh XofTurboShake128 (32-byte seed, 16-byte dst, 1-byte binder) and
/// next_vec of n elements: the cost of expanding one field vector from a seed.
template <class F>
void bm_xof_next_vec(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  const std::array<std::uint8_t, 16> dst{'v', 'd', 'a', 'f', '-', 'c', 'p', 'p',
                                         ' ', 'b', 'e', 'n', 'c', 'h', 0,   1};
  const std::array<std::uint8_t, 1> binder{2};
  for (auto _ : st) {
    vdaf::XofTurboShake128 xof(seed, dst, binder);
    auto v = xof.next_vec<F>(n);
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n * F::ENCODED_SIZE));
}

/// TurboSHAKE128 as a hash: absorb `bytes` bytes, finalize, squeeze 32 bytes.
void bm_turboshake_absorb(benchmark::State& st) {
  const auto len = static_cast<std::size_t>(st.range(0));
  std::vector<std::uint8_t> msg(len);
  for (std::size_t i = 0; i < len; ++i) msg[i] = static_cast<std::uint8_t>(i % 251);
  std::array<std::uint8_t, 32> out{};
  for (auto _ : st) {
    vdaf::TurboShake128 ts;
    ts.absorb(msg);
    ts.finalize(0x1F);
    ts.squeeze(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(len));
}

/// TurboSHAKE128 as a stream: absorb a 32-byte seed, finalize, squeeze `bytes` bytes.
void bm_turboshake_squeeze(benchmark::State& st) {
  const auto len = static_cast<std::size_t>(st.range(0));
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(3 * i);
  std::vector<std::uint8_t> out(len);
  for (auto _ : st) {
    vdaf::TurboShake128 ts;
    ts.absorb(seed);
    ts.finalize(0x01);
    ts.squeeze(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(len));
}

// --- registration ---------------------------------------------------------------

template <class F>
void register_field(const std::string& f) {
  benchmark::RegisterBenchmark(("BM_" + f + "_Mul/n:" + std::to_string(kVecLen)).c_str(),
                               bm_mul<F>);
  benchmark::RegisterBenchmark(("BM_" + f + "_MulChain/n:" + std::to_string(kChainLen)).c_str(),
                               bm_mul_chain<F>);
  benchmark::RegisterBenchmark(("BM_" + f + "_Add/n:" + std::to_string(kVecLen)).c_str(),
                               bm_add<F>);
  benchmark::RegisterBenchmark(("BM_" + f + "_Inv").c_str(), bm_inv<F>);
  benchmark::RegisterBenchmark(("BM_" + f + "_Ntt").c_str(), bm_ntt<F>)
      ->ArgName("n")
      ->RangeMultiplier(2)
      ->Range(16, 4096);
  benchmark::RegisterBenchmark(("BM_" + f + "_InvNtt").c_str(), bm_inv_ntt<F>)
      ->ArgName("n")
      ->RangeMultiplier(2)
      ->Range(16, 4096);
  benchmark::RegisterBenchmark(("BM_XofTurboShake128_NextVec_" + f).c_str(), bm_xof_next_vec<F>)
      ->ArgName("n")
      ->RangeMultiplier(2)
      ->Range(16, 4096);
}

int register_all() {
  register_field<vdaf::Field64>("Field64");
  register_field<vdaf::Field128>("Field128");
  for (auto* b :
       {benchmark::RegisterBenchmark("BM_TurboShake128_Absorb", bm_turboshake_absorb),
        benchmark::RegisterBenchmark("BM_TurboShake128_Squeeze", bm_turboshake_squeeze)}) {
    b->ArgName("bytes");
    for (std::int64_t k : {1, 8, 64, 512}) b->Arg(static_cast<std::int64_t>(kRate) * k);
  }
  return 0;
}

[[maybe_unused]] const int kRegistered = register_all();

}  // namespace
