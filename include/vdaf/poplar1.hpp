// Umbrella header: Poplar1 heavy hitters (draft-irtf-cfrg-vdaf-20 §8).
#pragma once

#include "vdaf/core/bytes.hpp"
#include "vdaf/core/hex.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/idpf/idpf_bbcggi21.hpp"
#include "vdaf/poplar1/poplar1.hpp"
#include "vdaf/version.hpp"
