/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the nvJitLink run that Linker and Program share. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* Links @inputs (CudaObjObjectCode) with nvJitLink options @argv (for
 * architecture @arch, which error messages name) into a
 * CUBIN, or PTX when @ptx. The logs come back in @info_log and @error_log
 * (both optional, "" when empty) whatever happens. A failure is an error
 * of @error_code (CUDA_OBJ_ERROR_LINK, or _COMPILE when a Program assembles
 * PTX) whose message carries the error log. */
CudaObjObjectCode *cuda_obj_link_run (const char *const *argv, const char *arch, GPtrArray *inputs,
                                      gboolean ptx, const char *output_name, CudaObjError error_code,
                                      char **info_log, char **error_log, GError **error);

G_END_DECLS
