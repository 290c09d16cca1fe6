/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: launching a kernel. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-kernel.h"
#include "cudaobj-kernel-args.h"
#include "cudaobj-launch-config.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_launch (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                          CudaObjKernelArgs *args, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_launch_packed (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                                 const guint8 *arguments, gsize size, GError **error);

G_END_DECLS
