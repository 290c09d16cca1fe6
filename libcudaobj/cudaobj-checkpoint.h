/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: checkpoint and restore of a process's GPU state. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjProcessState:
 * @CUDA_OBJ_PROCESS_STATE_RUNNING: the process runs and makes CUDA calls
 * @CUDA_OBJ_PROCESS_STATE_LOCKED: its CUDA calls block until it is unlocked
 * @CUDA_OBJ_PROCESS_STATE_CHECKPOINTED: its GPU memory was saved to host
 *   memory and its GPU resources were released
 * @CUDA_OBJ_PROCESS_STATE_FAILED: checkpointing or restoring failed beyond repair
 *
 * The checkpoint state of a CUDA process, as [func@CudaObj.checkpoint_get_state]
 * gives it (the driver's `CUprocessState`).
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_PROCESS_STATE_RUNNING,
  CUDA_OBJ_PROCESS_STATE_LOCKED,
  CUDA_OBJ_PROCESS_STATE_CHECKPOINTED,
  CUDA_OBJ_PROCESS_STATE_FAILED,
} CudaObjProcessState;

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_checkpoint_is_supported (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProcessState cuda_obj_checkpoint_get_state (int pid, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_checkpoint_get_restore_thread_id (int pid, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_checkpoint_lock (int pid, guint timeout_ms, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_checkpoint_checkpoint (int pid, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_checkpoint_restore (int pid, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_checkpoint_unlock (int pid, GError **error);

G_END_DECLS
