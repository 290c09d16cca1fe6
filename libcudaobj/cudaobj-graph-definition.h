/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA graph built node by node. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-event.h"
#include "cudaobj-buffer.h"
#include "cudaobj-kernel.h"
#include "cudaobj-kernel-args.h"
#include "cudaobj-launch-config.h"
#include "cudaobj-graph.h"
#include "cudaobj-graph-node.h"

G_BEGIN_DECLS

/**
 * CudaObjGraphDotFlags:
 * @CUDA_OBJ_GRAPH_DOT_NONE: node types and edges only
 * @CUDA_OBJ_GRAPH_DOT_VERBOSE: everything below
 * @CUDA_OBJ_GRAPH_DOT_RUNTIME_TYPES: name the CUDA runtime's structures
 *   rather than the driver's
 * @CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_PARAMS: kernel node parameters
 * @CUDA_OBJ_GRAPH_DOT_MEMCPY_NODE_PARAMS: copy node parameters
 * @CUDA_OBJ_GRAPH_DOT_MEMSET_NODE_PARAMS: fill node parameters
 * @CUDA_OBJ_GRAPH_DOT_HOST_NODE_PARAMS: host node parameters
 * @CUDA_OBJ_GRAPH_DOT_EVENT_NODE_PARAMS: the events of event record and
 *   wait nodes
 * @CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_SIGNAL_NODE_PARAMS: external
 *   semaphore signal node parameters
 * @CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_WAIT_NODE_PARAMS: external
 *   semaphore wait node parameters
 * @CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_ATTRIBUTES: kernel node attributes
 * @CUDA_OBJ_GRAPH_DOT_HANDLES: node and kernel function handles
 * @CUDA_OBJ_GRAPH_DOT_MEMORY_ALLOCATE_NODE_PARAMS: memory allocation node
 *   parameters
 * @CUDA_OBJ_GRAPH_DOT_MEMORY_FREE_NODE_PARAMS: memory free node parameters
 * @CUDA_OBJ_GRAPH_DOT_BATCH_MEMORY_OPERATION_NODE_PARAMS: batch memory
 *   operation node parameters
 * @CUDA_OBJ_GRAPH_DOT_EXTRA_TOPOLOGY_INFO: edge numbers
 * @CUDA_OBJ_GRAPH_DOT_CONDITIONAL_NODE_PARAMS: conditional node parameters
 *
 * What [method@CudaObj.GraphDefinition.to_dot] and
 * [method@CudaObj.GraphDefinition.write_dot] put in the DOT description
 * besides each node's type and the edges. The values are the driver's
 * `CUgraphDebugDot_flags`.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_GRAPH_DOT_NONE = 0,
  CUDA_OBJ_GRAPH_DOT_VERBOSE = 1 << 0,
  CUDA_OBJ_GRAPH_DOT_RUNTIME_TYPES = 1 << 1,
  CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_PARAMS = 1 << 2,
  CUDA_OBJ_GRAPH_DOT_MEMCPY_NODE_PARAMS = 1 << 3,
  CUDA_OBJ_GRAPH_DOT_MEMSET_NODE_PARAMS = 1 << 4,
  CUDA_OBJ_GRAPH_DOT_HOST_NODE_PARAMS = 1 << 5,
  CUDA_OBJ_GRAPH_DOT_EVENT_NODE_PARAMS = 1 << 6,
  CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_SIGNAL_NODE_PARAMS = 1 << 7,
  CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_WAIT_NODE_PARAMS = 1 << 8,
  CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_ATTRIBUTES = 1 << 9,
  CUDA_OBJ_GRAPH_DOT_HANDLES = 1 << 10,
  CUDA_OBJ_GRAPH_DOT_MEMORY_ALLOCATE_NODE_PARAMS = 1 << 11,
  CUDA_OBJ_GRAPH_DOT_MEMORY_FREE_NODE_PARAMS = 1 << 12,
  CUDA_OBJ_GRAPH_DOT_BATCH_MEMORY_OPERATION_NODE_PARAMS = 1 << 13,
  CUDA_OBJ_GRAPH_DOT_EXTRA_TOPOLOGY_INFO = 1 << 14,
  CUDA_OBJ_GRAPH_DOT_CONDITIONAL_NODE_PARAMS = 1 << 15,
} CudaObjGraphDotFlags;

/**
 * CudaObjGraphHostFunction:
 * @user_data: the data given with the function
 *
 * A function that a host node of a graph runs at each launch, on a
 * thread of the CUDA driver. It must not call CUDA (nor libcudaobj), and
 * the graph's later nodes wait for it to return.
 *
 * Since: 1.0
 */
