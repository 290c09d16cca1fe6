/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what Program and the linker need from ProgramOptions, and the
 * architecture parsing they share. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* Parses an architecture as users write it ("sm_90", "compute_90a", "90",
 * "100f") into its number with any suffix ("90a") and whether it names a
 * virtual (compute_) architecture. A bare number is a real architecture.
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT for anything else. */
gboolean cuda_obj_arch_parse (const char *arch, char **number, gboolean *is_virtual, GError **error);

/* As cuda_obj_arch_parse(), taking device 0's architecture when @arch is
 * NULL or empty; CUDA_OBJ_ERROR_INVALID_ARGUMENT, saying why there is no
 * device, when there is none to take it from. */
gboolean cuda_obj_arch_resolve (const char *arch, char **number, gboolean *is_virtual, GError **error);

/* The options libNVVM understands, for an NVVM IR program: -arch=compute_NN,
 * -g/-opt, -ftz, -prec-sqrt, -prec-div, -fma, -jump-table-density, -gen-lto
 * when @lto, then extra-options as given. */
char **cuda_obj_program_options_to_nvvm_argv (CudaObjProgramOptions *self, gboolean lto, GError **error);

G_END_DECLS
