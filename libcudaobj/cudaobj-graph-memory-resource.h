/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: memory allocated and freed inside captured graphs. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-memory-resource.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_GRAPH_MEMORY_RESOURCE (cuda_obj_graph_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphMemoryResource, cuda_obj_graph_memory_resource, CUDA_OBJ,
                      GRAPH_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphMemoryResource *cuda_obj_graph_memory_resource_new (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_memory_resource_get_usage (CudaObjGraphMemoryResource *self, guint64 *used_current,
                                                   guint64 *used_high, guint64 *reserved_current,
                                                   guint64 *reserved_high, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_memory_resource_reset_peaks (CudaObjGraphMemoryResource *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graph_memory_resource_trim (CudaObjGraphMemoryResource *self, GError **error);

G_END_DECLS