typedef void (*CudaObjGraphHostFunction) (gpointer user_data);

#define CUDA_OBJ_TYPE_GRAPH_DEFINITION (cuda_obj_graph_definition_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphDefinition, cuda_obj_graph_definition, CUDA_OBJ, GRAPH_DEFINITION, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphDefinition *cuda_obj_graph_definition_new (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphDefinition *cuda_obj_graph_definition_new_from_handle (CudaObjDevice *device, guint64 handle,
                                                                   GObject *owner, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_definition_get_owns_handle (CudaObjGraphDefinition *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_graph_definition_get_device (CudaObjGraphDefinition *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graph_definition_get_handle (CudaObjGraphDefinition *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_kernel (CudaObjGraphDefinition *self,
                                                        CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                                                        CudaObjKernelArgs *args,
                                                        CudaObjGraphNode **dependencies, guint n_dependencies,
                                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_memcpy (CudaObjGraphDefinition *self, CudaObjBuffer *dst,
                                                        gsize dst_offset, CudaObjBuffer *src,
                                                        gsize src_offset, gsize size,
                                                        CudaObjGraphNode **dependencies, guint n_dependencies,
                                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_memset (CudaObjGraphDefinition *self, CudaObjBuffer *buffer,
                                                        guint32 value, guint element_size, gsize offset,
                                                        gsize count, CudaObjGraphNode **dependencies,
                                                        guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_host_function (CudaObjGraphDefinition *self,
                                                               CudaObjGraphHostFunction function,
                                                               gpointer user_data, GDestroyNotify notify,
                                                               CudaObjGraphNode **dependencies,
                                                               guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_event_record (CudaObjGraphDefinition *self,
                                                              CudaObjEvent *event,
                                                              CudaObjGraphNode **dependencies,
                                                              guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_event_wait (CudaObjGraphDefinition *self, CudaObjEvent *event,
                                                            CudaObjGraphNode **dependencies,
                                                            guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_memory_allocate (CudaObjGraphDefinition *self, gsize size,
                                                                 CudaObjGraphNode **dependencies,
                                                                 guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_memory_free (CudaObjGraphDefinition *self, guint64 address,
                                                             CudaObjGraphNode **dependencies,
                                                             guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_child_graph (CudaObjGraphDefinition *self,
                                                             CudaObjGraphDefinition *child,
                                                             CudaObjGraphNode **dependencies,
                                                             guint n_dependencies, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphNode *cuda_obj_graph_definition_add_empty (CudaObjGraphDefinition *self,
                                                       CudaObjGraphNode **dependencies, guint n_dependencies,
                                                       GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_definition_add_dependency (CudaObjGraphDefinition *self, CudaObjGraphNode *from,
                                                   CudaObjGraphNode *to, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_definition_get_nodes (CudaObjGraphDefinition *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_definition_get_edges (CudaObjGraphDefinition *self, GPtrArray **to_nodes,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraph *cuda_obj_graph_definition_instantiate (CudaObjGraphDefinition *self,
                                                     CudaObjGraphInstantiateFlags flags,
                                                     CudaObjStream *upload_stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_graph_definition_to_dot (CudaObjGraphDefinition *self, CudaObjGraphDotFlags flags,
                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_definition_write_dot (CudaObjGraphDefinition *self, const char *path,
                                              CudaObjGraphDotFlags flags, GError **error);

G_END_DECLS
