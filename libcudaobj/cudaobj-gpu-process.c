/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a process that uses a GPU, as NVML reports it. */
#include "config.h"

#include "cudaobj-gpu-process.h"

G_DEFINE_BOXED_TYPE (CudaObjGpuProcess, cuda_obj_gpu_process, cuda_obj_gpu_process_copy,
                     cuda_obj_gpu_process_free)

/**
 * cuda_obj_gpu_process_copy:
 * @self: (nullable): a [struct@CudaObj.GpuProcess]
 *
 * Copies @self.
 *
 * Returns: (transfer full) (nullable): the copy, %NULL for %NULL
 *
 * Since: 1.0
 */
CudaObjGpuProcess *
cuda_obj_gpu_process_copy (const CudaObjGpuProcess *self)
{
  CudaObjGpuProcess *copy;

  if (self == NULL)
    return NULL;
  copy = g_new0 (CudaObjGpuProcess, 1);
  copy->pid = self->pid;
  copy->used_memory = self->used_memory;
  copy->name = g_strdup (self->name);
  return copy;
}

/**
 * cuda_obj_gpu_process_free:
 * @self: (nullable): a [struct@CudaObj.GpuProcess]
 *
 * Frees @self.
 *
 * Since: 1.0
 */
void
cuda_obj_gpu_process_free (CudaObjGpuProcess *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self);
}
