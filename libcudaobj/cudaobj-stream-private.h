/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what launches, copies and other classes need from a Stream.
 * All three are cheap (no allocation, no lock): they sit on the hot path. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* CUDA_OBJ_ERROR_CLOSED if @self is closed; otherwise makes the stream's
 * device context current on the calling thread and stores the CUstream in
 * *handle (which may be NULL: the legacy default stream). */
gboolean cuda_obj_stream_prepare (CudaObjStream *self, CUstream *handle, GError **error);

/* The stream's device (transfer none). */
CudaObjDevice *cuda_obj_stream_peek_device (CudaObjStream *self);

/* The raw CUstream, without any check (NULL once closed). */
CUstream cuda_obj_stream_peek_handle (CudaObjStream *self);

G_END_DECLS
