/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: ProgramOptions' values as typed fields, for the compile
 * engine (cudaobj-compile-job.c), and the renderers of its command lines. */
#pragma once

#include "cudaobj-loader-private.h"
#include "cudaobj-options-private.h"

G_BEGIN_DECLS

/* One field per property, named as the property with underscores; the
 * defaults are NVRTC's (see the table in cudaobj-program-options.c). */
typedef struct
{
  char *name;
  char *arch;
  char *std;
  gboolean relocatable_device_code;
  gboolean extensible_whole_program;
  gboolean debug;
  gboolean lineinfo;
  gboolean device_code_optimize;
  char **ptxas_options;
  int max_register_count;
  gboolean ftz;
  gboolean prec_sqrt;
  gboolean prec_div;
  gboolean fmad;
  gboolean use_fast_math;
  gboolean extra_device_vectorization;
  gboolean link_time_optimization;
  gboolean gen_opt_lto;
  char **define_macro;
  char **undefine_macro;
  char **include_path;
  gboolean toolkit_include_dirs;
  char **pre_include;
  gboolean no_source_include;
  gboolean builtin_move_forward;
  gboolean builtin_initializer_list;
  gboolean disable_warnings;
  gboolean restrict_; /* restrict is a keyword */
  gboolean device_as_default_execution_space;
  gboolean device_int128;
  gboolean device_float128;
  char *optimization_info;
  gboolean no_display_error_number;
  char **diag_error;
  char **diag_suppress;
  char **diag_warn;
  gboolean brief_diagnostics;
  char *time;
  int split_compile;
  gboolean fdevice_syntax_only;
  gboolean minimal;
  gboolean no_cache;
  char *fdevice_time_trace;
  char *frandom_seed;
  char *ofast_compile;
  gboolean pch;
  char *create_pch;
  char *use_pch;
  char *pch_dir;
  gboolean pch_verbose;
  gboolean pch_messages;
  gboolean instantiate_templates_in_pch;
  gboolean modify_stack_limit;
  gboolean device_stack_protector;
  int jump_table_density;
  gboolean use_libdevice;
  char **extra_options;
} CudaObjProgramOptionsFields;

struct _CudaObjProgramOptions
{
  GObject parent_instance;

  CudaObjProgramOptionsFields fields;
  guint generation; /* counts changes of the fields */
};

/* The table of the options, for a fuzzer that fills fields itself. */
const CudaObjOptionTable *cuda_obj_program_options_get_table (void);

/* NVRTC's command line for @fields, as cuda_obj_program_options_to_argv()
 * renders it. */
char **cuda_obj_program_options_render (const CudaObjProgramOptionsFields *fields, GError **error);

/* The options libNVVM understands, for an NVVM IR program: -arch=compute_NN,
 * -g/-opt, -ftz, -prec-sqrt, -prec-div, -fma, -jump-table-density, -gen-lto
 * when @lto, then extra-options as given. */
char **cuda_obj_program_options_render_nvvm (const CudaObjProgramOptionsFields *fields, gboolean lto,
                                             GError **error);

/* Counts the changes of @self's options: equal counts, equal options. */
static inline guint
cuda_obj_program_options_get_generation (CudaObjProgramOptions *self)
{
  return self->generation;
}

G_END_DECLS
