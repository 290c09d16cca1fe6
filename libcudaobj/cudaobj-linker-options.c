/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: nvJitLink's link options as GObject properties.
 *
 * Like ProgramOptions: a table of options over typed fields
 * (CudaObjLinkerOptionsFields), and an argv that holds only what differs
 * from nvJitLink's defaults. */
#include "config.h"

#include "cudaobj-linker-options.h"
#include "cudaobj-linker-options-private.h"

#define CUDA_OBJ_OPTION_FIELDS CudaObjLinkerOptionsFields

enum
{
  PROP_0,
  PROP_ARCH,
  PROP_MAX_REGISTER_COUNT,
  PROP_TIME,
  PROP_VERBOSE,
  PROP_LINK_TIME_OPTIMIZATION,
  PROP_PTX,
  PROP_OPTIMIZATION_LEVEL,
  PROP_DEBUG,
  PROP_LINEINFO,
  PROP_FTZ,
  PROP_PREC_DIV,
  PROP_PREC_SQRT,
  PROP_FMA,
  PROP_KERNELS_USED,
  PROP_VARIABLES_USED,
  PROP_OPTIMIZE_UNUSED_VARIABLES,
  PROP_PTXAS_OPTIONS,
  PROP_SPLIT_COMPILE,
  PROP_SPLIT_COMPILE_EXTENDED,
  PROP_JUMP_TABLE_DENSITY,
  PROP_NO_CACHE,
  PROP_DEVICE_STACK_PROTECTOR,
  PROP_EXTRA_OPTIONS,
  N_PROPS
};

