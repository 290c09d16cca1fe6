/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a program (C++, PTX or NVVM IR) and its compilation.
 *
 * The class holds the code, the options, the headers and the cache choice.
 * A compile takes a snapshot of them (a CudaObjCompileJob, in the calling
 * thread) and hands it to the compile engine, cudaobj-compile-job.c, which
 * runs here or in a GTask worker for compile_async without touching the
 * Program and gives back the object code and the log. */
#include "config.h"

#include <string.h>

#include "cudaobj-program.h"
#include "cudaobj-compile-cache-private.h"
#include "cudaobj-compile-job-private.h"
#include "cudaobj-program-options-private.h"
#include "cudaobj-enum-types.h"

/* The last compile that the cache served or stored, kept decoded: the same
 * compile again (the same target, name expressions, headers, options and
 * cache, none changed since) costs a check that the cache's entry is
 * unchanged instead of the options' rendering, the key's hashing and the
 * entry's decoding. The toolkit is taken to stay the same for the life of
 * the process, as the loaded compiler does. */
typedef struct
{
  CudaObjObjectCode *code; /* NULL: no memo */
  CudaObjCodeType target;
  GStrv name_expressions;
  guint generation;               /* the program's, when made */
  CudaObjProgramOptions *options; /* compared by address only */
  guint options_generation;
  CudaObjCompileCache *cache;
  char *cache_key;
  char *found; /* the toolkit files the compile found (include directories, libdevice) */
  char *log;
} Memo;

static void
memo_clear (Memo *memo)
{
  g_clear_object (&memo->code);
  g_clear_pointer (&memo->name_expressions, g_strfreev);
  g_clear_object (&memo->cache);
  g_clear_pointer (&memo->cache_key, g_free);
  g_clear_pointer (&memo->found, g_free);
  g_clear_pointer (&memo->log, g_free);
}

struct _CudaObjProgram
{
  GObject parent_instance;

  GBytes *code;      /* empty when none was given */
  gboolean has_code; /* whether code or code-bytes was given */
  CudaObjProgramCodeType code_type;
  CudaObjProgramOptions *options;

  GMutex lock; /* the fields below */
  GStrv header_names;
  GStrv header_contents;
  char *header_error;         /* why a header given to add_header() is unusable */
  CudaObjCompileCache *cache; /* NULL for the default */
  gboolean use_cache;
  char *log;
  guint generation; /* counts changes of the headers and the cache choice */
  Memo memo;
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
 * A program made with [ctor@GObject.Object.new] (or `CudaObj.Program()`) without
 * [property@CudaObj.Program:code] or [property@CudaObj.Program:code-bytes] fails to compile with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED; its getters answer as for empty code.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjProgram, cuda_obj_program, G_TYPE_OBJECT)

