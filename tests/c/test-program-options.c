/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ProgramOptions: properties, NVRTC's command line, architectures, copies;
 * and the option glue it shares with LinkerOptions (cudaobj-options-private.c),
 * tried on both classes. */
#include <string.h>
#include <glib/gstdio.h>

#include "cudaobj-linker-options-private.h"
#include "cudaobj-program-options-private.h"
#include "cudaobj-test-util.h"

static const char *kernel = "extern \"C\" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }\n";

static void
assert_argv (char **argv, const char *const *expected)
{
  g_autofree char *got = g_strjoinv (" ", argv);
  g_autofree char *want = g_strjoinv (" ", (char **) expected);
  g_assert_cmpstr (got, ==, want);
}

static void
test_defaults (void)
{
  g_autoptr (CudaObjProgramOptions) options = cuda_obj_program_options_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  g_autofree char *name = NULL, *arch = NULL, *std = NULL;
  gboolean prec_sqrt = FALSE, prec_div = FALSE, fmad = FALSE, ftz = TRUE, debug = TRUE;
  int max_registers = -1, split = -1, density = -1;
  g_auto (GStrv) defines = NULL;

  g_object_get (options, "name", &name, "arch", &arch, "std", &std, "prec-sqrt", &prec_sqrt, "prec-div",
                &prec_div, "fmad", &fmad, "ftz", &ftz, "debug", &debug, "max-register-count", &max_registers,
                "split-compile", &split, "jump-table-density", &density, "define-macro", &defines, NULL);
  g_assert_cmpstr (name, ==, "default_program");
  g_assert_null (arch);
  g_assert_null (std);
  g_assert_true (prec_sqrt);
  g_assert_true (prec_div);
  g_assert_true (fmad);
  g_assert_false (ftz);
  g_assert_false (debug);
  g_assert_cmpint (max_registers, ==, 0);
  g_assert_cmpint (split, ==, 1);
  g_assert_cmpint (density, ==, 101);
  g_assert_null (defines);

  /* At NVRTC's defaults only the architecture is passed. */
  g_object_set (options, "arch", "sm_90", NULL);
  argv = cuda_obj_program_options_to_argv (options, &error);
  g_assert_no_error (error);
  assert_argv (argv, (const char *[]){ "--gpu-architecture=sm_90", NULL });
}

static void
test_render (void)
{
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_75", "std", "c++17", "use-fast-math",
                          TRUE, "debug", TRUE, "lineinfo", TRUE, "device-code-optimize", TRUE,
                          "relocatable-device-code", TRUE, "max-register-count", 64, "prec-div", FALSE,
                          "fmad", FALSE, "ftz", TRUE, "define-macro", (const char *[]){ "N=4", "FAST", NULL },
                          "include-path", (const char *[]){ "/opt/include", NULL }, "diag-suppress",
                          (const char *[]){ "177", NULL }, "ptxas-options", (const char *[]){ "-v", NULL },
                          "split-compile", 0, "extra-options", (const char *[]){ "--restrict", NULL }, NULL);
  argv = cuda_obj_program_options_to_argv (options, &error);
  g_assert_no_error (error);
  assert_argv (argv,
               (const char *[]){ "--gpu-architecture=sm_75", "--std=c++17", "--relocatable-device-code=true",
                                 "--device-debug", "--generate-line-info", "--dopt=on", "--ptxas-options=-v",
                                 "--maxrregcount=64", "--ftz=true", "--prec-div=false", "--fmad=false",
                                 "--use_fast_math", "--define-macro=N=4", "--define-macro=FAST",
                                 "--include-path=/opt/include", "--diag-suppress=177", "--split-compile=0",
                                 "--restrict", NULL });
}

typedef struct
{
  const char *arch;
  const char *rendered; /* NULL: malformed */
} ArchCase;

static const ArchCase arch_cases[] = {
  { "sm_90", "--gpu-architecture=sm_90" },
  { "compute_90", "--gpu-architecture=compute_90" },
  { "90", "--gpu-architecture=sm_90" },
  { "75", "--gpu-architecture=sm_75" },
  { "sm_90a", "--gpu-architecture=sm_90a" },
  { "compute_100f", "--gpu-architecture=compute_100f" },
  { "120", "--gpu-architecture=sm_120" },
  { "sm_", NULL },
  { "sm_9", NULL },
  { "sm_abc", NULL },
  { "gfx90a", NULL },
  { "sm_90x", NULL },
  { "sm_90af", NULL },
  { "compute90", NULL },
  { "9000", NULL },
  { "-90", NULL },
  { "sm_090", NULL },
};

