/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the shape of a kernel launch. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_LAUNCH_CONFIG (cuda_obj_launch_config_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjLaunchConfig, cuda_obj_launch_config, CUDA_OBJ, LAUNCH_CONFIG, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLaunchConfig *cuda_obj_launch_config_new (guint grid, guint block);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLaunchConfig *cuda_obj_launch_config_new_3d (guint grid_x, guint grid_y, guint grid_z, guint block_x,
                                                    guint block_y, guint block_z);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLaunchConfig *cuda_obj_launch_config_new_for_size (gsize n_threads, guint block);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_grid (CudaObjLaunchConfig *self, guint x, guint y, guint z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_get_grid (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_block (CudaObjLaunchConfig *self, guint x, guint y, guint z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_get_block (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_cluster (CudaObjLaunchConfig *self, guint x, guint y, guint z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_get_cluster (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_shared_memory_bytes (CudaObjLaunchConfig *self, guint bytes);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_launch_config_get_shared_memory_bytes (CudaObjLaunchConfig *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_cooperative (CudaObjLaunchConfig *self, gboolean cooperative);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_launch_config_get_cooperative (CudaObjLaunchConfig *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_programmatic_stream_serialization (CudaObjLaunchConfig *self,
                                                                   gboolean allowed);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_launch_config_get_programmatic_stream_serialization (CudaObjLaunchConfig *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_launch_config_set_priority (CudaObjLaunchConfig *self, int priority);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_launch_config_get_priority (CudaObjLaunchConfig *self);

G_END_DECLS
