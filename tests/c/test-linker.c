/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Linker and LinkerOptions: relocatable units, LTO, nvcc's formats, logs,
 * and links that fail. */
#include <string.h>
#include <glib/gstdio.h>

#include "cudaobj-test-util.h"

/* Two translation units: the kernel calls a helper defined in the other. */
static const char *main_unit
    = "extern __device__ float helper(float);\n"
      "extern \"C\" __global__ void apply(float *x) { x[threadIdx.x] = helper(x[threadIdx.x]); }\n";
static const char *helper_unit = "__device__ float helper(float v) { return v * 3.0f; }\n";

#define ELF_MAGIC "\177ELF"

/* Units are named after their source, as nvJitLink's messages name them. */
static CudaObjObjectCode *
compile_unit (const char *source, const char *arch, CudaObjCodeType target)
{
  const char *name = source == main_unit ? "main.cu" : "helper.cu";
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjObjectCode *code;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "relocatable-device-code", TRUE,
                          "name", name, NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cuda_obj_program_set_use_cache (program, FALSE);
  code = cuda_obj_program_compile (program, target, NULL, &error);
  g_assert_no_error (error);
  return code;
}

static CudaObjLinkerOptions *
link_options (const char *arch)
{
  return g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", arch, NULL);
}

static char *
code_text (CudaObjObjectCode *code)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);
  return g_strndup (data, size);
}

static void
assert_cubin_with_kernel (CudaObjObjectCode *code, const char *kernel)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);

  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, CUDA_OBJ_CODE_TYPE_CUBIN);
  g_assert_cmpuint (size, >, 64);
  g_assert_cmpmem (data, 4, ELF_MAGIC, 4);
  g_assert_nonnull (memmem (data, size, kernel, strlen (kernel) + 1));
}

static void
assert_still_usable (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;

  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  assert_cubin_with_kernel (linked, "apply");
}

static void
test_options_render (void)
{
  g_autoptr (CudaObjLinkerOptions) options = NULL;
  g_autoptr (CudaObjLinkerOptions) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL, copy_argv = NULL;
  g_autofree char *joined = NULL;

  options = link_options ("90");
  argv = cuda_obj_linker_options_to_argv (options, &error);
  g_assert_no_error (error);
  joined = g_strjoinv (" ", argv);
  g_assert_cmpstr (joined, ==, "-arch=sm_90");

  g_object_set (options, "link-time-optimization", TRUE, "ptx", TRUE, "optimization-level", 3, "debug", TRUE,
                "lineinfo", TRUE, "ftz", TRUE, "prec-div", FALSE, "prec-sqrt", FALSE, "fma", FALSE,
                "max-register-count", 48, "kernels-used", (const char *[]){ "apply", NULL }, "ptxas-options",
                (const char *[]){ "-v", NULL }, "split-compile", 0, "verbose", TRUE, "extra-options",
                (const char *[]){ "-no-cache", NULL }, NULL);
  g_clear_pointer (&argv, g_strfreev);
  g_clear_pointer (&joined, g_free);
  argv = cuda_obj_linker_options_to_argv (options, &error);
  g_assert_no_error (error);
  joined = g_strjoinv (" ", argv);
  g_assert_cmpstr (joined, ==,
                   "-arch=sm_90 -maxrregcount=48 -verbose -lto -ptx -O3 -g -lineinfo -ftz=1 -prec-div=0 "
                   "-prec-sqrt=0 -fma=0 -kernels-used=apply -Xptxas=-v -split-compile=0 -no-cache");

  copy = cuda_obj_linker_options_copy (options);
  copy_argv = cuda_obj_linker_options_to_argv (copy, NULL);
  g_assert_true (g_strv_equal ((const char *const *) argv, (const char *const *) copy_argv));
  g_object_set (copy, "ptx", FALSE, NULL);
  {
    gboolean ptx = FALSE;
    g_object_get (options, "ptx", &ptx, NULL);
    g_assert_true (ptx);
  }

  /* A malformed architecture. */
  g_object_set (options, "arch", "sm_nine", NULL);
  g_clear_pointer (&argv, g_strfreev);
  argv = cuda_obj_linker_options_to_argv (options, &error);
  g_assert_null (argv);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_relocatable_units (gconstpointer data)
{
  CudaObjCodeType input_type = GPOINTER_TO_INT (data);
  const char *arch = input_type == CUDA_OBJ_CODE_TYPE_PTX ? "compute_90" : "sm_90";
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, arch, input_type);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, arch, input_type);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_linker_get_options (linker) == options);
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  g_assert_cmpuint (cuda_obj_linker_get_n_inputs (linker), ==, 2);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  assert_cubin_with_kernel (linked, "apply");
  g_assert_cmpstr (cuda_obj_linker_get_error_log (linker), ==, "");
}

