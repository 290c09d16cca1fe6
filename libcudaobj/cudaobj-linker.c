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
#include "cudaobj-device-private.h"
#include "cudaobj-linker-options-private.h"
#include "cudaobj-object-code-private.h"

struct _CudaObjLinker
{
  GObject parent_instance;

  CudaObjLinkerOptions *options;
  GPtrArray *inputs; /* CudaObjObjectCode */
  char *info_log;
  char *error_log;
  CudaObjLinkerBackend backend;
};

enum
{
  PROP_0,
  PROP_OPTIONS,
  PROP_INFO_LOG,
  PROP_ERROR_LOG,
  PROP_BACKEND,
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

/* An input's bytes as a linker takes them: nvJitLink and the driver read
 * PTX up to a NUL, whatever size they are given, so PTX without one comes
 * back as a terminated copy kept in @terminated. */
static const char *
link_input_data (CudaObjObjectCode *code, gsize *size, char **terminated)
{
  GBytes *bytes = cuda_obj_object_code_get_code (code);
  const char *data;

  /* Code wrapped from a driver handle has no bytes: the linker refuses it. */
  if (bytes == NULL)
    {
      *size = 0;
      return NULL;
    }
  data = g_bytes_get_data (bytes, size);

  if (cuda_obj_object_code_get_code_type (code) == CUDA_OBJ_CODE_TYPE_PTX && *size > 0
      && data[*size - 1] != '\0')
    {
      *terminated = g_strndup (data, *size);
      (*size)++;
      return *terminated;
    }
  return data;
}

static CudaObjObjectCode *
link_run_full (const CudaObjNvJitLink *jit, const char *const *argv, const char *arch, GPtrArray *inputs,
               gboolean ptx, const char *output_name, CudaObjError error_code, char **info_log,
               char **error_log, nvJitLinkResult *result_out, GError **error)
{
  nvJitLinkHandle handle = NULL;
  nvJitLinkResult result = NVJITLINK_SUCCESS;
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

  result = jit->nvJitLinkCreate (&handle, g_strv_length ((char **) argv), (const char **) argv);
  if (result != NVJITLINK_SUCCESS)
    failed_step = "nvJitLinkCreate";
  for (guint i = 0; failed_step == NULL && i < inputs->len; i++)
    {
      CudaObjObjectCode *code = inputs->pdata[i];
      CudaObjCodeType code_type = cuda_obj_object_code_get_code_type (code);
      gsize code_size = 0;
      g_autofree char *terminated = NULL;
      const char *data = link_input_data (code, &code_size, &terminated);
      const char *name = cuda_obj_object_code_get_name (code);
      g_autofree char *fallback = g_strdup_printf ("input %u", i + 1);

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

  *result_out = failed_step != NULL ? result : NVJITLINK_SUCCESS;
  if (failed_step != NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, error_code, "nvJitLink %s failed for %s%s%s (%s)%s%s",
                   error_code == CUDA_OBJ_ERROR_LINK ? "link" : "assembly", arch,
                   failed_input != NULL ? " at input " : "", failed_input != NULL ? failed_input : "",
                   nvjitlink_result_name (result), *errors != '\0' ? ":\n" : "", errors);
      return NULL;
    }
  if (output == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, error_code, "nvJitLink made no %s for %s%s%s",
                   ptx ? "PTX" : "CUBIN", arch, *errors != '\0' ? ":\n" : "", errors);
      return NULL;
    }
  return cuda_obj_object_code_new_internal (output, ptx ? CUDA_OBJ_CODE_TYPE_PTX : CUDA_OBJ_CODE_TYPE_CUBIN,
                                            output_name, NULL, NULL);
}

