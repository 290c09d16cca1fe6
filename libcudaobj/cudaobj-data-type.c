/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: element types of views, collectives and tensor maps.
 *
 * One table gives each type its size, name and DLPack code; the DLPack
 * codes are those of the published DLPack specification (`DLDataTypeCode`). */
#include "config.h"

#include <string.h>

#include "cudaobj-data-type.h"
#include "cudaobj-dlpack-private.h"
#include "cudaobj-error.h"

typedef struct
{
  const char *name;
  guint8 code; /* DLDataTypeCode */
  guint8 bits;
} DataTypeInfo;

/* clang-format off */
static const DataTypeInfo data_types[] = {
  [CUDA_OBJ_DATA_TYPE_BYTE]       = { "byte",       kDLUInt,    8 },
  [CUDA_OBJ_DATA_TYPE_BOOL]       = { "bool",       kDLBool,    8 },
  [CUDA_OBJ_DATA_TYPE_INT8]       = { "int8",       kDLInt,     8 },
  [CUDA_OBJ_DATA_TYPE_INT16]      = { "int16",      kDLInt,    16 },
  [CUDA_OBJ_DATA_TYPE_INT32]      = { "int32",      kDLInt,    32 },
  [CUDA_OBJ_DATA_TYPE_INT64]      = { "int64",      kDLInt,    64 },
  [CUDA_OBJ_DATA_TYPE_UINT8]      = { "uint8",      kDLUInt,    8 },
  [CUDA_OBJ_DATA_TYPE_UINT16]     = { "uint16",     kDLUInt,   16 },
  [CUDA_OBJ_DATA_TYPE_UINT32]     = { "uint32",     kDLUInt,   32 },
  [CUDA_OBJ_DATA_TYPE_UINT64]     = { "uint64",     kDLUInt,   64 },
  [CUDA_OBJ_DATA_TYPE_FLOAT16]    = { "float16",    kDLFloat,  16 },
  [CUDA_OBJ_DATA_TYPE_BFLOAT16]   = { "bfloat16",   kDLBfloat, 16 },
  [CUDA_OBJ_DATA_TYPE_FLOAT32]    = { "float32",    kDLFloat,  32 },
  [CUDA_OBJ_DATA_TYPE_FLOAT64]    = { "float64",    kDLFloat,  64 },
  [CUDA_OBJ_DATA_TYPE_COMPLEX64]  = { "complex64",  kDLComplex, 64 },
  [CUDA_OBJ_DATA_TYPE_COMPLEX128] = { "complex128", kDLComplex, 128 },
};
/* clang-format on */

static gboolean
is_valid (CudaObjDataType data_type)
{
  return (guint) data_type < G_N_ELEMENTS (data_types);
}

gboolean
cuda_obj_data_type_check (CudaObjDataType data_type, GError **error)
{
  if (G_LIKELY (is_valid (data_type)))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%d is not a CudaObj.DataType",
               (int) data_type);
  return FALSE;
}

/**
 * cuda_obj_data_type_get_item_size:
 * @data_type: a data type
 *
 * Gives the size of one element of @data_type in bytes: 1 for
 * %CUDA_OBJ_DATA_TYPE_BYTE, %CUDA_OBJ_DATA_TYPE_BOOL and the 8-bit
 * integers, 16 for %CUDA_OBJ_DATA_TYPE_COMPLEX128.
 *
 * Returns: the size in bytes, or 0 for a value that is not a data type
 *
 * Since: 1.0
 */
gsize
cuda_obj_data_type_get_item_size (CudaObjDataType data_type)
{
  return is_valid (data_type) ? data_types[data_type].bits / 8 : 0;
}

/**
 * cuda_obj_data_type_get_name:
 * @data_type: a data type
 *
 * Gives the name of @data_type as NumPy, PyTorch and CuPy spell it
 * ("float32", "bfloat16", "complex64", "bool"); "byte" for
 * %CUDA_OBJ_DATA_TYPE_BYTE.
 *
 * Returns: (nullable): the name, or %NULL for a value that is not a data type
 *
 * Since: 1.0
 */
const char *
cuda_obj_data_type_get_name (CudaObjDataType data_type)
{
  return is_valid (data_type) ? data_types[data_type].name : NULL;
}

/**
 * cuda_obj_data_type_from_name:
 * @name: a name as [func@CudaObj.DataType.get_name] gives it
 * @data_type: (out): return location for the data type
 * @error: return location for an error
 *
 * Finds the data type of a name ("float32", "int8", "byte", ...).
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for %NULL or an unknown name
 *
 * Since: 1.0
 */
gboolean
cuda_obj_data_type_from_name (const char *name, CudaObjDataType *data_type, GError **error)
{
  g_return_val_if_fail (data_type != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (data_types); i++)
    if (strcmp (name, data_types[i].name) == 0)
      {
        *data_type = (CudaObjDataType) i;
        return TRUE;
      }
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "\"%s\" is not a data type name",
               name != NULL ? name : "(null)");
  return FALSE;
}

/**
 * cuda_obj_data_type_to_dlpack:
 * @data_type: a data type
 * @code: (out): return location for the DLPack type code (`DLDataTypeCode`)
 * @bits: (out): return location for the number of bits of one element
 * @lanes: (out): return location for the number of lanes (always 1)
 * @error: return location for an error
 *
 * Gives the DLPack `DLDataType` of @data_type. %CUDA_OBJ_DATA_TYPE_BYTE
 * has no DLPack type of its own and is exported as `uint8`.
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a value that is not a data type
 *
 * Since: 1.0
 */
gboolean
cuda_obj_data_type_to_dlpack (CudaObjDataType data_type, guint8 *code, guint8 *bits, guint16 *lanes,
                              GError **error)
{
  if (!cuda_obj_data_type_check (data_type, error))
    return FALSE;
  if (code != NULL)
    *code = data_types[data_type].code;
  if (bits != NULL)
    *bits = data_types[data_type].bits;
  if (lanes != NULL)
    *lanes = 1;
  return TRUE;
}

/**
 * cuda_obj_data_type_from_dlpack:
 * @code: a DLPack type code (`DLDataTypeCode`)
 * @bits: the number of bits of one element
 * @lanes: the number of lanes; only 1 is supported
 * @data_type: (out): return location for the data type
 * @error: return location for an error
 *
 * Finds the data type of a DLPack `DLDataType`: `uint8` is
 * %CUDA_OBJ_DATA_TYPE_UINT8, never %CUDA_OBJ_DATA_TYPE_BYTE.
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED for vector types (@lanes other than 1),
 *   opaque handles, sub-byte and 8-bit float types and any other type
 *   without a [enum@CudaObj.DataType]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_data_type_from_dlpack (guint8 code, guint8 bits, guint16 lanes, CudaObjDataType *data_type,
                                GError **error)
{
  g_return_val_if_fail (data_type != NULL, FALSE);

  if (lanes == 1)
    for (guint i = CUDA_OBJ_DATA_TYPE_BOOL; i < G_N_ELEMENTS (data_types); i++)
      if (data_types[i].code == code && data_types[i].bits == bits)
        {
          *data_type = (CudaObjDataType) i;
          return TRUE;
        }
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
               "The DLPack data type (code %u, %u bits, %u lanes) is not supported", code, bits, lanes);
  return FALSE;
}
