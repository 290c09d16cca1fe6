/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the compile engine behind CudaObjProgram (see
 * cudaobj-compile-job-private.h).
 *
 * Each kind of code has a CompileKind: what it compiles to, and two steps.
 * prepare() loads the compilers and renders their command lines from the
 * typed option fields, adding what identifies the compilers and their
 * options to the cache key; compile() runs them. run() computes the key
 * from everything that changes the output before any compiler runs, so
 * that a cache hit costs a file read. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cudaobj-compile-job-private.h"
#include "cudaobj-compile-cache-private.h"
#include "cudaobj-library-private.h"
#include "cudaobj-linker-options-private.h"
#include "cudaobj-linker-private.h"
#include "cudaobj-object-code-private.h"
#include "cudaobj-program-options-private.h"

typedef struct _CompileKind CompileKind;

struct _CudaObjCompileJob
{
  /* What to compile, copied in the calling thread. */
  GBytes *code; /* NULL: the program was made without code */
  CudaObjProgramCodeType code_type;
  CudaObjProgramOptions *options; /* a copy, read through its fields */
  CudaObjCodeType target;
  GStrv name_expressions;     /* never NULL */
  GStrv header_names;         /* never NULL */
  GStrv header_contents;      /* never NULL */
  CudaObjCompileCache *cache; /* NULL: no cache */

  /* Set by run() and the kind's prepare(). */
  const CompileKind *kind;
  const char *name;  /* the options' name, or "default_program" */
  char *arch;        /* resolved: "sm_90" or "compute_90a" */
  char *arch_number; /* "90", "90a" */
  gboolean arch_is_virtual;
  GStrv argv;           /* NVRTC's or libNVVM's command line */
  GStrv assembler_argv; /* nvJitLink's, to assemble PTX into a CUBIN */
  char *libdevice;      /* the libdevice file an NVVM compile links, or NULL */
  const CudaObjNvrtc *nvrtc;
  const CudaObjNvvm *nvvm;
  const CudaObjNvJitLink *jit;

  char *log;       /* out */
  char *cache_key; /* out: the cache key of a run that used the cache, else NULL */
  char *found;     /* out: what the run found on the machine (see find_files) */
};

/* How to compile one kind of code. */
struct _CompileKind
{
  const char *language; /* for messages: "C++" */
  const char *targets;  /* for messages: "PTX, CUBIN or LTO-IR" */
  guint target_mask;    /* 1 << CudaObjCodeType of each target */
  gboolean takes_names_and_headers;
  /* Loads the compilers and renders their command lines into the job;
   * adds what identifies them to @key. */
  gboolean (*prepare) (CudaObjCompileJob *job, GChecksum *key, GError **error);
  CudaObjObjectCode *(*compile) (CudaObjCompileJob *job, GError **error);
};

#define TARGET(type) (1u << CUDA_OBJ_CODE_TYPE_##type)

CudaObjCompileJob *
cuda_obj_compile_job_new (GBytes *code, CudaObjProgramCodeType code_type, CudaObjProgramOptions *options,
                          CudaObjCodeType target, const char *const *name_expressions,
                          const char *const *header_names, const char *const *header_contents,
                          CudaObjCompileCache *cache)
{
  CudaObjCompileJob *job = g_new0 (CudaObjCompileJob, 1);
  const char *const none[] = { NULL };

  job->code = code != NULL ? g_bytes_ref (code) : NULL;
  job->code_type = code_type;
  job->options = options != NULL ? cuda_obj_program_options_copy (options) : cuda_obj_program_options_new ();
  job->target = target;
  job->name_expressions = g_strdupv ((char **) (name_expressions != NULL ? name_expressions : none));
  job->header_names = g_strdupv ((char **) (header_names != NULL ? header_names : none));
  job->header_contents = g_strdupv ((char **) (header_contents != NULL ? header_contents : none));
  job->cache = cache != NULL ? g_object_ref (cache) : NULL;
  job->log = g_strdup ("");
  return job;
}