static void
test_lto (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_LTOIR);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_LTOIR);
  g_autoptr (CudaObjLinkerOptions) options = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (CudaObjObjectCode) cubin = NULL, ptx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (cuda_obj_object_code_get_code_type (a), ==, CUDA_OBJ_CODE_TYPE_LTOIR);
  options
      = g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", "sm_90", "link-time-optimization", TRUE, NULL);
  linker = cuda_obj_linker_new (options);
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  cubin = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  assert_cubin_with_kernel (cubin, "apply");

  /* Linking again, to PTX: the helper was inlined across the units. */
  g_object_set (options, "ptx", TRUE, NULL);
  ptx = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (ptx), ==, CUDA_OBJ_CODE_TYPE_PTX);
  text = code_text (ptx);
  g_assert_nonnull (strstr (text, ".entry apply("));
  g_assert_nonnull (strstr (text, "0f40400000")); /* 3.0f */
  g_assert_null (strstr (text, "call"));
}

static void
test_info_log (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *info = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", "sm_90", "verbose", TRUE, NULL);
  linker = cuda_obj_linker_new (options);
  g_assert_cmpstr (cuda_obj_linker_get_info_log (linker), ==, "");
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  g_object_get (linker, "info-log", &info, NULL);
  g_test_message ("info log: %s", info);
  g_assert_cmpuint (strlen (info), >, 0);
  g_assert_cmpstr (info, ==, cuda_obj_linker_get_info_log (linker));
}

static CudaObjObjectCode *
fixture_or_skip (const char *name, CudaObjCodeType expected)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr (GError) error = NULL;
  CudaObjObjectCode *code;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || st.st_size == 0)
    {
      g_test_skip ("nvcc could not make this test's input at build time");
      return NULL;
    }
  code = cuda_obj_object_code_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, expected);
  return code;
}

static void
test_nvcc_formats (gconstpointer data)
{
  const char *name = data;
  CudaObjCodeType type = g_str_has_suffix (name, ".fatbin") ? CUDA_OBJ_CODE_TYPE_FATBIN
                         : g_str_has_suffix (name, ".o")    ? CUDA_OBJ_CODE_TYPE_OBJECT
                                                            : CUDA_OBJ_CODE_TYPE_LIBRARY;
  g_autoptr (CudaObjObjectCode) helper = fixture_or_skip (name, type);
  g_autoptr (CudaObjObjectCode) a = NULL;
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;

  if (helper == NULL)
    return;
  a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, helper);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  assert_cubin_with_kernel (linked, "apply");
}

static void
test_bad_undefined_symbol (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (GError) error = NULL;
  g_autofree char *error_log = NULL;

  cuda_obj_linker_add (linker, a);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Undefined reference to '_Z6helperf' in 'main.cu'"));
  g_assert_nonnull (strstr (error->message, "sm_90"));
  g_object_get (linker, "error-log", &error_log, NULL);
  g_assert_nonnull (strstr (error_log, "Undefined reference"));
  g_clear_error (&error);

  /* The same linker links once the missing unit is there. */
  {
    g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
    g_autoptr (CudaObjObjectCode) linked = NULL;
    cuda_obj_linker_add (linker, b);
    linked = cuda_obj_linker_link (linker, &error);
    g_assert_no_error (error);
    assert_cubin_with_kernel (linked, "apply");
    g_assert_cmpstr (cuda_obj_linker_get_error_log (linker), ==, "");
  }
}

