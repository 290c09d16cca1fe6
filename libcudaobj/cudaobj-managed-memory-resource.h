/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: unified (managed) memory. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-memory-resource.h"

G_BEGIN_DECLS

/**
 * CudaObjManagedMemoryMode:
 * @CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY: each allocation is a synchronous
 *   `cuMemAllocManaged`, each free a `cuMemFree` after the stream
 * @CUDA_OBJ_MANAGED_MEMORY_MODE_POOL: allocations come from a managed
 *   memory pool in stream order (`cuMemAllocFromPoolAsync`), which needs a
 *   CUDA 13 driver
 *
 * How a [class@CudaObj.ManagedMemoryResource] gets its memory.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY = 0,
  CUDA_OBJ_MANAGED_MEMORY_MODE_POOL = 1,
} CudaObjManagedMemoryMode;

#define CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE (cuda_obj_managed_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjManagedMemoryResource, cuda_obj_managed_memory_resource, CUDA_OBJ,
                      MANAGED_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjManagedMemoryResource *cuda_obj_managed_memory_resource_new (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjManagedMemoryResource *cuda_obj_managed_memory_resource_new_pool (CudaObjDevice *device,
                                                                         CudaObjDevice *preferred_location,
                                                                         GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjManagedMemoryMode cuda_obj_managed_memory_resource_get_mode (CudaObjManagedMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_managed_memory_resource_get_preferred_location (CudaObjManagedMemoryResource *self);

G_END_DECLS
