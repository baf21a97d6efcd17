// Compiled with -march=sapphirerapids by the ctest test compile_pass_highway_avx3_dl: with all of
// AVX3_DL's features in the flags (as -march=native gives on recent Intel CPUs), Highway 1.0.3
// stops with "best baseline should be included in dynamic targets" unless HWY_WANT_AVX3_DL is
// defined; vdaf's AES header defines it, so the library must compile.
#include <vdaf/poplar1.hpp>
#include <vdaf/xof/xof_fixed_key_aes128.hpp>

int main() { return vdaf::Poplar1(4).bits() == 4 ? 0 : 1; }