static void
cuda_obj_program_finalize (GObject *object)
{
  CudaObjProgram *self = CUDA_OBJ_PROGRAM (object);

  g_clear_pointer (&self->code, g_bytes_unref);
  g_clear_object (&self->options);
  g_clear_object (&self->cache);
  g_strfreev (self->header_names);
  g_strfreev (self->header_contents);
  g_free (self->header_error);
  g_free (self->log);
  memo_clear (&self->memo);
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
  /* Setting the headers whole forgets a bad add_header(). */
  g_clear_pointer (&self->header_error, g_free);
  changed = !g_strv_equal ((const char *const *) *field,
                           headers != NULL ? headers : (const char *const[]){ NULL });
  if (changed)
    {
      g_strfreev (*field);
      *field = headers != NULL ? g_strdupv ((char **) headers) : g_new0 (char *, 1);
      self->generation++;
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
          self->has_code = TRUE;
        }
      break;
    case PROP_CODE_BYTES:
      if (g_value_get_boxed (value) != NULL)
        {
          g_clear_pointer (&self->code, g_bytes_unref);
          self->code = g_value_dup_boxed (value);
          self->has_code = TRUE;
        }
      break;
    case PROP_CODE_TYPE: self->code_type = g_value_get_enum (value); break;
    case PROP_OPTIONS:
      g_mutex_lock (&self->lock);
      g_clear_object (&self->options);
      self->options = g_value_dup_object (value);
      self->generation++;
      g_mutex_unlock (&self->lock);
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
   * Read it with [method@CudaObj.Program.get_code_bytes].
   *
   * Since: 1.0
   */
  properties[PROP_CODE_BYTES] = g_param_spec_boxed ("code-bytes", NULL, NULL, G_TYPE_BYTES, construct_only);
  /**
   * CudaObjProgram:code-type:
   *
   * The code's language, which decides the compiler.
   *
   * Read it with [method@CudaObj.Program.get_code_type].
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
   * Read it with [method@CudaObj.Program.get_options].
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
   * Read it with [method@CudaObj.Program.get_use_cache] and change
   * it with [method@CudaObj.Program.set_use_cache].
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
   * Read it with [method@CudaObj.Program.get_cache] and change it
   * with [method@CudaObj.Program.set_cache].
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
   * Read it with [method@CudaObj.Program.get_log].
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
 * reads them when each compile starts. What cannot be compiled (empty code,
 * a @code_type out of the enum) is reported by [method@CudaObj.Program.compile].
 *
 * Returns: (transfer full): the program
 *
 * Since: 1.0
 */
CudaObjProgram *
cuda_obj_program_new (const char *code, CudaObjProgramCodeType code_type, CudaObjProgramOptions *options)
{
  CudaObjProgram *self;

  g_return_val_if_fail (options == NULL || CUDA_OBJ_IS_PROGRAM_OPTIONS (options), NULL);

  self = g_object_new (CUDA_OBJ_TYPE_PROGRAM, "code", code, "options", options, NULL);
  /* Set here, not through the property, so that a value out of the enum
   * reaches the compile's error instead of a GLib warning. */
  self->code_type = code_type;
  return self;
}

/**
 * cuda_obj_program_new_from_bytes:
 * @code: the program's code, such as NVVM bitcode
 * @code_type: the code's language
 * @options: (nullable): compile options, or %NULL for the defaults
 *
 * Makes a program from bytes, which may be binary (NVVM IR bitcode). What
 * cannot be compiled is reported by [method@CudaObj.Program.compile].
 *
 * Returns: (transfer full): the program
 *
 * Since: 1.0
 */
CudaObjProgram *
cuda_obj_program_new_from_bytes (GBytes *code, CudaObjProgramCodeType code_type,
                                 CudaObjProgramOptions *options)
{
  CudaObjProgram *self;

  g_return_val_if_fail (options == NULL || CUDA_OBJ_IS_PROGRAM_OPTIONS (options), NULL);

  self = g_object_new (CUDA_OBJ_TYPE_PROGRAM, "code-bytes", code, "options", options, NULL);
  self->code_type = code_type;
  return self;
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
 * [property@CudaObj.Program:header-contents]. A %NULL or empty @name, or %NULL
 * @contents, adds nothing and makes the compiles that follow fail with
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
void
cuda_obj_program_add_header (CudaObjProgram *self, const char *name, const char *contents)
{
  guint n;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));

  g_mutex_lock (&self->lock);
  if (name == NULL || *name == '\0' || contents == NULL)
    {
      /* Kept for the next compile to report: this function cannot. */
      if (self->header_error == NULL)
        self->header_error
            = g_strdup_printf ("cuda_obj_program_add_header() was given %s", name == NULL    ? "no name"
                                                                             : *name == '\0' ? "an empty name"
                                                                                             : "no contents");
      g_mutex_unlock (&self->lock);
      return;
    }
  n = g_strv_length (self->header_names);
  self->header_names = g_renew (char *, self->header_names, n + 2);
  self->header_names[n] = g_strdup (name);
  self->header_names[n + 1] = NULL;
  n = g_strv_length (self->header_contents);
  self->header_contents = g_renew (char *, self->header_contents, n + 2);
  self->header_contents[n] = g_strdup (contents);
  self->header_contents[n + 1] = NULL;
  self->generation++;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_NAMES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_CONTENTS]);
}

/* A snapshot of the program for the compile engine, or NULL with @error
 * set when the program cannot be compiled as it is. */
static CudaObjCompileJob *
new_job (CudaObjProgram *self, CudaObjCodeType target, const char *const *name_expressions, GError **error)
{
  CudaObjCompileJob *job = NULL;

  g_mutex_lock (&self->lock);
  if (self->header_error != NULL)
    g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, self->header_error);
  else
    job = cuda_obj_compile_job_new (
        self->has_code ? self->code : NULL, self->code_type, self->options, target, name_expressions,
        (const char *const *) self->header_names, (const char *const *) self->header_contents,
        self->use_cache ? (self->cache != NULL ? self->cache : cuda_obj_compile_cache_get_default ()) : NULL);
  g_mutex_unlock (&self->lock);
  return job;
}

static gboolean
strv_equal0 (const char *const *a, const char *const *b)
{
  const char *const none[] = { NULL };

  return g_strv_equal (a != NULL ? a : none, b != NULL ? b : none);
}

/* The memo's object code when it answers this compile (see Memo), with its
 * log in *@log; else NULL. */
