/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: CUDA arrays, the opaque texture memory of a device. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-buffer.h"

G_BEGIN_DECLS

/**
 * CudaObjArrayFormat:
 * @CUDA_OBJ_ARRAY_FORMAT_UINT8: unsigned 8-bit integers (`CU_AD_FORMAT_UNSIGNED_INT8`)
 * @CUDA_OBJ_ARRAY_FORMAT_UINT16: unsigned 16-bit integers (`CU_AD_FORMAT_UNSIGNED_INT16`)
 * @CUDA_OBJ_ARRAY_FORMAT_UINT32: unsigned 32-bit integers (`CU_AD_FORMAT_UNSIGNED_INT32`)
 * @CUDA_OBJ_ARRAY_FORMAT_INT8: signed 8-bit integers (`CU_AD_FORMAT_SIGNED_INT8`)
 * @CUDA_OBJ_ARRAY_FORMAT_INT16: signed 16-bit integers (`CU_AD_FORMAT_SIGNED_INT16`)
 * @CUDA_OBJ_ARRAY_FORMAT_INT32: signed 32-bit integers (`CU_AD_FORMAT_SIGNED_INT32`)
 * @CUDA_OBJ_ARRAY_FORMAT_HALF: 16-bit floats (`CU_AD_FORMAT_HALF`)
 * @CUDA_OBJ_ARRAY_FORMAT_FLOAT: 32-bit floats (`CU_AD_FORMAT_FLOAT`)
 *
 * The type of each channel of an element of a [class@CudaObj.Array], or of
 * the memory a [class@CudaObj.TextureObject] reads from a buffer. The values
 * are the driver's `CUarray_format`.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_ARRAY_FORMAT_UINT8 = 0x01,
  CUDA_OBJ_ARRAY_FORMAT_UINT16 = 0x02,
  CUDA_OBJ_ARRAY_FORMAT_UINT32 = 0x03,
  CUDA_OBJ_ARRAY_FORMAT_INT8 = 0x08,
  CUDA_OBJ_ARRAY_FORMAT_INT16 = 0x09,
  CUDA_OBJ_ARRAY_FORMAT_INT32 = 0x0a,
  CUDA_OBJ_ARRAY_FORMAT_HALF = 0x10,
  CUDA_OBJ_ARRAY_FORMAT_FLOAT = 0x20,
} CudaObjArrayFormat;

/**
 * CudaObjArrayFlags:
 * @CUDA_OBJ_ARRAY_FLAGS_NONE: an array that textures read
 * @CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE: kernels may also read and write
 *   the array through a [class@CudaObj.SurfaceObject] (`CUDA_ARRAY3D_SURFACE_LDST`)
 * @CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER: a 2D array that kernels gather from
 *   (`tex2Dgather`; `CUDA_ARRAY3D_TEXTURE_GATHER`)
 *
 * What a [class@CudaObj.Array] is made for. A layered array gets its
 * `CUDA_ARRAY3D_LAYERED` flag from [property@CudaObj.Array:layers].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_ARRAY_FLAGS_NONE = 0,
  CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE = 1 << 0,
  CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER = 1 << 1,
} CudaObjArrayFlags;

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_format_get_size (CudaObjArrayFormat format);

#define CUDA_OBJ_TYPE_ARRAY (cuda_obj_array_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjArray, cuda_obj_array, CUDA_OBJ, ARRAY, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArray *cuda_obj_array_new (CudaObjDevice *device, CudaObjArrayFormat format, guint channels,
                                  gsize width, gsize height, gsize depth, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArray *cuda_obj_array_new_full (CudaObjDevice *device, CudaObjArrayFormat format, guint channels,
                                       gsize width, gsize height, gsize depth, gsize layers,
                                       CudaObjArrayFlags flags, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_array_get_device (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArrayFormat cuda_obj_array_get_format (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_array_get_channels (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_width (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_height (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_depth (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_layers (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArrayFlags cuda_obj_array_get_flags (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_array_get_handle (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_element_size (CudaObjArray *self);
CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_array_get_size (CudaObjArray *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_array_copy_from_bytes (CudaObjArray *self, GBytes *bytes, CudaObjStream *stream,
                                         GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_array_copy_to_bytes (CudaObjArray *self, CudaObjStream *stream, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_array_copy_region_from_bytes (CudaObjArray *self, GBytes *bytes, gsize x, gsize y, gsize z,
                                                gsize width, gsize height, gsize depth, CudaObjStream *stream,
                                                GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_array_copy_region_to_bytes (CudaObjArray *self, gsize x, gsize y, gsize z, gsize width,
                                             gsize height, gsize depth, CudaObjStream *stream,
                                             GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_array_copy_from_buffer (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset,
                                          gsize pitch, CudaObjStream *stream, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_array_copy_to_buffer (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset, gsize pitch,
                                        CudaObjStream *stream, GError **error);
CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_array_copy_to_array (CudaObjArray *self, CudaObjArray *destination, CudaObjStream *stream,
                                       GError **error);

G_END_DECLS
