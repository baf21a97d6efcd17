// Includes Highway (<hwy/highway.h>) for the library's static-dispatch SIMD kernels
// (detail/simd/aes128_hwy.hpp, detail/simd/ntt64_hwy.hpp). Not API.
//
// Highway 1.0.3 makes AVX3_DL its static target when the compiler flags have all of its
// features (-march=native or -march=sapphirerapids on recent Intel CPUs), but leaves AVX3_DL
// out of its attainable targets unless HWY_WANT_AVX3_DL is defined (its test reads an undefined
// macro, HWY_BASELINE), and then stops every translation unit with "#error Logic error: best
// baseline should be included in dynamic targets". Opt in exactly in that case. (A program that
// includes <hwy/highway.h> itself before vdaf must define HWY_WANT_AVX3_DL itself.)
#pragma once

#if !defined(HWY_WANT_AVX3_DL) && defined(__AVX512F__) && defined(__AVX512BW__) &&                 \
    defined(__AVX512DQ__) && defined(__AVX512VL__) && defined(__AVXVNNI__) && defined(__VAES__) && \
    defined(__VPCLMULQDQ__) && defined(__AVX512VBMI__) && defined(__AVX512VBMI2__) &&              \
    defined(__AVX512VPOPCNTDQ__) && defined(__AVX512BITALG__)
#define HWY_WANT_AVX3_DL
#endif
#include <hwy/highway.h>
