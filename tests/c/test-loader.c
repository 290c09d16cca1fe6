/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader: search order, overrides, failure reports, versions. */
#include <dlfcn.h>
#include <string.h>

#include "cudaobj-loader-private.h"

#include "cudaobj-test-util.h"

static void
test_search_paths_order (void)
{
  g_auto (GStrv) paths = NULL;
  guint n;

  g_setenv ("CUDA_PATH", "/opt/toolkit-a", TRUE);
  g_setenv ("CUDA_HOME", "/opt/toolkit-b", TRUE);
  g_unsetenv ("CUDA_OBJ_NVRTC_LIBRARY");
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_NVRTC);
  n = g_strv_length (paths);
  g_assert_cmpuint (n, >, 4);
  /* CUDA_PATH first, newest soname first, then CUDA_HOME, the system search
   * and the default toolkit last. */
  g_assert_cmpstr (paths[0], ==, "/opt/toolkit-a/lib64/libnvrtc.so.13");
  g_assert_cmpstr (paths[1], ==, "/opt/toolkit-a/lib64/libnvrtc.so.12");
  g_assert_true (g_strv_contains ((const char *const *) paths, "/opt/toolkit-b/lib64/libnvrtc.so.13"));
  g_assert_true (g_strv_contains ((const char *const *) paths, "libnvrtc.so.13"));
  g_assert_true (g_str_has_prefix (paths[n - 1], "/usr/local/cuda/"));
  g_unsetenv ("CUDA_PATH");
  g_unsetenv ("CUDA_HOME");
}

static void
test_search_paths_nvvm (void)
{
  g_auto (GStrv) paths = NULL;

  g_setenv ("CUDA_PATH", "/opt/toolkit", TRUE);
  g_unsetenv ("CUDA_OBJ_NVVM_LIBRARY");
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_NVVM);
  g_assert_cmpstr (paths[0], ==, "/opt/toolkit/nvvm/lib64/libnvvm.so.4");
  g_unsetenv ("CUDA_PATH");
}

static void
test_search_paths_driver_system_only (void)
{
  g_auto (GStrv) paths = NULL;

  g_setenv ("CUDA_PATH", "/opt/toolkit", TRUE);
  g_unsetenv ("CUDA_OBJ_DRIVER_LIBRARY");
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_DRIVER);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "libcuda.so.1");
  g_unsetenv ("CUDA_PATH");
}

static void
test_search_paths_override_only (void)
{
  g_auto (GStrv) paths = NULL;

  g_setenv ("CUDA_OBJ_NVJITLINK_LIBRARY", "/somewhere/libnvJitLink.so", TRUE);
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_NVJITLINK);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "/somewhere/libnvJitLink.so");
  g_unsetenv ("CUDA_OBJ_NVJITLINK_LIBRARY");
}

static void
test_override_variables (void)
{
  g_assert_cmpstr (cuda_obj_library_get_override_variable (CUDA_OBJ_LIBRARY_DRIVER), ==,
                   "CUDA_OBJ_DRIVER_LIBRARY");
  g_assert_cmpstr (cuda_obj_library_get_override_variable (CUDA_OBJ_LIBRARY_NVRTC), ==,
                   "CUDA_OBJ_NVRTC_LIBRARY");
  g_assert_cmpstr (cuda_obj_library_get_override_variable (CUDA_OBJ_LIBRARY_NVJITLINK), ==,
                   "CUDA_OBJ_NVJITLINK_LIBRARY");
  g_assert_cmpstr (cuda_obj_library_get_override_variable (CUDA_OBJ_LIBRARY_NVVM), ==,
                   "CUDA_OBJ_NVVM_LIBRARY");
}

