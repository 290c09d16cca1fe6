/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: nvJitLink over ObjectCodes.
 *
 * A Linker collects inputs and links them all at once: each link() makes a
 * fresh nvJitLink handle, so a Linker can link again after adding more, and
 * a failed link leaves nothing half-done behind. */
#include "config.h"

#include <string.h>

#include "cudaobj-linker.h"
#include "cudaobj-linker-private.h"
#include "cudaobj-object-code-private.h"

struct _CudaObjLinker
{
  GObject parent_instance;

  CudaObjLinkerOptions *options;
  GPtrArray *inputs; /* CudaObjObjectCode */
  char *info_log;
  char *error_log;
};

enum
{
  PROP_0,
  PROP_OPTIONS,
  PROP_INFO_LOG,
  PROP_ERROR_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjLinker:
 *
 * Links device code with nvJitLink: relocatable CUBINs, PTX, fatbins, host
 * objects and libraries into one CUBIN, and LTO-IR units with link-time
 * optimization ([property@CudaObj.LinkerOptions:link-time-optimization]) into a CUBIN
 * or PTX.
 *
 * ```c
 * g_autoptr (CudaObjLinkerOptions) options =
 *   g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", "sm_90", "link-time-optimization", TRUE, NULL);
 * g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
 * cuda_obj_linker_add (linker, main_ltoir);
 * cuda_obj_linker_add (linker, helpers_ltoir);
 * g_autoptr (CudaObjObjectCode) cubin = cuda_obj_linker_link (linker, &error);
 * ```
 *
 * nvJitLink's messages are kept in [property@CudaObj.Linker:info-log] and
 * [property@CudaObj.Linker:error-log]; a failed link's error also carries the error log.
 *
 * A linker must not be used from several threads at once.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjLinker, cuda_obj_linker, G_TYPE_OBJECT)

static const char *
nvjitlink_result_name (nvJitLinkResult result)
{
  static const char *const names[] = {
    "NVJITLINK_SUCCESS",
    "NVJITLINK_ERROR_UNRECOGNIZED_OPTION",
    "NVJITLINK_ERROR_MISSING_ARCH",
    "NVJITLINK_ERROR_INVALID_INPUT",
    "NVJITLINK_ERROR_PTX_COMPILE",
    "NVJITLINK_ERROR_NVVM_COMPILE",
    "NVJITLINK_ERROR_INTERNAL",
    "NVJITLINK_ERROR_THREADPOOL",
    "NVJITLINK_ERROR_UNRECOGNIZED_INPUT",
    "NVJITLINK_ERROR_FINALIZE",
    "NVJITLINK_ERROR_NULL_INPUT",
    "NVJITLINK_ERROR_INCOMPATIBLE_OPTIONS",
    "NVJITLINK_ERROR_INCORRECT_INPUT_TYPE",
    "NVJITLINK_ERROR_ARCH_MISMATCH",
    "NVJITLINK_ERROR_OUTDATED_LIBRARY",
    "NVJITLINK_ERROR_MISSING_FATBIN",
    "NVJITLINK_ERROR_UNRECOGNIZED_ARCH",
    "NVJITLINK_ERROR_UNSUPPORTED_ARCH",
    "NVJITLINK_ERROR_LTO_NOT_ENABLED",
  };

  if ((guint) result < G_N_ELEMENTS (names))
    return names[result];
  return "unknown nvJitLink error";
}

static nvJitLinkInputType
input_type (CudaObjCodeType code_type)
{
  switch (code_type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN: return NVJITLINK_INPUT_CUBIN;
    case CUDA_OBJ_CODE_TYPE_PTX: return NVJITLINK_INPUT_PTX;
    case CUDA_OBJ_CODE_TYPE_LTOIR: return NVJITLINK_INPUT_LTOIR;
    case CUDA_OBJ_CODE_TYPE_FATBIN: return NVJITLINK_INPUT_FATBIN;
    case CUDA_OBJ_CODE_TYPE_OBJECT: return NVJITLINK_INPUT_OBJECT;
    case CUDA_OBJ_CODE_TYPE_LIBRARY: return NVJITLINK_INPUT_LIBRARY;
    default: return NVJITLINK_INPUT_ANY;
    }
}

