/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an executable CUDA graph, launched as one unit of work. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-graph-builder.h"
#include "cudaobj-graph-node.h"
#include "cudaobj-launch-config.h"
#include "cudaobj-kernel.h"
#include "cudaobj-kernel-args.h"

G_BEGIN_DECLS

/**
 * CudaObjGraphInstantiateFlags:
 * @CUDA_OBJ_GRAPH_INSTANTIATE_NONE: no option
 * @CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH: memory that the graph
 *   allocates and does not free is freed automatically before the graph is
 *   launched again (`CUDA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH`)
 * @CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH: make the graph launchable
 *   from kernels as well (`CUDA_GRAPH_INSTANTIATE_FLAG_DEVICE_LAUNCH`);
 *   such a graph may only hold kernel, copy and fill nodes, and the flag
 *   excludes %CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH
 * @CUDA_OBJ_GRAPH_INSTANTIATE_USE_NODE_PRIORITY: run kernel nodes at the
 *   priority they were captured with rather than the priority of the stream
 *   the graph is launched on (`CUDA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY`)
 *
 * Options of [method@CudaObj.GraphBuilder.complete]. The values are the
 * driver's `CUgraphInstantiate_flags`.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_GRAPH_INSTANTIATE_NONE = 0,
  CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH = 1 << 0,
  CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH = 1 << 2,
  CUDA_OBJ_GRAPH_INSTANTIATE_USE_NODE_PRIORITY = 1 << 3,
} CudaObjGraphInstantiateFlags;

#define CUDA_OBJ_TYPE_GRAPH (cuda_obj_graph_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraph, cuda_obj_graph, CUDA_OBJ, GRAPH, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraph *cuda_obj_graph_builder_complete (CudaObjGraphBuilder *builder,
                                               CudaObjGraphInstantiateFlags flags,
                                               CudaObjStream *upload_stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraph *cuda_obj_graph_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner,
                                              GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_get_owns_handle (CudaObjGraph *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_graph_get_device (CudaObjGraph *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphInstantiateFlags cuda_obj_graph_get_flags (CudaObjGraph *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graph_get_handle (CudaObjGraph *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_upload (CudaObjGraph *self, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_launch (CudaObjGraph *self, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_update (CudaObjGraph *self, CudaObjGraphBuilder *builder, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_graph_get_node_count (CudaObjGraph *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_dump_dot (CudaObjGraph *self, const char *path, gboolean verbose, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_graph_to_dot (CudaObjGraph *self, gboolean verbose, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_set_kernel_node_params (CudaObjGraph *self, CudaObjGraphNode *node,
                                                CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                                                CudaObjKernelArgs *args, GError **error);

G_END_DECLS