void
cuda_obj_compile_job_free (CudaObjCompileJob *job)
{
  g_clear_pointer (&job->code, g_bytes_unref);
  g_object_unref (job->options);
  g_strfreev (job->name_expressions);
  g_strfreev (job->header_names);
  g_strfreev (job->header_contents);
  g_clear_object (&job->cache);
  g_free (job->arch);
  g_free (job->arch_number);
  g_strfreev (job->argv);
  g_strfreev (job->assembler_argv);
  g_free (job->libdevice);
  g_free (job->log);
  g_free (job->cache_key);
  g_free (job->found);
  g_free (job);
}

const char *
cuda_obj_compile_job_get_log (CudaObjCompileJob *job)
{
  return job->log;
}

const char *
cuda_obj_compile_job_get_cache_key (CudaObjCompileJob *job)
{
  return job->cache_key;
}

const char *
cuda_obj_compile_job_get_found_files (CudaObjCompileJob *job)
{
  return job->found != NULL ? job->found : "";
}

/* The found files as a string, from the include directories @dirs (may be
 * NULL) and the libdevice file @libdevice (may be NULL). */
static char *
found_files_string (const char *const *dirs, const char *libdevice)
{
  g_autofree char *joined = dirs != NULL ? g_strjoinv ("\n", (char **) dirs) : NULL;

  return g_strconcat (joined != NULL ? joined : "", "\n", libdevice != NULL ? libdevice : "", NULL);
}

char *
cuda_obj_compile_job_find_files (CudaObjProgramCodeType code_type, CudaObjProgramOptions *options)
{
  g_auto (GStrv) dirs = NULL;
  g_autofree char *libdevice = NULL;

  if (code_type == CUDA_OBJ_PROGRAM_CODE_TYPE_CXX && options->fields.toolkit_include_dirs)
    dirs = cuda_obj_find_include_dirs_cached ();
  else if (code_type == CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM && options->fields.use_libdevice)
    libdevice = cuda_obj_find_libdevice (NULL);
  return found_files_string ((const char *const *) dirs, libdevice);
}

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

/* What identifies a compiler build: its version, and the file it was loaded
 * from with that file's size and time, so that an update of the toolkit
 * invalidates the cache even when the version stays. */
static const char *
tool_identity (CudaObjLibrary library, int major, int minor)
{
  static gsize once[CUDA_OBJ_LIBRARY_NVVM + 1]; /* the compilers */
  static char *identities[CUDA_OBJ_LIBRARY_NVVM + 1];

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

/* What identifies a file or directory of the toolkit in the key: its
 * resolved path (a /usr/local/cuda link switched to another toolkit
 * differs) and its size and times (a reinstall in place differs).
 * Resolving a path costs a readlink per component, most of a cache hit's
 * time, so each path's identity is taken once per process, as the
 * compilers themselves are loaded once (tool_identity). */
static void
key_add_file_identity (GChecksum *key, const char *path)
{
  static GMutex lock;
  static GHashTable *identities; /* path → identity */
  const char *identity;

  g_mutex_lock (&lock);
  if (identities == NULL)
    identities = g_hash_table_new (g_str_hash, g_str_equal);
  identity = g_hash_table_lookup (identities, path);
  if (identity == NULL)
    {
      char resolved[PATH_MAX];
      struct stat st = { 0 };
      char *made;

      if (realpath (path, resolved) == NULL)
        g_strlcpy (resolved, path, sizeof resolved);
      if (stat (resolved, &st) != 0)
        memset (&st, 0, sizeof st);
      made = g_strdup_printf ("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, resolved,
                              (gint64) st.st_size, (gint64) st.st_mtime, (gint64) st.st_ctime);
      /* Kept for the life of the process, like the loaded compilers. */
      g_hash_table_insert (identities, g_strdup (path), made);
      identity = made;
    }
  g_mutex_unlock (&lock);
  key_add_string (key, identity);
}

static char *
chomped (const char *log)
{
  return g_strchomp (g_strdup (log != NULL ? log : ""));
}

/* ------------------------------------------------------------------------ */
/* Command lines */

static gboolean
require_real_arch (CudaObjCompileJob *job, GError **error)
{
  if (!job->arch_is_virtual)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "A CUBIN is for a real architecture: use sm_%s, not %s", job->arch_number, job->arch);
  return FALSE;
}

/* nvJitLink's command line to assemble PTX into a CUBIN, from the options
 * that apply to it. */