static void
test_bad_arch_mismatch (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjObjectCode) b75 = compile_unit (helper_unit, "sm_75", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (GError) error = NULL;

  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b75);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_test_message ("%s", error->message);
  /* nvJitLink names the input it rejects. */
  g_assert_nonnull (strstr (error->message, "at input helper.cu"));
  g_assert_nonnull (strstr (error->message, "bad input"));
  assert_still_usable ();
}

static void
test_bad_incompatible_inputs (void)
{
  /* LTO-IR without -lto, and PTX output without LTO. */
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_LTOIR);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_LTOIR);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (GError) error = NULL;

  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_test_message ("LTO-IR without -lto: %s", error->message);
  g_clear_error (&error);

  g_object_set (options, "ptx", TRUE, NULL);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_test_message ("-ptx without -lto: %s", error->message);
  g_assert_nonnull (strstr (error->message, "-ptx requires -lto"));
  assert_still_usable ();
}

static void
test_bad_option (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (GError) error = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_LINKER_OPTIONS, "arch", "sm_90", "extra-options",
                          (const char *[]){ "-bogus", NULL }, NULL);
  linker = cuda_obj_linker_new (options);
  cuda_obj_linker_add (linker, a);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_assert_nonnull (strstr (error->message, "NVJITLINK_ERROR_UNRECOGNIZED_OPTION"));
  g_assert_nonnull (strstr (error->message, "unrecognized option: -bogus"));
  g_clear_error (&error);

  /* An architecture nvJitLink does not know. */
  g_object_set (options, "arch", "sm_20", "extra-options", NULL, NULL);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_assert_nonnull (strstr (error->message, "unsupported architecture"));
  assert_still_usable ();
}

static void
test_bad_no_inputs (void)
{
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (CUDA_OBJ_IS_LINKER_OPTIONS (cuda_obj_linker_get_options (linker)));
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Nothing to link"));
  assert_still_usable ();
}

static void
test_bad_garbage_input (void)
{
  /* A fatbin header with nothing in it: nvJitLink's own check refuses it. */
  static const guchar empty_fatbin[16] = { 0x50, 0xed, 0x55, 0xba, 1, 0, 16, 0 };
  g_autoptr (GBytes) bytes = g_bytes_new_static (empty_fatbin, sizeof empty_fatbin);
  g_autoptr (CudaObjObjectCode) garbage = cuda_obj_object_code_new_from_fatbin (bytes, NULL);
  g_autoptr (CudaObjObjectCode) a = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (GBytes) truncated = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (garbage);
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, garbage);
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LINK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "bad input"));
  g_clear_error (&error);

  /* A truncated CUBIN never gets this far: it is no ObjectCode. */
  truncated = g_bytes_new_from_bytes (cuda_obj_object_code_get_code (a), 0,
                                      g_bytes_get_size (cuda_obj_object_code_get_code (a)) - 100);
  g_assert_null (cuda_obj_object_code_new_from_cubin (truncated, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  assert_still_usable ();
}

static void
test_backend_nvjitlink (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjObjectCode) b = compile_unit (helper_unit, "sm_90", CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (CudaObjLinkerOptions) options = link_options ("sm_90");
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (options);
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjLinkerBackend backend = CUDA_OBJ_LINKER_BACKEND_DRIVER;

  g_assert_cmpint (cuda_obj_linker_get_backend (linker), ==, CUDA_OBJ_LINKER_BACKEND_NONE);
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_linker_get_backend (linker), ==, CUDA_OBJ_LINKER_BACKEND_NVJITLINK);
  g_object_get (linker, "backend", &backend, NULL);
  g_assert_cmpint (backend, ==, CUDA_OBJ_LINKER_BACKEND_NVJITLINK);
}

/* Runs in a subprocess: nvJitLink must not be loaded yet for hiding it to work. */
static gboolean
hide_nvjitlink (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return FALSE;
    }
  g_setenv ("CUDA_OBJ_NVJITLINK_LIBRARY", "/nonexistent/libnvJitLink.so.13", TRUE);
  return TRUE;
}

