/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what kernel arguments need from StridedView. */
#pragma once

#include "cudaobj-strided-view.h"

G_BEGIN_DECLS

/* The address of the view's first element; CUDA_OBJ_ERROR_NOT_INITIALIZED
 * or CUDA_OBJ_ERROR_CLOSED (a closed buffer) otherwise. */
gboolean cuda_obj_strided_view_peek_data (CudaObjStridedView *self, guint64 *address, GError **error);

/* The view's owner when it is a Buffer, else NULL; not a new reference. */
CudaObjBuffer *cuda_obj_strided_view_peek_buffer (CudaObjStridedView *self);

G_END_DECLS