static gboolean
render_assembler_argv (CudaObjCompileJob *job, gboolean with_extra_options, GError **error)
{
  const CudaObjProgramOptionsFields *options = &job->options->fields;
  CudaObjLinkerOptionsFields link = { 0 };

  if (!require_real_arch (job, error))
    return FALSE;
  cuda_obj_linker_options_fields_init (&link);
  link.arch = g_strdup (job->arch);
  link.debug = options->debug;
  link.lineinfo = options->lineinfo;
  link.max_register_count = options->max_register_count;
  link.split_compile = options->split_compile;
  link.ptxas_options = g_strdupv (options->ptxas_options);
  link.extra_options = with_extra_options ? g_strdupv (options->extra_options) : NULL;
  job->assembler_argv = cuda_obj_linker_options_render (&link, error);
  cuda_obj_linker_options_fields_clear (&link);
  return job->assembler_argv != NULL;
}

static gboolean
cxx_prepare (CudaObjCompileJob *job, GChecksum *key, GError **error)
{
  CudaObjProgramOptionsFields *options = &job->options->fields; /* the job's own copy */

  if ((job->nvrtc = cuda_obj_nvrtc_get (error)) == NULL)
    return FALSE;
  if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN && !require_real_arch (job, error))
    return FALSE;
  if (job->target == CUDA_OBJ_CODE_TYPE_PTX && options->link_time_optimization)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "With link-time-optimization NVRTC makes LTO-IR only: compile to LTO-IR, or "
                           "turn link-time-optimization off");
      return FALSE;
    }
  /* NVRTC makes LTO-IR only with link-time optimization. */
  if (job->target == CUDA_OBJ_CODE_TYPE_LTOIR)
    options->link_time_optimization = TRUE;
  if ((job->argv = cuda_obj_program_options_render (options, error)) == NULL)
    return FALSE;
  key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVRTC, job->nvrtc->major, job->nvrtc->minor));
  if (options->toolkit_include_dirs)
    {
      /* Missing headers are NVRTC's error to report, naming the header:
       * programs that include none of them must still compile. */
      g_auto (GStrv) dirs = cuda_obj_find_include_dirs_cached ();
      guint n = g_strv_length (job->argv), n_dirs = dirs != NULL ? g_strv_length (dirs) : 0;

      job->found = found_files_string ((const char *const *) dirs, NULL);
      /* After everything the user gave, -I and extra-options included. */
      job->argv = g_renew (char *, job->argv, n + n_dirs + 1);
      for (guint i = 0; i < n_dirs; i++)
        {
          job->argv[n + i] = g_strconcat ("--include-path=", dirs[i], NULL);
          key_add_file_identity (key, dirs[i]);
        }
      job->argv[n + n_dirs] = NULL;
    }
  key_add_strv (key, (const char *const *) job->argv);
  return TRUE;
}

static gboolean
ptx_prepare (CudaObjCompileJob *job, GChecksum *key, GError **error)
{
  if ((job->jit = cuda_obj_nvjitlink_get (error)) == NULL || !render_assembler_argv (job, TRUE, error))
    return FALSE;
  key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVJITLINK, job->jit->major, job->jit->minor));
  key_add_strv (key, (const char *const *) job->assembler_argv);
  return TRUE;
}

