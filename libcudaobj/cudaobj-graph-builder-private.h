/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what Graph needs from GraphBuilder. */
#pragma once

#include "cudaobj-loader-private.h"
#include "cudaobj-graph-template-private.h"

G_BEGIN_DECLS

/* The graph the builder ended into (a new reference), or NULL with
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT while it still captures and
 * CUDA_OBJ_ERROR_CLOSED when its capture failed or was aborted. @what names
 * the caller in the message. */
CudaObjGraphTemplate *cuda_obj_graph_builder_get_template (CudaObjGraphBuilder *self, const char *what,
                                                           GError **error);

/* NOT_SUPPORTED unless a driver of @driver_version (cuDriverGetVersion)
 * has conditional nodes of @type with @size bodies. */
gboolean cuda_obj_graph_builder_check_conditional (int driver_version, CUgraphConditionalNodeType type,
                                                   guint size, GError **error);

G_END_DECLS
