/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: records a stream's work into a CUDA graph (stream capture). */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-graph-condition.h"

G_BEGIN_DECLS

/**
 * CudaObjCaptureMode:
 * @CUDA_OBJ_CAPTURE_MODE_GLOBAL: while any thread captures in this mode,
 *   no thread may make a call that could synchronize with the captured
 *   work (a synchronize, a synchronous allocation); such calls fail and the
 *   capture is invalidated. The safest mode, and the default
 * @CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL: only the capturing thread is
 *   restricted, other threads are not
 * @CUDA_OBJ_CAPTURE_MODE_RELAXED: no thread is restricted; work that would
 *   synchronize with the capture is the caller's responsibility
 *
 * How strictly a stream capture guards against calls that could
 * synchronize with the work being captured (`CUstreamCaptureMode`).
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_CAPTURE_MODE_GLOBAL = 0,
  CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL = 1,
  CUDA_OBJ_CAPTURE_MODE_RELAXED = 2,
} CudaObjCaptureMode;

#define CUDA_OBJ_TYPE_GRAPH_BUILDER (cuda_obj_graph_builder_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphBuilder, cuda_obj_graph_builder, CUDA_OBJ, GRAPH_BUILDER, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphBuilder *cuda_obj_graph_builder_new (CudaObjStream *stream, CudaObjCaptureMode mode,
                                                 GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStream *cuda_obj_graph_builder_get_stream (CudaObjGraphBuilder *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_graph_builder_get_device (CudaObjGraphBuilder *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCaptureMode cuda_obj_graph_builder_get_mode (CudaObjGraphBuilder *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_get_capturing (CudaObjGraphBuilder *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_get_ended (CudaObjGraphBuilder *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_end (CudaObjGraphBuilder *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_abort (CudaObjGraphBuilder *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_graph_builder_get_node_count (CudaObjGraphBuilder *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_dump_dot (CudaObjGraphBuilder *self, const char *path, gboolean verbose,
                                          GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_graph_builder_to_dot (CudaObjGraphBuilder *self, gboolean verbose, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_builder_split (CudaObjGraphBuilder *self, guint n, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_join (CudaObjGraphBuilder *self, CudaObjGraphBuilder **builders,
                                      guint n_builders, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_builder_embed (CudaObjGraphBuilder *self, CudaObjGraphBuilder *child, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphCondition *cuda_obj_graph_builder_create_condition (CudaObjGraphBuilder *self,
                                                                guint default_value,
                                                                CudaObjGraphConditionFlags flags,
                                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphBuilder *cuda_obj_graph_builder_if_then (CudaObjGraphBuilder *self,
                                                     CudaObjGraphCondition *condition, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_builder_if_else (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition,
                                           GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphBuilder *cuda_obj_graph_builder_while_loop (CudaObjGraphBuilder *self,
                                                        CudaObjGraphCondition *condition, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_graph_builder_switch_cases (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition,
                                                guint n, GError **error);

G_END_DECLS