static void
test_arch_forms (gconstpointer data)
{
  const ArchCase *arch_case = data;
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch_case->arch, NULL);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = cuda_obj_program_options_to_argv (options, &error);

  if (arch_case->rendered != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (argv[0], ==, arch_case->rendered);
      return;
    }
  g_assert_null (argv);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, arch_case->arch));
  g_assert_nonnull (strstr (error->message, "not a GPU architecture"));
  g_clear_error (&error);
  /* The same options work again once the architecture is fixed. */
  g_object_set (options, "arch", "sm_80", NULL);
  g_clear_pointer (&argv, g_strfreev);
  argv = cuda_obj_program_options_to_argv (options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, "--gpu-architecture=sm_80");
}

static void
test_arch_parse (void)
{
  g_autofree char *number = NULL;
  gboolean is_virtual = FALSE;

  g_assert_true (cuda_obj_arch_parse ("compute_90a", &number, &is_virtual, NULL));
  g_assert_cmpstr (number, ==, "90a");
  g_assert_true (is_virtual);
  g_clear_pointer (&number, g_free);
  g_assert_true (cuda_obj_arch_parse ("100f", &number, &is_virtual, NULL));
  g_assert_cmpstr (number, ==, "100f");
  g_assert_false (is_virtual);
}

static void
test_arch_default (void)
{
  g_autoptr (CudaObjProgramOptions) options = cuda_obj_program_options_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  const char *reason = NULL;

  argv = cuda_obj_program_options_to_argv (options, &error);
  if (cudaobj_test_have_gpu (&reason))
    {
      g_autoptr (CudaObjDevice) device = cuda_obj_device_get (0, NULL);
      g_autofree char *expected
          = g_strdup_printf ("--gpu-architecture=sm_%s", cuda_obj_device_get_arch (device));
      g_assert_no_error (error);
      g_assert_cmpstr (argv[0], ==, expected);
      return;
    }
  /* Neither an architecture nor a device: a clear error, not a guess. */
  g_assert_null (argv);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "No architecture given"));
  g_assert_nonnull (strstr (error->message, "no CUDA device"));
  g_assert_nonnull (strstr (error->message, "sm_90"));
  g_clear_error (&error);
  g_object_set (options, "arch", "sm_90", NULL);
  argv = cuda_obj_program_options_to_argv (options, &error);
  g_assert_no_error (error);
}

static void
test_copy (void)
{
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgramOptions) copy = NULL;
  g_auto (GStrv) argv = NULL, copy_argv = NULL;
  g_auto (GStrv) defines = NULL;
  g_autofree char *std = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "std", "c++20", "lineinfo", TRUE,
                          "max-register-count", 40, "define-macro", (const char *[]){ "A=1", NULL }, NULL);
  copy = cuda_obj_program_options_copy (options);
  g_assert_true (copy != options);
  argv = cuda_obj_program_options_to_argv (options, NULL);
  copy_argv = cuda_obj_program_options_to_argv (copy, NULL);
  g_assert_true (g_strv_equal ((const char *const *) argv, (const char *const *) copy_argv));

  /* Independent: changing one leaves the other. */
  g_object_set (copy, "std", "c++14", "define-macro", (const char *[]){ "B=2", NULL }, NULL);
  g_object_get (options, "std", &std, "define-macro", &defines, NULL);
  g_assert_cmpstr (std, ==, "c++20");
  g_assert_cmpstr (defines[0], ==, "A=1");
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(int *) data)++;
}

static void
test_notify (void)
{
  g_autoptr (CudaObjProgramOptions) options = cuda_obj_program_options_new ();
  int notified = 0;

  g_signal_connect (options, "notify", G_CALLBACK (count_notify), &notified);
  g_object_set (options, "std", "c++17", NULL);
  g_assert_cmpint (notified, ==, 1);
  g_object_set (options, "std", "c++17", NULL);
  g_assert_cmpint (notified, ==, 1);
  g_object_set (options, "define-macro", (const char *[]){ "A", NULL }, NULL);
  g_object_set (options, "define-macro", (const char *[]){ "A", NULL }, NULL);
  g_assert_cmpint (notified, ==, 2);
  g_object_set (options, "ftz", FALSE, "max-register-count", 0, NULL);
  g_assert_cmpint (notified, ==, 2);
}

