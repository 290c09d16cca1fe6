/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: stream-ordered page-locked host memory from a host pool. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-memory-resource.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_PINNED_MEMORY_RESOURCE (cuda_obj_pinned_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjPinnedMemoryResource, cuda_obj_pinned_memory_resource, CUDA_OBJ,
                      PINNED_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjPinnedMemoryResource *cuda_obj_pinned_memory_resource_new (CudaObjDevice *device, int numa_node,
                                                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_pinned_memory_resource_get_numa_node (CudaObjPinnedMemoryResource *self);

G_END_DECLS