static char *
read_log (const CudaObjNvJitLink *jit, nvJitLinkHandle handle, gboolean info)
{
  size_t size = 0;
  char *log;

  if (handle == NULL
      || (info ? jit->nvJitLinkGetInfoLogSize (handle, &size) : jit->nvJitLinkGetErrorLogSize (handle, &size))
             != NVJITLINK_SUCCESS
      || size == 0)
    return g_strdup ("");
  log = g_malloc0 (size + 1);
  if ((info ? jit->nvJitLinkGetInfoLog (handle, log) : jit->nvJitLinkGetErrorLog (handle, log))
      != NVJITLINK_SUCCESS)
    log[0] = '\0';
  g_strchomp (log);
  return log;
}

static const char *
find_arch (const char *const *argv)
{
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "-arch="))
      return argv[i] + strlen ("-arch=");
  return "(no arch)";
}

CudaObjObjectCode *
cuda_obj_link_run (const char *const *argv, GPtrArray *inputs, gboolean ptx, const char *output_name,
                   CudaObjError error_code, char **info_log, char **error_log, GError **error)
{
  const CudaObjNvJitLink *jit = cuda_obj_nvjitlink_get (error);
  nvJitLinkHandle handle = NULL;
  nvJitLinkResult result;
  g_autofree char *info = NULL;
  g_autofree char *errors = NULL;
  g_autoptr (GBytes) output = NULL;
  const char *failed_step = NULL;
  const char *failed_input = NULL;
  size_t size = 0;

  if (info_log != NULL)
    *info_log = g_strdup ("");
  if (error_log != NULL)
    *error_log = g_strdup ("");
  if (jit == NULL)
    return NULL;

  result = jit->nvJitLinkCreate (&handle, g_strv_length ((char **) argv), (const char **) argv);
  if (result != NVJITLINK_SUCCESS)
    failed_step = "nvJitLinkCreate";
  for (guint i = 0; failed_step == NULL && i < inputs->len; i++)
    {
      CudaObjObjectCode *code = inputs->pdata[i];
      CudaObjCodeType code_type = cuda_obj_object_code_get_code_type (code);
      gsize code_size = 0;
      const char *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &code_size);
      const char *name = cuda_obj_object_code_get_name (code);
      g_autofree char *fallback = g_strdup_printf ("input %u", i + 1);
      g_autofree char *terminated = NULL;

      /* nvJitLink reads PTX up to a NUL, whatever size it is given. */
      if (code_type == CUDA_OBJ_CODE_TYPE_PTX && data[code_size - 1] != '\0')
        {
          terminated = g_strndup (data, code_size);
          data = terminated;
          code_size++;
        }

      /* nvJitLink reports a bad input here and may go on to "succeed" at
       * nvJitLinkComplete, so an add that fails ends the link. */
      result = jit->nvJitLinkAddData (handle, input_type (code_type), data, code_size,
                                      name != NULL ? name : fallback);
      if (result != NVJITLINK_SUCCESS)
        {
          failed_step = "nvJitLinkAddData";
          failed_input = g_intern_string (name != NULL ? name : fallback);
        }
    }
  if (failed_step == NULL)
    {
      result = jit->nvJitLinkComplete (handle);
      if (result != NVJITLINK_SUCCESS)
        failed_step = "nvJitLinkComplete";
    }
  if (failed_step == NULL)
    {
      result = ptx ? jit->nvJitLinkGetLinkedPtxSize (handle, &size)
                   : jit->nvJitLinkGetLinkedCubinSize (handle, &size);
      if (result == NVJITLINK_SUCCESS && size > 0)
        {
          char *data = g_malloc (size);
          result
              = ptx ? jit->nvJitLinkGetLinkedPtx (handle, data) : jit->nvJitLinkGetLinkedCubin (handle, data);
          output = g_bytes_new_take (data, size);
        }
      if (result != NVJITLINK_SUCCESS)
        failed_step = ptx ? "nvJitLinkGetLinkedPtx" : "nvJitLinkGetLinkedCubin";
    }

  info = read_log (jit, handle, TRUE);
  errors = read_log (jit, handle, FALSE);
  if (handle != NULL)
    jit->nvJitLinkDestroy (&handle);
  if (info_log != NULL)
    {
      g_free (*info_log);
      *info_log = g_strdup (info);
    }
  if (error_log != NULL)
    {
      g_free (*error_log);
      *error_log = g_strdup (errors);
    }

  if (failed_step != NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, error_code, "nvJitLink %s failed for %s%s%s (%s)%s%s",
                   error_code == CUDA_OBJ_ERROR_LINK ? "link" : "assembly", find_arch (argv),
                   failed_input != NULL ? " at input " : "", failed_input != NULL ? failed_input : "",
                   nvjitlink_result_name (result), *errors != '\0' ? ":\n" : "", errors);
      return NULL;
    }
  if (output == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, error_code, "nvJitLink made no %s for %s%s%s",
                   ptx ? "PTX" : "CUBIN", find_arch (argv), *errors != '\0' ? ":\n" : "", errors);
      return NULL;
    }
  return cuda_obj_object_code_new_internal (output, ptx ? CUDA_OBJ_CODE_TYPE_PTX : CUDA_OBJ_CODE_TYPE_CUBIN,
                                            output_name, NULL, NULL);
}

