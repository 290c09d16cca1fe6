/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: element types of views, collectives and tensor maps. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjDataType:
 * @CUDA_OBJ_DATA_TYPE_BYTE: raw bytes without a numeric meaning (exported
 *   to DLPack as `uint8`)
 * @CUDA_OBJ_DATA_TYPE_BOOL: a one-byte boolean
 * @CUDA_OBJ_DATA_TYPE_INT8: a signed 8-bit integer
 * @CUDA_OBJ_DATA_TYPE_INT16: a signed 16-bit integer
 * @CUDA_OBJ_DATA_TYPE_INT32: a signed 32-bit integer
 * @CUDA_OBJ_DATA_TYPE_INT64: a signed 64-bit integer
 * @CUDA_OBJ_DATA_TYPE_UINT8: an unsigned 8-bit integer
 * @CUDA_OBJ_DATA_TYPE_UINT16: an unsigned 16-bit integer
 * @CUDA_OBJ_DATA_TYPE_UINT32: an unsigned 32-bit integer
 * @CUDA_OBJ_DATA_TYPE_UINT64: an unsigned 64-bit integer
 * @CUDA_OBJ_DATA_TYPE_FLOAT16: an IEEE 754 half-precision float
 * @CUDA_OBJ_DATA_TYPE_BFLOAT16: a bfloat16 (8-bit exponent, 7-bit mantissa)
 * @CUDA_OBJ_DATA_TYPE_FLOAT32: an IEEE 754 single-precision float
 * @CUDA_OBJ_DATA_TYPE_FLOAT64: an IEEE 754 double-precision float
 * @CUDA_OBJ_DATA_TYPE_COMPLEX64: a complex number of two float32
 * @CUDA_OBJ_DATA_TYPE_COMPLEX128: a complex number of two float64
 *
 * The type of one element of a [class@CudaObj.StridedView] (and of the
 * data that collectives and tensor maps work on). Each has a size
 * ([func@CudaObj.DataType.get_item_size]), a name
 * ([func@CudaObj.DataType.get_name]) and a DLPack type code
 * ([func@CudaObj.DataType.to_dlpack]).
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_DATA_TYPE_BYTE,
  CUDA_OBJ_DATA_TYPE_BOOL,
  CUDA_OBJ_DATA_TYPE_INT8,
  CUDA_OBJ_DATA_TYPE_INT16,
  CUDA_OBJ_DATA_TYPE_INT32,
  CUDA_OBJ_DATA_TYPE_INT64,
  CUDA_OBJ_DATA_TYPE_UINT8,
  CUDA_OBJ_DATA_TYPE_UINT16,
  CUDA_OBJ_DATA_TYPE_UINT32,
  CUDA_OBJ_DATA_TYPE_UINT64,
  CUDA_OBJ_DATA_TYPE_FLOAT16,
  CUDA_OBJ_DATA_TYPE_BFLOAT16,
  CUDA_OBJ_DATA_TYPE_FLOAT32,
  CUDA_OBJ_DATA_TYPE_FLOAT64,
  CUDA_OBJ_DATA_TYPE_COMPLEX64,
  CUDA_OBJ_DATA_TYPE_COMPLEX128,
} CudaObjDataType;

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_data_type_get_item_size (CudaObjDataType data_type);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_data_type_get_name (CudaObjDataType data_type);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_data_type_from_name (const char *name, CudaObjDataType *data_type, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_data_type_to_dlpack (CudaObjDataType data_type, guint8 *code, guint8 *bits, guint16 *lanes,
                                       GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_data_type_from_dlpack (guint8 code, guint8 bits, guint16 lanes, CudaObjDataType *data_type,
                                         GError **error);

G_END_DECLS
