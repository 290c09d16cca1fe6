/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a program (C++, PTX or NVVM IR) and its compilation.
 *
 * A compile works on a snapshot (a CompileJob) of the program: its code, a
 * copy of its options, its headers and its cache, taken in the calling
 * thread. The job then runs anywhere (here, or in a GTask worker for
 * compile_async) without touching the Program, and hands back the object
 * code and the log. The key of the compile cache is computed from the job
 * before any compiler runs, so a hit costs a file read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cudaobj-program.h"
#include "cudaobj-compile-cache-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-linker-options.h"
#include "cudaobj-linker-private.h"
#include "cudaobj-loader.h"
#include "cudaobj-object-code-private.h"
#include "cudaobj-program-options-private.h"

struct _CudaObjProgram
{
  GObject parent_instance;

  GBytes *code;
  CudaObjProgramCodeType code_type;
  CudaObjProgramOptions *options;

  GMutex lock; /* the fields below */
  GStrv header_names;
  GStrv header_contents;
  CudaObjCompileCache *cache; /* NULL for the default */
  gboolean use_cache;
  char *log;
};

enum
{
  PROP_0,
  PROP_CODE,
  PROP_CODE_BYTES,
  PROP_CODE_TYPE,
  PROP_OPTIONS,
  PROP_HEADER_NAMES,
  PROP_HEADER_CONTENTS,
  PROP_USE_CACHE,
  PROP_CACHE,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjProgram:
 *
 * Code to compile, with its [class@CudaObj.ProgramOptions]: CUDA C++ (through
 * NVRTC), PTX (assembled through nvJitLink) or NVVM IR (through libNVVM).
 *
 * ```c
 * g_autoptr (CudaObjProgramOptions) options =
 *   g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "std", "c++17", "arch", "sm_90", NULL);
 * g_autoptr (CudaObjProgram) program =
 *   cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
 * const char *names[] = { "saxpy<float>", NULL };
 * g_autoptr (CudaObjObjectCode) code =
 *   cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, names, &error);
 * ```
 *
 * [method@CudaObj.Program.compile] makes a [class@CudaObj.ObjectCode] for a target: PTX,
 * CUBIN or LTO-IR. Name expressions (such as `"saxpy<float>"`) instantiate
 * templates and give their mangled names, kept on the object code. The
 * compiler's log is [property@CudaObj.Program:log]; when a compile fails, the [struct@GLib.Error]'s
 * message carries it too. [method@CudaObj.Program.compile_async] compiles in a
 * worker thread, so that graphical applications stay responsive.
 *
 * Compiles go through a [class@CudaObj.CompileCache] on disk, so that compiling the
 * same program with the same options again costs a file read: see
 * [property@CudaObj.Program:use-cache] and [property@CudaObj.Program:cache].
 *
 * A program may be compiled from several threads at once: each compile
 * reads the program's code, options and headers when it starts.
 * [property@CudaObj.Program:log] is that of the compile that finished last.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjProgram, cuda_obj_program, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* A compile, detached from the Program. */

typedef struct
{
  GBytes *code;
  CudaObjProgramCodeType code_type;
  CudaObjProgramOptions *options; /* a copy */
  CudaObjCodeType target;
  GStrv name_expressions;     /* never NULL */
  GStrv header_names;         /* never NULL */
  GStrv header_contents;      /* never NULL */
  CudaObjCompileCache *cache; /* NULL: no cache */
  char *log;                  /* out */
} CompileJob;

static void
compile_job_free (gpointer data)
{
  CompileJob *job = data;

  g_bytes_unref (job->code);
  g_object_unref (job->options);
  g_strfreev (job->name_expressions);
  g_strfreev (job->header_names);
  g_strfreev (job->header_contents);
  g_clear_object (&job->cache);
  g_free (job->log);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompileJob, compile_job_free)

static const char *
target_nick (CudaObjCodeType target)
{
  switch (target)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN: return "CUBIN";
    case CUDA_OBJ_CODE_TYPE_PTX: return "PTX";
    case CUDA_OBJ_CODE_TYPE_LTOIR: return "LTO-IR";
    case CUDA_OBJ_CODE_TYPE_FATBIN: return "a fatbin";
    case CUDA_OBJ_CODE_TYPE_OBJECT: return "a host object";
    case CUDA_OBJ_CODE_TYPE_LIBRARY: return "a host library";
    default: return "an unknown target";
    }
}

static gboolean
check_job (CompileJob *job, GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (job->code, &size);
  gboolean blank = TRUE;
  gboolean target_ok = FALSE;

  for (gsize i = 0; i < size && blank; i++)
    blank = g_ascii_isspace (data[i]) || data[i] == '\0';
  if (blank)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "The program's code is empty");
      return FALSE;
    }
  switch (job->code_type)
    {
    case CUDA_OBJ_PROGRAM_CODE_TYPE_CXX:
      target_ok = job->target == CUDA_OBJ_CODE_TYPE_PTX || job->target == CUDA_OBJ_CODE_TYPE_CUBIN
                  || job->target == CUDA_OBJ_CODE_TYPE_LTOIR;
      break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_PTX: target_ok = job->target == CUDA_OBJ_CODE_TYPE_CUBIN; break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM:
      target_ok = job->target == CUDA_OBJ_CODE_TYPE_PTX || job->target == CUDA_OBJ_CODE_TYPE_CUBIN
                  || job->target == CUDA_OBJ_CODE_TYPE_LTOIR;
      break;
    default:
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a CudaObjProgramCodeType", (int) job->code_type);
      return FALSE;
    }
  if (!target_ok)
    {
      static const char *const can[] = { "PTX, CUBIN or LTO-IR", "CUBIN", "PTX, CUBIN or LTO-IR" };
      static const char *const what[] = { "C++", "PTX", "NVVM IR" };
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s compiles to %s, not to %s",
                   what[job->code_type], can[job->code_type], target_nick (job->target));
      return FALSE;
    }
  if (job->code_type != CUDA_OBJ_PROGRAM_CODE_TYPE_CXX && job->name_expressions[0] != NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Name expressions are for C++ programs only");
      return FALSE;
    }
  if (g_strv_length (job->header_names) != g_strv_length (job->header_contents))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The program has %u header names but %u header contents",
                   g_strv_length (job->header_names), g_strv_length (job->header_contents));
      return FALSE;
    }
  if (job->code_type != CUDA_OBJ_PROGRAM_CODE_TYPE_CXX && job->header_names[0] != NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Headers are for C++ programs only");
      return FALSE;
    }
  return TRUE;
}

