/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Library discovery: every library in every layout (pip wheels, conda,
 * toolkits), search order, version checks, headers and libdevice. The fake
 * trees are temporary directories holding symlinks to the toolkit's real
 * libraries, or small placeholder files where this machine lacks one. */
#include <string.h>
#include <unistd.h>

#include "cudaobj-library-private.h"

#include "cudaobj-test-util.h"

#define TOOLKIT_LIB "/usr/local/cuda/lib64"

/* What cuda.pathfinder expects for each library on Linux: the newest soname
 * and the directory of NVIDIA's CUDA 12 style wheel (the CUDA 13 wheels all
 * use nvidia/cu13/lib). */
typedef struct
{
  CudaObjLibrary library;
  const char *name;
  const char *soname;
  const char *wheel_dir;
  gboolean in_cu13_wheel;
} LibraryCase;

/* clang-format off */
static const LibraryCase library_cases[] = {
  { CUDA_OBJ_LIBRARY_NVRTC,      "nvrtc",      "libnvrtc.so.13",       "nvidia/cuda_nvrtc/lib",        TRUE },
  { CUDA_OBJ_LIBRARY_NVJITLINK,  "nvjitlink",  "libnvJitLink.so.13",   "nvidia/nvjitlink/lib",         TRUE },
  { CUDA_OBJ_LIBRARY_NVVM,       "nvvm",       "libnvvm.so.4",         "nvidia/cuda_nvcc/nvvm/lib64",  TRUE },
  { CUDA_OBJ_LIBRARY_NVFATBIN,   "nvfatbin",   "libnvfatbin.so.13",    "nvidia/nvfatbin/lib",          TRUE },
  { CUDA_OBJ_LIBRARY_CUDART,     "cudart",     "libcudart.so.13",      "nvidia/cuda_runtime/lib",      TRUE },
  { CUDA_OBJ_LIBRARY_CUBLAS,     "cublas",     "libcublas.so.13",      "nvidia/cublas/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_CUBLASLT,   "cublaslt",   "libcublasLt.so.13",    "nvidia/cublas/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_NVBLAS,     "nvblas",     "libnvblas.so.13",      "nvidia/cublas/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_CUFFT,      "cufft",      "libcufft.so.12",       "nvidia/cufft/lib",             TRUE },
  { CUDA_OBJ_LIBRARY_CUFFTW,     "cufftw",     "libcufftw.so.12",      "nvidia/cufft/lib",             TRUE },
  { CUDA_OBJ_LIBRARY_CURAND,     "curand",     "libcurand.so.10",      "nvidia/curand/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_CUSOLVER,   "cusolver",   "libcusolver.so.12",    "nvidia/cusolver/lib",          TRUE },
  { CUDA_OBJ_LIBRARY_CUSOLVERMG, "cusolvermg", "libcusolverMg.so.12",  "nvidia/cusolver/lib",          TRUE },
  { CUDA_OBJ_LIBRARY_CUSPARSE,   "cusparse",   "libcusparse.so.12",    "nvidia/cusparse/lib",          TRUE },
  { CUDA_OBJ_LIBRARY_NPPC,       "nppc",       "libnppc.so.13",        "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIAL,     "nppial",     "libnppial.so.13",      "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPICC,     "nppicc",     "libnppicc.so.13",      "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIDEI,    "nppidei",    "libnppidei.so.13",     "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIF,      "nppif",      "libnppif.so.13",       "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIG,      "nppig",      "libnppig.so.13",       "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIM,      "nppim",      "libnppim.so.13",       "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPIST,     "nppist",     "libnppist.so.13",      "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPISU,     "nppisu",     "libnppisu.so.13",      "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPITC,     "nppitc",     "libnppitc.so.13",      "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NPPS,       "npps",       "libnpps.so.13",        "nvidia/npp/lib",               TRUE },
  { CUDA_OBJ_LIBRARY_NVJPEG,     "nvjpeg",     "libnvjpeg.so.13",      "nvidia/nvjpeg/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_CUFILE,     "cufile",     "libcufile.so.0",       "nvidia/cufile/lib",            TRUE },
  { CUDA_OBJ_LIBRARY_CUPTI,      "cupti",      "libcupti.so.13",       "nvidia/cuda_cupti/lib",        TRUE },
  { CUDA_OBJ_LIBRARY_NCCL,       "nccl",       "libnccl.so.2",         "nvidia/nccl/lib",              FALSE },
  { CUDA_OBJ_LIBRARY_NVSHMEM,    "nvshmem",    "libnvshmem_host.so.3", "nvidia/nvshmem/lib",           FALSE },
  { CUDA_OBJ_LIBRARY_CUTENSOR,   "cutensor",   "libcutensor.so.2",     "cutensor/lib",                 FALSE },
  { CUDA_OBJ_LIBRARY_CUDSS,      "cudss",      "libcudss.so.0",        "nvidia/cu12/lib",              TRUE },
};
/* clang-format on */

typedef enum
{
  LAYOUT_WHEEL_CU13,
  LAYOUT_WHEEL_OWN_DIR,
  LAYOUT_SITE_DIRECTORY_CALL,
  LAYOUT_CONDA_LIB,
  LAYOUT_CONDA_TARGETS,
  LAYOUT_CUDA_PATH,
  LAYOUT_CUDA_HOME,
  N_LAYOUTS
} Layout;

static const char *const layout_names[] = {
  "wheel-cu13",    "wheel-own-dir", "site-directory-call", "conda-lib",
  "conda-targets", "cuda-path",     "cuda-home",
};

typedef struct
{
  const LibraryCase *library;
  Layout layout;
} FindCase;

static const char *const search_variables[]
    = { "CUDA_OBJ_SITE_PACKAGES", "CONDA_PREFIX", "CUDA_PATH", "CUDA_HOME" };

static void
clear_search_environment (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (search_variables); i++)
    g_unsetenv (search_variables[i]);
  for (CudaObjLibrary i = CUDA_OBJ_LIBRARY_DRIVER; i < CUDA_OBJ_LIBRARY_N; i++)
    g_unsetenv (cuda_obj_library_get_override_variable (i));
}

/* Puts @soname in @dir: a symlink to the toolkit's file when this machine
 * has it, else a placeholder that find() accepts and load() would refuse. */
static char *
plant (const char *dir, const char *soname)
{
  g_autofree char *real = g_build_filename (TOOLKIT_LIB, soname, NULL);
  char *path = g_build_filename (dir, soname, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  if (g_file_test (real, G_FILE_TEST_IS_REGULAR))
    g_assert_cmpint (symlink (real, path), ==, 0);
  else
    g_assert_true (g_file_set_contents (path, "\177ELF placeholder", -1, NULL));
  return path;
}

static void
remove_tree (const char *path)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", path);
  g_assert_cmpint (system (command), ==, 0);
}

/* Where @layout puts @c's file below @root, and sets the environment for it. */
static char *
layout_dir (const LibraryCase *c, Layout layout, const char *root)
{
  const char *anchor = c->library == CUDA_OBJ_LIBRARY_NVVM    ? "nvvm/lib64"
                       : c->library == CUDA_OBJ_LIBRARY_CUPTI ? "extras/CUPTI/lib64"
                                                              : "lib64";

  switch (layout)
    {
    case LAYOUT_WHEEL_CU13:
      g_setenv ("CUDA_OBJ_SITE_PACKAGES", root, TRUE);
      return g_build_filename (root, "nvidia/cu13/lib", NULL);
    case LAYOUT_WHEEL_OWN_DIR:
      /* A colon-separated list: the first entry does not exist. */
      {
        g_autofree char *list = g_strdup_printf ("/nonexistent-site:%s", root);
        g_setenv ("CUDA_OBJ_SITE_PACKAGES", list, TRUE);
      }
      return g_build_filename (root, c->wheel_dir, NULL);
    case LAYOUT_SITE_DIRECTORY_CALL:
      cuda_obj_library_add_site_directory (root);
      return g_build_filename (root, c->in_cu13_wheel ? "nvidia/cu13/lib" : c->wheel_dir, NULL);
    case LAYOUT_CONDA_LIB:
      g_setenv ("CONDA_PREFIX", root, TRUE);
      return g_build_filename (root, c->library == CUDA_OBJ_LIBRARY_NVVM ? "nvvm/lib64" : "lib", NULL);
    case LAYOUT_CONDA_TARGETS:
      g_setenv ("CONDA_PREFIX", root, TRUE);
      return g_build_filename (
          root, c->library == CUDA_OBJ_LIBRARY_NVVM ? "nvvm/lib64" : "targets/x86_64-linux/lib", NULL);
    case LAYOUT_CUDA_PATH: g_setenv ("CUDA_PATH", root, TRUE); return g_build_filename (root, anchor, NULL);
    case LAYOUT_CUDA_HOME: g_setenv ("CUDA_HOME", root, TRUE); return g_build_filename (root, anchor, NULL);
    default: g_assert_not_reached ();
    }
}

/* One library in one layout; in a subprocess, since site directories added
 * by a call stay for the process's life. */
static void
test_find_in_layout (gconstpointer data)
{
  const FindCase *fc = data;
  const LibraryCase *c = fc->library;
  g_autoptr (GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *found = NULL;
  g_auto (GStrv) report = NULL;

  if (fc->layout == LAYOUT_WHEEL_CU13 && !c->in_cu13_wheel)
    {
      g_test_skip ("this library has no CUDA 13 wheel directory");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  clear_search_environment ();
  /* No driver to compare with here; pretend one as new as the headers. */
  cuda_obj_library_set_driver_major_for_testing (cuda_obj_get_header_version () / 1000);
  root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  g_assert_no_error (error);
  dir = layout_dir (c, fc->layout, root);
  expected = plant (dir, c->soname);

  g_assert_cmpstr (cuda_obj_library_get_name (c->library), ==, c->name);
  found = cuda_obj_library_find (c->library, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, expected);
  /* The report ends at the file found. */
  report = cuda_obj_library_get_search_report (c->library);
  g_assert_nonnull (report);
  g_assert_cmpuint (g_strv_length (report), >, 0);
  g_assert_nonnull (strstr (report[g_strv_length (report) - 1], expected));
  g_assert_true (g_str_has_suffix (report[g_strv_length (report) - 1], ": found"));
  remove_tree (root);
}

/* Without any layout, the error names the variable and every place tried. */
static void
test_find_not_found_lists_places (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  clear_search_environment ();
  g_setenv ("CUDA_PATH", "/nonexistent-toolkit", TRUE);
  /* cuTENSOR is not part of the toolkit, so it is missing here. */
  found = cuda_obj_library_find (CUDA_OBJ_LIBRARY_CUTENSOR, &error);
  if (found != NULL)
    {
      g_test_skip ("cuTENSOR is installed on this machine");
      return;
    }
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "cuTENSOR not found"));
  g_assert_nonnull (strstr (error->message, "CUDA_OBJ_CUTENSOR_LIBRARY"));
  g_assert_nonnull (strstr (error->message, "/nonexistent-toolkit/lib64/libcutensor.so.2: no such file"));
  g_assert_nonnull (strstr (error->message, "libcutensor.so.2: not in the system search"));
  g_assert_nonnull (strstr (error->message, "/usr/local/cuda/lib64/libcutensor.so.2"));
}

static void
test_find_override_is_final (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = NULL;
  g_auto (GStrv) report = NULL;

  clear_search_environment ();
  g_setenv ("CUDA_OBJ_CUBLAS_LIBRARY", "/nonexistent/libcublas.so.13", TRUE);
  found = cuda_obj_library_find (CUDA_OBJ_LIBRARY_CUBLAS, &error);
  g_assert_null (found);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (
      strstr (error->message, "CUDA_OBJ_CUBLAS_LIBRARY: /nonexistent/libcublas.so.13: no such file"));
  report = cuda_obj_library_get_search_report (CUDA_OBJ_LIBRARY_CUBLAS);
  g_assert_cmpuint (g_strv_length (report), ==, 1);
  g_unsetenv ("CUDA_OBJ_CUBLAS_LIBRARY");
}

/* Order: site-packages, CONDA_PREFIX, CUDA_PATH, CUDA_HOME, system, default. */
static void
test_search_order (void)
{
  g_auto (GStrv) paths = NULL;
  int site = -1, conda = -1, cuda_path = -1, cuda_home = -1, system_search = -1, fallback = -1;

  clear_search_environment ();
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", "/site", TRUE);
  g_setenv ("CONDA_PREFIX", "/conda", TRUE);
  g_setenv ("CUDA_PATH", "/toolkit-a", TRUE);
  g_setenv ("CUDA_HOME", "/toolkit-b", TRUE);
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_CUBLAS);
  for (int i = 0; paths[i] != NULL; i++)
    {
      if (site < 0 && g_str_has_prefix (paths[i], "/site/"))
        site = i;
      if (conda < 0 && g_str_has_prefix (paths[i], "/conda/"))
        conda = i;
      if (cuda_path < 0 && g_str_has_prefix (paths[i], "/toolkit-a/"))
        cuda_path = i;
      if (cuda_home < 0 && g_str_has_prefix (paths[i], "/toolkit-b/"))
        cuda_home = i;
      if (system_search < 0 && !g_path_is_absolute (paths[i]))
        system_search = i;
      if (fallback < 0 && g_str_has_prefix (paths[i], "/usr/local/cuda/"))
        fallback = i;
    }
  g_assert_cmpint (site, ==, 0);
  g_assert_cmpstr (paths[0], ==, "/site/nvidia/cu13/lib/libcublas.so.13");
  g_assert_cmpstr (paths[1], ==, "/site/nvidia/cu13/lib/libcublas.so.12");
  g_assert_cmpint (conda, >, site);
  g_assert_cmpint (cuda_path, >, conda);
  g_assert_cmpint (cuda_home, >, cuda_path);
  g_assert_cmpint (system_search, >, cuda_home);
  g_assert_cmpstr (paths[system_search], ==, "libcublas.so.13");
  g_assert_cmpint (fallback, >, system_search);
  clear_search_environment ();
}

/* Two sonames in one directory: the newer wins. */
static void
test_find_newest_soname_first (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (root, "lib64", NULL);
  g_autofree char *old = NULL;
  g_autofree char *new = NULL;
  g_autofree char *found = NULL;

  clear_search_environment ();
  old = plant (dir, "libnvjpeg.so.12");
  new = plant (dir, "libnvjpeg.so.13");
  g_setenv ("CUDA_PATH", root, TRUE);
  cuda_obj_library_set_driver_major_for_testing (13);
  found = cuda_obj_library_find (CUDA_OBJ_LIBRARY_NVJPEG, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, new);
  cuda_obj_library_set_driver_major_for_testing (0);
  clear_search_environment ();
  remove_tree (root);
}

/* A CUDA 13 wheel with a CUDA 12 driver is passed over, and said so; the
 * CUDA 12 wheel beside it is taken. */
static void
test_find_wheel_newer_than_driver (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  g_autofree char *cu13_dir = g_build_filename (root, "nvidia/cu13/lib", NULL);
  g_autofree char *cu12_dir = g_build_filename (root, "nvidia/cufft/lib", NULL);
  g_autofree char *cu13 = NULL;
  g_autofree char *cu12 = NULL;
  g_autofree char *found = NULL;
  g_autofree char *joined = NULL;
  g_auto (GStrv) report = NULL;

  clear_search_environment ();
  cu13 = plant (cu13_dir, "libcufft.so.12");
  cu12 = plant (cu12_dir, "libcufft.so.11");
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", root, TRUE);
  cuda_obj_library_set_driver_major_for_testing (12);
  found = cuda_obj_library_find (CUDA_OBJ_LIBRARY_CUFFT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, cu12);
  report = cuda_obj_library_get_search_report (CUDA_OBJ_LIBRARY_CUFFT);
  joined = g_strjoinv ("\n", report);
  g_assert_nonnull (strstr (joined, "made for CUDA 13, but the driver supports CUDA 12"));
  g_assert_nonnull (strstr (joined, cu13));

  /* Alone, the newer wheel is an error that says why, not a guess. */
  g_assert_cmpint (unlink (cu12), ==, 0);
  g_clear_pointer (&found, g_free);
  found = cuda_obj_library_find (CUDA_OBJ_LIBRARY_CUFFT, &error);
  if (found != NULL) /* a system cuFFT 11 on this machine */
    g_assert_cmpstr (found, !=, cu13);
  else
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "made for CUDA 13, but the driver supports CUDA 12"));
    }
  cuda_obj_library_set_driver_major_for_testing (0);
  clear_search_environment ();
  remove_tree (root);
}

