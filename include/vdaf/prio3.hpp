// Umbrella header: everything needed to use Prio3 (draft-irtf-cfrg-vdaf-20 §7).
#pragma once

#include "vdaf/core/bytes.hpp"
#include "vdaf/core/hex.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/prio3/instances.hpp"
#include "vdaf/prio3/prio3.hpp"
#include "vdaf/version.hpp"
#include "vdaf/xof/xof_hmac_sha256_aes128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"
