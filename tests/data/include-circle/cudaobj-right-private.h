/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fixture for include-circles.py: the other half of the circle. */
#pragma once

#include "cudaobj-left-private.h"