/* A value off the default for each property, so that every option is
 * rendered and then given to NVRTC. */
static gboolean
set_non_default (CudaObjProgramOptions *options, GParamSpec *pspec, const char *dir)
{
  const char *name = pspec->name;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  /* libcudaobj's own switches, not NVRTC options: tested in test-program.c. */
  if (g_str_equal (name, "toolkit-include-dirs") || g_str_equal (name, "use-libdevice"))
    return FALSE;
  if (type == G_TYPE_BOOLEAN)
    g_object_set (options, name, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value, NULL);
  else if (type == G_TYPE_INT)
    g_object_set (options, name,
                  g_str_equal (name, "max-register-count") ? 32
                  : g_str_equal (name, "split-compile")    ? 2
                                                           : 50,
                  NULL);
  else if (type == G_TYPE_STRING)
    {
      g_autofree char *value = NULL;
      if (g_str_equal (name, "name") || g_str_equal (name, "arch"))
        return FALSE;
      else if (g_str_equal (name, "std"))
        value = g_strdup ("c++14");
      else if (g_str_equal (name, "optimization-info"))
        value = g_strdup ("inline");
      else if (g_str_equal (name, "time"))
        value = g_build_filename (dir, "time.csv", NULL);
      else if (g_str_equal (name, "fdevice-time-trace"))
        value = g_build_filename (dir, "trace.json", NULL);
      else if (g_str_equal (name, "frandom-seed"))
        value = g_strdup ("42");
      else if (g_str_equal (name, "ofast-compile"))
        value = g_strdup ("max");
      else if (g_str_equal (name, "create-pch") || g_str_equal (name, "use-pch"))
        value = g_build_filename (dir, "kernel.pch", NULL);
      else if (g_str_equal (name, "pch-dir"))
        value = g_strdup (dir);
      else
        g_error ("no test value for the string option %s", name);
      g_object_set (options, name, value, NULL);
    }
  else if (type == G_TYPE_STRV)
    {
      g_autofree char *header = g_build_filename (dir, "pre.h", NULL);
      const char *value = g_str_equal (name, "define-macro")     ? "A=1"
                          : g_str_equal (name, "undefine-macro") ? "A"
                          : g_str_equal (name, "include-path")   ? dir
                          : g_str_equal (name, "pre-include")    ? header
                          : g_str_has_prefix (name, "diag-")     ? "177"
                          : g_str_equal (name, "ptxas-options")  ? "-O2"
                          : g_str_equal (name, "extra-options")  ? "--std=c++17"
                                                                 : NULL;
      if (value == NULL)
        g_error ("no test value for the list option %s", name);
      g_object_set (options, name, (const char *[]){ value, NULL }, NULL);
    }
  else
    g_error ("unexpected type %s of %s", g_type_name (type), name);
  return TRUE;
}

