/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: nvJitLink's link options as GObject properties.
 *
 * Like ProgramOptions: a table of options, a GValue per property, and an
 * argv that holds only what differs from nvJitLink's defaults. */
#include "config.h"

#include "cudaobj-linker-options.h"
#include "cudaobj-program-options-private.h"
#include "cudaobj-options-private.h"

typedef struct
{
  const char *name;
  CudaObjOptionKind kind;
  /* printf format of the option, given the value (strings and ints), 0 or 1
   * (booleans, rendered when off their default), or each item (arrays);
   * NULL for verbatim items. */
  const char *format;
  int default_value;
  int minimum, maximum;
} OptionSpec;

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

static const OptionSpec specs[N_PROPS] = {
  /**
   * CudaObjLinkerOptions:arch:
   *
   * The architecture to link for (`-arch`): "sm_90" or "90"; "compute_90"
   * only with [property@CudaObj.LinkerOptions:ptx]. When %NULL, the architecture of
   * device 0 is used; linking without a device then needs it set.
   *
   * Since: 1.0
   */
  [PROP_ARCH] = { "arch", CUDA_OBJ_OPTION_STRING, "-arch=%s" },
  /**
   * CudaObjLinkerOptions:max-register-count:
   *
   * The most registers a thread may use (`-maxrregcount`); 0 for no limit.
   *
   * Since: 1.0
   */
  [PROP_MAX_REGISTER_COUNT]
  = { "max-register-count", CUDA_OBJ_OPTION_INT, "-maxrregcount=%d", 0, 0, G_MAXINT },
  /**
   * CudaObjLinkerOptions:time:
   *
   * Print how long each step took to the info log (`-time`).
   *
   * Since: 1.0
   */
  [PROP_TIME] = { "time", CUDA_OBJ_OPTION_BOOLEAN, "-time", FALSE },
  /**
   * CudaObjLinkerOptions:verbose:
   *
   * Print what the linker does to the info log (`-verbose`).
   *
   * Since: 1.0
   */
  [PROP_VERBOSE] = { "verbose", CUDA_OBJ_OPTION_BOOLEAN, "-verbose", FALSE },
  /**
   * CudaObjLinkerOptions:link-time-optimization:
   *
   * Optimize across the linked LTO-IR units (`-lto`); needed to link LTO-IR.
   *
   * Since: 1.0
   */
  [PROP_LINK_TIME_OPTIMIZATION] = { "link-time-optimization", CUDA_OBJ_OPTION_BOOLEAN, "-lto", FALSE },
  /**
   * CudaObjLinkerOptions:ptx:
   *
   * Make PTX instead of a CUBIN (`-ptx`); needs
   * [property@CudaObj.LinkerOptions:link-time-optimization].
   *
   * Since: 1.0
   */
  [PROP_PTX] = { "ptx", CUDA_OBJ_OPTION_BOOLEAN, "-ptx", FALSE },
  /**
   * CudaObjLinkerOptions:optimization-level:
   *
   * The optimization level (`-O`): 0 or 3; -1 for nvJitLink's default.
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZATION_LEVEL] = { "optimization-level", CUDA_OBJ_OPTION_INT, "-O%d", -1, -1, 3 },
  /**
   * CudaObjLinkerOptions:debug:
   *
   * Generate debug information (`-g`).
   *
   * Since: 1.0
   */
  [PROP_DEBUG] = { "debug", CUDA_OBJ_OPTION_BOOLEAN, "-g", FALSE },
  /**
   * CudaObjLinkerOptions:lineinfo:
   *
   * Generate line-number information (`-lineinfo`).
   *
   * Since: 1.0
   */
  [PROP_LINEINFO] = { "lineinfo", CUDA_OBJ_OPTION_BOOLEAN, "-lineinfo", FALSE },
  /**
   * CudaObjLinkerOptions:ftz:
   *
   * Flush single-precision denormals to zero (`-ftz=1`), for link-time optimization.
   *
   * Since: 1.0
   */
  [PROP_FTZ] = { "ftz", CUDA_OBJ_OPTION_BOOLEAN, "-ftz=%d", FALSE },
  /**
   * CudaObjLinkerOptions:prec-div:
   *
   * IEEE single-precision division; %FALSE for a faster approximation (`-prec-div=0`).
   *
   * Since: 1.0
   */
  [PROP_PREC_DIV] = { "prec-div", CUDA_OBJ_OPTION_BOOLEAN, "-prec-div=%d", TRUE },
  /**
   * CudaObjLinkerOptions:prec-sqrt:
   *
   * IEEE single-precision square root; %FALSE for a faster approximation (`-prec-sqrt=0`).
   *
   * Since: 1.0
   */
  [PROP_PREC_SQRT] = { "prec-sqrt", CUDA_OBJ_OPTION_BOOLEAN, "-prec-sqrt=%d", TRUE },
  /**
   * CudaObjLinkerOptions:fma:
   *
   * Contract multiplies and adds into fused multiply-adds; %FALSE to forbid it (`-fma=0`).
   *
   * Since: 1.0
   */
  [PROP_FMA] = { "fma", CUDA_OBJ_OPTION_BOOLEAN, "-fma=%d", TRUE },
  /**
   * CudaObjLinkerOptions:kernels-used:
   *
   * The kernels the application uses (`-kernels-used`); others may be removed.
   *
   * Since: 1.0
   */
  [PROP_KERNELS_USED] = { "kernels-used", CUDA_OBJ_OPTION_STRV, "-kernels-used=%s" },
  /**
   * CudaObjLinkerOptions:variables-used:
   *
   * The device variables the application uses (`-variables-used`); others may be removed.
   *
   * Since: 1.0
   */
  [PROP_VARIABLES_USED] = { "variables-used", CUDA_OBJ_OPTION_STRV, "-variables-used=%s" },
  /**
   * CudaObjLinkerOptions:optimize-unused-variables:
   *
   * Remove device variables no device code references (`-optimize-unused-variables`).
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZE_UNUSED_VARIABLES]
  = { "optimize-unused-variables", CUDA_OBJ_OPTION_BOOLEAN, "-optimize-unused-variables", FALSE },
  /**
   * CudaObjLinkerOptions:ptxas-options:
   *
   * Options for ptxas, the PTX assembler (one `-Xptxas` each).
   *
   * Since: 1.0
   */
  [PROP_PTXAS_OPTIONS] = { "ptxas-options", CUDA_OBJ_OPTION_STRV, "-Xptxas=%s" },
  /**
   * CudaObjLinkerOptions:split-compile:
   *
   * Threads for split compilation (`-split-compile`); 0 for as many as there
   * are processors, 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE] = { "split-compile", CUDA_OBJ_OPTION_INT, "-split-compile=%d", 1, 0, G_MAXINT },
  /**
   * CudaObjLinkerOptions:split-compile-extended:
   *
   * Threads for the more aggressive split compilation of LTO
   * (`-split-compile-extended`); 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE_EXTENDED]
  = { "split-compile-extended", CUDA_OBJ_OPTION_INT, "-split-compile-extended=%d", 1, 0, G_MAXINT },
  /**
   * CudaObjLinkerOptions:jump-table-density:
   *
   * With LTO, the case density, in percent, from which a switch becomes a
   * jump table (`-jump-table-density`); 101, the default, for never.
   *
   * Since: 1.0
   */
  [PROP_JUMP_TABLE_DENSITY]
  = { "jump-table-density", CUDA_OBJ_OPTION_INT, "-jump-table-density=%d", 101, 0, 101 },
  /**
   * CudaObjLinkerOptions:no-cache:
   *
   * Do not cache nvJitLink's intermediate steps (`-no-cache`).
   *
   * Since: 1.0
   */
  [PROP_NO_CACHE] = { "no-cache", CUDA_OBJ_OPTION_BOOLEAN, "-no-cache", FALSE },
  /**
   * CudaObjLinkerOptions:device-stack-protector:
   *
   * Put stack canaries in device code (`-device-stack-protector`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_STACK_PROTECTOR]
  = { "device-stack-protector", CUDA_OBJ_OPTION_BOOLEAN, "-device-stack-protector", FALSE },
  /**
   * CudaObjLinkerOptions:extra-options:
   *
   * Further nvJitLink options, passed as they are after all others.
   *
   * Since: 1.0
   */
  [PROP_EXTRA_OPTIONS] = { "extra-options", CUDA_OBJ_OPTION_STRV, NULL },
};

