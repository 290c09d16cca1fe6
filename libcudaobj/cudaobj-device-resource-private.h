/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what a green context needs from a DeviceResource. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The driver's description of the SMs; NULL for an uninitialized resource. */
const CUdevResource *cuda_obj_device_resource_peek (CudaObjDeviceResource *self);

/* NOT_SUPPORTED, naming @what, unless @device can have green contexts
 * (compute capability 9.0 or newer). */
gboolean cuda_obj_device_resource_require_green (CudaObjDevice *device, const char *what, GError **error);

G_END_DECLS