/* What identifies a compiler build: its version, and the file it was loaded
 * from with that file's size and time, so that an update of the toolkit
 * invalidates the cache even when the version stays. */
static const char *
tool_identity (CudaObjLibrary library, int major, int minor)
{
  static gsize once[4];
  static char *identities[4];

  if (g_once_init_enter (&once[library]))
    {
      g_autofree char *path = cuda_obj_library_get_path (library);
      struct stat st = { 0 };

      if (path == NULL || stat (path, &st) != 0)
        memset (&st, 0, sizeof st);
      identities[library]
          = g_strdup_printf ("%d %d.%d %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, library, major, minor,
                             path != NULL ? path : "", (gint64) st.st_size, (gint64) st.st_mtime);
      g_once_init_leave (&once[library], 1);
    }
  return identities[library];
}

static void
key_add (GChecksum *key, const void *data, gsize size)
{
  guchar length[8];
  guint64 value = size;

  for (int i = 0; i < 8; i++, value >>= 8)
    length[i] = value & 0xff;
  g_checksum_update (key, length, sizeof length);
  g_checksum_update (key, data, size);
}

static void
key_add_string (GChecksum *key, const char *string)
{
  key_add (key, string != NULL ? string : "", string != NULL ? strlen (string) : 0);
}

static void
key_add_strv (GChecksum *key, const char *const *strv)
{
  guint n = strv != NULL ? g_strv_length ((char **) strv) : 0;
  g_autofree char *count = g_strdup_printf ("%u", n);

  key_add_string (key, count);
  for (guint i = 0; i < n; i++)
    key_add_string (key, strv[i]);
}

static char *
chomped (const char *log)
{
  return g_strchomp (g_strdup (log != NULL ? log : ""));
}

static const char *
find_option (const char *const *argv, const char *prefix)
{
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], prefix))
      return argv[i] + strlen (prefix);
  return NULL;
}

/* NVRTC's command line for the job, with -dlto added for LTO-IR. */
static char **
nvrtc_argv (CompileJob *job, GError **error)
{
  g_auto (GStrv) argv = cuda_obj_program_options_to_argv (job->options, error);
  const char *arch;
  gboolean lto = FALSE;

  if (argv == NULL)
    return NULL;
  arch = find_option ((const char *const *) argv, "--gpu-architecture=");
  g_object_get (job->options, "link-time-optimization", &lto, NULL);
  if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN && g_str_has_prefix (arch, "compute_"))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A CUBIN is for a real architecture: use sm_%s, not %s", arch + strlen ("compute_"), arch);
      return NULL;
    }
  if (job->target == CUDA_OBJ_CODE_TYPE_PTX && lto)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "With link-time-optimization NVRTC makes LTO-IR only: compile to LTO-IR, or "
                           "turn link-time-optimization off");
      return NULL;
    }
  if (job->target == CUDA_OBJ_CODE_TYPE_LTOIR && !lto)
    {
      guint n = g_strv_length (argv);
      argv = g_renew (char *, argv, n + 2);
      argv[n] = g_strdup ("--dlink-time-opt");
      argv[n + 1] = NULL;
    }
  return g_steal_pointer (&argv);
}

/* nvJitLink's command line to assemble the job's PTX into a CUBIN. */
static char **
assembler_argv (CompileJob *job, gboolean with_extra_options, GError **error)
{
  g_autoptr (CudaObjLinkerOptions) link_options = NULL;
  g_autofree char *arch = NULL, *number = NULL, *real_arch = NULL;
  g_auto (GStrv) ptxas_options = NULL, extra_options = NULL;
  gboolean is_virtual = FALSE, debug = FALSE, lineinfo = FALSE;
  int max_register_count = 0, split_compile = 1;

  g_object_get (job->options, "arch", &arch, "debug", &debug, "lineinfo", &lineinfo, "max-register-count",
                &max_register_count, "split-compile", &split_compile, "ptxas-options", &ptxas_options,
                "extra-options", &extra_options, NULL);
  if (!cuda_obj_arch_resolve (arch, &number, &is_virtual, error))
    return NULL;
  if (is_virtual)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A CUBIN is for a real architecture: use sm_%s, not %s", number, arch);
      return NULL;
    }
  real_arch = g_strdup_printf ("sm_%s", number);
  link_options = g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", real_arch, "debug", debug, "lineinfo",
                               lineinfo, "max-register-count", max_register_count, "split-compile",
                               split_compile, "ptxas-options", ptxas_options, "extra-options",
                               with_extra_options ? extra_options : NULL, NULL);
  return cuda_obj_linker_options_to_argv (link_options, error);
}

static char *
nvrtc_log (const CudaObjNvrtc *nvrtc, nvrtcProgram prog)
{
  size_t size = 0;
  g_autofree char *log = NULL;

  if (nvrtc->nvrtcGetProgramLogSize (prog, &size) != NVRTC_SUCCESS || size == 0)
    return g_strdup ("");
  log = g_malloc0 (size + 1);
  if (nvrtc->nvrtcGetProgramLog (prog, log) != NVRTC_SUCCESS)
    return g_strdup ("");
  return chomped (log);
}