/* Runs in a subprocess: the library must not be loaded yet for an override to matter. */
static void
test_override_missing_file (gconstpointer data)
{
  CudaObjLibrary library = GPOINTER_TO_INT (data);
  const char *variable = cuda_obj_library_get_override_variable (library);
  g_autoptr (GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  g_setenv (variable, "/nonexistent/libcudaobj-test-missing.so", TRUE);
  g_assert_false (cuda_obj_library_load (library, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  /* The message names the variable and what was tried. */
  g_assert_nonnull (strstr (error->message, variable));
  g_assert_nonnull (strstr (error->message, "/nonexistent/libcudaobj-test-missing.so: no such file"));
  g_assert_false (cuda_obj_library_is_loaded (library));
  g_assert_null (cuda_obj_library_get_path (library));
}

static void
test_override_not_a_cuda_library (void)
{
  g_autoptr (GError) error = NULL;
  Dl_info info;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  /* A real shared library that is not NVRTC: libglib itself. */
  g_assert_true (dladdr ((gpointer) g_strdup, &info) != 0);
  g_setenv ("CUDA_OBJ_NVRTC_LIBRARY", info.dli_fname, TRUE);
  g_assert_false (cuda_obj_library_load (CUDA_OBJ_LIBRARY_NVRTC, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nvrtcGetErrorString"));
}

static void
test_retry_after_failure (void)
{
  g_autoptr (GError) error = NULL;
  int major = 0;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  g_setenv ("CUDA_OBJ_NVRTC_LIBRARY", "/nonexistent/libnvrtc.so", TRUE);
  g_assert_false (cuda_obj_get_nvrtc_version (&major, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  /* A failure is not cached: with the environment fixed, loading works. */
  g_unsetenv ("CUDA_OBJ_NVRTC_LIBRARY");
  g_assert_true (cuda_obj_get_nvrtc_version (&major, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (major, >=, 12);
}

static void
test_jit_libraries_load (gconstpointer data)
{
  CudaObjLibrary library = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_true (cuda_obj_library_load (library, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_library_is_loaded (library));
  path = cuda_obj_library_get_path (library);
  g_assert_nonnull (path);
  g_assert_true (g_path_is_absolute (path));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_nvrtc_version (void)
{
  g_autoptr (GError) error = NULL;
  int major = -1, minor = -1;

  g_assert_true (cuda_obj_get_nvrtc_version (&major, &minor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (major, >=, 12);
  g_assert_cmpint (minor, >=, 0);
}

static void
test_header_version (void)
{
  g_assert_cmpint (cuda_obj_get_header_version (), ==, CUDA_VERSION);
  g_assert_cmpint (cuda_obj_get_header_version (), >=, 12000);
}

static void
test_driver (void)
{
  g_autoptr (GError) error = NULL;
  int major = -1, minor = -1;
  gboolean loaded = cuda_obj_get_driver_version (&major, &minor, &error);

  if (!loaded)
    {
      /* No driver on this machine: the failure must be the clear one. */
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "libcuda.so.1"));
      g_assert_nonnull (strstr (error->message, "CUDA_OBJ_DRIVER_LIBRARY"));
      g_assert_false (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_DRIVER));
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (major, >=, CUDA_VERSION / 1000);
  g_assert_cmpint (minor, >=, 0);
  g_assert_true (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_DRIVER));
}

static void
test_driver_stub_library (void)
{
  g_autoptr (GError) error = NULL;
  const char *stub = NULL;
  const char *candidates[] = { "/usr/local/cuda/lib64/stubs/libcuda.so",
                               "/usr/local/cuda/targets/x86_64-linux/lib/stubs/libcuda.so" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates) && stub == NULL; i++)
    if (g_file_test (candidates[i], G_FILE_TEST_EXISTS))
      stub = candidates[i];
  if (stub == NULL)
    {
      g_test_skip ("the CUDA toolkit's stub libcuda.so is not installed");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  /* The link-time stub loads but answers every call with an error. */
  g_setenv ("CUDA_OBJ_DRIVER_LIBRARY", stub, TRUE);
  g_assert_false (cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, stub));
  g_test_message ("stub driver: %s", error->message);
  g_assert_false (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_DRIVER));
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_device_get_count (&error), ==, 0);
  g_assert_nonnull (error);
}

static void
test_report (void)
{
  g_autofree char *report = cuda_obj_get_loader_report ();

  g_assert_nonnull (strstr (report, "NVRTC"));
  g_assert_nonnull (strstr (report, "nvJitLink"));
  g_assert_nonnull (strstr (report, "libNVVM"));
  g_assert_nonnull (strstr (report, "CUDA driver"));
  g_assert_nonnull (strstr (report, "built against CUDA"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loader/search-paths/order", test_search_paths_order);
  g_test_add_func ("/loader/search-paths/nvvm", test_search_paths_nvvm);
  g_test_add_func ("/loader/search-paths/driver-system-only", test_search_paths_driver_system_only);
  g_test_add_func ("/loader/search-paths/override-only", test_search_paths_override_only);
  g_test_add_func ("/loader/override-variables", test_override_variables);
  g_test_add_data_func ("/loader/override-missing-file/driver", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_DRIVER),
                        test_override_missing_file);
  g_test_add_data_func ("/loader/override-missing-file/nvrtc", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVRTC),
                        test_override_missing_file);
  g_test_add_data_func ("/loader/override-missing-file/nvjitlink",
                        GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVJITLINK), test_override_missing_file);
  g_test_add_data_func ("/loader/override-missing-file/nvvm", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVVM),
                        test_override_missing_file);
  g_test_add_func ("/loader/override-not-a-cuda-library", test_override_not_a_cuda_library);
  g_test_add_func ("/loader/retry-after-failure", test_retry_after_failure);
  g_test_add_data_func ("/loader/load/nvrtc", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVRTC),
                        test_jit_libraries_load);
  g_test_add_data_func ("/loader/load/nvjitlink", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVJITLINK),
                        test_jit_libraries_load);
  g_test_add_data_func ("/loader/load/nvvm", GINT_TO_POINTER (CUDA_OBJ_LIBRARY_NVVM),
                        test_jit_libraries_load);
  g_test_add_func ("/loader/nvrtc-version", test_nvrtc_version);
  g_test_add_func ("/loader/header-version", test_header_version);
  g_test_add_func ("/loader/driver", test_driver);
  g_test_add_func ("/loader/driver-stub-library", test_driver_stub_library);
  g_test_add_func ("/loader/report", test_report);

  return g_test_run ();
}
