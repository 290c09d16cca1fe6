/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the value a conditional graph node tests, set from device code. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjGraphConditionFlags:
 * @CUDA_OBJ_GRAPH_CONDITION_NONE: the condition keeps the value it was
 *   last set to from one launch of the graph to the next; the default value
 *   is its value at the first launch only
 * @CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT: the condition is set to its
 *   default value at the start of every launch of the graph
 *   (`CU_GRAPH_COND_ASSIGN_DEFAULT`)
 *
 * Options of [method@CudaObj.GraphBuilder.create_condition].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_GRAPH_CONDITION_NONE = 0,
  CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT = 1 << 0,
} CudaObjGraphConditionFlags;

#define CUDA_OBJ_TYPE_GRAPH_CONDITION (cuda_obj_graph_condition_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphCondition, cuda_obj_graph_condition, CUDA_OBJ, GRAPH_CONDITION, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graph_condition_get_handle (CudaObjGraphCondition *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_graph_condition_get_default_value (CudaObjGraphCondition *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphConditionFlags cuda_obj_graph_condition_get_flags (CudaObjGraphCondition *self);

G_END_DECLS