/* " (NVRTC 13.0 supports sm_75, ...)" when @arch is not among them. */
static char *
supported_arch_hint (const CudaObjNvrtc *nvrtc, const char *arch)
{
  g_autoptr (GString) hint = NULL;
  g_autofree int *archs = NULL;
  int n = 0, wanted;
  gboolean found = FALSE;

  if (arch == NULL || nvrtc->nvrtcGetNumSupportedArchs (&n) != NVRTC_SUCCESS || n <= 0)
    return g_strdup ("");
  archs = g_new0 (int, n);
  if (nvrtc->nvrtcGetSupportedArchs (archs) != NVRTC_SUCCESS)
    return g_strdup ("");
  wanted = atoi (arch + strcspn (arch, "0123456789"));
  hint = g_string_new (NULL);
  for (int i = 0; i < n; i++)
    {
      found = found || archs[i] == wanted;
      g_string_append_printf (hint, "%s%d", i == 0 ? "" : ", ", archs[i]);
    }
  if (found)
    return g_strdup ("");
  return g_strdup_printf ("\n(NVRTC %d.%d compiles for architectures %s)", nvrtc->major, nvrtc->minor,
                          hint->str);
}

static CudaObjObjectCode *
compile_cxx (CompileJob *job, const CudaObjNvrtc *nvrtc, const char *const *argv, const char *name,
             GError **error)
{
  g_autofree char *source = NULL;
  g_autoptr (GPtrArray) lowered = NULL;
  g_autoptr (GBytes) output = NULL;
  nvrtcProgram prog = NULL;
  nvrtcResult result;
  size_t size = 0;
  gsize code_size = 0;
  const char *code = g_bytes_get_data (job->code, &code_size);
  const char *arch = find_option (argv, "--gpu-architecture=");
  guint n_headers = g_strv_length (job->header_names);

  source = g_strndup (code, code_size);
  result = nvrtc->nvrtcCreateProgram (&prog, source, name, (int) n_headers,
                                      (const char *const *) job->header_contents,
                                      (const char *const *) job->header_names);
  if (result != NVRTC_SUCCESS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE, "nvrtcCreateProgram failed for %s: %s",
                   name, nvrtc->nvrtcGetErrorString (result));
      return NULL;
    }

  for (guint i = 0; job->name_expressions[i] != NULL; i++)
    {
      result = nvrtc->nvrtcAddNameExpression (prog, job->name_expressions[i]);
      if (result != NVRTC_SUCCESS)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "NVRTC rejects the name expression \"%s\": %s", job->name_expressions[i],
                       nvrtc->nvrtcGetErrorString (result));
          nvrtc->nvrtcDestroyProgram (&prog);
          return NULL;
        }
    }

  result = nvrtc->nvrtcCompileProgram (prog, (int) g_strv_length ((char **) argv), argv);
  g_free (job->log);
  job->log = nvrtc_log (nvrtc, prog);
  if (result != NVRTC_SUCCESS)
    {
      g_autofree char *hint
          = result == NVRTC_ERROR_INVALID_OPTION ? supported_arch_hint (nvrtc, arch) : g_strdup ("");
      g_set_error (error, CUDA_OBJ_ERROR,
                   result == NVRTC_ERROR_INVALID_OPTION ? CUDA_OBJ_ERROR_INVALID_ARGUMENT
                                                        : CUDA_OBJ_ERROR_COMPILE,
                   "NVRTC could not compile %s for %s (%s):\n%s%s", name, arch,
                   nvrtc->nvrtcGetErrorString (result), job->log, hint);
      nvrtc->nvrtcDestroyProgram (&prog);
      return NULL;
    }

  switch (job->target)
    {
    case CUDA_OBJ_CODE_TYPE_PTX:
      result = nvrtc->nvrtcGetPTXSize (prog, &size);
      if (result == NVRTC_SUCCESS && size > 1)
        {
          char *data = g_malloc (size);
          result = nvrtc->nvrtcGetPTX (prog, data);
          output = g_bytes_new_take (data, size);
        }
      break;
    case CUDA_OBJ_CODE_TYPE_CUBIN:
      result = nvrtc->nvrtcGetCUBINSize (prog, &size);
      if (result == NVRTC_SUCCESS && size > 0)
        {
          char *data = g_malloc (size);
          result = nvrtc->nvrtcGetCUBIN (prog, data);
          output = g_bytes_new_take (data, size);
        }
      break;
    case CUDA_OBJ_CODE_TYPE_LTOIR:
      result = nvrtc->nvrtcGetLTOIRSize (prog, &size);
      if (result == NVRTC_SUCCESS && size > 0)
        {
          char *data = g_malloc (size);
          result = nvrtc->nvrtcGetLTOIR (prog, data);
          output = g_bytes_new_take (data, size);
        }
      break;
    default: g_assert_not_reached ();
    }
  if (result != NVRTC_SUCCESS || output == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE, "NVRTC made no %s for %s (%s)%s%s",
                   target_nick (job->target), name,
                   result != NVRTC_SUCCESS ? nvrtc->nvrtcGetErrorString (result) : "empty output",
                   *job->log != '\0' ? ":\n" : "", job->log);
      nvrtc->nvrtcDestroyProgram (&prog);
      return NULL;
    }

  lowered = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; job->name_expressions[i] != NULL; i++)
    {
      const char *mangled = NULL;
      result = nvrtc->nvrtcGetLoweredName (prog, job->name_expressions[i], &mangled);
      g_ptr_array_add (lowered, g_strdup (result == NVRTC_SUCCESS ? mangled : NULL));
    }
  g_ptr_array_add (lowered, NULL);
  nvrtc->nvrtcDestroyProgram (&prog);

  return cuda_obj_object_code_new_internal (output, job->target, name,
                                            (const char *const *) job->name_expressions,
                                            (const char *const *) lowered->pdata);
}

