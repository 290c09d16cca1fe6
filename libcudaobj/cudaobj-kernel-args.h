/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: typed, reusable kernel arguments. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

typedef struct _CudaObjKernel CudaObjKernel;
typedef struct _CudaObjBuffer CudaObjBuffer;
typedef struct _CudaObjStridedView CudaObjStridedView;
typedef struct _CudaObjGraphCondition CudaObjGraphCondition;
typedef struct _CudaObjTextureObject CudaObjTextureObject;
typedef struct _CudaObjSurfaceObject CudaObjSurfaceObject;
typedef struct _CudaObjTensorMap CudaObjTensorMap;

#define CUDA_OBJ_TYPE_KERNEL_ARGS (cuda_obj_kernel_args_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjKernelArgs, cuda_obj_kernel_args, CUDA_OBJ, KERNEL_ARGS, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernelArgs *cuda_obj_kernel_args_new (guint n_args);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernelArgs *cuda_obj_kernel_args_new_checked (guint n_args, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjKernelArgs *cuda_obj_kernel_args_new_for_kernel (CudaObjKernel *kernel);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_check (CudaObjKernelArgs *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_kernel_args_get_count (CudaObjKernelArgs *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_kernel_args_get_size (CudaObjKernelArgs *self, guint index);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_is_set (CudaObjKernelArgs *self, guint index);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_int8 (CudaObjKernelArgs *self, guint index, gint8 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_uint8 (CudaObjKernelArgs *self, guint index, guint8 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_int16 (CudaObjKernelArgs *self, guint index, gint16 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_uint16 (CudaObjKernelArgs *self, guint index, guint16 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_int32 (CudaObjKernelArgs *self, guint index, gint32 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_uint32 (CudaObjKernelArgs *self, guint index, guint32 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_int64 (CudaObjKernelArgs *self, guint index, gint64 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_uint64 (CudaObjKernelArgs *self, guint index, guint64 value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_float (CudaObjKernelArgs *self, guint index, float value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_double (CudaObjKernelArgs *self, guint index, double value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_bool (CudaObjKernelArgs *self, guint index, gboolean value);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_pointer (CudaObjKernelArgs *self, guint index, guint64 address);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_buffer (CudaObjKernelArgs *self, guint index, CudaObjBuffer *buffer);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_condition (CudaObjKernelArgs *self, guint index,
                                         CudaObjGraphCondition *condition);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_bytes (CudaObjKernelArgs *self, guint index, GBytes *bytes, guint alignment);
CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_kernel_args_set_data (CudaObjKernelArgs *self, guint index, const guint8 *data, gsize size,
                                    guint alignment);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_set_view (CudaObjKernelArgs *self, guint index, CudaObjStridedView *view,
                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_set_texture (CudaObjKernelArgs *self, guint index,
                                           CudaObjTextureObject *texture, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_set_surface (CudaObjKernelArgs *self, guint index,
                                           CudaObjSurfaceObject *surface, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_kernel_args_set_tensor_map (CudaObjKernelArgs *self, guint index, CudaObjTensorMap *map,
                                              GError **error);

G_END_DECLS
