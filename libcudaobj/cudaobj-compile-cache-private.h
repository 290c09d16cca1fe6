/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what the compile engine needs from the compile cache: the
 * entries, and the format of what a compile stores in them. */
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

/* Whether the entry of @key is still the one this cache object last read or
 * wrote (its file unchanged); then counts a hit and marks it recently
 * used, as a lookup would, without reading it. For callers that kept what
 * the entry holds, decoded. */
gboolean cuda_obj_compile_cache_lookup_unchanged (CudaObjCompileCache *self, const char *key);

/* Stores @payload under @key atomically, then evicts the least recently
 * used entries while the cache is over its maximum size. Failures to write
 * are not errors: the cache is an optimization. */
void cuda_obj_compile_cache_store (CudaObjCompileCache *self, const char *key, GBytes *payload);

/* What a compile stores in an entry: the object code, its name
 * expressions with the lowered name of each, and the compiler's log. */
typedef struct
{
  CudaObjCodeType code_type;
  char *log;               /* never NULL */
  char **name_expressions; /* never NULL */
  char **lowered_names;    /* as many; "" where the compiler gave none */
  GBytes *code;            /* never empty */
} CudaObjCompilePayload;

/* Serializes @payload (a GVariant of type "(usasasay)"). */
GBytes *cuda_obj_compile_cache_encode_payload (const CudaObjCompilePayload *payload);

/* Parses @size bytes at @data, as stored by
 * cuda_obj_compile_cache_encode_payload(), into @payload, which the caller
 * clears. A pure function over bytes: whatever they are, it fills
 * @payload and returns TRUE, or returns FALSE with @error set
 * (CUDA_OBJ_ERROR_FAILED) and @payload untouched. */
gboolean cuda_obj_compile_cache_decode_payload (const guint8 *data, gsize size,
                                                CudaObjCompilePayload *payload, GError **error);

/* Frees what @payload holds. */
void cuda_obj_compile_payload_clear (CudaObjCompilePayload *payload);

/* The file an entry is stored in, for tests. */
char *cuda_obj_compile_cache_get_entry_path (CudaObjCompileCache *self, const char *key);

G_END_DECLS
