// Umbrella header: the whole library.
#pragma once

#include "vdaf/core/print.hpp"
#include "vdaf/core/vdaf.hpp"
#include "vdaf/polynomial/ntt.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"
#include "vdaf/xof/xof_fixed_key_aes128.hpp"