static char *
nvvm_log (const CudaObjNvvm *nvvm, nvvmProgram prog)
{
  size_t size = 0;
  g_autofree char *log = NULL;

  if (nvvm->nvvmGetProgramLogSize (prog, &size) != NVVM_SUCCESS || size == 0)
    return g_strdup ("");
  log = g_malloc0 (size + 1);
  if (nvvm->nvvmGetProgramLog (prog, log) != NVVM_SUCCESS)
    return g_strdup ("");
  return chomped (log);
}

/* NVVM IR to PTX, or LTO-IR with -gen-lto in @argv. */
static GBytes *
compile_nvvm (CompileJob *job, const CudaObjNvvm *nvvm, const char *const *argv, const char *name,
              GError **error)
{
  nvvmProgram prog = NULL;
  nvvmResult result;
  gsize code_size = 0;
  const char *code = g_bytes_get_data (job->code, &code_size);
  const char *arch = find_option (argv, "-arch=");
  const char *step = "nvvmCreateProgram";
  int argc = (int) g_strv_length ((char **) argv);
  size_t size = 0;
  GBytes *output = NULL;

  result = nvvm->nvvmCreateProgram (&prog);
  if (result == NVVM_SUCCESS)
    {
      step = "nvvmAddModuleToProgram";
      result = nvvm->nvvmAddModuleToProgram (prog, code, code_size, name);
    }
  if (result == NVVM_SUCCESS)
    {
      /* Verifying first gives a clear message for IR that does not parse. */
      step = "nvvmVerifyProgram";
      result = nvvm->nvvmVerifyProgram (prog, argc, (const char **) argv);
    }
  if (result == NVVM_SUCCESS)
    {
      step = "nvvmCompileProgram";
      result = nvvm->nvvmCompileProgram (prog, argc, (const char **) argv);
    }
  g_free (job->log);
  job->log = prog != NULL ? nvvm_log (nvvm, prog) : g_strdup ("");
  if (result == NVVM_SUCCESS)
    {
      step = "nvvmGetCompiledResult";
      result = nvvm->nvvmGetCompiledResultSize (prog, &size);
      if (result == NVVM_SUCCESS && size > 0)
        {
          char *data = g_malloc (size);
          result = nvvm->nvvmGetCompiledResult (prog, data);
          output = g_bytes_new_take (data, size);
        }
    }
  if (prog != NULL)
    nvvm->nvvmDestroyProgram (&prog);
  if (result != NVVM_SUCCESS || output == NULL)
    {
      g_clear_pointer (&output, g_bytes_unref);
      g_set_error (
          error, CUDA_OBJ_ERROR,
          result == NVVM_ERROR_INVALID_OPTION ? CUDA_OBJ_ERROR_INVALID_ARGUMENT : CUDA_OBJ_ERROR_COMPILE,
          "libNVVM could not compile %s for %s (%s: %s)%s%s", name, arch != NULL ? arch : "(no arch)", step,
          nvvm->nvvmGetErrorString (result), *job->log != '\0' ? ":\n" : "", job->log);
      return NULL;
    }
  return output;
}

/* PTX to CUBIN through nvJitLink; assembler errors are compile errors. */
static CudaObjObjectCode *
assemble (CompileJob *job, GBytes *ptx, const char *const *argv, const char *name, GError **error)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *info_log = NULL, *error_log = NULL;
  CudaObjObjectCode *code;

  g_ptr_array_add (inputs, cuda_obj_object_code_new_internal (ptx, CUDA_OBJ_CODE_TYPE_PTX, name, NULL, NULL));
  code = cuda_obj_link_run (argv, inputs, FALSE, name, CUDA_OBJ_ERROR_COMPILE, &info_log, &error_log, error);
  {
    /* The log so far (libNVVM's), then nvJitLink's. */
    g_autoptr (GPtrArray) parts = g_ptr_array_new ();
    g_autofree char *previous = g_steal_pointer (&job->log);

    for (const char *const *part = (const char *const[]){ previous, error_log, info_log, NULL };
         *part != NULL; part++)
      if (**part != '\0')
        g_ptr_array_add (parts, (gpointer) *part);
    g_ptr_array_add (parts, NULL);
    job->log = g_strjoinv ("\n", (char **) parts->pdata);
  }
  return code;
}

#define PAYLOAD_TYPE "(usasasay)"

static GBytes *
encode_payload (CudaObjObjectCode *code, const char *log)
{
  g_auto (GStrv) names = cuda_obj_object_code_get_name_expressions (code);
  g_autoptr (GVariantBuilder) lowered = g_variant_builder_new (G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr (GVariant) payload = NULL;
  gsize size = 0;
  const void *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *mangled = cuda_obj_object_code_get_lowered_name (code, names[i]);
      g_variant_builder_add (lowered, "s", mangled != NULL ? mangled : "");
    }
  payload = g_variant_ref_sink (g_variant_new (
      "(us^as@as@ay)", (guint32) cuda_obj_object_code_get_code_type (code), log != NULL ? log : "", names,
      g_variant_builder_end (lowered), g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1)));
  return g_variant_get_data_as_bytes (payload);
}

static CudaObjObjectCode *
decode_payload (CompileJob *job, GBytes *bytes, const char *name)
{
  g_autoptr (GVariant) payload = g_variant_new_from_bytes (G_VARIANT_TYPE (PAYLOAD_TYPE), bytes, FALSE);
  g_autoptr (GVariant) code_variant = NULL;
  g_autoptr (GBytes) code = NULL;
  g_autofree const char **names = NULL;
  g_autofree const char **lowered = NULL;
  const char *log = NULL;
  guint32 code_type = 0;

  g_variant_get (payload, "(u&s^a&s^a&s@ay)", &code_type, &log, &names, &lowered, &code_variant);
  if (code_type != job->target || g_strv_length ((char **) names) != g_strv_length ((char **) lowered)
      || !g_strv_equal (names, (const char *const *) job->name_expressions)
      || g_variant_n_children (code_variant) == 0)
    return NULL;
  for (guint i = 0; lowered[i] != NULL; i++)
    if (*lowered[i] == '\0')
      lowered[i] = NULL;
  code = g_variant_get_data_as_bytes (code_variant);
  g_free (job->log);
  job->log = g_strdup (log);
  return cuda_obj_object_code_new_internal (code, job->target, name, names, lowered);
}

