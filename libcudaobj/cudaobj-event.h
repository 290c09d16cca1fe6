/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA event, a marker in a stream's work. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

/**
 * CudaObjCompletionMode:
 * @CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION: the driver runs a host function
 *   after the recorded work (`cuLaunchHostFunc`), which hands the emission
 *   to the main context: no thread of ours waits, nothing spins; about
 *   25 µs from the end of the work to the handler on an H200
 * @CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD: a worker thread waits for the
 *   event in the driver (`cuEventSynchronize`), then hands the emission to
 *   the main context: a shorter delay, bought with a thread per pending
 *   record that spins on a CPU core while the work runs, unless the event
 *   has [property@CudaObj.Event:blocking-sync] (then it sleeps, and wakes
 *   later); a waiter also spins for 0.2 ms after each notice, so that the
 *   next record is taken without waking a sleeping thread
 *
 * How [signal@CudaObj.Event::completed] learns that the recorded work
 * finished: [property@CudaObj.Event:completion-mode].
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION,
  CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD,
} CudaObjCompletionMode;

#define CUDA_OBJ_TYPE_EVENT (cuda_obj_event_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjEvent, cuda_obj_event, CUDA_OBJ, EVENT, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_event_new (CudaObjDevice *device, gboolean timing, gboolean blocking_sync,
                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_event_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner,
                                              GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_get_owns_handle (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_device_create_event (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_event_get_device (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_event_get_handle (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_get_timing (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_get_blocking_sync (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_get_ipc (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCompletionMode cuda_obj_event_get_completion_mode (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_event_set_completion_mode (CudaObjEvent *self, CudaObjCompletionMode mode);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_get_recorded (CudaObjEvent *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_record (CudaObjEvent *self, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_synchronize (CudaObjEvent *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_query (CudaObjEvent *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
double cuda_obj_event_elapsed_time (CudaObjEvent *start, CudaObjEvent *end, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_event_wait_async (CudaObjEvent *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_event_wait_finish (CudaObjEvent *self, GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_event_export_ipc (CudaObjEvent *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_event_new_from_ipc (CudaObjDevice *device, GBytes *descriptor, GError **error);

G_END_DECLS