static gboolean
nvvm_prepare (CudaObjCompileJob *job, GChecksum *key, GError **error)
{
  if ((job->nvvm = cuda_obj_nvvm_get (error)) == NULL)
    return FALSE;
  job->argv = cuda_obj_program_options_render_nvvm (&job->options->fields,
                                                    job->target == CUDA_OBJ_CODE_TYPE_LTOIR, error);
  if (job->argv == NULL)
    return FALSE;
  key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVVM, job->nvvm->major, job->nvvm->minor));
  key_add_strv (key, (const char *const *) job->argv);
  if (job->options->fields.use_libdevice)
    {
      if ((job->libdevice = cuda_obj_find_libdevice (error)) == NULL)
        {
          g_prefix_error (error, "NVVM IR programs are linked with libdevice (turn the option use-libdevice "
                                 "off to compile without): ");
          return FALSE;
        }
      job->found = found_files_string (NULL, job->libdevice);
      key_add_string (key, "libdevice");
      key_add_file_identity (key, job->libdevice);
    }
  else
    key_add_string (key, "no libdevice");
  if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN)
    {
      if ((job->jit = cuda_obj_nvjitlink_get (error)) == NULL || !render_assembler_argv (job, FALSE, error))
        return FALSE;
      key_add_string (key, tool_identity (CUDA_OBJ_LIBRARY_NVJITLINK, job->jit->major, job->jit->minor));
      key_add_strv (key, (const char *const *) job->assembler_argv);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Compilers */

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
cxx_compile (CudaObjCompileJob *job, GError **error)
{
  const CudaObjNvrtc *nvrtc = job->nvrtc;
  const char *const *argv = (const char *const *) job->argv;
  const char *name = job->name;
  g_autofree char *source = NULL;
  g_autoptr (GPtrArray) lowered = NULL;
  g_autoptr (GBytes) output = NULL;
  nvrtcProgram prog = NULL;
  nvrtcResult result;
  size_t size = 0;
  gsize code_size = 0;
  const char *code = g_bytes_get_data (job->code, &code_size);
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
      g_autofree char *hint = result == NVRTC_ERROR_INVALID_OPTION
                                  ? supported_arch_hint (nvrtc, job->arch_number)
                                  : g_strdup ("");
      g_set_error (error, CUDA_OBJ_ERROR,
                   result == NVRTC_ERROR_INVALID_OPTION ? CUDA_OBJ_ERROR_INVALID_ARGUMENT
                                                        : CUDA_OBJ_ERROR_COMPILE,
                   "NVRTC could not compile %s for %s (%s):\n%s%s", name, job->arch,
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

/* NVVM IR to PTX, or LTO-IR with -gen-lto in the job's argv. */
static GBytes *
nvvm_run (CudaObjCompileJob *job, GError **error)
{
  const CudaObjNvvm *nvvm = job->nvvm;
  const char *const *argv = (const char *const *) job->argv;
  const char *name = job->name;
  nvvmProgram prog = NULL;
  nvvmResult result;
  gsize code_size = 0;
  const char *code = g_bytes_get_data (job->code, &code_size);
  const char *step = "nvvmCreateProgram";
  int argc = (int) g_strv_length ((char **) argv);
  size_t size = 0;
  GBytes *output = NULL;
  g_autoptr (GMappedFile) libdevice = NULL; /* alive until the compile is done */

  if (job->libdevice != NULL)
    {
      g_autoptr (GError) local_error = NULL;

      if ((libdevice = g_mapped_file_new (job->libdevice, FALSE, &local_error)) == NULL)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
                       "Cannot read libdevice for %s: %s", name, local_error->message);
          return NULL;
        }
    }
  result = nvvm->nvvmCreateProgram (&prog);
  if (result == NVVM_SUCCESS)
    {
      step = "nvvmAddModuleToProgram";
      result = nvvm->nvvmAddModuleToProgram (prog, code, code_size, name);
    }
  if (result == NVVM_SUCCESS && libdevice != NULL)
    {
      /* Lazily: only the functions the program calls are linked in. */
      step = "nvvmLazyAddModuleToProgram";
      result = nvvm->nvvmLazyAddModuleToProgram (prog, g_mapped_file_get_contents (libdevice),
                                                 g_mapped_file_get_length (libdevice), "libdevice.10.bc");
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
      g_set_error (error, CUDA_OBJ_ERROR,
                   result == NVVM_ERROR_INVALID_OPTION ? CUDA_OBJ_ERROR_INVALID_ARGUMENT
                                                       : CUDA_OBJ_ERROR_COMPILE,
                   "libNVVM could not compile %s for compute_%s (%s: %s)%s%s%s%s", name, job->arch_number,
                   step, nvvm->nvvmGetErrorString (result),
                   /* libdevice can be at fault too (another toolkit's, or damaged). */
                   job->libdevice != NULL ? ", linked with libdevice " : "",
                   job->libdevice != NULL ? job->libdevice : "", *job->log != '\0' ? ":\n" : "", job->log);
      return NULL;
    }
  return output;
}

/* PTX to CUBIN through nvJitLink; assembler errors are compile errors. */
static CudaObjObjectCode *
assemble (CudaObjCompileJob *job, GBytes *ptx, GError **error)
{
  const char *const *argv = (const char *const *) job->assembler_argv;
  const char *name = job->name;
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *info_log = NULL, *error_log = NULL;
  g_autofree char *arch = g_strconcat ("sm_", job->arch_number, NULL);
  CudaObjObjectCode *code;

  g_ptr_array_add (inputs, cuda_obj_object_code_new_internal (ptx, CUDA_OBJ_CODE_TYPE_PTX, name, NULL, NULL));
  code = cuda_obj_link_run (argv, arch, inputs, FALSE, name, CUDA_OBJ_ERROR_COMPILE, &info_log, &error_log,
                            error);
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

static CudaObjObjectCode *
ptx_compile (CudaObjCompileJob *job, GError **error)
{
  return assemble (job, job->code, error);
}

static CudaObjObjectCode *
nvvm_compile (CudaObjCompileJob *job, GError **error)
{
  g_autoptr (GBytes) ptx = nvvm_run (job, error);

  if (ptx == NULL)
    return NULL;
  if (job->target == CUDA_OBJ_CODE_TYPE_CUBIN)
    return assemble (job, ptx, error);
  return cuda_obj_object_code_new_internal (ptx, job->target, job->name, NULL, NULL);
}

/* clang-format off */
static const CompileKind kinds[] = {
  [CUDA_OBJ_PROGRAM_CODE_TYPE_CXX] = {
    "C++", "PTX, CUBIN or LTO-IR", TARGET (PTX) | TARGET (CUBIN) | TARGET (LTOIR), TRUE,
    cxx_prepare, cxx_compile,
  },
  [CUDA_OBJ_PROGRAM_CODE_TYPE_PTX] = {
    "PTX", "CUBIN", TARGET (CUBIN), FALSE,
    ptx_prepare, ptx_compile,
  },
  [CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM] = {
    "NVVM IR", "PTX, CUBIN or LTO-IR", TARGET (PTX) | TARGET (CUBIN) | TARGET (LTOIR), FALSE,
    nvvm_prepare, nvvm_compile,
  },
};
/* clang-format on */

/* ------------------------------------------------------------------------ */
/* The cache */

static GBytes *
encode_payload (CudaObjCompileJob *job, CudaObjObjectCode *code)
{
  g_auto (GStrv) names = cuda_obj_object_code_get_name_expressions (code);
  g_autoptr (GPtrArray) lowered = g_ptr_array_new ();
  CudaObjCompilePayload payload = { 0 };

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *mangled = cuda_obj_object_code_get_lowered_name (code, names[i]);
      g_ptr_array_add (lowered, (gpointer) (mangled != NULL ? mangled : ""));
    }
  g_ptr_array_add (lowered, NULL);
  payload.code_type = cuda_obj_object_code_get_code_type (code);
  payload.log = job->log;
  payload.name_expressions = names;
  payload.lowered_names = (char **) lowered->pdata;
  payload.code = cuda_obj_object_code_get_code (code);
  return cuda_obj_compile_cache_encode_payload (&payload);
}

/* The object code in @bytes, or NULL when they are not this job's. */
static CudaObjObjectCode *
decode_payload (CudaObjCompileJob *job, GBytes *bytes)
{
  CudaObjCompilePayload payload = { 0 };
  g_autofree const char **lowered = NULL;
  CudaObjObjectCode *code = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint n;

  if (!cuda_obj_compile_cache_decode_payload (data, size, &payload, NULL))
    return NULL;
  if (payload.code_type == job->target
      && g_strv_equal ((const char *const *) payload.name_expressions,
                       (const char *const *) job->name_expressions))
    {
      /* "" stands for a name expression the compiler gave no lowered name. */
      n = g_strv_length (payload.lowered_names);
      lowered = g_new0 (const char *, n + 1);
      for (guint i = 0; i < n; i++)
        lowered[i] = *payload.lowered_names[i] != '\0' ? payload.lowered_names[i] : NULL;
      code = cuda_obj_object_code_new_internal (payload.code, job->target, job->name,
                                                (const char *const *) payload.name_expressions, lowered);
      g_free (job->log);
      job->log = g_strdup (payload.log);
    }
  cuda_obj_compile_payload_clear (&payload);
  return code;
}

static gboolean
check_job (CudaObjCompileJob *job, GError **error)
{
  gsize size = 0;
  const char *data;
  gboolean blank = TRUE;

  if (job->code == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                           "The program has no code: make it with cuda_obj_program_new() or give it the "
                           "code or code-bytes property");
      return FALSE;
    }
  data = g_bytes_get_data (job->code, &size);
  for (gsize i = 0; i < size && blank; i++)
    blank = g_ascii_isspace (data[i]) || data[i] == '\0';
  if (blank)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "The program's code is empty");
      return FALSE;
    }
  if ((guint) job->code_type >= G_N_ELEMENTS (kinds))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a CudaObjProgramCodeType", (int) job->code_type);
      return FALSE;
    }
  job->kind = &kinds[job->code_type];
  if ((guint) job->target >= 32 || (job->kind->target_mask & (1u << job->target)) == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s compiles to %s, not to %s",
                   job->kind->language, job->kind->targets, target_nick (job->target));
      return FALSE;
    }
  if (!job->kind->takes_names_and_headers && job->name_expressions[0] != NULL)
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
  if (!job->kind->takes_names_and_headers && job->header_names[0] != NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Headers are for C++ programs only");
      return FALSE;
    }
  return TRUE;
}

