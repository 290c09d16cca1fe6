/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what GraphBuilder and KernelArgs need from a GraphCondition. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A condition for @handle, made in the graph a builder captures into. */
CudaObjGraphCondition *cuda_obj_graph_condition_new (CUgraphConditionalHandle handle, guint default_value,
                                                     CudaObjGraphConditionFlags flags);

/* The handle, or 0 with CUDA_OBJ_ERROR_NOT_INITIALIZED for a condition that
 * was constructed directly instead of by a builder. @what names the caller
 * in the message. */
gboolean cuda_obj_graph_condition_peek_handle (CudaObjGraphCondition *self, const char *what,
                                               CUgraphConditionalHandle *handle, GError **error);

/* FALSE with CUDA_OBJ_ERROR_INVALID_ARGUMENT once a conditional node tests
 * the condition: the driver lets each handle drive a single node. */
gboolean cuda_obj_graph_condition_check_unattached (CudaObjGraphCondition *self, const char *what,
                                                    GError **error);
/* Records that a conditional node now tests the condition. */
void cuda_obj_graph_condition_mark_attached (CudaObjGraphCondition *self);

G_END_DECLS
