/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the compile engine behind CudaObjProgram.
 *
 * A CudaObjCompileJob is a snapshot of one compile: the code, a copy of the
 * options, the target, the name expressions, the in-memory headers and the
 * cache, taken in the calling thread. It then runs anywhere (in the caller,
 * or in a GTask worker for compile_async) without touching the Program:
 * renders the compilers' command lines, computes the cache key, and either
 * takes the result from the cache or runs NVRTC, libNVVM and nvJitLink. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

typedef struct _CudaObjCompileJob CudaObjCompileJob;

/* Copies what it is given. @code is NULL for a program made without any
 * (then the job fails with CUDA_OBJ_ERROR_NOT_INITIALIZED); the string
 * arrays may be NULL for none; @cache NULL to compile without one. */
CudaObjCompileJob *cuda_obj_compile_job_new (GBytes *code, CudaObjProgramCodeType code_type,
                                             CudaObjProgramOptions *options, CudaObjCodeType target,
                                             const char *const *name_expressions,
                                             const char *const *header_names,
                                             const char *const *header_contents, CudaObjCompileCache *cache);

void cuda_obj_compile_job_free (CudaObjCompileJob *job);

/* Compiles, or takes the result from the cache. Errors as documented for
 * cuda_obj_program_compile(). */
CudaObjObjectCode *cuda_obj_compile_job_run (CudaObjCompileJob *job, GError **error);

/* The compilers' log of the last run, or the one restored from the cache;
 * "" before a run. */
const char *cuda_obj_compile_job_get_log (CudaObjCompileJob *job);

/* The cache key of the last run when it read or wrote the cache, else NULL
 * (no cache, the cache off, options with side effects, a failed compile). */
const char *cuda_obj_compile_job_get_cache_key (CudaObjCompileJob *job);

/* What the last run found on the machine rather than was given (the
 * toolkit's include directories, libdevice) as a string; equal to what
 * cuda_obj_compile_job_find_files() gives while those stay the same. */
const char *cuda_obj_compile_job_get_found_files (CudaObjCompileJob *job);

/* What a compile of @code_type with @options would find now, as
 * cuda_obj_compile_job_get_found_files() gives it. */
char *cuda_obj_compile_job_find_files (CudaObjProgramCodeType code_type, CudaObjProgramOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CudaObjCompileJob, cuda_obj_compile_job_free)

G_END_DECLS
