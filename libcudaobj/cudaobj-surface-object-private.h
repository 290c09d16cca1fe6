/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what kernel arguments need from SurfaceObject. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The CUsurfObject, or 0 with CUDA_OBJ_ERROR_NOT_INITIALIZED or
 * CUDA_OBJ_ERROR_CLOSED (its device was reset) set. */
CUsurfObject cuda_obj_surface_object_peek_handle (CudaObjSurfaceObject *self, GError **error);

G_END_DECLS