CudaObjObjectCode *
cuda_obj_link_run (const char *const *argv, const char *arch, GPtrArray *inputs, gboolean ptx,
                   const char *output_name, CudaObjError error_code, char **info_log, char **error_log,
                   GError **error)
{
  const CudaObjNvJitLink *jit = cuda_obj_nvjitlink_get (error);
  nvJitLinkResult result;

  if (jit == NULL)
    {
      if (info_log != NULL)
        *info_log = g_strdup ("");
      if (error_log != NULL)
        *error_log = g_strdup ("");
      return NULL;
    }
  return link_run_full (jit, argv, arch, inputs, ptx, output_name, error_code, info_log, error_log, &result,
                        error);
}

/* The driver's CUjit_target for "sm_90", "compute_90", "90" or "sm_90a";
 * 0 (the context's device) when @arch is NULL. FALSE when it cannot be read. */
static gboolean
driver_target (const char *arch, unsigned int *target)
{
  const char *digits = arch;
  char *end = NULL;
  guint64 number;

  *target = 0;
  if (arch == NULL || *arch == '\0')
    return TRUE;
  if (g_str_has_prefix (arch, "sm_"))
    digits = arch + 3;
  else if (g_str_has_prefix (arch, "compute_"))
    digits = arch + 8;
  number = g_ascii_strtoull (digits, &end, 10);
  if (end == digits || number == 0 || number > 1000)
    return FALSE;
  if (*end == 'a' && end[1] == '\0')
    number += CU_COMPUTE_ACCELERATED_TARGET_BASE;
  else if (*end != '\0')
    return FALSE;
  *target = (unsigned int) number;
  return TRUE;
}

static CUjitInputType
driver_input_type (CudaObjCodeType code_type)
{
  switch (code_type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN: return CU_JIT_INPUT_CUBIN;
    case CUDA_OBJ_CODE_TYPE_PTX: return CU_JIT_INPUT_PTX;
    case CUDA_OBJ_CODE_TYPE_FATBIN: return CU_JIT_INPUT_FATBINARY;
    case CUDA_OBJ_CODE_TYPE_OBJECT: return CU_JIT_INPUT_OBJECT;
    case CUDA_OBJ_CODE_TYPE_LIBRARY: return CU_JIT_INPUT_LIBRARY;
    default: return CU_JIT_NUM_INPUT_TYPES;
    }
}

/* Links with the driver's cuLink* API: what nvJitLink would do for inputs
 * that need no link-time optimization. @why_not_nvjitlink says why nvJitLink
 * was not used, for the errors. */