static CudaObjObjectCode *
compile_job_run (CompileJob *job, GError **error)
{
  g_autoptr (GChecksum) key = NULL;
  g_auto (GStrv) argv = NULL, assembler = NULL;
  g_autofree char *name = NULL, *time_file = NULL, *time_trace = NULL, *create_pch = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GBytes) intermediate = NULL;
  const CudaObjNvrtc *nvrtc = NULL;
  const CudaObjNvJitLink *jit = NULL;
  const CudaObjNvvm *nvvm = NULL;
  gboolean cacheable;
  gsize code_size = 0;
  const void *code_data;

  g_free (job->log);
  job->log = g_strdup ("");
  if (!check_job (job, error))
    return NULL;
  g_object_get (job->options, "name", &name, "time", &time_file, "fdevice-time-trace", &time_trace,
                "create-pch", &create_pch, NULL);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = g_strdup ("default_program");
    }

  key = g_checksum_new (G_CHECKSUM_SHA256);
  key_add_string (key, "libcudaobj compile v1");
  key_add (key, &(guint32){ job->code_type }, sizeof (guint32));
  key_add (key, &(guint32){ job->target }, sizeof (guint32));
  key_add_string (key, name);

  switch (job->code_type)
    {
    case CUDA_OBJ_PROGRAM_CODE_TYPE_CXX:
      if ((nvrtc = cuda_obj_nvrtc_get (error)) == NULL || (argv = nvrtc_argv (job, error)) == NULL)
        return NULL;
      key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVRTC, nvrtc->major, nvrtc->minor));
      key_add_strv (key, (const char *const *) argv);
      break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_PTX:
      if ((jit = cuda_obj_nvjitlink_get (error)) == NULL
          || (assembler = assembler_argv (job, TRUE, error)) == NULL)
        return NULL;
      key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVJITLINK, jit->major, jit->minor));
      key_add_strv (key, (const char *const *) assembler);
      break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM:
      if ((nvvm = cuda_obj_nvvm_get (error)) == NULL
          || (argv = cuda_obj_program_options_to_nvvm_argv (job->options,
                                                            job->target == CUDA_OBJ_CODE_TYPE_LTOIR, error))
                 == NULL)
        return NULL;
      key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVVM, nvvm->major, nvvm->minor));
      key_add_strv (key, (const char *const *) argv);
      if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN)
        {
          if ((jit = cuda_obj_nvjitlink_get (error)) == NULL
              || (assembler = assembler_argv (job, FALSE, error)) == NULL)
            return NULL;
          key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVJITLINK, jit->major, jit->minor));
          key_add_strv (key, (const char *const *) assembler);
        }
      break;
    }
  key_add_strv (key, (const char *const *) job->name_expressions);
  key_add_strv (key, (const char *const *) job->header_names);
  key_add_strv (key, (const char *const *) job->header_contents);
  code_data = g_bytes_get_data (job->code, &code_size);
  key_add (key, code_data, code_size);

  /* Options that write files are side effects a cache hit would skip. */
  cacheable = job->cache != NULL && cuda_obj_compile_cache_get_enabled (job->cache) && time_file == NULL
              && time_trace == NULL && create_pch == NULL;
  if (cacheable)
    {
      g_autoptr (GBytes) payload = cuda_obj_compile_cache_lookup (job->cache, g_checksum_get_string (key));
      if (payload != NULL && (code = decode_payload (job, payload, name)) != NULL)
        return g_steal_pointer (&code);
    }

  switch (job->code_type)
    {
    case CUDA_OBJ_PROGRAM_CODE_TYPE_CXX:
      code = compile_cxx (job, nvrtc, (const char *const *) argv, name, error);
      break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_PTX:
      code = assemble (job, job->code, (const char *const *) assembler, name, error);
      break;
    case CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM:
      intermediate = compile_nvvm (job, nvvm, (const char *const *) argv, name, error);
      if (intermediate == NULL)
        return NULL;
      if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN)
        code = assemble (job, intermediate, (const char *const *) assembler, name, error);
      else
        code = cuda_obj_object_code_new_internal (intermediate, job->target, name, NULL, NULL);
      break;
    }
  if (code == NULL)
    return NULL;

  if (cacheable)
    {
      g_autoptr (GBytes) payload = encode_payload (code, job->log);
      cuda_obj_compile_cache_store (job->cache, g_checksum_get_string (key), payload);
    }
  return g_steal_pointer (&code);
}

/* ------------------------------------------------------------------------ */

static void
cuda_obj_program_finalize (GObject *object)
{
  CudaObjProgram *self = CUDA_OBJ_PROGRAM (object);

  g_clear_pointer (&self->code, g_bytes_unref);
  g_clear_object (&self->options);
  g_clear_object (&self->cache);
  g_strfreev (self->header_names);
  g_strfreev (self->header_contents);
  g_free (self->log);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cuda_obj_program_parent_class)->finalize (object);
}

static void
cuda_obj_program_constructed (GObject *object)
{
  CudaObjProgram *self = CUDA_OBJ_PROGRAM (object);

  G_OBJECT_CLASS (cuda_obj_program_parent_class)->constructed (object);
  if (self->options == NULL)
    self->options = cuda_obj_program_options_new ();
  if (self->code == NULL)
    self->code = g_bytes_new_static ("", 0);
}

static char *
code_as_string (GBytes *code)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (code, &size);

  if (size > 0 && data[size - 1] == '\0')
    size--;
  if (memchr (data, '\0', size) != NULL)
    return NULL; /* bitcode */
  return g_strndup (data, size);
}

