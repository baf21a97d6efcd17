// Umbrella header: the whole library.
#pragma once

#include "vdaf/polynomial/ntt.hpp"
#include "vdaf/prio3.hpp"