static void
cuda_obj_linker_finalize (GObject *object)
{
  CudaObjLinker *self = CUDA_OBJ_LINKER (object);

  g_clear_object (&self->options);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_free (self->info_log);
  g_free (self->error_log);
  G_OBJECT_CLASS (cuda_obj_linker_parent_class)->finalize (object);
}

static void
cuda_obj_linker_constructed (GObject *object)
{
  CudaObjLinker *self = CUDA_OBJ_LINKER (object);

  G_OBJECT_CLASS (cuda_obj_linker_parent_class)->constructed (object);
  if (self->options == NULL)
    self->options = cuda_obj_linker_options_new ();
}

static void
cuda_obj_linker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjLinker *self = CUDA_OBJ_LINKER (object);

  switch (prop_id)
    {
    case PROP_OPTIONS: g_value_set_object (value, self->options); break;
    case PROP_INFO_LOG: g_value_set_string (value, self->info_log); break;
    case PROP_ERROR_LOG: g_value_set_string (value, self->error_log); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_linker_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjLinker *self = CUDA_OBJ_LINKER (object);

  switch (prop_id)
    {
    case PROP_OPTIONS:
      g_clear_object (&self->options);
      self->options = g_value_dup_object (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_linker_class_init (CudaObjLinkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_linker_finalize;
  object_class->constructed = cuda_obj_linker_constructed;
  object_class->get_property = cuda_obj_linker_get_property;
  object_class->set_property = cuda_obj_linker_set_property;

  /**
   * CudaObjLinker:options:
   *
   * The link options, read at each link; default options when none are given.
   *
   * Since: 1.0
   */
  properties[PROP_OPTIONS]
      = g_param_spec_object ("options", NULL, NULL, CUDA_OBJ_TYPE_LINKER_OPTIONS,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjLinker:info-log:
   *
   * nvJitLink's informational messages from the last link (with
   * [property@CudaObj.LinkerOptions:verbose] or [property@CudaObj.LinkerOptions:time]); empty
   * before the first. Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_INFO_LOG]
      = g_param_spec_string ("info-log", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjLinker:error-log:
   *
   * nvJitLink's error messages from the last link; empty when it succeeded
   * cleanly. Not notified.
   *
   * Since: 1.0
   */
  properties[PROP_ERROR_LOG]
      = g_param_spec_string ("error-log", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_linker_init (CudaObjLinker *self)
{
  self->inputs = g_ptr_array_new_with_free_func (g_object_unref);
  self->info_log = g_strdup ("");
  self->error_log = g_strdup ("");
}

/**
 * cuda_obj_linker_new:
 * @options: (nullable): link options, or %NULL for the defaults
 *
 * Makes a linker with no inputs yet. The linker keeps a reference to
 * @options and reads them at each link.
 *
 * Returns: (transfer full): the linker
 *
 * Since: 1.0
 */
CudaObjLinker *
cuda_obj_linker_new (CudaObjLinkerOptions *options)
{
  g_return_val_if_fail (options == NULL || CUDA_OBJ_IS_LINKER_OPTIONS (options), NULL);
  return g_object_new (CUDA_OBJ_TYPE_LINKER, "options", options, NULL);
}

/**
 * cuda_obj_linker_add:
 * @self: a [class@CudaObj.Linker]
 * @code: an input: CUBIN, PTX, LTO-IR, fatbin, host object or library
 *
 * Adds an input to the link. Inputs are handed to nvJitLink in the order
 * they were added, when [method@CudaObj.Linker.link] runs.
 *
 * Since: 1.0
 */
void
cuda_obj_linker_add (CudaObjLinker *self, CudaObjObjectCode *code)
{
  g_return_if_fail (CUDA_OBJ_IS_LINKER (self));
  g_return_if_fail (CUDA_OBJ_IS_OBJECT_CODE (code));
  g_ptr_array_add (self->inputs, g_object_ref (code));
}

/**
 * cuda_obj_linker_get_n_inputs:
 * @self: a [class@CudaObj.Linker]
 *
 * Gives how many inputs were added.
 *
 * Returns: how many inputs were added
 *
 * Since: 1.0
 */
guint
cuda_obj_linker_get_n_inputs (CudaObjLinker *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), 0);
  return self->inputs->len;
}

/**
 * cuda_obj_linker_link:
 * @self: a [class@CudaObj.Linker]
 * @error: return location for a [struct@GLib.Error]
 *
 * Links every input added so far into a CUBIN, or PTX with
 * [property@CudaObj.LinkerOptions:ptx]. The logs of the link are then in
 * [property@CudaObj.Linker:info-log] and [property@CudaObj.Linker:error-log].
 *
 * Returns: (transfer full): the linked code, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_LINK with nvJitLink's error log for a failed link (an
 *   undefined symbol, an input for another architecture, a bad option),
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when there are no inputs or no
 *   architecture, a loader error without nvJitLink
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_linker_link (CudaObjLinker *self, GError **error)
{
  g_auto (GStrv) argv = NULL;
  gboolean ptx = FALSE;

  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);

  if (self->inputs->len == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Nothing to link: add inputs with cuda_obj_linker_add() first");
      return NULL;
    }
  argv = cuda_obj_linker_options_to_argv (self->options, error);
  if (argv == NULL)
    return NULL;
  g_object_get (self->options, "ptx", &ptx, NULL);

  g_clear_pointer (&self->info_log, g_free);
  g_clear_pointer (&self->error_log, g_free);
  return cuda_obj_link_run ((const char *const *) argv, self->inputs, ptx, NULL, CUDA_OBJ_ERROR_LINK,
                            &self->info_log, &self->error_log, error);
}

/**
 * cuda_obj_linker_get_options:
 * @self: a [class@CudaObj.Linker]
 *
 * Gives the link options, [property@CudaObj.Linker:options].
 *
 * Returns: (transfer none): the link options, [property@CudaObj.Linker:options]
 *
 * Since: 1.0
 */
CudaObjLinkerOptions *
cuda_obj_linker_get_options (CudaObjLinker *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);
  return self->options;
}

/**
 * cuda_obj_linker_get_info_log:
 * @self: a [class@CudaObj.Linker]
 *
 * Gives the last link's informational messages, [property@CudaObj.Linker:info-log].
 *
 * Returns: the last link's informational messages, [property@CudaObj.Linker:info-log]
 *
 * Since: 1.0
 */
const char *
cuda_obj_linker_get_info_log (CudaObjLinker *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);
  return self->info_log;
}

/**
 * cuda_obj_linker_get_error_log:
 * @self: a [class@CudaObj.Linker]
 *
 * Gives the last link's error messages, [property@CudaObj.Linker:error-log].
 *
 * Returns: the last link's error messages, [property@CudaObj.Linker:error-log]
 *
 * Since: 1.0
 */
const char *
cuda_obj_linker_get_error_log (CudaObjLinker *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);
  return self->error_log;
}
