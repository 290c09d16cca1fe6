/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: tensor maps, the descriptors of the Tensor Memory Accelerator. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-buffer.h"
#include "cudaobj-data-type.h"
#include "cudaobj-strided-view.h"

G_BEGIN_DECLS

/**
 * CUDA_OBJ_TENSOR_MAP_SIZE:
 *
 * The size in bytes of a tensor map (a `CUtensorMap`) as a kernel receives
 * it by value; its alignment is 64 bytes.
 *
 * Since: 1.0
 */
#define CUDA_OBJ_TENSOR_MAP_SIZE 128

/**
 * CudaObjTensorMapInterleave:
 * @CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE: no interleaving (`CU_TENSOR_MAP_INTERLEAVE_NONE`)
 * @CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_16: channels interleaved 16 bytes
 *   at a time, as in NC/8HWC8 with 2-byte channels (`CU_TENSOR_MAP_INTERLEAVE_16B`)
 * @CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32: 32 bytes at a time
 *   (`CU_TENSOR_MAP_INTERLEAVE_32B`)
 *
 * The interleaved layout of the tensor in global memory. The values are
 * the driver's `CUtensorMapInterleave`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE = 0,
  CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_16 = 1,
  CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32 = 2,
} CudaObjTensorMapInterleave;

/**
 * CudaObjTensorMapSwizzle:
 * @CUDA_OBJ_TENSOR_MAP_SWIZZLE_NONE: tiles land in shared memory as they are
 *   (`CU_TENSOR_MAP_SWIZZLE_NONE`)
 * @CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_32: 16-byte chunks swizzled within 32
 *   bytes (`CU_TENSOR_MAP_SWIZZLE_32B`)
 * @CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_64: within 64 bytes (`CU_TENSOR_MAP_SWIZZLE_64B`)
 * @CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_128: within 128 bytes (`CU_TENSOR_MAP_SWIZZLE_128B`)
 *
 * How tiles are shuffled across shared memory banks, to avoid bank
 * conflicts. The values are the driver's `CUtensorMapSwizzle`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TENSOR_MAP_SWIZZLE_NONE = 0,
  CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_32 = 1,
  CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_64 = 2,
  CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_128 = 3,
} CudaObjTensorMapSwizzle;

/**
 * CudaObjTensorMapL2Promotion:
 * @CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE: no promotion (`CU_TENSOR_MAP_L2_PROMOTION_NONE`)
 * @CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_64: L2 fetches of 64 bytes
 *   (`CU_TENSOR_MAP_L2_PROMOTION_L2_64B`)
 * @CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_128: of 128 bytes (`CU_TENSOR_MAP_L2_PROMOTION_L2_128B`)
 * @CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_256: of 256 bytes (`CU_TENSOR_MAP_L2_PROMOTION_L2_256B`)
 *
 * How far loads widen their L2 fetches. The values are the driver's
 * `CUtensorMapL2promotion`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE = 0,
  CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_64 = 1,
  CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_128 = 2,
  CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_256 = 3,
} CudaObjTensorMapL2Promotion;

/**
 * CudaObjTensorMapOobFill:
 * @CUDA_OBJ_TENSOR_MAP_OOB_FILL_ZERO: elements outside the tensor load as
 *   zero (`CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE`)
 * @CUDA_OBJ_TENSOR_MAP_OOB_FILL_NAN: floats outside the tensor load as a
 *   NaN that makes fused multiply-adds give zero
 *   (`CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA`); floating-point
 *   data types only
 *
 * What loads of elements outside the tensor give. The values are the
 * driver's `CUtensorMapFloatOOBfill`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TENSOR_MAP_OOB_FILL_ZERO = 0,
  CUDA_OBJ_TENSOR_MAP_OOB_FILL_NAN = 1,
} CudaObjTensorMapOobFill;

#define CUDA_OBJ_TYPE_TENSOR_MAP (cuda_obj_tensor_map_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjTensorMap, cuda_obj_tensor_map, CUDA_OBJ, TENSOR_MAP, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTensorMap *cuda_obj_tensor_map_new_tiled (
    CudaObjStridedView *view, const guint32 *box_dims, guint n_box_dims, const guint32 *element_strides,
    guint n_element_strides, CudaObjTensorMapInterleave interleave, CudaObjTensorMapSwizzle swizzle,
    CudaObjTensorMapL2Promotion l2_promotion, CudaObjTensorMapOobFill oob_fill, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTensorMap *cuda_obj_tensor_map_new_tiled_for_buffer (
    CudaObjBuffer *buffer, guint64 offset, CudaObjDataType data_type, const guint64 *shape, guint n_dims,
    const guint64 *strides, guint n_strides, const guint32 *box_dims, guint n_box_dims,
    const guint32 *element_strides, guint n_element_strides, CudaObjTensorMapInterleave interleave,
    CudaObjTensorMapSwizzle swizzle, CudaObjTensorMapL2Promotion l2_promotion,
    CudaObjTensorMapOobFill oob_fill, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTensorMap *cuda_obj_tensor_map_new_im2col (
    CudaObjStridedView *view, const gint *lower_corner, guint n_lower_corner, const gint *upper_corner,
    guint n_upper_corner, guint channels_per_pixel, guint pixels_per_column, const guint32 *element_strides,
    guint n_element_strides, CudaObjTensorMapInterleave interleave, CudaObjTensorMapSwizzle swizzle,
    CudaObjTensorMapL2Promotion l2_promotion, CudaObjTensorMapOobFill oob_fill, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_tensor_map_replace_address (CudaObjTensorMap *self, guint64 address, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_tensor_map_replace_buffer (CudaObjTensorMap *self, CudaObjBuffer *buffer, guint64 offset,
                                             GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_tensor_map_get_bytes (CudaObjTensorMap *self);
CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_tensor_map_get_address (CudaObjTensorMap *self);
CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_tensor_map_get_rank (CudaObjTensorMap *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDataType cuda_obj_tensor_map_get_data_type (CudaObjTensorMap *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_tensor_map_get_is_im2col (CudaObjTensorMap *self);

G_END_DECLS