static void
test_fallback_lto_needs_nvjitlink (void)
{
  g_autoptr (CudaObjObjectCode) a = NULL;
  g_autoptr (CudaObjLinkerOptions) options = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (GError) error = NULL;

  if (!hide_nvjitlink ())
    return;
  a = compile_unit (main_unit, "sm_90", CUDA_OBJ_CODE_TYPE_LTOIR);
  options = link_options ("sm_90");
  g_object_set (options, "link-time-optimization", TRUE, NULL);
  linker = cuda_obj_linker_new (options);
  cuda_obj_linker_add (linker, a);
  linked = cuda_obj_linker_link (linker, &error);
  g_assert_null (linked);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "needs nvJitLink"));
  /* It says why nvJitLink cannot be used. */
  g_assert_nonnull (strstr (error->message, "/nonexistent/libnvJitLink.so.13: no such file"));
  g_assert_cmpint (cuda_obj_linker_get_backend (linker), ==, CUDA_OBJ_LINKER_BACKEND_NONE);

  /* PTX output is nvJitLink's too. */
  g_clear_error (&error);
  g_object_set (options, "link-time-optimization", FALSE, "ptx", TRUE, NULL);
  g_clear_object (&linker);
  linker = cuda_obj_linker_new (options);
  {
    g_autoptr (CudaObjObjectCode) ptx = compile_unit (main_unit, "compute_90", CUDA_OBJ_CODE_TYPE_PTX);
    cuda_obj_linker_add (linker, ptx);
  }
  g_assert_null (cuda_obj_linker_link (linker, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "PTX output needs nvJitLink"));
}

/* Without nvJitLink, PTX goes through the driver's cuLink*: on a machine
 * without a driver that is a clear error; with a GPU, a CUBIN that loads. */
static void
test_fallback_links_ptx_through_driver (void)
{
  g_autoptr (CudaObjObjectCode) a = NULL;
  g_autoptr (CudaObjObjectCode) b = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (CudaObjObjectCode) linked = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autofree char *arch = NULL;
  const char *reason = NULL;
  gboolean have_gpu;

  if (!hide_nvjitlink ())
    return;
  have_gpu = cudaobj_test_have_gpu (&reason);
  if (have_gpu)
    {
      device = cuda_obj_device_get (0, &error);
      g_assert_no_error (error);
      arch = g_strdup_printf ("compute_%s", cuda_obj_device_get_arch (device));
    }
  a = compile_unit (main_unit, have_gpu ? arch : "compute_90", CUDA_OBJ_CODE_TYPE_PTX);
  b = compile_unit (helper_unit, have_gpu ? arch : "compute_90", CUDA_OBJ_CODE_TYPE_PTX);
  linker = cuda_obj_linker_new (NULL); /* no arch: the device's */
  cuda_obj_linker_add (linker, a);
  cuda_obj_linker_add (linker, b);
  linked = cuda_obj_linker_link (linker, &error);
  if (!have_gpu)
    {
      g_assert_null (linked);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (error->domain == CUDA_OBJ_ERROR || error->domain == CUDA_OBJ_DRIVER_ERROR);
      g_assert_nonnull (strstr (error->message, "Linking without nvJitLink"));
      g_assert_cmpint (cuda_obj_linker_get_backend (linker), ==, CUDA_OBJ_LINKER_BACKEND_NONE);
      g_test_message ("no GPU (%s): %s", reason, error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_linker_get_backend (linker), ==, CUDA_OBJ_LINKER_BACKEND_DRIVER);
  assert_cubin_with_kernel (linked, "apply");
  kernel = cuda_obj_object_code_get_kernel (linked, "apply", &error);
  g_assert_no_error (error);
  g_assert_nonnull (kernel);
  g_assert_false (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_NVJITLINK));
}