static const CudaObjOptionSpec specs[N_PROPS] = {
  /**
   * CudaObjLinkerOptions:arch:
   *
   * The architecture to link for (`-arch`): "sm_90" or "90"; "compute_90"
   * only with [property@CudaObj.LinkerOptions:ptx]. When %NULL, the architecture of
   * device 0 is used; linking without a device then needs it set.
   *
   * Since: 1.0
   */
  [PROP_ARCH] = ARCH_OPTION ("arch", arch, "-arch=%s"),
  /**
   * CudaObjLinkerOptions:max-register-count:
   *
   * The most registers a thread may use (`-maxrregcount`); 0 for no limit.
   *
   * Since: 1.0
   */
  [PROP_MAX_REGISTER_COUNT]
  = INT_OPTION ("max-register-count", max_register_count, "-maxrregcount=%d", 0, 0, G_MAXINT),
  /**
   * CudaObjLinkerOptions:time:
   *
   * Print how long each step took to the info log (`-time`).
   *
   * Since: 1.0
   */
  [PROP_TIME] = SWITCH_OPTION ("time", time, "-time"),
  /**
   * CudaObjLinkerOptions:verbose:
   *
   * Print what the linker does to the info log (`-verbose`).
   *
   * Since: 1.0
   */
  [PROP_VERBOSE] = SWITCH_OPTION ("verbose", verbose, "-verbose"),
  /**
   * CudaObjLinkerOptions:link-time-optimization:
   *
   * Optimize across the linked LTO-IR units (`-lto`); needed to link LTO-IR.
   *
   * Since: 1.0
   */
  [PROP_LINK_TIME_OPTIMIZATION] = SWITCH_OPTION ("link-time-optimization", link_time_optimization, "-lto"),
  /**
   * CudaObjLinkerOptions:ptx:
   *
   * Make PTX instead of a CUBIN (`-ptx`); needs
   * [property@CudaObj.LinkerOptions:link-time-optimization].
   *
   * Since: 1.0
   */
  [PROP_PTX] = SWITCH_OPTION ("ptx", ptx, "-ptx"),
  /**
   * CudaObjLinkerOptions:optimization-level:
   *
   * The optimization level (`-O`): 0 or 3; -1 for nvJitLink's default.
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZATION_LEVEL] = INT_OPTION ("optimization-level", optimization_level, "-O%d", -1, -1, 3),
  /**
   * CudaObjLinkerOptions:debug:
   *
   * Generate debug information (`-g`).
   *
   * Since: 1.0
   */
  [PROP_DEBUG] = SWITCH_OPTION ("debug", debug, "-g"),
  /**
   * CudaObjLinkerOptions:lineinfo:
   *
   * Generate line-number information (`-lineinfo`).
   *
   * Since: 1.0
   */
  [PROP_LINEINFO] = SWITCH_OPTION ("lineinfo", lineinfo, "-lineinfo"),
  /**
   * CudaObjLinkerOptions:ftz:
   *
   * Flush single-precision denormals to zero (`-ftz=1`), for link-time optimization.
   *
   * Since: 1.0
   */
  [PROP_FTZ] = BOOL_OPTION ("ftz", ftz, "-ftz=1", "-ftz=0", FALSE),
  /**
   * CudaObjLinkerOptions:prec-div:
   *
   * IEEE single-precision division; %FALSE for a faster approximation (`-prec-div=0`).
   *
   * Since: 1.0
   */
  [PROP_PREC_DIV] = BOOL_OPTION ("prec-div", prec_div, "-prec-div=1", "-prec-div=0", TRUE),
  /**
   * CudaObjLinkerOptions:prec-sqrt:
   *
   * IEEE single-precision square root; %FALSE for a faster approximation (`-prec-sqrt=0`).
   *
   * Since: 1.0
   */
  [PROP_PREC_SQRT] = BOOL_OPTION ("prec-sqrt", prec_sqrt, "-prec-sqrt=1", "-prec-sqrt=0", TRUE),
  /**
   * CudaObjLinkerOptions:fma:
   *
   * Contract multiplies and adds into fused multiply-adds; %FALSE to forbid it (`-fma=0`).
   *
   * Since: 1.0
   */
  [PROP_FMA] = BOOL_OPTION ("fma", fma, "-fma=1", "-fma=0", TRUE),
  /**
   * CudaObjLinkerOptions:kernels-used:
   *
   * The kernels the application uses (`-kernels-used`); others may be removed.
   *
   * Since: 1.0
   */
  [PROP_KERNELS_USED] = STRV_OPTION ("kernels-used", kernels_used, "-kernels-used=%s"),
  /**
   * CudaObjLinkerOptions:variables-used:
   *
   * The device variables the application uses (`-variables-used`); others may be removed.
   *
   * Since: 1.0
   */
  [PROP_VARIABLES_USED] = STRV_OPTION ("variables-used", variables_used, "-variables-used=%s"),
  /**
   * CudaObjLinkerOptions:optimize-unused-variables:
   *
   * Remove device variables no device code references (`-optimize-unused-variables`).
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZE_UNUSED_VARIABLES]
  = SWITCH_OPTION ("optimize-unused-variables", optimize_unused_variables, "-optimize-unused-variables"),
  /**
   * CudaObjLinkerOptions:ptxas-options:
   *
   * Options for ptxas, the PTX assembler (one `-Xptxas` each).
   *
   * Since: 1.0
   */
  [PROP_PTXAS_OPTIONS] = STRV_OPTION ("ptxas-options", ptxas_options, "-Xptxas=%s"),
  /**
   * CudaObjLinkerOptions:split-compile:
   *
   * Threads for split compilation (`-split-compile`); 0 for as many as there
   * are processors, 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE] = INT_OPTION ("split-compile", split_compile, "-split-compile=%d", 1, 0, G_MAXINT),
  /**
   * CudaObjLinkerOptions:split-compile-extended:
   *
   * Threads for the more aggressive split compilation of LTO
   * (`-split-compile-extended`); 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE_EXTENDED] = INT_OPTION ("split-compile-extended", split_compile_extended,
                                              "-split-compile-extended=%d", 1, 0, G_MAXINT),
  /**
   * CudaObjLinkerOptions:jump-table-density:
   *
   * With LTO, the case density, in percent, from which a switch becomes a
   * jump table (`-jump-table-density`); 101, the default, for never.
   *
   * Since: 1.0
   */
  [PROP_JUMP_TABLE_DENSITY]
  = INT_OPTION ("jump-table-density", jump_table_density, "-jump-table-density=%d", 101, 0, 101),
  /**
   * CudaObjLinkerOptions:no-cache:
   *
   * Do not cache nvJitLink's intermediate steps (`-no-cache`).
   *
   * Since: 1.0
   */
  [PROP_NO_CACHE] = SWITCH_OPTION ("no-cache", no_cache, "-no-cache"),
  /**
   * CudaObjLinkerOptions:device-stack-protector:
   *
   * Put stack canaries in device code (`-device-stack-protector`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_STACK_PROTECTOR]
  = SWITCH_OPTION ("device-stack-protector", device_stack_protector, "-device-stack-protector"),
  /**
   * CudaObjLinkerOptions:extra-options:
   *
   * Further nvJitLink options, passed as they are after all others.
   *
   * Since: 1.0
   */
  [PROP_EXTRA_OPTIONS] = VERBATIM_OPTION ("extra-options", extra_options),
};

