/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what other classes need from an ObjectCode. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The code loaded into the driver as a context-independent CUlibrary, loaded
 * with cuLibraryLoadData on first call (thread-safe) and kept until the
 * object is finalized. NULL with @error set when the code cannot be loaded:
 * CUDA_OBJ_ERROR_NOT_SUPPORTED for LTO-IR, host objects and libraries, a
 * loader or driver error otherwise. */
CUlibrary cuda_obj_object_code_get_library (CudaObjObjectCode *self, GError **error);

/* The CUmodule of an ObjectCode wrapped with
 * cuda_obj_object_code_new_from_handle(), and its device (borrowed); NULL
 * for a CUlibrary (cuda_obj_object_code_get_library() gives it). */
CUmodule cuda_obj_object_code_peek_module (CudaObjObjectCode *self, CudaObjDevice **device);

/* A new ObjectCode that trusts @code (made by NVRTC, libNVVM, nvJitLink or
 * the compile cache): no checks. @name_expressions and @lowered_names are
 * parallel and may be NULL. */
CudaObjObjectCode *cuda_obj_object_code_new_internal (GBytes *code, CudaObjCodeType code_type,
                                                      const char *name, const char *const *name_expressions,
                                                      const char *const *lowered_names);

/* TRUE for code that was checked or made by a compiler; else FALSE with
 * CUDA_OBJ_ERROR_NOT_INITIALIZED naming @func. */
gboolean cuda_obj_object_code_require_initialized (CudaObjObjectCode *self, const char *func, GError **error);

/* Checks that @code looks like @code_type (magic numbers, text for PTX). */
gboolean cuda_obj_object_code_check (GBytes *code, CudaObjCodeType code_type, GError **error);

G_END_DECLS