struct _CudaObjLinkerOptions
{
  GObject parent_instance;

  GValue values[N_PROPS];
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjLinkerOptions:
 *
 * The options of a [class@CudaObj.Linker]: every nvJitLink option as a property,
 * at nvJitLink's default unless set, such as
 * `CudaObj.LinkerOptions(arch="sm_90", link_time_optimization=True)`.
 * [method@CudaObj.LinkerOptions.to_argv] shows the command line they make.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjLinkerOptions, cuda_obj_linker_options, G_TYPE_OBJECT)

static void
cuda_obj_linker_options_finalize (GObject *object)
{
  CudaObjLinkerOptions *self = CUDA_OBJ_LINKER_OPTIONS (object);

  cuda_obj_option_values_unset (self->values, N_PROPS);
  G_OBJECT_CLASS (cuda_obj_linker_options_parent_class)->finalize (object);
}

static void
cuda_obj_linker_options_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjLinkerOptions *self = CUDA_OBJ_LINKER_OPTIONS (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (&self->values[prop_id], value);
}

static void
cuda_obj_linker_options_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjLinkerOptions *self = CUDA_OBJ_LINKER_OPTIONS (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (cuda_obj_option_value_set (&self->values[prop_id], value, pspec))
    g_object_notify_by_pspec (object, pspec);
}

