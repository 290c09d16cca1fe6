/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: nvJitLink over ObjectCodes. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-object-code.h"
#include "cudaobj-linker-options.h"

G_BEGIN_DECLS

/**
 * CudaObjLinkerBackend:
 * @CUDA_OBJ_LINKER_BACKEND_NONE: nothing linked yet
 * @CUDA_OBJ_LINKER_BACKEND_NVJITLINK: nvJitLink, the toolkit's JIT linker
 * @CUDA_OBJ_LINKER_BACKEND_DRIVER: the driver's `cuLink*` API, used when
 *   nvJitLink is missing or too old for the inputs; it links PTX, CUBIN,
 *   fatbin, objects and libraries, without link-time optimization
 *
 * What linked a [class@CudaObj.Linker]'s last link, its
 * [property@CudaObj.Linker:backend].
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_LINKER_BACKEND_NONE,
  CUDA_OBJ_LINKER_BACKEND_NVJITLINK,
  CUDA_OBJ_LINKER_BACKEND_DRIVER,
} CudaObjLinkerBackend;

#define CUDA_OBJ_TYPE_LINKER (cuda_obj_linker_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjLinker, cuda_obj_linker, CUDA_OBJ, LINKER, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLinker *cuda_obj_linker_new (CudaObjLinkerOptions *options);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_linker_add (CudaObjLinker *self, CudaObjObjectCode *code);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_linker_get_n_inputs (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_linker_link (CudaObjLinker *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjObjectCode *cuda_obj_linker_link_fatbin (CudaObjLinker *self, const char *const *archs,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLinkerBackend cuda_obj_linker_get_backend (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLinkerOptions *cuda_obj_linker_get_options (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_linker_get_info_log (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_linker_get_error_log (CudaObjLinker *self);

G_END_DECLS