CudaObjObjectCode *
cuda_obj_compile_job_run (CudaObjCompileJob *job, GError **error)
{
  CudaObjProgramOptionsFields *options = &job->options->fields;
  g_autoptr (GChecksum) key = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  gboolean cacheable;
  gsize code_size = 0;
  const void *code_data;

  g_free (job->log);
  job->log = g_strdup ("");
  g_clear_pointer (&job->cache_key, g_free);
  g_clear_pointer (&job->found, g_free);
  g_clear_pointer (&job->argv, g_strfreev);
  g_clear_pointer (&job->assembler_argv, g_strfreev);
  g_clear_pointer (&job->libdevice, g_free);
  g_clear_pointer (&job->arch, g_free);
  g_clear_pointer (&job->arch_number, g_free);
  if (!check_job (job, error))
    return NULL;
  job->name = options->name != NULL && *options->name != '\0' ? options->name : "default_program";

  /* Resolved once, here, for the checks and messages; a missing one is
   * filled in the job's options, so that the renderers need no device. */
  if (!cuda_obj_arch_resolve (options->arch, &job->arch_number, &job->arch_is_virtual, error))
    return NULL;
  job->arch = g_strdup_printf ("%s_%s", job->arch_is_virtual ? "compute" : "sm", job->arch_number);
  if (options->arch == NULL || *options->arch == '\0')
    {
      g_free (options->arch);
      options->arch = g_strdup (job->arch);
    }

  key = g_checksum_new (G_CHECKSUM_SHA256);
  key_add_string (key, "libcudaobj compile v1");
  key_add (key, &(guint32){ job->code_type }, sizeof (guint32));
  key_add (key, &(guint32){ job->target }, sizeof (guint32));
  key_add_string (key, job->name);
  if (!job->kind->prepare (job, key, error))
    return NULL;
  key_add_strv (key, (const char *const *) job->name_expressions);
  key_add_strv (key, (const char *const *) job->header_names);
  key_add_strv (key, (const char *const *) job->header_contents);
  code_data = g_bytes_get_data (job->code, &code_size);
  key_add (key, code_data, code_size);

  /* Options that write files are side effects a cache hit would skip. */
  cacheable = job->cache != NULL && cuda_obj_compile_cache_get_enabled (job->cache) && options->time == NULL
              && options->fdevice_time_trace == NULL && options->create_pch == NULL;
  if (cacheable)
    {
      g_autoptr (GBytes) payload = cuda_obj_compile_cache_lookup (job->cache, g_checksum_get_string (key));
      if (payload != NULL && (code = decode_payload (job, payload)) != NULL)
        {
          job->cache_key = g_strdup (g_checksum_get_string (key));
          return g_steal_pointer (&code);
        }
    }

  code = job->kind->compile (job, error);
  if (code == NULL)
    return NULL;

  if (cacheable)
    {
      g_autoptr (GBytes) payload = encode_payload (job, code);
      cuda_obj_compile_cache_store (job->cache, g_checksum_get_string (key), payload);
      job->cache_key = g_strdup (g_checksum_get_string (key));
    }
  return g_steal_pointer (&code);
}