/* A kernel in PTX for compute_80, built for sm_80 and sm_90 in one fatbin. */
static void
test_fatbin_two_architectures (void)
{
  static const char source[] = "extern \"C\" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }\n";
  g_autoptr (CudaObjProgramOptions) program_options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) ptx = NULL;
  g_autoptr (CudaObjLinker) linker = NULL;
  g_autoptr (CudaObjObjectCode) fatbin = NULL;
  g_autoptr (CudaObjObjectCode) again = NULL;
  g_autoptr (GError) error = NULL;
  const char *archs[] = { "sm_80", "sm_90", "compute_80", NULL };
  const char *reason = NULL;
  const guchar *data;
  gsize size = 0, elves = 0;

  program_options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "compute_80", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, program_options);
  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  linker = cuda_obj_linker_new (NULL);
  cuda_obj_linker_add (linker, ptx);
  fatbin = cuda_obj_linker_link_fatbin (linker, archs, &error);
  if (fatbin == NULL
      && (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED)
          || g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND)))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (fatbin), ==, CUDA_OBJ_CODE_TYPE_FATBIN);
  /* Two CUBINs inside (nvFatbin compresses the PTX, not the CUBINs). */
  data = g_bytes_get_data (cuda_obj_object_code_get_code (fatbin), &size);
  for (const guchar *p = data; (p = memmem (p, size - (p - data), ELF_MAGIC, 4)) != NULL; p += 4)
    elves++;
  g_assert_cmpuint (elves, ==, 2);
  /* ObjectCode validates it as any fatbin. */
  again = cuda_obj_object_code_new_from_fatbin (cuda_obj_object_code_get_code (fatbin), &error);
  g_assert_no_error (error);

  if (!cudaobj_test_have_gpu (&reason))
    {
      g_test_message ("fatbin of %" G_GSIZE_FORMAT " bytes made; loading it needs a GPU: %s", size, reason);
      return;
    }
  {
    g_autoptr (CudaObjKernel) kernel = cuda_obj_object_code_get_kernel (fatbin, "scale", &error);
    g_assert_no_error (error);
    g_assert_nonnull (kernel);
  }
}

static void
test_fatbin_bad_arguments (void)
{
  g_autoptr (CudaObjObjectCode) a = compile_unit (main_unit, "compute_90", CUDA_OBJ_CODE_TYPE_PTX);
  g_autoptr (CudaObjLinker) linker = cuda_obj_linker_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *none[] = { NULL };
  const char *bad[] = { "sm_90", "gfx90a", NULL };

  g_assert_null (cuda_obj_linker_link_fatbin (linker, (const char *[]){ "sm_90", NULL }, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Nothing to link"));
  g_clear_error (&error);
  cuda_obj_linker_add (linker, a);
  g_assert_null (cuda_obj_linker_link_fatbin (linker, none, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_linker_link_fatbin (linker, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_linker_link_fatbin (linker, bad, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "\"gfx90a\" is not an architecture"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/linker-options/render-and-copy", test_options_render);
  g_test_add_data_func ("/linker/relocatable/cubin", GINT_TO_POINTER (CUDA_OBJ_CODE_TYPE_CUBIN),
                        test_relocatable_units);
  g_test_add_data_func ("/linker/relocatable/ptx", GINT_TO_POINTER (CUDA_OBJ_CODE_TYPE_PTX),
                        test_relocatable_units);
  g_test_add_func ("/linker/lto", test_lto);
  g_test_add_func ("/linker/info-log", test_info_log);
  g_test_add_data_func ("/linker/nvcc/fatbin", "helper.fatbin", test_nvcc_formats);
  g_test_add_data_func ("/linker/nvcc/object", "helper.o", test_nvcc_formats);
  g_test_add_data_func ("/linker/nvcc/library", "libhelper.a", test_nvcc_formats);
  g_test_add_func ("/linker/bad-input/undefined-symbol", test_bad_undefined_symbol);
  g_test_add_func ("/linker/bad-input/arch-mismatch", test_bad_arch_mismatch);
  g_test_add_func ("/linker/bad-input/incompatible-inputs", test_bad_incompatible_inputs);
  g_test_add_func ("/linker/bad-input/bad-option", test_bad_option);
  g_test_add_func ("/linker/bad-input/no-inputs", test_bad_no_inputs);
  g_test_add_func ("/linker/bad-input/garbage", test_bad_garbage_input);
  g_test_add_func ("/linker/backend/nvjitlink", test_backend_nvjitlink);
  g_test_add_func ("/linker/fallback/lto-needs-nvjitlink", test_fallback_lto_needs_nvjitlink);
  g_test_add_func ("/linker/fallback/ptx-through-driver", test_fallback_links_ptx_through_driver);
  g_test_add_func ("/linker/fatbin/two-architectures", test_fatbin_two_architectures);
  g_test_add_func ("/linker/fatbin/bad-arguments", test_fatbin_bad_arguments);

  return g_test_run ();
}
