/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fixture for include-circles.py: half of a circle of private headers. */
#pragma once

#include "cudaobj-right-private.h"
