/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a typed, strided window over memory. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-data-type.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-buffer.h"

G_BEGIN_DECLS

/**
 * CUDA_OBJ_STRIDED_VIEW_MAX_DIMS:
 *
 * The largest rank of a [class@CudaObj.StridedView].
 *
 * Since: 1.0
 */
#define CUDA_OBJ_STRIDED_VIEW_MAX_DIMS 8

/**
 * CudaObjDlpackDeviceType:
 * @CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE: none; where a device type is asked for,
 *   the view's own
 * @CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU: host memory (`kDLCPU`)
 * @CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA: CUDA device memory (`kDLCUDA`)
 * @CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST: page-locked host memory (`kDLCUDAHost`)
 * @CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_MANAGED: CUDA managed (unified) memory
 *   (`kDLCUDAManaged`)
 *
 * The DLPack device types (`DLDeviceType`) that views use; the values are
 * DLPack's.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE = 0,
  CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU = 1,
  CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA = 2,
  CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST = 3,
  CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_MANAGED = 13,
} CudaObjDlpackDeviceType;

#define CUDA_OBJ_TYPE_STRIDED_VIEW (cuda_obj_strided_view_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjStridedView, cuda_obj_strided_view, CUDA_OBJ, STRIDED_VIEW, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStridedView *cuda_obj_strided_view_new (CudaObjBuffer *buffer, CudaObjDataType data_type,
                                               const gint64 *shape, guint n_dims, const gint64 *strides,
                                               guint n_strides, guint64 offset, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStridedView *cuda_obj_strided_view_new_for_bytes (GBytes *bytes, CudaObjDataType data_type,
                                                         const gint64 *shape, guint n_dims,
                                                         const gint64 *strides, guint n_strides,
                                                         guint64 offset, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStridedView *cuda_obj_strided_view_new_from_dlpack (guint64 address, gboolean versioned,
                                                           GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_strided_view_delete_dlpack (guint64 address, gboolean versioned);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_strided_view_to_dlpack (CudaObjStridedView *self, gboolean versioned,
                                         CudaObjDlpackDeviceType device_type, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStridedView *cuda_obj_strided_view_as_read_only (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
GObject *cuda_obj_strided_view_get_owner (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDataType cuda_obj_strided_view_get_data_type (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_strided_view_get_item_size (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_strided_view_get_n_dims (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const gint64 *cuda_obj_strided_view_get_shape (CudaObjStridedView *self, guint *n_dims);

CUDA_OBJ_AVAILABLE_IN_1_0
const gint64 *cuda_obj_strided_view_get_strides (CudaObjStridedView *self, guint *n_dims);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_strided_view_get_n_elements (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_strided_view_get_offset (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_strided_view_get_data (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_strided_view_get_device (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDlpackDeviceType cuda_obj_strided_view_get_dlpack_device_type (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_strided_view_get_read_only (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_strided_view_get_is_host_accessible (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_strided_view_get_is_device_accessible (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_strided_view_get_is_contiguous (CudaObjStridedView *self);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_strided_view_copy_to_bytes (CudaObjStridedView *self, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_strided_view_copy_from_bytes (CudaObjStridedView *self, GBytes *bytes,
                                                CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjStridedView *cuda_obj_buffer_view (CudaObjBuffer *self, CudaObjDataType data_type, const gint64 *shape,
                                          guint n_dims, const gint64 *strides, guint n_strides,
                                          guint64 offset, GError **error);

G_END_DECLS
