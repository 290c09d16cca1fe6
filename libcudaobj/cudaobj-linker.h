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
CudaObjLinkerOptions *cuda_obj_linker_get_options (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_linker_get_info_log (CudaObjLinker *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_linker_get_error_log (CudaObjLinker *self);

G_END_DECLS
