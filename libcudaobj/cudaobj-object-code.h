/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: compiled device code (CUBIN, PTX, LTO-IR, fatbin, objects). */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"

G_BEGIN_DECLS

/**
 * CudaObjCodeType:
 * @CUDA_OBJ_CODE_TYPE_CUBIN: a CUDA binary for one real architecture (an ELF file, `.cubin`)
 * @CUDA_OBJ_CODE_TYPE_PTX: PTX assembly text (`.ptx`)
 * @CUDA_OBJ_CODE_TYPE_LTOIR: NVVM IR for link-time optimization (`.ltoir`), from
 *   NVRTC's `-dlto` or libNVVM's `-gen-lto`; an input to [class@CudaObj.Linker] only
 * @CUDA_OBJ_CODE_TYPE_FATBIN: a fat binary bundling CUBINs and PTX for several
 *   architectures (`.fatbin`), as `nvcc -fatbin` makes
 * @CUDA_OBJ_CODE_TYPE_OBJECT: a host object file with embedded device code
 *   (`.o`), as `nvcc -c -rdc=true` makes; an input to [class@CudaObj.Linker] only
 * @CUDA_OBJ_CODE_TYPE_LIBRARY: a host static library of such objects (`.a`);
 *   an input to [class@CudaObj.Linker] only
 *
 * The kind of code a [class@CudaObj.ObjectCode] holds, and the targets of
 * [method@CudaObj.Program.compile].
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_CODE_TYPE_CUBIN,
  CUDA_OBJ_CODE_TYPE_PTX,
  CUDA_OBJ_CODE_TYPE_LTOIR,
  CUDA_OBJ_CODE_TYPE_FATBIN,
  CUDA_OBJ_CODE_TYPE_OBJECT,
  CUDA_OBJ_CODE_TYPE_LIBRARY,
} CudaObjCodeType;

/**
 * CudaObjObjectCodeHandleType:
 * @CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY: a `CUlibrary` (from
 *   `cuLibraryLoadData` or the CUDA runtime's `cudaLibraryLoadData`),
 *   which works on every device
 * @CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE: a `CUmodule` (from
 *   `cuModuleLoadData` and its kin), loaded in one context of one device
 *
 * What kind of driver handle [ctor@CudaObj.ObjectCode.new_from_handle]
 * wraps, and [property@CudaObj.ObjectCode:handle] holds.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY,
  CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE,
} CudaObjObjectCodeHandleType;

#define CUDA_OBJ_TYPE_OBJECT_CODE (cuda_obj_object_code_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjObjectCode, cuda_obj_object_code, CUDA_OBJ, OBJECT_CODE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new (GBytes *code, CudaObjCodeType code_type, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_cubin (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_ptx (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_ltoir (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_fatbin (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_object (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_library (GBytes *code, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_file (const char *path, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_file_with_type (const char *path, CudaObjCodeType code_type,
                                                                 GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_object_code_new_from_handle (CudaObjDevice *device, guint64 handle,
                                                         CudaObjObjectCodeHandleType type, GObject *owner,
                                                         GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_object_code_get_handle (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCodeHandleType cuda_obj_object_code_get_handle_type (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_object_code_get_owns_handle (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_object_code_get_code (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCodeType cuda_obj_object_code_get_code_type (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_object_code_get_name (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_object_code_get_lowered_name (CudaObjObjectCode *self, const char *name_expression);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_object_code_get_name_expressions (CudaObjObjectCode *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_object_code_save (CudaObjObjectCode *self, const char *path, GError **error);

G_END_DECLS
