// The Prio3 instances of draft-irtf-cfrg-vdaf-20 §7.4 (and two test-only ones), and two that
// deployments run beyond the draft: Prio3L1BoundSum and 0xFFFF1003. Each also has its own header
// (vdaf/prio3/count.hpp, sum.hpp, sum_vec.hpp, histogram.hpp, multihot_count_vec.hpp,
// l1_bound_sum.hpp, sum_vec_field64_multiproof_hmac_sha256_aes128.hpp, higher_degree.hpp).
#pragma once

#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/count.hpp"
#include "vdaf/prio3/higher_degree.hpp"
#include "vdaf/prio3/histogram.hpp"
#include "vdaf/prio3/l1_bound_sum.hpp"
#include "vdaf/prio3/multihot_count_vec.hpp"
#include "vdaf/prio3/sum.hpp"
#include "vdaf/prio3/sum_vec.hpp"
#include "vdaf/prio3/sum_vec_field64_multiproof_hmac_sha256_aes128.hpp"
