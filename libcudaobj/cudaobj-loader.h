/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding and loading the CUDA driver and JIT libraries. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib.h>
#include "cudaobj-version.h"
#include "cudaobj-library.h"

G_BEGIN_DECLS

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_get_driver_version (int *major, int *minor, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_get_nvrtc_version (int *major, int *minor, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_get_header_version (void);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_get_loader_report (void);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_driver_get_proc (const char *name, int cuda_version, GError **error);

G_END_DECLS