static void
cuda_obj_linker_options_class_init (CudaObjLinkerOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_linker_options_finalize;
  object_class->get_property = cuda_obj_linker_options_get_property;
  object_class->set_property = cuda_obj_linker_options_set_property;

  for (guint i = 1; i < N_PROPS; i++)
    properties[i] = cuda_obj_option_param_spec (specs[i].name, specs[i].kind, NULL, specs[i].default_value,
                                                specs[i].minimum, specs[i].maximum);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_linker_options_init (CudaObjLinkerOptions *self)
{
  cuda_obj_option_values_init (self->values, properties, N_PROPS);
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
  cuda_obj_option_values_copy (self->values, copy->values, N_PROPS);
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
 *   %NULL with @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a malformed
 *   architecture, or none given with no device to take it from)
 *
 * Since: 1.0
 */
char **
cuda_obj_linker_options_to_argv (CudaObjLinkerOptions *self, GError **error)
{
  g_autoptr (GPtrArray) argv = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_LINKER_OPTIONS (self), NULL);

  argv = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; i < N_PROPS; i++)
    {
      const OptionSpec *spec = &specs[i];
      const GValue *value = &self->values[i];

      if (i == PROP_ARCH)
        {
          g_autofree char *number = NULL;
          gboolean is_virtual = FALSE;

          if (!cuda_obj_arch_resolve (g_value_get_string (value), &number, &is_virtual, error))
            return NULL;
          g_ptr_array_add (argv, g_strdup_printf ("-arch=%s_%s", is_virtual ? "compute" : "sm", number));
          continue;
        }
      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_STRING:
          if (g_value_get_string (value) != NULL && *g_value_get_string (value) != '\0')
            g_ptr_array_add (argv, g_strdup_printf (spec->format, g_value_get_string (value)));
          break;
        case CUDA_OBJ_OPTION_INT:
          if (g_value_get_int (value) != spec->default_value)
            g_ptr_array_add (argv, g_strdup_printf (spec->format, g_value_get_int (value)));
          break;
        case CUDA_OBJ_OPTION_BOOLEAN:
          if (g_value_get_boolean (value) != spec->default_value)
            g_ptr_array_add (argv, g_strdup_printf (spec->format, g_value_get_boolean (value) ? 1 : 0));
          break;
        case CUDA_OBJ_OPTION_STRV:
          if (spec->format == NULL)
            break; /* extra-options, last */
          for (const char *const *item = g_value_get_boxed (value); item != NULL && *item != NULL; item++)
            g_ptr_array_add (argv, g_strdup_printf (spec->format, *item));
          break;
        }
    }
  for (const char *const *item = g_value_get_boxed (&self->values[PROP_EXTRA_OPTIONS]);
       item != NULL && *item != NULL; item++)
    g_ptr_array_add (argv, g_strdup (*item));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}
