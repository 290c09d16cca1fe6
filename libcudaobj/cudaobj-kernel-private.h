/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what the launch path needs from a Kernel. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A kernel's limits on one device, read once per device. */
typedef struct
{
  int max_threads_per_block;
  int max_dynamic_shared_memory;
  int static_shared_memory;
} CudaObjKernelLimits;

typedef struct
{
  CUkernel handle;
  guint n_params;
  const gsize *param_offsets;
  const gsize *param_sizes;
} CudaObjKernelView;

void cuda_obj_kernel_peek (CudaObjKernel *self, CudaObjKernelView *view);

/* The kernel's limits on @device; NULL with @error set when they cannot be read. */
const CudaObjKernelLimits *cuda_obj_kernel_get_limits (CudaObjKernel *self, CudaObjDevice *device,
                                                       GError **error);

G_END_DECLS
