/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a program (C++, PTX or NVVM IR) and its compilation. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-object-code.h"
#include "cudaobj-program-options.h"
#include "cudaobj-compile-cache.h"

G_BEGIN_DECLS

/**
 * CudaObjProgramCodeType:
 * @CUDA_OBJ_PROGRAM_CODE_TYPE_CXX: CUDA C++, compiled by NVRTC to PTX,
 *   CUBIN or LTO-IR
 * @CUDA_OBJ_PROGRAM_CODE_TYPE_PTX: PTX, assembled by nvJitLink to CUBIN
 * @CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM: NVVM IR (LLVM IR for NVVM, as text or
 *   bitcode), compiled by libNVVM to PTX or LTO-IR, or on to CUBIN
 *
 * The language of a [class@CudaObj.Program]'s code.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_PROGRAM_CODE_TYPE_CXX,
  CUDA_OBJ_PROGRAM_CODE_TYPE_PTX,
  CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM,
} CudaObjProgramCodeType;

#define CUDA_OBJ_TYPE_PROGRAM (cuda_obj_program_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjProgram, cuda_obj_program, CUDA_OBJ, PROGRAM, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgram *cuda_obj_program_new (const char *code, CudaObjProgramCodeType code_type,
                                      CudaObjProgramOptions *options);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgram *cuda_obj_program_new_from_bytes (GBytes *code, CudaObjProgramCodeType code_type,
                                                 CudaObjProgramOptions *options);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_program_get_code_bytes (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgramCodeType cuda_obj_program_get_code_type (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgramOptions *cuda_obj_program_get_options (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_program_add_header (CudaObjProgram *self, const char *name, const char *contents);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_program_compile (CudaObjProgram *self, CudaObjCodeType target,
                                             const char *const *name_expressions, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_program_compile_async (CudaObjProgram *self, CudaObjCodeType target,
                                     const char *const *name_expressions, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_program_compile_finish (CudaObjProgram *self, GAsyncResult *result,
                                                    GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_program_get_log (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_program_get_use_cache (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_program_set_use_cache (CudaObjProgram *self, gboolean use_cache);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCompileCache *cuda_obj_program_get_cache (CudaObjProgram *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_program_set_cache (CudaObjProgram *self, CudaObjCompileCache *cache);

G_END_DECLS
