/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what memory resources need from Buffer. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A buffer over memory that @resource allocated on @device; closing it calls
 * the resource's deallocate with @handle and @size. Never fails: the
 * resource has checked everything already. */
CudaObjBuffer *cuda_obj_buffer_new_owned (CudaObjMemoryResource *resource, CudaObjDevice *device,
                                          guint64 handle, gsize size, gboolean device_accessible,
                                          gboolean host_accessible);

/* Makes the right context current and gives the CUstream to order work on:
 * @stream's (CUDA_OBJ_ERROR_CLOSED when it is closed) or, for a NULL
 * @stream, the legacy default stream (CUstream 0) of @device. */
gboolean cuda_obj_memory_prepare_stream (CudaObjDevice *device, CudaObjStream *stream, CUstream *handle,
                                         GError **error);

/* For resources that allocate synchronously: CUDA_OBJ_ERROR_CLOSED when
 * @stream is closed; then makes @device's context current. */
gboolean cuda_obj_memory_check_stream (CudaObjDevice *device, CudaObjStream *stream, GError **error);

/* For resources that free synchronously: waits for @stream (for NULL, the
 * legacy default stream of @device), then makes @device's context current. */
gboolean cuda_obj_memory_wait_stream (CudaObjDevice *device, CudaObjStream *stream, GError **error);

G_END_DECLS
