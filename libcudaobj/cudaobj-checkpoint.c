/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: checkpoint and restore of a process's GPU state.
 *
 * Thin, checked wrappers of the driver's cuCheckpointProcess* functions,
 * which Linux drivers of CUDA 12.8 and newer have. They are optional entry
 * points of the loader: on drivers without them every function here gives
 * CUDA_OBJ_ERROR_NOT_SUPPORTED.
 *
 * The usual sequence, run from another process (such as a CRIU plugin or a
 * scheduler) on a process that uses CUDA:
 *
 * |[<!-- language="C" -->
 * if (!cuda_obj_checkpoint_lock (pid, 5000, &error)        // CUDA calls block
 *     || !cuda_obj_checkpoint_checkpoint (pid, &error))    // GPU memory to host
 *   return FALSE;
 * // ... the GPU is free for others; checkpoint the CPU side if wanted ...
 * if (!cuda_obj_checkpoint_restore (pid, &error)           // back onto the GPU
 *     || !cuda_obj_checkpoint_unlock (pid, &error))        // CUDA calls resume
 *   return FALSE;
 * ]|
 */
#include "config.h"

#include <unistd.h>

#include "cudaobj-checkpoint.h"
#include "cudaobj-loader-private.h"

/* The driver table when it has checkpointing and @pid may be given to it;
 * the pid is checked first, so that a bad one is named on any machine. */
static const CudaObjDriver *
prepare (int pid, gboolean check_pid, GError **error)
{
  const CudaObjDriver *drv;

  if (check_pid && pid <= 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a process id: expected a positive pid", pid);
      return NULL;
    }
  /* The driver locks the target's CUDA calls, including those it would
   * need to answer us: a process cannot do this to itself. */
  if (check_pid && pid == (int) getpid ())
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Process %d cannot checkpoint itself: call this from another process", pid);
      return NULL;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL)
    return NULL;
  if (drv->cuCheckpointProcessLock == NULL || drv->cuCheckpointProcessCheckpoint == NULL
      || drv->cuCheckpointProcessRestore == NULL || drv->cuCheckpointProcessUnlock == NULL
      || drv->cuCheckpointProcessGetState == NULL || drv->cuCheckpointProcessGetRestoreThreadId == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "This CUDA driver (CUDA %d.%d) has no checkpoint support: it needs a Linux driver "
                   "of CUDA 12.8 or newer",
                   drv->version / 1000, drv->version % 1000 / 10);
      return NULL;
    }
  return drv;
}

/**
 * cuda_obj_checkpoint_is_supported:
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells whether the driver can checkpoint processes.
 *
 * Returns: %TRUE when it can; %FALSE with @error set otherwise
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED for a driver without checkpointing, or the
 *   error of loading the driver)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_checkpoint_is_supported (GError **error)
{
  return prepare (0, FALSE, error) != NULL;
}

/**
 * cuda_obj_checkpoint_get_state:
 * @pid: the id of a process that uses CUDA
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the checkpoint state of process @pid (`cuCheckpointProcessGetState`).
 *
 * Returns: the state; %CUDA_OBJ_PROCESS_STATE_FAILED with @error set when
 *   it cannot be had (%CUDA_OBJ_ERROR_NOT_SUPPORTED without driver support,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a pid that is not positive or is
 *   the caller's own, or the driver's error, such as for a process that
 *   does not use CUDA)
 *
 * Since: 1.0
 */
CudaObjProcessState
cuda_obj_checkpoint_get_state (int pid, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  CUprocessState state = CU_PROCESS_STATE_FAILED;

  if (drv == NULL
      || !cuda_obj_check (drv->cuCheckpointProcessGetState (pid, &state), "cuCheckpointProcessGetState",
                          error))
    return CUDA_OBJ_PROCESS_STATE_FAILED;
  switch (state)
    {
    case CU_PROCESS_STATE_RUNNING: return CUDA_OBJ_PROCESS_STATE_RUNNING;
    case CU_PROCESS_STATE_LOCKED: return CUDA_OBJ_PROCESS_STATE_LOCKED;
    case CU_PROCESS_STATE_CHECKPOINTED: return CUDA_OBJ_PROCESS_STATE_CHECKPOINTED;
    default: return CUDA_OBJ_PROCESS_STATE_FAILED;
    }
}

