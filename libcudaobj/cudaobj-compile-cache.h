/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the on-disk cache of compiled programs. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_COMPILE_CACHE (cuda_obj_compile_cache_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjCompileCache, cuda_obj_compile_cache, CUDA_OBJ, COMPILE_CACHE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCompileCache *cuda_obj_compile_cache_new (const char *directory);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCompileCache *cuda_obj_compile_cache_get_default (void);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_compile_cache_get_directory (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_compile_cache_get_enabled (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_compile_cache_set_enabled (CudaObjCompileCache *self, gboolean enabled);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_compile_cache_get_max_size (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_compile_cache_set_max_size (CudaObjCompileCache *self, guint64 max_size);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_compile_cache_get_hits (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_compile_cache_get_misses (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_compile_cache_reset_counters (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_compile_cache_get_size (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_compile_cache_get_n_entries (CudaObjCompileCache *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_compile_cache_clear (CudaObjCompileCache *self, GError **error);

G_END_DECLS
