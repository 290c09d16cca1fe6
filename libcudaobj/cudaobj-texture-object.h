/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: texture objects, sampled reads of arrays and buffers. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-array.h"
#include "cudaobj-buffer.h"

G_BEGIN_DECLS

/**
 * CudaObjTextureAddressMode:
 * @CUDA_OBJ_TEXTURE_ADDRESS_MODE_WRAP: coordinates wrap around (normalized
 *   coordinates only; `CU_TR_ADDRESS_MODE_WRAP`)
 * @CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP: coordinates clamp to the edge
 *   (`CU_TR_ADDRESS_MODE_CLAMP`)
 * @CUDA_OBJ_TEXTURE_ADDRESS_MODE_MIRROR: coordinates mirror at the edges
 *   (normalized coordinates only; `CU_TR_ADDRESS_MODE_MIRROR`)
 * @CUDA_OBJ_TEXTURE_ADDRESS_MODE_BORDER: reads outside give zero
 *   (`CU_TR_ADDRESS_MODE_BORDER`)
 *
 * What a [class@CudaObj.TextureObject] reads at coordinates outside its
 * memory. The values are the driver's `CUaddress_mode`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TEXTURE_ADDRESS_MODE_WRAP = 0,
  CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP = 1,
  CUDA_OBJ_TEXTURE_ADDRESS_MODE_MIRROR = 2,
  CUDA_OBJ_TEXTURE_ADDRESS_MODE_BORDER = 3,
} CudaObjTextureAddressMode;

/**
 * CudaObjTextureFilterMode:
 * @CUDA_OBJ_TEXTURE_FILTER_MODE_POINT: the nearest element (`CU_TR_FILTER_MODE_POINT`)
 * @CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR: linear interpolation of the nearest
 *   elements, bilinear in 2D (`CU_TR_FILTER_MODE_LINEAR`); only for reads
 *   that return floats
 *
 * How a [class@CudaObj.TextureObject] reads between elements. The values
 * are the driver's `CUfilter_mode`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TEXTURE_FILTER_MODE_POINT = 0,
  CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR = 1,
} CudaObjTextureFilterMode;

/**
 * CudaObjTextureReadMode:
 * @CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE: reads return the elements'
 *   own type (`CU_TRSF_READ_AS_INTEGER`)
 * @CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT: reads of integer formats
 *   return floats in [0, 1] (unsigned) or [-1, 1] (signed)
 *
 * What a [class@CudaObj.TextureObject] returns for integer formats; float
 * formats are read as floats either way.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE,
  CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT,
} CudaObjTextureReadMode;

#define CUDA_OBJ_TYPE_TEXTURE_OBJECT (cuda_obj_texture_object_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjTextureObject, cuda_obj_texture_object, CUDA_OBJ, TEXTURE_OBJECT, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureObject *cuda_obj_texture_object_new_for_array (CudaObjArray *array,
                                                             CudaObjTextureAddressMode address_mode,
                                                             CudaObjTextureFilterMode filter_mode,
                                                             CudaObjTextureReadMode read_mode,
                                                             gboolean normalized_coordinates, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureObject *cuda_obj_texture_object_new_for_pitched_buffer (
    CudaObjBuffer *buffer, CudaObjArrayFormat format, guint channels, gsize width, gsize height, gsize pitch,
    CudaObjTextureAddressMode address_mode, CudaObjTextureFilterMode filter_mode,
    CudaObjTextureReadMode read_mode, gboolean normalized_coordinates, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureObject *cuda_obj_texture_object_new_for_linear_buffer (CudaObjBuffer *buffer,
                                                                     CudaObjArrayFormat format,
                                                                     guint channels, gsize width,
                                                                     CudaObjTextureReadMode read_mode,
                                                                     GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_texture_object_get_handle (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArray *cuda_obj_texture_object_get_array (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_texture_object_get_buffer (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArrayFormat cuda_obj_texture_object_get_format (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_texture_object_get_channels (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_texture_object_get_width (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_texture_object_get_height (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_texture_object_get_pitch (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureAddressMode cuda_obj_texture_object_get_address_mode (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureFilterMode cuda_obj_texture_object_get_filter_mode (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjTextureReadMode cuda_obj_texture_object_get_read_mode (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_texture_object_get_normalized_coordinates (CudaObjTextureObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_texture_object_get_srgb (CudaObjTextureObject *self);

G_END_DECLS
