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

#define CUDA_OBJ_TYPE_EVENT (cuda_obj_event_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjEvent, cuda_obj_event, CUDA_OBJ, EVENT, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_event_new (CudaObjDevice *device, gboolean timing, gboolean blocking_sync,
                                  GError **error);

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