/**
 * cuda_obj_checkpoint_get_restore_thread_id:
 * @pid: the id of a process that uses CUDA
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the id of the thread of process @pid that restores its GPU state
 * (`cuCheckpointProcessGetRestoreThreadId`); a CPU-side checkpointing tool
 * must leave that thread running while it restores.
 *
 * Returns: the thread id; -1 with @error set as for
 *   [func@CudaObj.checkpoint_get_state]
 *
 * Since: 1.0
 */
int
cuda_obj_checkpoint_get_restore_thread_id (int pid, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  int tid = -1;

  if (drv == NULL
      || !cuda_obj_check (drv->cuCheckpointProcessGetRestoreThreadId (pid, &tid),
                          "cuCheckpointProcessGetRestoreThreadId", error))
    return -1;
  return tid;
}

/**
 * cuda_obj_checkpoint_lock:
 * @pid: the id of a running process that uses CUDA
 * @timeout_ms: how long to wait for its CUDA calls in flight to finish, in
 *   milliseconds; 0 waits without limit
 * @error: return location for a [struct@GLib.Error]
 *
 * Locks process @pid: its further CUDA calls block, and once its
 * submitted work finished it is %CUDA_OBJ_PROCESS_STATE_LOCKED
 * (`cuCheckpointProcessLock`). On a timeout the process stays running and
 * the driver's `CUDA_ERROR_NOT_READY` is given.
 *
 * Returns: %TRUE when locked; %FALSE with @error set as for
 *   [func@CudaObj.checkpoint_get_state] (the driver's
 *   `CUDA_ERROR_ILLEGAL_STATE` when the process is not running)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_checkpoint_lock (int pid, guint timeout_ms, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  CUcheckpointLockArgs args = { .timeoutMs = timeout_ms };

  return drv != NULL
         && cuda_obj_check (drv->cuCheckpointProcessLock (pid, &args), "cuCheckpointProcessLock", error);
}

/**
 * cuda_obj_checkpoint_checkpoint:
 * @pid: the id of a locked process
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies the GPU memory of the locked process @pid into its host memory and
 * releases its GPU resources: it becomes
 * %CUDA_OBJ_PROCESS_STATE_CHECKPOINTED (`cuCheckpointProcessCheckpoint`).
 *
 * Returns: %TRUE on success; %FALSE with @error set as for
 *   [func@CudaObj.checkpoint_get_state]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_checkpoint_checkpoint (int pid, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  CUcheckpointCheckpointArgs args = { { 0 } };

  return drv != NULL
         && cuda_obj_check (drv->cuCheckpointProcessCheckpoint (pid, &args), "cuCheckpointProcessCheckpoint",
                            error);
}

/**
 * cuda_obj_checkpoint_restore:
 * @pid: the id of a checkpointed process
 * @error: return location for a [struct@GLib.Error]
 *
 * Brings the GPU state of the checkpointed process @pid back onto the GPUs
 * it used; it is then %CUDA_OBJ_PROCESS_STATE_LOCKED
 * (`cuCheckpointProcessRestore`).
 *
 * Returns: %TRUE on success; %FALSE with @error set as for
 *   [func@CudaObj.checkpoint_get_state]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_checkpoint_restore (int pid, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  CUcheckpointRestoreArgs args = { 0 };

  return drv != NULL
         && cuda_obj_check (drv->cuCheckpointProcessRestore (pid, &args), "cuCheckpointProcessRestore",
                            error);
}

/**
 * cuda_obj_checkpoint_unlock:
 * @pid: the id of a locked process
 * @error: return location for a [struct@GLib.Error]
 *
 * Unlocks process @pid: its blocked CUDA calls go on and it is
 * %CUDA_OBJ_PROCESS_STATE_RUNNING again (`cuCheckpointProcessUnlock`).
 *
 * Returns: %TRUE on success; %FALSE with @error set as for
 *   [func@CudaObj.checkpoint_get_state]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_checkpoint_unlock (int pid, GError **error)
{
  const CudaObjDriver *drv = prepare (pid, TRUE, error);
  CUcheckpointUnlockArgs args = { { 0 } };

  return drv != NULL
         && cuda_obj_check (drv->cuCheckpointProcessUnlock (pid, &args), "cuCheckpointProcessUnlock", error);
}