static CudaObjObjectCode *
memo_lookup (CudaObjProgram *self, CudaObjCodeType target, const char *const *name_expressions, char **log)
{
  g_autoptr (CudaObjCompileCache) cache = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autofree char *key = NULL, *found = NULL, *now_found = NULL;
  CudaObjObjectCode *code = NULL;
  Memo *memo = &self->memo;

  g_mutex_lock (&self->lock);
  if (memo->code != NULL && self->use_cache && memo->target == target && memo->generation == self->generation
      && memo->options == self->options
      && memo->options_generation == cuda_obj_program_options_get_generation (self->options)
      && memo->cache == (self->cache != NULL ? self->cache : cuda_obj_compile_cache_get_default ())
      && strv_equal0 ((const char *const *) memo->name_expressions, name_expressions))
    {
      code = g_object_ref (memo->code);
      cache = g_object_ref (memo->cache);
      key = g_strdup (memo->cache_key);
      found = g_strdup (memo->found);
      options = g_object_ref (self->options);
      *log = g_strdup (memo->log);
    }
  g_mutex_unlock (&self->lock);
  if (code != NULL)
    now_found = cuda_obj_compile_job_find_files (self->code_type, options);
  /* Other toolkit files now (a site directory or toolkit variable changed), or the entry gone
   * or replaced (cleared, evicted, the cache turned off): compile as if
   * there were no memo. */
  if (code != NULL
      && !(g_str_equal (found, now_found) && cuda_obj_compile_cache_get_enabled (cache)
           && cuda_obj_compile_cache_lookup_unchanged (cache, key)))
    {
      g_clear_object (&code);
      g_clear_pointer (log, g_free);
    }
  return code;
}

/* Keeps what @job made, @code, as the memo when the cache served or stored it. */
static void
memo_store (CudaObjProgram *self, CudaObjCompileJob *job, guint generation, guint options_generation,
            CudaObjCodeType target, const char *const *name_expressions, CudaObjObjectCode *code)
{
  const char *key = cuda_obj_compile_job_get_cache_key (job);
  Memo *memo = &self->memo;

  g_mutex_lock (&self->lock);
  memo_clear (memo);
  if (key != NULL && code != NULL)
    {
      memo->code = g_object_ref (code);
      memo->target = target;
      memo->name_expressions = g_strdupv (
          (char **) (name_expressions != NULL ? name_expressions : (const char *const[]){ NULL }));
      memo->generation = generation;
      memo->options = self->options;
      memo->options_generation = options_generation;
      memo->cache = g_object_ref (self->cache != NULL ? self->cache : cuda_obj_compile_cache_get_default ());
      memo->cache_key = g_strdup (key);
      memo->found = g_strdup (cuda_obj_compile_job_get_found_files (job));
      memo->log = g_strdup (cuda_obj_compile_job_get_log (job));
    }
  g_mutex_unlock (&self->lock);
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
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for options the compiler rejects, an
 *   option value out of its range, a wrong architecture, an unsupported
 *   target, a code type out of [enum@CudaObj.ProgramCodeType] or empty code;
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED for a program made without code; a
 *   loader error when the compiler cannot be loaded
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_program_compile (CudaObjProgram *self, CudaObjCodeType target, const char *const *name_expressions,
                          GError **error)
{
  g_autoptr (CudaObjCompileJob) job = NULL;
  g_autofree char *log = NULL;
  CudaObjObjectCode *code;
  guint generation, options_generation;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);

  if ((code = memo_lookup (self, target, name_expressions, &log)) != NULL)
    {
      set_log (self, log);
      return code;
    }
  /* Read with the snapshot: a change made while this compiles is not in
   * its result, and must not match the memo. */
  g_mutex_lock (&self->lock);
  generation = self->generation;
  options_generation = cuda_obj_program_options_get_generation (self->options);
  g_mutex_unlock (&self->lock);
  job = new_job (self, target, name_expressions, error);
  if (job == NULL)
    return NULL;
  code = cuda_obj_compile_job_run (job, error);
  memo_store (self, job, generation, options_generation, target, name_expressions, code);
  set_log (self, cuda_obj_compile_job_get_log (job));
  return code;
}

static void
compile_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  CudaObjObjectCode *code;

  if (g_task_return_error_if_cancelled (task))
    return;
  code = cuda_obj_compile_job_run (task_data, &error);
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
  GError *error = NULL;
  CudaObjCompileJob *job;

  g_return_if_fail (CUDA_OBJ_IS_PROGRAM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cuda_obj_program_compile_async);
  g_task_set_name (task, "cuda_obj_program_compile_async");
  job = new_job (self, target, name_expressions, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) cuda_obj_compile_job_free);
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
 *   for [method@CudaObj.Program.compile] (or %G_IO_ERROR_CANCELLED;
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a @result that is not of
 *   [method@CudaObj.Program.compile_async] on @self)
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_program_compile_finish (CudaObjProgram *self, GAsyncResult *result, GError **error)
{
  CudaObjCompileJob *job;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM (self), NULL);

  if (!g_task_is_valid (result, self)
      || g_task_get_source_tag (G_TASK (result)) != cuda_obj_program_compile_async)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "The result is not that of cuda_obj_program_compile_async() on this program");
      return NULL;
    }
  job = g_task_get_task_data (G_TASK (result));
  if (job != NULL)
    set_log (self, cuda_obj_compile_job_get_log (job));
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
