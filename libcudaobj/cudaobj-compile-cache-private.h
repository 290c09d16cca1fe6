/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what Program needs from the compile cache. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A cache for the default directory as the environment says now:
 * $CUDA_OBJ_CACHE_DIR or $XDG_CACHE_HOME/libcudaobj/compile; disabled by
 * CUDA_OBJ_CACHE=0 (or "off", "no", "false"); max size from
 * $CUDA_OBJ_CACHE_MAX_SIZE (bytes, with an optional K, M or G suffix).
 * cuda_obj_compile_cache_get_default() makes one of these once. */
CudaObjCompileCache *cuda_obj_compile_cache_new_from_environment (void);

/* The payload stored under @key (64 hex digits), or NULL when there is
 * none or the entry is damaged (then it is removed). Counts a hit or a
 * miss, and marks the entry as recently used. */
GBytes *cuda_obj_compile_cache_lookup (CudaObjCompileCache *self, const char *key);

/* Stores @payload under @key atomically, then evicts the least recently
 * used entries while the cache is over its maximum size. Failures to write
 * are not errors: the cache is an optimization. */
void cuda_obj_compile_cache_store (CudaObjCompileCache *self, const char *key, GBytes *payload);

/* The file an entry is stored in, for tests. */
char *cuda_obj_compile_cache_get_entry_path (CudaObjCompileCache *self, const char *key);

G_END_DECLS
