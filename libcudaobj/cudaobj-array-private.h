/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what textures, surfaces and graphics interop need from Array. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The CUarray, or NULL with CUDA_OBJ_ERROR_NOT_INITIALIZED or
 * CUDA_OBJ_ERROR_CLOSED (a reset of the device) set; @what names the caller
 * in the message. Makes the device's context current. */
CUarray cuda_obj_array_prepare (CudaObjArray *self, const char *what, GError **error);

/* Wraps @handle, an array of @device's primary context that another API
 * owns (a mapped graphics resource), without destroying it at the end; its
 * shape and format are asked of the driver. @owner (nullable) is kept
 * alive as long as the array. The owner must keep @handle valid for the
 * array's lifetime or call cuda_obj_array_forget() first. */
CudaObjArray *cuda_obj_array_new_foreign (CudaObjDevice *device, CUarray handle, GObject *owner,
                                          GError **error);

/* Drops a foreign array's handle (an unmap): later uses fail with
 * CUDA_OBJ_ERROR_CLOSED. No effect on an owned array. */
void cuda_obj_array_forget (CudaObjArray *self);

G_END_DECLS
