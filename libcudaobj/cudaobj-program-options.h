/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: NVRTC's compile options as GObject properties. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_PROGRAM_OPTIONS (cuda_obj_program_options_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjProgramOptions, cuda_obj_program_options, CUDA_OBJ, PROGRAM_OPTIONS, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgramOptions *cuda_obj_program_options_new (void);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjProgramOptions *cuda_obj_program_options_copy (CudaObjProgramOptions *self);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_program_options_to_argv (CudaObjProgramOptions *self, GError **error);

G_END_DECLS
