/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA stream, an ordered queue of work on a device. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-context.h"

G_BEGIN_DECLS

/* Streams record events and events are recorded on streams. */
typedef struct _CudaObjEvent CudaObjEvent;

#define CUDA_OBJ_TYPE_STREAM (cuda_obj_stream_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjStream, cuda_obj_stream, CUDA_OBJ, STREAM, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStream *cuda_obj_stream_new (CudaObjDevice *device, gboolean non_blocking, int priority,
                                    GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStream *cuda_obj_stream_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStream *cuda_obj_device_create_stream (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStream *cuda_obj_context_create_stream (CudaObjContext *context, gboolean non_blocking, int priority,
                                               GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_get_priority_range (CudaObjDevice *device, int *lowest, int *highest,
                                             GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_stream_get_device (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContext *cuda_obj_stream_get_context (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_stream_get_handle (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_stream_get_priority (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_get_non_blocking (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_get_owns_handle (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_is_closed (CudaObjStream *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_synchronize (CudaObjStream *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_stream_synchronize_async (CudaObjStream *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_synchronize_finish (CudaObjStream *self, GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_query (CudaObjStream *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_wait_event (CudaObjStream *self, CudaObjEvent *event, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_wait_stream (CudaObjStream *self, CudaObjStream *other, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjEvent *cuda_obj_stream_record (CudaObjStream *self, CudaObjEvent *event, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_close (CudaObjStream *self, GError **error);

G_END_DECLS
