/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a kernel of an ObjectCode, its attributes and occupancy. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-cuda-enums.h"
#include "cudaobj-device.h"
#include "cudaobj-launch-config.h"
#include "cudaobj-object-code.h"

G_BEGIN_DECLS

/**
 * CudaObjKernelHandleType:
 * @CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL: a `CUkernel` (from `cuLibraryGetKernel`),
 *   which works on every device
 * @CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION: a `CUfunction` (from
 *   `cuModuleGetFunction` or `cuKernelGetFunction`), which belongs to one
 *   context of one device
 *
 * What kind of driver handle [ctor@CudaObj.Kernel.new_from_handle] wraps.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL,
  CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION,
} CudaObjKernelHandleType;

#define CUDA_OBJ_TYPE_KERNEL (cuda_obj_kernel_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjKernel, cuda_obj_kernel, CUDA_OBJ, KERNEL, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernel *cuda_obj_object_code_get_kernel (CudaObjObjectCode *code, const char *name, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_kernel_get_name (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_kernel_get_mangled_name (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_kernel_get_object_code (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernel *cuda_obj_kernel_new_from_handle (CudaObjDevice *device, guint64 handle,
                                                CudaObjKernelHandleType type, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_kernel_get_handle (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernelHandleType cuda_obj_kernel_get_handle_type (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_kernel_get_argument_count (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_get_argument_info (CudaObjKernel *self, guint index, gsize *offset, gsize *size,
                                            GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_attribute (CudaObjKernel *self, CudaObjKernelAttribute attribute,
                                   CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_set_attribute (CudaObjKernel *self, CudaObjKernelAttribute attribute, int value,
                                        CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_num_regs (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_max_threads_per_block (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_shared_size_bytes (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_const_size_bytes (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_local_size_bytes (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_ptx_version (CudaObjKernel *self);
CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_binary_version (CudaObjKernel *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_max_active_blocks_per_multiprocessor (CudaObjKernel *self, CudaObjDevice *device,
                                                              guint block_size, gsize dynamic_shared_memory,
                                                              GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_get_max_potential_block_size (CudaObjKernel *self, CudaObjDevice *device,
                                                       gsize dynamic_shared_memory, guint block_size_limit,
                                                       int *min_grid_size, int *block_size, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_kernel_get_available_dynamic_shared_memory (CudaObjKernel *self, CudaObjDevice *device,
                                                           guint num_blocks, guint block_size,
                                                           GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_max_potential_cluster_size (CudaObjKernel *self, CudaObjDevice *device,
                                                    CudaObjLaunchConfig *config, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_kernel_get_max_active_clusters (CudaObjKernel *self, CudaObjDevice *device,
                                             CudaObjLaunchConfig *config, GError **error);

G_END_DECLS
