/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: LinkerOptions' values as typed fields, for the Linker and
 * for the compile engine's PTX assembly, and their renderer. */
#pragma once

#include "cudaobj-loader-private.h"
#include "cudaobj-options-private.h"

G_BEGIN_DECLS

/* One field per property, named as the property with underscores; the
 * defaults are nvJitLink's (see the table in cudaobj-linker-options.c). */
typedef struct
{
  char *arch;
  int max_register_count;
  gboolean time;
  gboolean verbose;
  gboolean link_time_optimization;
  gboolean ptx;
  int optimization_level;
  gboolean debug;
  gboolean lineinfo;
  gboolean ftz;
  gboolean prec_div;
  gboolean prec_sqrt;
  gboolean fma;
  char **kernels_used;
  char **variables_used;
  gboolean optimize_unused_variables;
  char **ptxas_options;
  int split_compile;
  int split_compile_extended;
  int jump_table_density;
  gboolean no_cache;
  gboolean device_stack_protector;
  char **extra_options;
} CudaObjLinkerOptionsFields;

struct _CudaObjLinkerOptions
{
  GObject parent_instance;

  CudaObjLinkerOptionsFields fields;
  guint generation; /* counts changes of the fields */
};

/* The table of the options, for a fuzzer that fills fields itself. */
const CudaObjOptionTable *cuda_obj_linker_options_get_table (void);

/* Sets @fields to the defaults, for options made without an object. */
void cuda_obj_linker_options_fields_init (CudaObjLinkerOptionsFields *fields);

/* Frees what @fields owns. */
void cuda_obj_linker_options_fields_clear (CudaObjLinkerOptionsFields *fields);

/* nvJitLink's command line for @fields, as cuda_obj_linker_options_to_argv()
 * renders it. */
char **cuda_obj_linker_options_render (const CudaObjLinkerOptionsFields *fields, GError **error);

G_END_DECLS
