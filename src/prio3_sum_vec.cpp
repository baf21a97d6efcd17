// vdaf::vdaf_compiled: the explicit instantiation of Prio3<SumVec<Field128>> and
// Prio3<SumVec<Field64>>, declared `extern template` in <vdaf/prio3/sum_vec.hpp> when
// VDAF_EXTERN_TEMPLATES is defined (as the target defines it for its users).
#include "vdaf/prio3/sum_vec.hpp"

#if !defined(VDAF_EXTERN_TEMPLATES)
#error "vdaf::vdaf_compiled is built with VDAF_EXTERN_TEMPLATES (see CMakeLists.txt)"
#endif

VDAF_BEGIN_NAMESPACE
template class Prio3<SumVec<Field128>>;
template class Prio3<SumVec<Field64>>;

VDAF_END_NAMESPACE
