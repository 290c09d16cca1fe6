/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a process that uses a GPU, as NVML reports it. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjGpuProcess:
 * @pid: the process id
 * @used_memory: the GPU memory it uses, in bytes; -1 when NVML cannot tell
 *   (for processes in other containers, or without the permission)
 * @name: (nullable): its name (the path of its executable), or %NULL when
 *   NVML cannot tell
 *
 * A process that has a CUDA context on a device, one entry of
 * [method@CudaObj.DeviceStatus.get_processes].
 *
 * Since: 1.0
 */
typedef struct
{
  guint pid;
  gint64 used_memory;
  char *name;
} CudaObjGpuProcess;

#define CUDA_OBJ_TYPE_GPU_PROCESS (cuda_obj_gpu_process_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
GType cuda_obj_gpu_process_get_type (void) G_GNUC_CONST;

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGpuProcess *cuda_obj_gpu_process_copy (const CudaObjGpuProcess *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_gpu_process_free (CudaObjGpuProcess *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CudaObjGpuProcess, cuda_obj_gpu_process_free)

G_END_DECLS