static void
test_every_option_accepted_by_nvrtc (void)
{
  g_autoptr (CudaObjProgramOptions) base
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cudaobj-options-XXXXXX", &error);
  g_autofree char *pre = NULL;
  g_auto (GStrv) base_argv = cuda_obj_program_options_to_argv (base, NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0, n_tried = 0;

  g_assert_no_error (error);
  pre = g_build_filename (dir, "pre.h", NULL);
  g_assert_true (g_file_set_contents (pre, "#define PRE 1\n", -1, NULL));

  /* Every property of the class, so that an option added later is tried too. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (base), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >=, 50);
  /* create-pch before use-pch, which reads the file it makes. */
  for (guint i = 0; i < n_pspecs; i++)
    if (g_str_equal (pspecs[i]->name, "use-pch"))
      for (guint j = i + 1; j < n_pspecs; j++)
        if (g_str_equal (pspecs[j]->name, "create-pch"))
          {
            GParamSpec *swap = pspecs[i];
            pspecs[i] = pspecs[j];
            pspecs[j] = swap;
          }

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_autoptr (CudaObjProgramOptions) options = cuda_obj_program_options_copy (base);
      g_autoptr (CudaObjProgram) program = NULL;
      g_autoptr (CudaObjObjectCode) code = NULL;
      g_auto (GStrv) argv = NULL;

      if (!set_non_default (options, pspecs[i], dir))
        continue;
      /* __float128 needs Blackwell. */
      if (g_str_equal (pspecs[i]->name, "device-float128"))
        g_object_set (options, "arch", "sm_100", NULL);
      argv = cuda_obj_program_options_to_argv (options, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", pspecs[i]->name, argv[g_strv_length (argv) - 1]);
      g_assert_false (g_strv_equal ((const char *const *) argv, (const char *const *) base_argv));

      program = cuda_obj_program_new (kernel, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
      cuda_obj_program_set_use_cache (program, FALSE);
      code = cuda_obj_program_compile (program,
                                       g_str_equal (pspecs[i]->name, "link-time-optimization")
                                               || g_str_equal (pspecs[i]->name, "gen-opt-lto")
                                           ? CUDA_OBJ_CODE_TYPE_LTOIR
                                           : CUDA_OBJ_CODE_TYPE_PTX,
                                       NULL, &error);
      if (error != NULL)
        g_error ("NVRTC rejects %s (%s): %s", pspecs[i]->name, argv[g_strv_length (argv) - 1],
                 error->message);
      g_assert_nonnull (code);
      n_tried++;
    }
  /* All but name, arch, toolkit-include-dirs and use-libdevice. */
  g_assert_cmpuint (n_tried, ==, n_pspecs - 4);

  for (const char *const *file = (const char *[]){ "pre.h", "time.csv", "trace.json", "kernel.pch", NULL };
       *file; file++)
    {
      g_autofree char *path = g_build_filename (dir, *file, NULL);
      g_unlink (path);
    }
  {
    /* Whatever automatic PCH left in the directory. */
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

static void
test_nvvm_argv (void)
{
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_auto (GStrv) argv = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "use-fast-math", TRUE, "std",
                          "c++17", "jump-table-density", 40, NULL);
  argv = cuda_obj_program_options_render_nvvm (&options->fields, TRUE, NULL);
  assert_argv (argv, (const char *[]){ "-arch=compute_90", "-ftz=1", "-prec-sqrt=0", "-prec-div=0",
                                       "-jump-table-density=40", "-gen-lto", NULL });
  g_clear_pointer (&argv, g_strfreev);
  g_object_set (options, "use-fast-math", FALSE, "debug", TRUE, "fmad", FALSE, "jump-table-density", 101,
                NULL);
  argv = cuda_obj_program_options_render_nvvm (&options->fields, FALSE, NULL);
  assert_argv (argv, (const char *[]){ "-arch=compute_90", "-g", "-opt=0", "-fma=0", NULL });
}

/* toolkit-include-dirs and use-libdevice are on by default, held in the
 * typed fields, copied, and never part of a compiler's command line: the
 * compile adds the directories and libdevice itself. */
static void
test_toolkit_switches (void)
{
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", NULL);
  g_autoptr (CudaObjProgramOptions) copy = NULL;
  g_auto (GStrv) on_argv = NULL, off_argv = NULL, on_nvvm = NULL, off_nvvm = NULL;
  gboolean include_dirs = FALSE, libdevice = FALSE;

  g_object_get (options, "toolkit-include-dirs", &include_dirs, "use-libdevice", &libdevice, NULL);
  g_assert_true (include_dirs);
  g_assert_true (libdevice);
  g_assert_true (options->fields.toolkit_include_dirs);
  g_assert_true (options->fields.use_libdevice);
  on_argv = cuda_obj_program_options_to_argv (options, NULL);
  on_nvvm = cuda_obj_program_options_render_nvvm (&options->fields, FALSE, NULL);

  g_object_set (options, "toolkit-include-dirs", FALSE, "use-libdevice", FALSE, NULL);
  g_assert_false (options->fields.toolkit_include_dirs);
  g_assert_false (options->fields.use_libdevice);
  off_argv = cuda_obj_program_options_to_argv (options, NULL);
  off_nvvm = cuda_obj_program_options_render_nvvm (&options->fields, FALSE, NULL);
  assert_argv (on_argv, (const char *[]){ "--gpu-architecture=sm_90", NULL });
  assert_argv (off_argv, (const char *[]){ "--gpu-architecture=sm_90", NULL });
  assert_argv (on_nvvm, (const char *[]){ "-arch=compute_90", NULL });
  assert_argv (off_nvvm, (const char *[]){ "-arch=compute_90", NULL });

  copy = cuda_obj_program_options_copy (options);
  g_assert_false (copy->fields.toolkit_include_dirs);
  g_assert_false (copy->fields.use_libdevice);
}

/* The shared option glue, on both table-driven classes. */

static char **
options_to_argv (GObject *options, GError **error)
{
  if (CUDA_OBJ_IS_PROGRAM_OPTIONS (options))
    return cuda_obj_program_options_to_argv (CUDA_OBJ_PROGRAM_OPTIONS (options), error);
  return cuda_obj_linker_options_to_argv (CUDA_OBJ_LINKER_OPTIONS (options), error);
}

static GObject *
options_copy (GObject *options)
{
  if (CUDA_OBJ_IS_PROGRAM_OPTIONS (options))
    return G_OBJECT (cuda_obj_program_options_copy (CUDA_OBJ_PROGRAM_OPTIONS (options)));
  return G_OBJECT (cuda_obj_linker_options_copy (CUDA_OBJ_LINKER_OPTIONS (options)));
}

typedef struct
{
  const char *path;
  GType (*get_type) (void);
  const char *property;
  int value;
  const char *message;
} RangeCase;

static const RangeCase range_cases[] = {
  { "/program-options/out-of-range/max-register-count", cuda_obj_program_options_get_type,
    "max-register-count", -5, "The option max-register-count is -5: it must be from 0 to 2147483647" },
  { "/program-options/out-of-range/split-compile", cuda_obj_program_options_get_type, "split-compile", -1,
    "The option split-compile is -1: it must be from 0 to 2147483647" },
  { "/program-options/out-of-range/jump-table-density/above", cuda_obj_program_options_get_type,
    "jump-table-density", 102, "The option jump-table-density is 102: it must be from 0 to 101" },
  { "/program-options/out-of-range/jump-table-density/below", cuda_obj_program_options_get_type,
    "jump-table-density", G_MININT,
    "The option jump-table-density is -2147483648: it must be from 0 to 101" },
  { "/linker-options/out-of-range/max-register-count", cuda_obj_linker_options_get_type, "max-register-count",
    -5, "The option max-register-count is -5: it must be from 0 to 2147483647" },
  { "/linker-options/out-of-range/optimization-level/above", cuda_obj_linker_options_get_type,
    "optimization-level", 4, "The option optimization-level is 4: it must be from -1 to 3" },
  { "/linker-options/out-of-range/optimization-level/below", cuda_obj_linker_options_get_type,
    "optimization-level", -2, "The option optimization-level is -2: it must be from -1 to 3" },
  { "/linker-options/out-of-range/split-compile-extended", cuda_obj_linker_options_get_type,
    "split-compile-extended", -3,
    "The option split-compile-extended is -3: it must be from 0 to 2147483647" },
  { "/linker-options/out-of-range/jump-table-density", cuda_obj_linker_options_get_type, "jump-table-density",
    G_MAXINT, "The option jump-table-density is 2147483647: it must be from 0 to 101" },
};

static void
test_out_of_range (gconstpointer data)
{
  const RangeCase *range_case = data;
  GParamSpec *pspec = NULL;
  g_autoptr (GObject) options = NULL;
  g_autoptr (GObject) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  int stored = 0;

  /* Setting it neither warns (the test runs with fatal warnings) nor drops it. */
  options = g_object_new (range_case->get_type (), "arch", "sm_90", range_case->property, range_case->value,
                          NULL);
  g_object_get (options, range_case->property, &stored, NULL);
  g_assert_cmpint (stored, ==, range_case->value);

  argv = options_to_argv (options, &error);
  g_assert_null (argv);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, range_case->message);
  g_clear_error (&error);

  /* A copy carries the value, and the error, along. */
  copy = options_copy (options);
  g_assert_null (options_to_argv (copy, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Back at the default, the same options render. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (options), range_case->property);
  g_object_set (options, range_case->property, G_PARAM_SPEC_INT (pspec)->default_value, NULL);
  argv = options_to_argv (options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==,
                   CUDA_OBJ_IS_PROGRAM_OPTIONS (options) ? "--gpu-architecture=sm_90" : "-arch=sm_90");
}

typedef struct
{
  const char *path;
  GType (*get_type) (void);
  const char *property;
  const char *items[3];
  const char *message;
} EmptyItemCase;

static const EmptyItemCase empty_item_cases[] = {
  { "/program-options/empty-item/define-macro",
    cuda_obj_program_options_get_type,
    "define-macro",
    { "", NULL },
    "The option define-macro has an empty item (item 1)" },
  { "/program-options/empty-item/extra-options",
    cuda_obj_program_options_get_type,
    "extra-options",
    { "--restrict", "", NULL },
    "The option extra-options has an empty item (item 2)" },
  { "/linker-options/empty-item/ptxas-options",
    cuda_obj_linker_options_get_type,
    "ptxas-options",
    { "-v", "", NULL },
    "The option ptxas-options has an empty item (item 2)" },
  { "/linker-options/empty-item/extra-options",
    cuda_obj_linker_options_get_type,
    "extra-options",
    { "", NULL },
    "The option extra-options has an empty item (item 1)" },
};

static void
test_empty_item (gconstpointer data)
{
  const EmptyItemCase *item_case = data;
  g_autoptr (GObject) options
      = g_object_new (item_case->get_type (), "arch", "sm_90", item_case->property, item_case->items, NULL);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = options_to_argv (options, &error);

  g_assert_null (argv);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, item_case->message);
  g_clear_error (&error);
  /* libNVVM's command line is checked alike. */
  if (CUDA_OBJ_IS_PROGRAM_OPTIONS (options))
    {
      g_assert_null (
          cuda_obj_program_options_render_nvvm (&CUDA_OBJ_PROGRAM_OPTIONS (options)->fields, FALSE, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, item_case->message);
    }
}

/* A value off the default of any option property. */
static void
off_default_value (GParamSpec *pspec, GValue *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);
  if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
  else if (type == G_TYPE_INT)
    g_value_set_int (value, G_PARAM_SPEC_INT (pspec)->default_value + 7);
  else if (type == G_TYPE_STRING)
    g_value_set_string (value, "sm_86");
  else if (type == G_TYPE_STRV)
    g_value_set_boxed (value, (const char *[]){ "one", "two", NULL });
  else
    g_error ("unexpected type %s of %s", g_type_name (type), pspec->name);
}

static gboolean
values_equal (const GValue *a, const GValue *b)
{
  if (G_VALUE_HOLDS (a, G_TYPE_STRV))
    {
      const char *const *x = g_value_get_boxed (a), *const *y = g_value_get_boxed (b);
      return x == y || (x != NULL && y != NULL && g_strv_equal (x, y));
    }
  if (G_VALUE_HOLDS_STRING (a))
    return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
  if (G_VALUE_HOLDS_INT (a))
    return g_value_get_int (a) == g_value_get_int (b);
  return g_value_get_boolean (a) == g_value_get_boolean (b);
}

/* Every property of a class keeps what is set, notifies once per change,
 * and copies; the default is what the property says it is. */
static void
test_glue (gconstpointer data)
{
  g_autoptr (GObject) options = g_object_new ((GType) GPOINTER_TO_SIZE (data), NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;
  int notified = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (options), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >=, 20);
  g_signal_connect (options, "notify", G_CALLBACK (count_notify), &notified);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto (GValue) initial = G_VALUE_INIT;
      g_auto (GValue) fallback = G_VALUE_INIT;
      g_auto (GValue) value = G_VALUE_INIT;
      g_auto (GValue) got = G_VALUE_INIT;

      g_value_init (&initial, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_value_init (&fallback, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (options, pspecs[i]->name, &initial);
      g_param_value_set_default (pspecs[i], &fallback);
      g_assert_true (values_equal (&initial, &fallback));

      off_default_value (pspecs[i], &value);
      notified = 0;
      g_object_set_property (options, pspecs[i]->name, &value);
      g_object_set_property (options, pspecs[i]->name, &value);
      g_assert_cmpint (notified, ==, 1);
      g_value_init (&got, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (options, pspecs[i]->name, &got);
      g_assert_true (values_equal (&value, &got));
    }

  /* The copy has every value; the original keeps its own. */
  {
    g_autoptr (GObject) copy = options_copy (options);
    for (guint i = 0; i < n_pspecs; i++)
      {
        g_auto (GValue) a = G_VALUE_INIT;
        g_auto (GValue) b = G_VALUE_INIT;

        g_value_init (&a, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
        g_value_init (&b, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
        g_object_get_property (options, pspecs[i]->name, &a);
        g_object_get_property (copy, pspecs[i]->name, &b);
        g_assert_true (values_equal (&a, &b));
      }
  }
}

/* What the compile engine reads: the typed fields hold what the properties say. */
static void
test_typed_fields (void)
{
  g_autoptr (CudaObjProgramOptions) program
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_80", "max-register-count", 48, "debug", TRUE,
                      "restrict", TRUE, "ptxas-options", (const char *[]){ "-v", NULL }, "extra-options",
                      (const char *[]){ "-X", NULL }, NULL);
  g_autoptr (CudaObjLinkerOptions) linker
      = g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "ptx", TRUE, "optimization-level", 0, NULL);
  CudaObjProgramOptionsFields fields = { 0 };
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) rendered = NULL;

  g_assert_cmpstr (program->fields.name, ==, "default_program");
  g_assert_cmpstr (program->fields.arch, ==, "sm_80");
  g_assert_cmpint (program->fields.max_register_count, ==, 48);
  g_assert_true (program->fields.debug);
  g_assert_true (program->fields.restrict_);
  g_assert_true (program->fields.prec_sqrt);
  g_assert_cmpint (program->fields.jump_table_density, ==, 101);
  g_assert_cmpstr (program->fields.ptxas_options[0], ==, "-v");
  g_assert_null (program->fields.define_macro);
  g_assert_true (linker->fields.ptx);
  g_assert_cmpint (linker->fields.optimization_level, ==, 0);
  g_assert_cmpint (linker->fields.split_compile, ==, 1);

  /* The renderer is a function of the fields alone, with or without an object. */
  cuda_obj_option_fields_init (cuda_obj_program_options_get_table (), &fields);
  cuda_obj_option_fields_copy (cuda_obj_program_options_get_table (), &program->fields, &fields);
  argv = cuda_obj_program_options_to_argv (program, NULL);
  rendered = cuda_obj_program_options_render (&fields, NULL);
  assert_argv (rendered, (const char *const *) argv);
  assert_argv (argv, (const char *[]){ "--gpu-architecture=sm_80", "--device-debug", "--ptxas-options=-v",
                                       "--maxrregcount=48", "--restrict", "-X", NULL });
  cuda_obj_option_fields_clear (cuda_obj_program_options_get_table (), &fields);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/program-options/defaults", test_defaults);
  g_test_add_func ("/program-options/render", test_render);
  for (guint i = 0; i < G_N_ELEMENTS (arch_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/program-options/arch/%s", arch_cases[i].arch);
      g_test_add_data_func (path, &arch_cases[i], test_arch_forms);
    }
  g_test_add_func ("/program-options/arch/parse", test_arch_parse);
  g_test_add_func ("/program-options/arch/default-from-device", test_arch_default);
  g_test_add_func ("/program-options/copy", test_copy);
  g_test_add_func ("/program-options/notify", test_notify);
  g_test_add_func ("/program-options/every-option-accepted-by-nvrtc", test_every_option_accepted_by_nvrtc);
  g_test_add_func ("/program-options/nvvm-argv", test_nvvm_argv);
  g_test_add_func ("/program-options/toolkit-switches", test_toolkit_switches);
  g_test_add_func ("/program-options/typed-fields", test_typed_fields);
  g_test_add_data_func ("/program-options/glue", GSIZE_TO_POINTER (CUDA_OBJ_TYPE_PROGRAM_OPTIONS), test_glue);
  g_test_add_data_func ("/linker-options/glue", GSIZE_TO_POINTER (CUDA_OBJ_TYPE_LINKER_OPTIONS), test_glue);
  for (guint i = 0; i < G_N_ELEMENTS (range_cases); i++)
    g_test_add_data_func (range_cases[i].path, &range_cases[i], test_out_of_range);
  for (guint i = 0; i < G_N_ELEMENTS (empty_item_cases); i++)
    g_test_add_data_func (empty_item_cases[i].path, &empty_item_cases[i], test_empty_item);

  return g_test_run ();
}
