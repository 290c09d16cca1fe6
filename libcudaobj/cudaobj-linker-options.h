/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: nvJitLink's link options as GObject properties. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_LINKER_OPTIONS (cuda_obj_linker_options_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjLinkerOptions, cuda_obj_linker_options, CUDA_OBJ, LINKER_OPTIONS, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLinkerOptions *cuda_obj_linker_options_new (void);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLinkerOptions *cuda_obj_linker_options_copy (CudaObjLinkerOptions *self);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_linker_options_to_argv (CudaObjLinkerOptions *self, GError **error);

G_END_DECLS
