/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the library search that the loader and the finders share. */
#pragma once

#include "cudaobj.h"

G_BEGIN_DECLS

#define CUDA_OBJ_LIBRARY_N (CUDA_OBJ_LIBRARY_NVML + 1)

typedef struct
{
  char *path;         /* absolute, or a bare soname for the dynamic linker's search */
  const char *origin; /* which step of the search produced it, e.g. "CUDA_PATH" */
  int cuda_major;     /* the CUDA major version it was made for, 0 when unknown */
} CudaObjLibraryCandidate;

/* Every candidate for @library in search order (CudaObjLibraryCandidate,
 * freed with the array). */
GPtrArray *cuda_obj_library_candidates (CudaObjLibrary library);

/* Why @candidate cannot be used with this driver ("made for CUDA 13, the
 * driver supports CUDA 12.4"), or NULL when it can or when that is unknown. */
char *cuda_obj_library_candidate_mismatch (const CudaObjLibraryCandidate *candidate);

/* cuda_obj_find_include_dirs()'s answer, searched again only when what
 * the search depends on changed (the site directories, CONDA_PREFIX,
 * CUDA_PATH, CUDA_HOME), not when files appear or go (a wheel installed
 * into a known site directory is seen by the next process, as the loaded
 * libraries are): a repeated compile asks this on its hot path. NULL when
 * none is found. */
char **cuda_obj_find_include_dirs_cached (void);

/* The name the search shows in messages, such as "NVRTC". */
const char *cuda_obj_library_display_name (CudaObjLibrary library);

/* TRUE for the driver, which only its override and the dynamic linker's search find. */
gboolean cuda_obj_library_is_system_only (CudaObjLibrary library);

/* Pretends the driver supports CUDA @major (0: ask the driver), for tests of
 * the version check on machines without a driver. */
void cuda_obj_library_set_driver_major_for_testing (int major);

/* The file the dynamic linker would open for the bare @soname, without
 * opening it: already loaded, LD_LIBRARY_PATH, the ld.so cache, the default
 * directories. NULL when none. */
char *cuda_obj_library_resolve_soname (const char *soname);

G_END_DECLS
