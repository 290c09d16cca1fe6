/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what GraphDefinition and Graph need from GraphNode. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The nodes of one definition, by CUgraphNode; each entry holds a
 * reference to its node, and each node points back to the set (never a
 * reference: no cycle) until the definition frees the set, which makes the
 * nodes it leaves behind report CUDA_OBJ_ERROR_CLOSED. @definition is held
 * weakly, for cuda_obj_graph_node_get_definition(). */
typedef struct _CudaObjGraphNodeSet CudaObjGraphNodeSet;

CudaObjGraphNodeSet *cuda_obj_graph_node_set_new (CudaObjGraphDefinition *definition, CudaObjDevice *device,
                                                  CUgraph graph);
void cuda_obj_graph_node_set_free (CudaObjGraphNodeSet *set);

/* A new node of @type for @handle, owned by @set (the result is borrowed). */
CudaObjGraphNode *cuda_obj_graph_node_set_add (CudaObjGraphNodeSet *set, CUgraphNode handle,
                                               CudaObjGraphNodeType type);

/* The nodes of @handles, in order, in a new array that holds no
 * references: the set does. */
GPtrArray *cuda_obj_graph_node_set_wrap (CudaObjGraphNodeSet *set, const CUgraphNode *handles, gsize n);

/* @node's CUgraphNode when it is a node of @set; otherwise NULL with
 * CUDA_OBJ_ERROR_NOT_INITIALIZED (a node made with a plain constructor) or
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT (a node of another definition, or of one
 * that is gone). @what names the argument in messages. */
CUgraphNode cuda_obj_graph_node_peek_in_set (CudaObjGraphNode *node, CudaObjGraphNodeSet *set,
                                             const char *what, GError **error);

/* The CUgraph @node belongs to, or NULL once its definition is gone or
 * for a node made with a plain constructor; its CUgraphNode in @handle. */
CUgraph cuda_obj_graph_node_peek_graph (CudaObjGraphNode *node, CUgraphNode *handle);

/* Memory allocation nodes: the address the driver chose and the size. */
void cuda_obj_graph_node_set_allocation (CudaObjGraphNode *node, guint64 address, gsize size);

/* Kernel nodes: the launch attributes they were added with, which an
 * executable graph's parameter update cannot change. */
void cuda_obj_graph_node_set_kernel_attributes (CudaObjGraphNode *node, const guint cluster[3],
                                                gboolean cooperative);
void cuda_obj_graph_node_get_kernel_attributes (CudaObjGraphNode *node, guint cluster[3],
                                                gboolean *cooperative);

G_END_DECLS