static CudaObjObjectCode *
driver_link (CudaObjLinker *self, CudaObjLinkerOptions *options, const char *why_not_nvjitlink,
             GError **error)
{
  enum
  {
    LOG_SIZE = 64 * 1024
  };
  const CudaObjLinkerOptionsFields *fields = &options->fields;
  const char *arch = fields->arch;
  gboolean ptx = fields->ptx, lto = fields->link_time_optimization, verbose = fields->verbose;
  gboolean debug = fields->debug, lineinfo = fields->lineinfo;
  g_autofree char *info = g_malloc0 (LOG_SIZE);
  g_autofree char *errors = g_malloc0 (LOG_SIZE);
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (GBytes) output = NULL;
  const CudaObjDriver *drv;
  CUjit_option keys[8];
  void *values[8];
  unsigned int n = 0, target = 0;
  CUlinkState state = NULL;
  CUresult result = CUDA_SUCCESS;
  const char *failed_step = NULL;
  const char *failed_input = NULL;

  for (guint i = 0; i < self->inputs->len; i++)
    if (cuda_obj_object_code_get_code_type (self->inputs->pdata[i]) == CUDA_OBJ_CODE_TYPE_LTOIR)
      lto = TRUE;
  if (lto)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Link-time optimization (LTO-IR inputs) needs nvJitLink, and it cannot be used: %s",
                   why_not_nvjitlink);
      return NULL;
    }
  if (ptx)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "PTX output needs nvJitLink, and it cannot be used: %s", why_not_nvjitlink);
      return NULL;
    }
  if (!driver_target (arch, &target))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The driver's linker cannot target \"%s\"; give an architecture such as \"sm_90\"", arch);
      return NULL;
    }
  /* cuLink* works in the current context: device 0's primary one. */
  device = cuda_obj_device_get (0, error);
  if (device == NULL)
    {
      g_prefix_error (error, "Linking without nvJitLink (%s) needs the driver: ", why_not_nvjitlink);
      return NULL;
    }
  if (!cuda_obj_device_activate (device, error))
    return NULL;
  drv = cuda_obj_driver_peek ();

  keys[n] = CU_JIT_INFO_LOG_BUFFER, values[n++] = info;
  keys[n] = CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES, values[n++] = GUINT_TO_POINTER (LOG_SIZE - 1);
  keys[n] = CU_JIT_ERROR_LOG_BUFFER, values[n++] = errors;
  keys[n] = CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, values[n++] = GUINT_TO_POINTER (LOG_SIZE - 1);
  keys[n] = CU_JIT_LOG_VERBOSE, values[n++] = GINT_TO_POINTER (verbose ? 1 : 0);
  keys[n] = CU_JIT_GENERATE_DEBUG_INFO, values[n++] = GINT_TO_POINTER (debug ? 1 : 0);
  keys[n] = CU_JIT_GENERATE_LINE_INFO, values[n++] = GINT_TO_POINTER (lineinfo ? 1 : 0);
  if (target != 0)
    keys[n] = CU_JIT_TARGET, values[n++] = GUINT_TO_POINTER (target);

  result = drv->cuLinkCreate (n, keys, values, &state);
  if (result != CUDA_SUCCESS)
    failed_step = "cuLinkCreate";
  for (guint i = 0; failed_step == NULL && i < self->inputs->len; i++)
    {
      CudaObjObjectCode *code = self->inputs->pdata[i];
      CudaObjCodeType code_type = cuda_obj_object_code_get_code_type (code);
      gsize code_size = 0;
      g_autofree char *terminated = NULL;
      const char *data = link_input_data (code, &code_size, &terminated);
      const char *name = cuda_obj_object_code_get_name (code);
      g_autofree char *fallback = g_strdup_printf ("input %u", i + 1);
      result = drv->cuLinkAddData (state, driver_input_type (code_type), (void *) data, code_size,
                                   name != NULL ? name : fallback, 0, NULL, NULL);
      if (result != CUDA_SUCCESS)
        {
          failed_step = "cuLinkAddData";
          failed_input = g_intern_string (name != NULL ? name : fallback);
        }
    }
  if (failed_step == NULL)
    {
      void *cubin = NULL;
      size_t size = 0;

      result = drv->cuLinkComplete (state, &cubin, &size);
      if (result != CUDA_SUCCESS)
        failed_step = "cuLinkComplete";
      else
        output = g_bytes_new (cubin, size); /* the state owns cubin */
    }
  if (state != NULL)
    drv->cuLinkDestroy (state);

  g_strchomp (info);
  g_strchomp (errors);
  g_free (self->info_log);
  self->info_log = g_strdup (info);
  g_free (self->error_log);
  self->error_log = g_strdup (errors);
  if (failed_step != NULL)
    {
      const char *name = NULL;
      drv->cuGetErrorName (result, &name);
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK, "Driver link (%s failed%s%s, %s) for %s%s%s",
                   failed_step, failed_input != NULL ? " at input " : "",
                   failed_input != NULL ? failed_input : "", name != NULL ? name : "unknown error",
                   arch != NULL ? arch : "the device's architecture", *errors != '\0' ? ":\n" : "", errors);
      return NULL;
    }
  return cuda_obj_object_code_new_internal (output, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, NULL, NULL);
}

static void
set_backend (CudaObjLinker *self, CudaObjLinkerBackend backend)
{
  if (self->backend == backend)
    return;
  self->backend = backend;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND]);
}

