// Umbrella header: differential-privacy noise for Prio3 (vdaf::dp). Needs Boost.Multiprecision
// (header-only; Debian libboost-dev >= 1.74); the rest of the library does not. See docs/dp.md.
#pragma once

#include "vdaf/dp/budget.hpp"
#include "vdaf/dp/noise.hpp"
#include "vdaf/dp/rational.hpp"
#include "vdaf/dp/samplers.hpp"