static void
cuda_obj_program_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjProgram *self = CUDA_OBJ_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_CODE: g_value_take_string (value, code_as_string (self->code)); break;
    case PROP_CODE_BYTES: g_value_set_boxed (value, self->code); break;
    case PROP_CODE_TYPE: g_value_set_enum (value, self->code_type); break;
    case PROP_OPTIONS: g_value_set_object (value, self->options); break;
    case PROP_HEADER_NAMES:
      g_mutex_lock (&self->lock);
      g_value_set_boxed (value, self->header_names);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_HEADER_CONTENTS:
      g_mutex_lock (&self->lock);
      g_value_set_boxed (value, self->header_contents);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_USE_CACHE: g_value_set_boolean (value, cuda_obj_program_get_use_cache (self)); break;
    case PROP_CACHE: g_value_set_object (value, cuda_obj_program_get_cache (self)); break;
    case PROP_LOG: g_value_take_string (value, cuda_obj_program_get_log (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_headers (CudaObjProgram *self, guint prop_id, const char *const *headers)
{
  GStrv *field = prop_id == PROP_HEADER_NAMES ? &self->header_names : &self->header_contents;
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = !g_strv_equal ((const char *const *) *field,
                           headers != NULL ? headers : (const char *const[]){ NULL });
  if (changed)
    {
      g_strfreev (*field);
      *field = headers != NULL ? g_strdupv ((char **) headers) : g_new0 (char *, 1);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
cuda_obj_program_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjProgram *self = CUDA_OBJ_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      /* Construct-only, like code-bytes: whichever was given wins. */
      if (g_value_get_string (value) != NULL)
        {
          g_clear_pointer (&self->code, g_bytes_unref);
          self->code = g_bytes_new (g_value_get_string (value), strlen (g_value_get_string (value)));
        }
      break;
    case PROP_CODE_BYTES:
      if (g_value_get_boxed (value) != NULL)
        {
          g_clear_pointer (&self->code, g_bytes_unref);
          self->code = g_value_dup_boxed (value);
        }
      break;
    case PROP_CODE_TYPE: self->code_type = g_value_get_enum (value); break;
    case PROP_OPTIONS:
      g_clear_object (&self->options);
      self->options = g_value_dup_object (value);
      break;
    case PROP_HEADER_NAMES:
    case PROP_HEADER_CONTENTS: set_headers (self, prop_id, g_value_get_boxed (value)); break;
    case PROP_USE_CACHE: cuda_obj_program_set_use_cache (self, g_value_get_boolean (value)); break;
    case PROP_CACHE: cuda_obj_program_set_cache (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_program_class_init (CudaObjProgramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cuda_obj_program_finalize;
  object_class->constructed = cuda_obj_program_constructed;
  object_class->get_property = cuda_obj_program_get_property;
  object_class->set_property = cuda_obj_program_set_property;

  /**
   * CudaObjProgram:code:
   *
   * The program's code as text; %NULL when it is binary (NVVM bitcode, see
   * [property@CudaObj.Program:code-bytes]).
   *
   * Since: 1.0
   */
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, construct_only);
  /**
   * CudaObjProgram:code-bytes:
   *
   * The program's code as bytes, for NVVM bitcode; the same as
   * [property@CudaObj.Program:code] for text.
   *
   * Since: 1.0
   */
  properties[PROP_CODE_BYTES] = g_param_spec_boxed ("code-bytes", NULL, NULL, G_TYPE_BYTES, construct_only);
  /**
   * CudaObjProgram:code-type:
   *
   * The code's language, which decides the compiler.
   *
   * Since: 1.0
   */
  properties[PROP_CODE_TYPE] = g_param_spec_enum ("code-type", NULL, NULL, CUDA_OBJ_TYPE_PROGRAM_CODE_TYPE,
                                                  CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, construct_only);
  /**
   * CudaObjProgram:options:
   *
   * The compile options, read when each compile starts; default options
   * when none are given.
   *
   * Since: 1.0
   */
  properties[PROP_OPTIONS]
      = g_param_spec_object ("options", NULL, NULL, CUDA_OBJ_TYPE_PROGRAM_OPTIONS, construct_only);
  /**
   * CudaObjProgram:header-names:
   *
   * Names of headers the C++ code may `#include` whose contents are given
   * in memory, in [property@CudaObj.Program:header-contents] at the same index. They
   * are found before any include path, and the compile cache keys them by
   * content. See [method@CudaObj.Program.add_header].
   *
   * Since: 1.0
   */
  properties[PROP_HEADER_NAMES] = g_param_spec_boxed ("header-names", NULL, NULL, G_TYPE_STRV, rw);
  /**
   * CudaObjProgram:header-contents:
   *
   * The contents of the headers named by [property@CudaObj.Program:header-names].
   *
   * Since: 1.0
   */
  properties[PROP_HEADER_CONTENTS] = g_param_spec_boxed ("header-contents", NULL, NULL, G_TYPE_STRV, rw);
  /**
   * CudaObjProgram:use-cache:
   *
   * Whether compiles read and write the compile cache ([property@CudaObj.Program:cache]).
   *
   * Since: 1.0
   */
  properties[PROP_USE_CACHE] = g_param_spec_boolean ("use-cache", NULL, NULL, TRUE, rw);
  /**
   * CudaObjProgram:cache:
   *
   * The compile cache, [func@CudaObj.CompileCache.get_default] unless another
   * was set; setting %NULL goes back to the default.
   *
   * Since: 1.0
   */
  properties[PROP_CACHE] = g_param_spec_object ("cache", NULL, NULL, CUDA_OBJ_TYPE_COMPILE_CACHE, rw);
  /**
   * CudaObjProgram:log:
   *
   * The compiler's messages (warnings; errors after a failure) from the
   * compile that finished last, or restored from the cache; empty before
   * the first. Notified in the thread that called [method@CudaObj.Program.compile]
   * or [method@CudaObj.Program.compile_finish].
   *
   * Since: 1.0
   */
  properties[PROP_LOG]
      = g_param_spec_string ("log", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_program_init (CudaObjProgram *self)
{
  g_mutex_init (&self->lock);
  self->use_cache = TRUE;
  self->log = g_strdup ("");
  self->header_names = g_new0 (char *, 1);
  self->header_contents = g_new0 (char *, 1);
}

/**
 * cuda_obj_program_new:
 * @code: the program's code: CUDA C++, PTX or textual NVVM IR
 * @code_type: the code's language
 * @options: (nullable): compile options, or %NULL for the defaults
 *
 * Makes a program from text. The program keeps a reference to @options and
 * reads them when each compile starts.
 *
 * Returns: (transfer full): the program
 *
 * Since: 1.0
 */
CudaObjProgram *
cuda_obj_program_new (const char *code, CudaObjProgramCodeType code_type, CudaObjProgramOptions *options)
{
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (options == NULL || CUDA_OBJ_IS_PROGRAM_OPTIONS (options), NULL);
  g_return_val_if_fail ((guint) code_type <= CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, NULL);
  return g_object_new (CUDA_OBJ_TYPE_PROGRAM, "code", code, "code-type", code_type, "options", options, NULL);
}

/**
 * cuda_obj_program_new_from_bytes:
 * @code: the program's code, such as NVVM bitcode
 * @code_type: the code's language
 * @options: (nullable): compile options, or %NULL for the defaults
 *
 * Makes a program from bytes, which may be binary (NVVM IR bitcode).
 *
 * Returns: (transfer full): the program
 *
 * Since: 1.0
 */
CudaObjProgram *
cuda_obj_program_new_from_bytes (GBytes *code, CudaObjProgramCodeType code_type,
                                 CudaObjProgramOptions *options)
{
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (options == NULL || CUDA_OBJ_IS_PROGRAM_OPTIONS (options), NULL);
  g_return_val_if_fail ((guint) code_type <= CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, NULL);
  return g_object_new (CUDA_OBJ_TYPE_PROGRAM, "code-bytes", code, "code-type", code_type, "options", options,
                       NULL);
}

/**
 * cuda_obj_program_get_code_bytes:
 * @self: a [class@CudaObj.Program]
 *
 * Gives the program's code, [property@CudaObj.Program:code-bytes].
 *
 * Returns: (transfer none): the program's code, [property@CudaObj.Program:code-bytes]
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_program_get_code_bytes (CudaObjProgram *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);
  return self->code;
}

/**
 * cuda_obj_program_get_code_type:
 * @self: a [class@CudaObj.Program]
 *
 * Gives the code's language, [property@CudaObj.Program:code-type].
 *
 * Returns: the code's language, [property@CudaObj.Program:code-type]
 *
 * Since: 1.0
 */
CudaObjProgramCodeType
cuda_obj_program_get_code_type (CudaObjProgram *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), CUDA_OBJ_PROGRAM_CODE_TYPE_CXX);
  return self->code_type;
}

/**
 * cuda_obj_program_get_options:
 * @self: a [class@CudaObj.Program]
 *
 * Gives the compile options, [property@CudaObj.Program:options].
 *
 * Returns: (transfer none): the compile options, [property@CudaObj.Program:options]
 *
 * Since: 1.0
 */
CudaObjProgramOptions *
cuda_obj_program_get_options (CudaObjProgram *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);
  return self->options;
}

/**
 * cuda_obj_program_add_header:
 * @self: a [class@CudaObj.Program]
 * @name: the name the code includes it by, such as "params.h"
 * @contents: the header's text
 *
 * Gives the C++ code a header to `#include` from memory; it is found before
 * any include path. Appends to [property@CudaObj.Program:header-names] and
 * [property@CudaObj.Program:header-contents].
 *
 * Since: 1.0
 */
void
cuda_obj_program_add_header (CudaObjProgram *self, const char *name, const char *contents)
{
  guint n;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (contents != NULL);

  g_mutex_lock (&self->lock);
  n = g_strv_length (self->header_names);
  self->header_names = g_renew (char *, self->header_names, n + 2);
  self->header_names[n] = g_strdup (name);
  self->header_names[n + 1] = NULL;
  n = g_strv_length (self->header_contents);
  self->header_contents = g_renew (char *, self->header_contents, n + 2);
  self->header_contents[n] = g_strdup (contents);
  self->header_contents[n + 1] = NULL;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_NAMES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_CONTENTS]);
}

static CompileJob *
compile_job_new (CudaObjProgram *self, CudaObjCodeType target, const char *const *name_expressions)
{
  CompileJob *job = g_new0 (CompileJob, 1);

  job->code = g_bytes_ref (self->code);
  job->code_type = self->code_type;
  job->options = cuda_obj_program_options_copy (self->options);
  job->target = target;
  job->name_expressions
      = name_expressions != NULL ? g_strdupv ((char **) name_expressions) : g_new0 (char *, 1);
  g_mutex_lock (&self->lock);
  job->header_names = g_strdupv (self->header_names);
  job->header_contents = g_strdupv (self->header_contents);
  if (self->use_cache)
    job->cache = g_object_ref (self->cache != NULL ? self->cache : cuda_obj_compile_cache_get_default ());
  g_mutex_unlock (&self->lock);
  return job;
}

static void
set_log (CudaObjProgram *self, const char *log)
{
  g_mutex_lock (&self->lock);
  g_free (self->log);
  self->log = g_strdup (log != NULL ? log : "");
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

/**
 * cuda_obj_program_compile:
 * @self: a [class@CudaObj.Program]
 * @target: what to make: %CUDA_OBJ_CODE_TYPE_PTX, %CUDA_OBJ_CODE_TYPE_CUBIN
 *   or %CUDA_OBJ_CODE_TYPE_LTOIR (C++ and NVVM IR), %CUDA_OBJ_CODE_TYPE_CUBIN (PTX)
 * @name_expressions: (array zero-terminated=1) (nullable): C++ names whose
 *   mangled names to keep, such as `"saxpy<float>"` (which also
 *   instantiates the template) or `"&kernels::scale"`
 * @error: return location for a [struct@GLib.Error]
 *
 * Compiles the program, or takes the result from the compile cache when the
 * same program was compiled with the same options before. The compiler's
 * log is then [property@CudaObj.Program:log]. For %CUDA_OBJ_CODE_TYPE_LTOIR, C++ is
 * compiled with link-time optimization whether or not the options ask for it.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_COMPILE with the compiler's log (which shows the
 *   offending source line) when the code does not compile;
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for options the compiler rejects, a
 *   wrong architecture, an unsupported target or empty code; a loader error
 *   when the compiler cannot be loaded
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_program_compile (CudaObjProgram *self, CudaObjCodeType target, const char *const *name_expressions,
                          GError **error)
{
  g_autoptr (CompileJob) job = NULL;
  CudaObjObjectCode *code;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);

  job = compile_job_new (self, target, name_expressions);
  code = compile_job_run (job, error);
  set_log (self, job->log);
  return code;
}

static void
compile_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  CudaObjObjectCode *code;

  if (g_task_return_error_if_cancelled (task))
    return;
  code = compile_job_run (task_data, &error);
  if (code == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, g_object_unref);
}

/**
 * cuda_obj_program_compile_async:
 * @self: a [class@CudaObj.Program]
 * @target: what to make, as for [method@CudaObj.Program.compile]
 * @name_expressions: (array zero-terminated=1) (nullable): name expressions,
 *   as for [method@CudaObj.Program.compile]
 * @cancellable: (nullable): a [class@Gio.Cancellable]; a compile that has started runs
 *   to its end, but its result is then dropped
 * @callback: (scope async): called in the thread-default main context of
 *   the caller when the compile is done
 * @user_data: data for @callback
 *
 * Compiles the program in a worker thread, so that the calling thread's
 * main loop keeps running; finish with [method@CudaObj.Program.compile_finish].
 * The program's code, options and headers are read now.
 *
 * Since: 1.0
 */
void
cuda_obj_program_compile_async (CudaObjProgram *self, CudaObjCodeType target,
                                const char *const *name_expressions, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cuda_obj_program_compile_async);
  g_task_set_name (task, "cuda_obj_program_compile_async");
  g_task_set_task_data (task, compile_job_new (self, target, name_expressions), compile_job_free);
  g_task_run_in_thread (task, compile_thread);
}

/**
 * cuda_obj_program_compile_finish:
 * @self: a [class@CudaObj.Program]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [method@CudaObj.Program.compile_async], and sets [property@CudaObj.Program:log]
 * to its log.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set, as
 *   for [method@CudaObj.Program.compile] (or %G_IO_ERROR_CANCELLED)
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_program_compile_finish (CudaObjProgram *self, GAsyncResult *result, GError **error)
{
  CompileJob *job;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cuda_obj_program_compile_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  set_log (self, job->log);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cuda_obj_program_get_log:
 * @self: a [class@CudaObj.Program]
 *
 * Gives the compiler's messages from the compile that finished last.
 *
 * Returns: (transfer full): the log, [property@CudaObj.Program:log]; empty when the
 *   compiler said nothing
 *
 * Since: 1.0
 */
char *
cuda_obj_program_get_log (CudaObjProgram *self)
{
  char *log;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);
  g_mutex_lock (&self->lock);
  log = g_strdup (self->log);
  g_mutex_unlock (&self->lock);
  return log;
}

