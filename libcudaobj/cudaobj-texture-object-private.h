/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what kernel arguments need from TextureObject. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The CUtexObject, or 0 with CUDA_OBJ_ERROR_NOT_INITIALIZED or
 * CUDA_OBJ_ERROR_CLOSED (its device was reset, or its array or buffer
 * closed) set. */
CUtexObject cuda_obj_texture_object_peek_handle (CudaObjTextureObject *self, GError **error);

G_END_DECLS
