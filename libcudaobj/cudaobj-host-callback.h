/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: host callbacks in a stream's work, delivered in a main context. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

/**
 * CudaObjHostCallback:
 * @user_data: the data given to [method@CudaObj.Stream.add_callback]
 *
 * A function that [method@CudaObj.Stream.add_callback] calls in a main context
 * once the stream's work before it has finished. It may call CUDA (and
 * libcudaobj) freely: it does not run on a CUDA driver thread.
 *
 * Since: 1.0
 */
typedef void (*CudaObjHostCallback) (gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_add_callback (CudaObjStream *self, CudaObjHostCallback callback, gpointer user_data,
                                       GDestroyNotify notify, GError **error);

/**
 * CudaObjHostFunc:
 * @user_data: the data given to [method@CudaObj.Stream.launch_host_func]
 *
 * A function that [method@CudaObj.Stream.launch_host_func] runs in stream
 * order, on a thread of the CUDA driver. It must not call CUDA, libcudaobj
 * or anything that waits for GPU work: the driver holds the stream (and
 * may hold others) until it returns, so such a call can deadlock or fail.
 * Keep it short; hand anything longer to another thread or main loop.
 *
 * Since: 1.0
 */
typedef void (*CudaObjHostFunc) (gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_stream_launch_host_func (CudaObjStream *self, CudaObjHostFunc func, gpointer user_data,
                                           GDestroyNotify destroy, GError **error);

G_END_DECLS
