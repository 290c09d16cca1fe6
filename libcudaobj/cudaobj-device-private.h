/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what other classes need from a Device. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

CUdevice cuda_obj_device_get_handle (CudaObjDevice *self);

/* What a launch configuration is checked against, read once at construction. */
typedef struct
{
  int max_threads_per_block;
  int max_block_dim[3];
  int max_grid_dim[3];
  int max_shared_memory_per_block_optin;
  int cooperative_launch;
  int cluster_launch;
} CudaObjDeviceLimits;

const CudaObjDeviceLimits *cuda_obj_device_peek_limits (CudaObjDevice *self);

/* The retained primary context, retaining it on first use. */
CUcontext cuda_obj_device_get_context (CudaObjDevice *self, GError **error);

/* Makes the device's primary context current on the calling thread if it is
 * not already (one cuCtxGetCurrent when it is); every driver call that needs
 * a context goes through this first. */
gboolean cuda_obj_device_activate (CudaObjDevice *self, GError **error);

G_END_DECLS