static GParamSpec *properties[N_PROPS];

static CudaObjOptionTable table = {
  specs,
  N_PROPS,
  G_STRUCT_OFFSET (CudaObjLinkerOptions, fields),
  properties,
  G_STRUCT_OFFSET (CudaObjLinkerOptions, generation),
};

/**
 * CudaObjLinkerOptions:
 *
 * The options of a [class@CudaObj.Linker]: every nvJitLink option as a property,
 * at nvJitLink's default unless set, such as
 * `CudaObj.LinkerOptions(arch="sm_90", link_time_optimization=True)`.
 * [method@CudaObj.LinkerOptions.to_argv] shows the command line they make.
 * Values are checked when the options are used: a number out of its
 * option's range, such as a negative
 * [property@CudaObj.LinkerOptions:max-register-count], is then a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT error naming the option.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjLinkerOptions, cuda_obj_linker_options, G_TYPE_OBJECT)

static void
cuda_obj_linker_options_class_init (CudaObjLinkerOptionsClass *klass)
{
  cuda_obj_option_table_install (&table, G_OBJECT_CLASS (klass));
}

static void
cuda_obj_linker_options_init (CudaObjLinkerOptions *self)
{
  cuda_obj_option_fields_init (&table, &self->fields);
}

const CudaObjOptionTable *
cuda_obj_linker_options_get_table (void)
{
  return &table;
}

void
cuda_obj_linker_options_fields_init (CudaObjLinkerOptionsFields *fields)
{
  cuda_obj_option_fields_init (&table, fields);
}

void
cuda_obj_linker_options_fields_clear (CudaObjLinkerOptionsFields *fields)
{
  cuda_obj_option_fields_clear (&table, fields);
}

char **
cuda_obj_linker_options_render (const CudaObjLinkerOptionsFields *fields, GError **error)
{
  return cuda_obj_option_fields_render (&table, fields, error);
}

/**
 * cuda_obj_linker_options_new:
 *
 * Makes options at nvJitLink's defaults, for the architecture of device 0.
 *
 * Returns: (transfer full): new options
 *
 * Since: 1.0
 */
CudaObjLinkerOptions *
cuda_obj_linker_options_new (void)
{
  return g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, NULL);
}

/**
 * cuda_obj_linker_options_copy:
 * @self: a [class@CudaObj.LinkerOptions]
 *
 * Makes independent options with the same values.
 *
 * Returns: (transfer full): the copy
 *
 * Since: 1.0
 */
CudaObjLinkerOptions *
cuda_obj_linker_options_copy (CudaObjLinkerOptions *self)
{
  CudaObjLinkerOptions *copy;

  g_return_val_if_fail (CUDA_OBJ_IS_LINKER_OPTIONS (self), NULL);
  copy = cuda_obj_linker_options_new ();
  cuda_obj_option_fields_copy (&table, &self->fields, &copy->fields);
  return copy;
}

/**
 * cuda_obj_linker_options_to_argv:
 * @self: a [class@CudaObj.LinkerOptions]
 * @error: return location for a [struct@GLib.Error]
 *
 * Renders the options as the command line nvJitLink gets, such as
 * `["-arch=sm_90", "-lto"]`: the architecture first, then every option that
 * differs from nvJitLink's default, then [property@CudaObj.LinkerOptions:extra-options].
 *
 * Returns: (transfer full) (array zero-terminated=1): the arguments, or
 *   %NULL with @error set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a malformed
 *   architecture, none given with no device to take it from, or a number
 *   out of its option's range (the message names the option)
 *
 * Since: 1.0
 */
char **
cuda_obj_linker_options_to_argv (CudaObjLinkerOptions *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER_OPTIONS (self), NULL);

  return cuda_obj_linker_options_render (&self->fields, error);
}
