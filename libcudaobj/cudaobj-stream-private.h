/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what launches, copies and other classes need from a Stream.
 * All but the last are cheap (no allocation, no lock): they sit on the hot path. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* CUDA_OBJ_ERROR_CLOSED if @self is closed; otherwise makes the stream's
 * device context current on the calling thread and stores the CUstream in
 * *handle (which may be NULL: the legacy default stream). */
gboolean cuda_obj_stream_prepare (CudaObjStream *self, CUstream *handle, GError **error);

/* TRUE while @self is open; else FALSE with the error cuda_obj_stream_prepare()
 * gives. Makes no driver call: for checks ahead of a later prepare. */
gboolean cuda_obj_stream_check_open (CudaObjStream *self, GError **error);

/* The stream's device (transfer none). */
CudaObjDevice *cuda_obj_stream_peek_device (CudaObjStream *self);

/* The raw CUstream, without any check (NULL once closed). */
CUstream cuda_obj_stream_peek_handle (CudaObjStream *self);

/* For work on @stream or, when @stream is NULL, on the legacy default stream
 * (CUstream 0) of @device: CUDA_OBJ_ERROR_CLOSED when @stream is closed;
 * otherwise makes the right context current and stores the CUstream in
 * *handle. */
gboolean cuda_obj_stream_prepare_for_device (CudaObjStream *stream, CudaObjDevice *device, CUstream *handle,
                                             GError **error);

/* For work done synchronously on @device (resources that allocate without
 * a stream): CUDA_OBJ_ERROR_CLOSED when @stream is closed; then makes
 * @device's context current. */
gboolean cuda_obj_stream_check_for_device (CudaObjStream *stream, CudaObjDevice *device, GError **error);

/* For resources that free synchronously: waits for @stream (for NULL, the
 * legacy default stream of @device), then makes @device's context current. */
gboolean cuda_obj_stream_synchronize_for_device (CudaObjStream *stream, CudaObjDevice *device,
                                                 GError **error);

G_END_DECLS