static void
test_driver_is_system_only (void)
{
  g_auto (GStrv) paths = NULL;

  clear_search_environment ();
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", "/site", TRUE);
  g_setenv ("CONDA_PREFIX", "/conda", TRUE);
  paths = cuda_obj_library_get_search_paths (CUDA_OBJ_LIBRARY_DRIVER);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "libcuda.so.1");
  clear_search_environment ();
}

static void
test_invalid_library_value (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_library_find ((CudaObjLibrary) 999, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_library_load ((CudaObjLibrary) 999, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_null (cuda_obj_library_get_name ((CudaObjLibrary) 999));
  g_assert_null (cuda_obj_library_get_search_report ((CudaObjLibrary) 999));
  g_assert_false (cuda_obj_library_is_loaded ((CudaObjLibrary) 999));
}

/* Loading follows find: a real library planted in a wheel layout is loaded
 * from there, and its version comes from its file name. */
static void
test_load_from_wheel (gconstpointer data)
{
  const LibraryCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *real = g_build_filename (TOOLKIT_LIB, c->soname, NULL);
  g_autofree char *root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;

  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("the toolkit here lacks this library");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  clear_search_environment ();
  cuda_obj_library_set_driver_major_for_testing (cuda_obj_get_header_version () / 1000);
  root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  dir = g_build_filename (root, c->in_cu13_wheel ? "nvidia/cu13/lib" : c->wheel_dir, NULL);
  expected = plant (dir, c->soname);
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", root, TRUE);

  g_assert_true (cuda_obj_library_load (c->library, &error));
  g_assert_no_error (error);
  path = cuda_obj_library_get_path (c->library);
  g_assert_cmpstr (path, ==, expected);
  version = cuda_obj_library_get_version (c->library, &error);
  g_assert_no_error (error);
  g_assert_nonnull (version);
  g_test_message ("%s %s", c->name, version);
  g_assert_true (g_ascii_isdigit (version[0]));
  remove_tree (root);
}

static void
test_site_directories (void)
{
  g_auto (GStrv) dirs = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  clear_search_environment ();
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", "/from-env-a:/from-env-b", TRUE);
  cuda_obj_library_add_site_directory ("/from-python");
  cuda_obj_library_add_site_directory ("/from-python"); /* twice: once */
  cuda_obj_library_add_site_directory ("");             /* ignored */
  cuda_obj_library_add_site_directory (NULL);           /* ignored */
  cuda_obj_library_add_site_directory ("/from-env-a");  /* already there */
  dirs = cuda_obj_library_get_site_directories ();
  g_assert_cmpuint (g_strv_length (dirs), ==, 3);
  g_assert_cmpstr (dirs[0], ==, "/from-env-a");
  g_assert_cmpstr (dirs[1], ==, "/from-env-b");
  g_assert_cmpstr (dirs[2], ==, "/from-python");
}

static void
test_include_dirs_default_toolkit (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) dirs = NULL;
  g_autofree char *fp16 = NULL;
  g_autofree char *std_version = NULL;

  clear_search_environment ();
  if (!g_file_test ("/usr/local/cuda/include/cuda_runtime.h", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no toolkit headers in /usr/local/cuda");
      return;
    }
  dirs = cuda_obj_find_include_dirs (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (dirs[0], ==, "/usr/local/cuda/include");
  fp16 = g_build_filename (dirs[0], "cuda_fp16.h", NULL);
  g_assert_true (g_file_test (fp16, G_FILE_TEST_IS_REGULAR));
  /* CCCL: include/cccl in CUDA 13, include itself before. */
  std_version = g_build_filename (dirs[1] != NULL ? dirs[1] : dirs[0], "cuda/std/version", NULL);
  g_assert_true (g_file_test (std_version, G_FILE_TEST_IS_REGULAR));
}

static void
test_include_dirs_from_wheel (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  g_autofree char *include = g_build_filename (root, "nvidia/cu13/include", NULL);
  g_autofree char *cccl = g_build_filename (include, "cccl", NULL);
  g_autofree char *std_dir = g_build_filename (cccl, "cuda/std", NULL);
  g_autofree char *runtime_h = g_build_filename (include, "cuda_runtime.h", NULL);
  g_autofree char *crt = g_build_filename (include, "crt", NULL);
  g_autofree char *host_defines_h = g_build_filename (crt, "host_defines.h", NULL);
  g_autofree char *version_h = g_build_filename (std_dir, "version", NULL);
  g_auto (GStrv) dirs = NULL;

  clear_search_environment ();
  g_assert_cmpint (g_mkdir_with_parents (std_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (crt, 0755), ==, 0);
  g_assert_true (g_file_set_contents (runtime_h, "", -1, NULL));
  g_assert_true (g_file_set_contents (version_h, "", -1, NULL));
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", root, TRUE);
  /* cuda_runtime.h without the crt/ headers it includes: not this one. */
  dirs = cuda_obj_find_include_dirs (&error);
  g_assert_true (dirs == NULL || g_strcmp0 (dirs[0], include) != 0);
  g_clear_pointer (&dirs, g_strfreev);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (host_defines_h, "", -1, NULL));
  dirs = cuda_obj_find_include_dirs (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (dirs), ==, 2);
  g_assert_cmpstr (dirs[0], ==, include);
  g_assert_cmpstr (dirs[1], ==, cccl);
  clear_search_environment ();
  remove_tree (root);
}

static void
test_include_dirs_not_found (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) dirs = NULL;

  if (g_file_test ("/usr/local/cuda/include/cuda_runtime.h", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the default toolkit is always searched and is present here");
      return;
    }
  clear_search_environment ();
  g_setenv ("CUDA_PATH", "/nonexistent-toolkit", TRUE);
  dirs = cuda_obj_find_include_dirs (&error);
  g_assert_null (dirs);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent-toolkit/include"));
  clear_search_environment ();
}

static void
test_libdevice (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cudaobj-library-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (root, "nvvm/libdevice", NULL);
  g_autofree char *fake = g_build_filename (dir, "libdevice.10.bc", NULL);
  g_autofree char *found = NULL;

  clear_search_environment ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (fake, "BC", -1, NULL));
  g_setenv ("CUDA_PATH", root, TRUE);
  found = cuda_obj_find_libdevice (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, fake);
  g_clear_pointer (&found, g_free);

  /* Without CUDA_PATH, the default toolkit's. */
  g_unsetenv ("CUDA_PATH");
  found = cuda_obj_find_libdevice (&error);
  if (g_file_test ("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc", G_FILE_TEST_EXISTS))
    {
      g_assert_no_error (error);
      g_assert_cmpstr (found, ==, "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc");
    }
  else
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  remove_tree (root);
}

/* What the include directories are for: NVRTC programs that use the
 * toolkit's headers and CCCL's libcu++, as CuPy users write them. */
static void
test_nvrtc_compiles_with_cccl (void)
{
  static const char source[] = "#include <cuda_fp16.h>\n"
                               "#include <cuda/atomic>\n"
                               "#include <cuda/std/array>\n"
                               "extern \"C\" __global__ void k(__half *out, int *counter) {\n"
                               "  cuda::std::array<int, 2> a{1, 2};\n"
                               "  cuda::atomic_ref<int, cuda::thread_scope_device> c(*counter);\n"
                               "  c.fetch_add(a[1]);\n"
                               "  out[0] = __float2half(1.0f);\n"
                               "}\n";
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) dirs = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;

  clear_search_environment ();
  dirs = cuda_obj_find_include_dirs (&error);
  if (dirs == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "std", "c++17", "include-path",
                          dirs, NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, CUDA_OBJ_CODE_TYPE_CUBIN);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (library_cases); i++)
    for (Layout layout = 0; layout < N_LAYOUTS; layout++)
      {
        FindCase *fc = g_new0 (FindCase, 1);
        char *name = g_strdup_printf ("/library/find/%s/%s", library_cases[i].name, layout_names[layout]);
        fc->library = &library_cases[i];
        fc->layout = layout;
        g_ptr_array_add (cases, fc);
        g_ptr_array_add (names, name);
        g_test_add_data_func (name, fc, test_find_in_layout);
      }
  g_test_add_func ("/library/find/not-found-lists-places", test_find_not_found_lists_places);
  g_test_add_func ("/library/find/override-is-final", test_find_override_is_final);
  g_test_add_func ("/library/find/newest-soname-first", test_find_newest_soname_first);
  g_test_add_func ("/library/find/wheel-newer-than-driver", test_find_wheel_newer_than_driver);
  g_test_add_func ("/library/search-order", test_search_order);
  g_test_add_func ("/library/driver-is-system-only", test_driver_is_system_only);
  g_test_add_func ("/library/invalid-library-value", test_invalid_library_value);
  for (guint i = 0; i < G_N_ELEMENTS (library_cases); i++)
    if (library_cases[i].library == CUDA_OBJ_LIBRARY_NVRTC
        || library_cases[i].library == CUDA_OBJ_LIBRARY_CURAND
        || library_cases[i].library == CUDA_OBJ_LIBRARY_NCCL)
      {
        char *name = g_strdup_printf ("/library/load-from-wheel/%s", library_cases[i].name);
        g_ptr_array_add (names, name);
        g_test_add_data_func (name, &library_cases[i], test_load_from_wheel);
      }
  g_test_add_func ("/library/site-directories", test_site_directories);
  g_test_add_func ("/library/include-dirs/default-toolkit", test_include_dirs_default_toolkit);
  g_test_add_func ("/library/include-dirs/from-wheel", test_include_dirs_from_wheel);
  g_test_add_func ("/library/include-dirs/not-found", test_include_dirs_not_found);
  g_test_add_func ("/library/libdevice", test_libdevice);
  g_test_add_func ("/library/nvrtc-compiles-with-cccl", test_nvrtc_compiles_with_cccl);

  return g_test_run ();
}
