/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: device memory mapped into reserved virtual address ranges. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-memory-resource.h"
#include "cudaobj-buffer.h"

G_BEGIN_DECLS

/**
 * CudaObjVirtualMemoryGranularity:
 * @CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_MINIMUM: the smallest unit the
 *   driver maps (`CU_MEM_ALLOC_GRANULARITY_MINIMUM`)
 * @CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED: the unit the driver
 *   recommends for performance (`CU_MEM_ALLOC_GRANULARITY_RECOMMENDED`)
 *
 * Which allocation granularity a [class@CudaObj.VirtualMemoryResource]
 * rounds its sizes up to. The values are the driver's
 * `CUmemAllocationGranularity_flags`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_MINIMUM = 0,
  CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED = 1,
} CudaObjVirtualMemoryGranularity;

/**
 * CudaObjVirtualMemoryHandleType:
 * @CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE: the memory cannot be exported
 * @CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD: the memory can be exported
 *   as a POSIX file descriptor that another process imports
 *   (`CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR`)
 *
 * Which shareable handle the memory of a
 * [class@CudaObj.VirtualMemoryResource] can be exported as, with
 * [method@CudaObj.VirtualMemoryResource.export_handle]. The values are the
 * driver's `CUmemAllocationHandleType`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE = 0,
  CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD = 1,
} CudaObjVirtualMemoryHandleType;

/**
 * CudaObjVirtualMemoryAccess:
 * @CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE: no access
 * @CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ: kernels and copies may read
 * @CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE: kernels and copies may read
 *   and write
 *
 * What a device may do with the memory of a
 * [class@CudaObj.VirtualMemoryResource]; see
 * [method@CudaObj.VirtualMemoryResource.set_access]. The values are the
 * driver's `CUmemAccess_flags`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE = 0,
  CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ = 1,
  CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE = 3,
} CudaObjVirtualMemoryAccess;

#define CUDA_OBJ_TYPE_VIRTUAL_MEMORY_RESOURCE (cuda_obj_virtual_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjVirtualMemoryResource, cuda_obj_virtual_memory_resource, CUDA_OBJ,
                      VIRTUAL_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjVirtualMemoryResource *
cuda_obj_virtual_memory_resource_new (CudaObjDevice *device, CudaObjVirtualMemoryGranularity granularity_mode,
                                      CudaObjVirtualMemoryHandleType handle_type, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_virtual_memory_resource_get_granularity (CudaObjVirtualMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjVirtualMemoryGranularity
cuda_obj_virtual_memory_resource_get_granularity_mode (CudaObjVirtualMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjVirtualMemoryHandleType
cuda_obj_virtual_memory_resource_get_handle_type (CudaObjVirtualMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_virtual_memory_resource_grow (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer,
                                                gsize new_size, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_virtual_memory_resource_set_access (CudaObjVirtualMemoryResource *self,
                                                      CudaObjDevice *device,
                                                      CudaObjVirtualMemoryAccess access, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjVirtualMemoryAccess cuda_obj_virtual_memory_resource_get_access (CudaObjVirtualMemoryResource *self,
                                                                        CudaObjDevice *device,
                                                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_virtual_memory_resource_get_n_chunks (CudaObjVirtualMemoryResource *self,
                                                     CudaObjBuffer *buffer, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_virtual_memory_resource_export_handle (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer,
                                                    guint chunk, guint64 *offset, guint64 *size,
                                                    GError **error);

G_END_DECLS