/* One link with @options: nvJitLink, else the driver's linker. */
static CudaObjObjectCode *
link_with_options (CudaObjLinker *self, CudaObjLinkerOptions *options, GError **error)
{
  g_autoptr (GError) jit_error = NULL;
  g_autoptr (GError) link_error = NULL;
  g_auto (GStrv) argv = NULL;
  const CudaObjNvJitLink *jit;
  CudaObjObjectCode *code;
  nvJitLinkResult result = NVJITLINK_SUCCESS;
  gboolean ptx = FALSE;

  jit = cuda_obj_nvjitlink_get (&jit_error);
  if (jit == NULL)
    {
      /* The driver links for the current device when no arch is given. */
      code = driver_link (self, options, jit_error->message, error);
      if (code != NULL)
        set_backend (self, CUDA_OBJ_LINKER_BACKEND_DRIVER);
      return code;
    }
  argv = cuda_obj_linker_options_to_argv (options, error);
  if (argv == NULL)
    return NULL;
  ptx = options->fields.ptx;

  g_clear_pointer (&self->info_log, g_free);
  g_clear_pointer (&self->error_log, g_free);
  /* Messages name the architecture; without one, nvJitLink got the
   * device's from the renderer. */
  code = link_run_full (jit, (const char *const *) argv,
                        options->fields.arch != NULL ? options->fields.arch : "the device's architecture",
                        self->inputs, ptx, NULL, CUDA_OBJ_ERROR_LINK, &self->info_log, &self->error_log,
                        &result, &link_error);
  if (code != NULL)
    {
      set_backend (self, CUDA_OBJ_LINKER_BACKEND_NVJITLINK);
      return code;
    }
  if (result == NVJITLINK_ERROR_OUTDATED_LIBRARY)
    {
      /* Inputs newer than this nvJitLink: the driver may know them. */
      g_autofree char *why
          = g_strdup_printf ("nvJitLink %d.%d is older than the inputs need", jit->major, jit->minor);
      code = driver_link (self, options, why, error);
      if (code != NULL)
        set_backend (self, CUDA_OBJ_LINKER_BACKEND_DRIVER);
      return code;
    }
  g_propagate_error (error, g_steal_pointer (&link_error));
  return NULL;
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
    case PROP_BACKEND: g_value_set_enum (value, self->backend); break;
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
   * Read it with [method@CudaObj.Linker.get_options].
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
   * Read it with [method@CudaObj.Linker.get_info_log].
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
   * Read it with [method@CudaObj.Linker.get_error_log].
   *
   * Since: 1.0
   */
  properties[PROP_ERROR_LOG]
      = g_param_spec_string ("error-log", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * CudaObjLinker:backend:
   *
   * What linked the last successful link: nvJitLink, or the driver's
   * `cuLink*` API when nvJitLink cannot be loaded (hide it with
   * `CUDA_OBJ_NVJITLINK_LIBRARY` pointing at a missing file) or is older
   * than the inputs need. The driver links PTX, CUBIN, fatbin, objects and
   * libraries, but not LTO-IR nor to PTX. Read it with
   * [method@CudaObj.Linker.get_backend].
   *
   * Since: 1.0
   */
  properties[PROP_BACKEND]
      = g_param_spec_enum ("backend", NULL, NULL, CUDA_OBJ_TYPE_LINKER_BACKEND, CUDA_OBJ_LINKER_BACKEND_NONE,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

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
 * nvJitLink links when it can be loaded. Without it, or when it is older
 * than the inputs need, the driver's `cuLink*` API links PTX, CUBIN, fatbin,
 * object and library inputs for device 0 (or the architecture of the
 * options); [property@CudaObj.Linker:backend] says which one did.
 *
 * Returns: (transfer full): the linked code, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_LINK with nvJitLink's error log for a failed link (an
 *   undefined symbol, an input for another architecture, a bad option),
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when there are no inputs or no
 *   architecture, %CUDA_OBJ_ERROR_NOT_SUPPORTED for LTO-IR inputs or
 *   PTX output without nvJitLink, a loader error when neither nvJitLink
 *   nor the driver can be loaded
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_linker_link (CudaObjLinker *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);

  if (self->inputs->len == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Nothing to link: add inputs with cuda_obj_linker_add() first");
      return NULL;
    }
  return link_with_options (self, self->options, error);
}

#if CUDA_OBJ_HAVE_NVFATBIN
static gboolean
inputs_are_ltoir (CudaObjLinker *self)
{
  for (guint i = 0; i < self->inputs->len; i++)
    if (cuda_obj_object_code_get_code_type (self->inputs->pdata[i]) != CUDA_OBJ_CODE_TYPE_LTOIR)
      return FALSE;
  return TRUE;
}
#endif

/* "sm_90" / "90" -> "90", and whether it asks for PTX ("compute_90"). */
static char *
fatbin_arch_number (const char *arch, gboolean *is_ptx)
{
  const char *digits = arch;
  const char *end;

  *is_ptx = FALSE;
  if (g_str_has_prefix (arch, "sm_"))
    digits = arch + 3;
  else if (g_str_has_prefix (arch, "compute_"))
    {
      digits = arch + 8;
      *is_ptx = TRUE;
    }
  for (end = digits; g_ascii_isdigit (*end); end++)
    ;
  if (end == digits || (*end != '\0' && !((*end == 'a' || *end == 'f') && end[1] == '\0')))
    return NULL;
  return g_strdup (digits);
}

/**
 * cuda_obj_linker_link_fatbin:
 * @self: a [class@CudaObj.Linker]
 * @archs: (array zero-terminated=1): the architectures to build for, such as
 *   `{ "sm_80", "sm_90", "compute_90", NULL }`: a CUBIN for each `sm_`
 *   one, PTX (compiled by the driver at load time on newer GPUs) for each
 *   `compute_` one, linked with link-time optimization from LTO-IR inputs,
 *   or the one PTX input as it is
 * @error: return location for a [struct@GLib.Error]
 *
 * Links every input once for each of @archs, with
 * [property@CudaObj.Linker:options] but that architecture, and packs the
 * results into one fat binary with nvFatbin, so that one
 * [class@CudaObj.ObjectCode] runs on GPUs of all of them. The inputs must
 * suit every architecture: PTX or LTO-IR for a virtual architecture no newer
 * than the oldest of @archs, such as NVRTC's output for `compute_80`.
 *
 * Returns: (transfer full): the fatbin (%CUDA_OBJ_CODE_TYPE_FATBIN),
 *   or %NULL with @error set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for no
 *   inputs or a bad architecture, %CUDA_OBJ_ERROR_LINK when a link fails,
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when libcudaobj was built without
 *   nvFatbin's header, a loader error when nvFatbin is not installed
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_linker_link_fatbin (CudaObjLinker *self, const char *const *archs, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), NULL);

  if (self->inputs->len == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Nothing to link: add inputs with cuda_obj_linker_add() first");
      return NULL;
    }
  if (archs == NULL || archs[0] == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A fatbin needs at least one architecture, such as \"sm_90\"");
      return NULL;
    }
  for (guint i = 0; archs[i] != NULL; i++)
    {
      gboolean is_ptx;
      g_autofree char *number = fatbin_arch_number (archs[i], &is_ptx);
      if (number == NULL)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "\"%s\" is not an architecture; use \"sm_90\" for a CUBIN or \"compute_90\" for PTX",
                       archs[i]);
          return NULL;
        }
    }
#if CUDA_OBJ_HAVE_NVFATBIN
  {
    const CudaObjNvFatbin *fatbin = cuda_obj_nvfatbin_get (error);
    nvFatbinHandle handle = NULL;
    nvFatbinResult result;
    const char *failed_step = NULL;
    const char *failed_arch = NULL;
    g_autoptr (GBytes) output = NULL;
    size_t size = 0;

    if (fatbin == NULL)
      return NULL;
    result = fatbin->nvFatbinCreate (&handle, NULL, 0);
    if (result != NVFATBIN_SUCCESS)
      failed_step = "nvFatbinCreate";
    for (guint i = 0; failed_step == NULL && archs[i] != NULL; i++)
      {
        gboolean is_ptx;
        g_autofree char *number = fatbin_arch_number (archs[i], &is_ptx);
        g_autofree char *sm_arch = g_strdup_printf ("sm_%s", number);
        g_autoptr (CudaObjLinkerOptions) options = cuda_obj_linker_options_copy (self->options);
        g_autoptr (CudaObjObjectCode) code = NULL;
        g_autofree char *identifier = g_strdup_printf ("cudaobj_%s", archs[i]);
        gsize code_size = 0;
        const char *data;

        g_object_set (options, "arch", sm_arch, "ptx", is_ptx, NULL);
        if (is_ptx && !inputs_are_ltoir (self))
          {
            /* nvJitLink makes PTX only with LTO: one PTX unit goes in as it is. */
            if (self->inputs->len != 1
                || cuda_obj_object_code_get_code_type (self->inputs->pdata[0]) != CUDA_OBJ_CODE_TYPE_PTX)
              {
                g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                             "PTX for %s needs LTO-IR inputs or a single PTX input", archs[i]);
                fatbin->nvFatbinDestroy (&handle);
                return NULL;
              }
            code = g_object_ref (self->inputs->pdata[0]);
          }
        else
          code = link_with_options (self, options, error);
        if (code == NULL)
          {
            g_prefix_error (error, "Fatbin for %s: ", archs[i]);
            fatbin->nvFatbinDestroy (&handle);
            return NULL;
          }
        data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &code_size);
        if (is_ptx)
          {
            g_autofree char *terminated = g_strndup (data, code_size);
            result = fatbin->nvFatbinAddPTX (handle, terminated, strlen (terminated) + 1, number, identifier,
                                             NULL);
          }
        else
          result = fatbin->nvFatbinAddCubin (handle, data, code_size, number, identifier);
        if (result != NVFATBIN_SUCCESS)
          {
            failed_step = is_ptx ? "nvFatbinAddPTX" : "nvFatbinAddCubin";
            failed_arch = g_intern_string (archs[i]);
          }
      }
    if (failed_step == NULL)
      {
        result = fatbin->nvFatbinSize (handle, &size);
        if (result == NVFATBIN_SUCCESS)
          {
            char *data = g_malloc (size);
            result = fatbin->nvFatbinGet (handle, data);
            output = g_bytes_new_take (data, size);
          }
        if (result != NVFATBIN_SUCCESS)
          failed_step = "nvFatbinGet";
      }
    if (handle != NULL)
      fatbin->nvFatbinDestroy (&handle);
    if (failed_step != NULL)
      {
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK, "%s failed%s%s: %s", failed_step,
                     failed_arch != NULL ? " for " : "", failed_arch != NULL ? failed_arch : "",
                     fatbin->nvFatbinGetErrorString (result));
        return NULL;
      }
    return cuda_obj_object_code_new (output, CUDA_OBJ_CODE_TYPE_FATBIN, error);
  }
#else
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                       "This libcudaobj was built without nvFatbin.h, so it cannot make fatbins "
                       "(rebuild it with a toolkit that has nvFatbin, or with -Dnvfatbin_include_dir)");
  return NULL;
#endif
}

/**
 * cuda_obj_linker_get_backend:
 * @self: a [class@CudaObj.Linker]
 *
 * Says what linked the last successful link, [property@CudaObj.Linker:backend].
 *
 * Returns: the backend, %CUDA_OBJ_LINKER_BACKEND_NONE before the first link
 *
 * Since: 1.0
 */
CudaObjLinkerBackend
cuda_obj_linker_get_backend (CudaObjLinker *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LINKER (self), CUDA_OBJ_LINKER_BACKEND_NONE);
  return self->backend;
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