/**
 * cuda_obj_program_get_use_cache:
 * @self: a [class@CudaObj.Program]
 *
 * Gives whether compiles use the compile cache, [property@CudaObj.Program:use-cache].
 *
 * Returns: whether compiles use the compile cache, [property@CudaObj.Program:use-cache]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_program_get_use_cache (CudaObjProgram *self)
{
  gboolean use_cache;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), FALSE);
  g_mutex_lock (&self->lock);
  use_cache = self->use_cache;
  g_mutex_unlock (&self->lock);
  return use_cache;
}

/**
 * cuda_obj_program_set_use_cache:
 * @self: a [class@CudaObj.Program]
 * @use_cache: whether compiles should use the compile cache
 *
 * Turns the compile cache on or off for this program's compiles.
 *
 * Since: 1.0
 */
void
cuda_obj_program_set_use_cache (CudaObjProgram *self, gboolean use_cache)
{
  gboolean changed;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));
  g_mutex_lock (&self->lock);
  changed = self->use_cache != !!use_cache;
  self->use_cache = !!use_cache;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_CACHE]);
}

/**
 * cuda_obj_program_get_cache:
 * @self: a [class@CudaObj.Program]
 *
 * Gives the compile cache, [property@CudaObj.Program:cache].
 *
 * Returns: (transfer none): the compile cache, [property@CudaObj.Program:cache]
 *
 * Since: 1.0
 */
CudaObjCompileCache *
cuda_obj_program_get_cache (CudaObjProgram *self)
{
  CudaObjCompileCache *cache;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);
  g_mutex_lock (&self->lock);
  cache = self->cache;
  g_mutex_unlock (&self->lock);
  return cache != NULL ? cache : cuda_obj_compile_cache_get_default ();
}

/**
 * cuda_obj_program_set_cache:
 * @self: a [class@CudaObj.Program]
 * @cache: (nullable): a compile cache, or %NULL for the default
 *
 * Makes the program's compiles use another compile cache, such as one in a
 * directory of the application's own.
 *
 * Since: 1.0
 */
void
cuda_obj_program_set_cache (CudaObjProgram *self, CudaObjCompileCache *cache)
{
  gboolean changed;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));
  g_return_if_fail (cache == NULL || CUDA_OBJ_IS_COMPILE_CACHE (cache));
  g_mutex_lock (&self->lock);
  changed = g_set_object (&self->cache, cache);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
}
