/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: one node of an explicit graph definition. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/* The definition that owns nodes; declared in cudaobj-graph-definition.h. */
typedef struct _CudaObjGraphDefinition CudaObjGraphDefinition;

/**
 * CudaObjGraphNodeType:
 * @CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL: a kernel launch
 * @CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY: a copy between buffers
 * @CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET: a fill of a buffer
 * @CUDA_OBJ_GRAPH_NODE_TYPE_HOST: a host function
 * @CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH: a whole other graph, run as one node
 * @CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY: no work; a point where dependencies meet
 * @CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT: a wait for an event
 * @CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD: a record of an event
 * @CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_SIGNAL: a signal of external
 *   semaphores
 * @CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_WAIT: a wait for external
 *   semaphores
 * @CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE: an allocation of memory the
 *   graph owns
 * @CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE: a free of memory a graph allocated
 * @CUDA_OBJ_GRAPH_NODE_TYPE_BATCH_MEMORY_OPERATION: a batch of memory
 *   operations
 * @CUDA_OBJ_GRAPH_NODE_TYPE_CONDITIONAL: a conditional body
 *
 * What a [class@CudaObj.GraphNode] does. The values are the driver's
 * `CUgraphNodeType`; [class@CudaObj.GraphDefinition] adds nodes of the
 * kinds before the external semaphore ones, and of both memory kinds.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL = 0,
  CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY = 1,
  CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET = 2,
  CUDA_OBJ_GRAPH_NODE_TYPE_HOST = 3,
  CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH = 4,
  CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY = 5,
  CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT = 6,
  CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD = 7,
  CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_SIGNAL = 8,
  CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_WAIT = 9,
  CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE = 10,
  CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE = 11,
  CUDA_OBJ_GRAPH_NODE_TYPE_BATCH_MEMORY_OPERATION = 12,
  CUDA_OBJ_GRAPH_NODE_TYPE_CONDITIONAL = 13,
} CudaObjGraphNodeType;

#define CUDA_OBJ_TYPE_GRAPH_NODE (cuda_obj_graph_node_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphNode, cuda_obj_graph_node, CUDA_OBJ, GRAPH_NODE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNodeType cuda_obj_graph_node_get_node_type (CudaObjGraphNode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graph_node_get_handle (CudaObjGraphNode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graph_node_get_address (CudaObjGraphNode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_graph_node_get_size (CudaObjGraphNode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphDefinition *cuda_obj_graph_node_get_definition (CudaObjGraphNode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_node_get_dependencies (CudaObjGraphNode *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_node_get_dependents (CudaObjGraphNode *self, GError **error);

G_END_DECLS
