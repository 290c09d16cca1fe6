/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding and loading the CUDA driver and JIT libraries. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjLibrary:
 * @CUDA_OBJ_LIBRARY_DRIVER: the CUDA driver, `libcuda.so.1`
 * @CUDA_OBJ_LIBRARY_NVRTC: NVRTC, the runtime C++ compiler, `libnvrtc.so`
 * @CUDA_OBJ_LIBRARY_NVJITLINK: nvJitLink, the JIT linker, `libnvJitLink.so`
 * @CUDA_OBJ_LIBRARY_NVVM: libNVVM, the NVVM IR compiler, `libnvvm.so`
 *
 * The CUDA libraries libcudaobj loads at run time. None is linked: each is
 * found and opened on first use, so that programs start, and report a clear
 * [struct@GLib.Error], on machines that lack one.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_LIBRARY_DRIVER,
  CUDA_OBJ_LIBRARY_NVRTC,
  CUDA_OBJ_LIBRARY_NVJITLINK,
  CUDA_OBJ_LIBRARY_NVVM,
} CudaObjLibrary;

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_library_load (CudaObjLibrary library, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_library_is_loaded (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_library_get_path (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_library_get_override_variable (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_library_get_search_paths (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_get_driver_version (int *major, int *minor, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_get_nvrtc_version (int *major, int *minor, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_get_header_version (void);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_get_loader_report (void);

G_END_DECLS
