// vdaf::vdaf_compiled: the explicit instantiation of Prio3<SumVec<Field64>, XofHmacSha256Aes128>,
// declared `extern template` in <vdaf/prio3/sum_vec_field64_multiproof_hmac_sha256_aes128.hpp> when
// VDAF_EXTERN_TEMPLATES is defined (as the target defines it for its users).
#include "vdaf/prio3/sum_vec_field64_multiproof_hmac_sha256_aes128.hpp"

#if !defined(VDAF_EXTERN_TEMPLATES)
#error "vdaf::vdaf_compiled is built with VDAF_EXTERN_TEMPLATES (see CMakeLists.txt)"
#endif

VDAF_BEGIN_NAMESPACE
template class Prio3<SumVec<Field64>, XofHmacSha256Aes128>;

VDAF_END_NAMESPACE
