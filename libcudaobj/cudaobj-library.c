/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding NVIDIA's libraries, headers and libdevice.
 *
 * The search data (sonames, pip-wheel directories, toolkit directories)
 * follows what NVIDIA's cuda.pathfinder knows for Linux, so that a library a
 * Python program finds through cuda.pathfinder is the one libcudaobj finds.
 * Nothing here opens a library: the loader (cudaobj-loader.c) walks the same
 * candidates and opens them. */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>

#include "cudaobj-library.h"
#include "cudaobj-library-private.h"

#define DEFAULT_TOOLKIT "/usr/local/cuda"

#if defined(__x86_64__)
#define TARGETS_DIR "targets/x86_64-linux"
#define LD_CACHE_FLAGS 0x0303 /* FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
#elif defined(__aarch64__)
#define TARGETS_DIR "targets/sbsa-linux"
#define LD_CACHE_FLAGS 0x0a03 /* FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64 */
#else
#define TARGETS_DIR "targets/" G_STRINGIFY (UNKNOWN) "-linux"
#define LD_CACHE_FLAGS 0
#endif

typedef enum
{
  KIND_DRIVER,            /* the system search only */
  KIND_TOOLKIT,           /* part of the CUDA toolkit: its soname major is the CUDA major */
  KIND_TOOLKIT_OWN_MAJOR, /* part of the toolkit, with a soname major of its own (cuFFT 12 in CUDA 13) */
  KIND_OTHER,             /* shipped on its own (NCCL, cuTENSOR, ...) */
} LibraryKind;

typedef struct
{
  const char *name; /* the enum's nick and cuda.pathfinder's name */
  const char *display_name;
  const char *override_variable;
  LibraryKind kind;
  const char *sonames[4];     /* newest first */
  const char *wheel_dirs[4];  /* below a site-packages directory */
  const char *anchor_dirs[4]; /* below a toolkit or conda root; NULL: lib64, lib, targets/<arch>/lib */
} LibrarySpec;

#define CU13 "nvidia/cu13/lib"

/* clang-format off */
static const LibrarySpec specs[CUDA_OBJ_LIBRARY_N] = {
  [CUDA_OBJ_LIBRARY_DRIVER]     = { "driver", "CUDA driver", "CUDA_OBJ_DRIVER_LIBRARY", KIND_DRIVER,
                                    { "libcuda.so.1" }, { NULL }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVRTC]      = { "nvrtc", "NVRTC", "CUDA_OBJ_NVRTC_LIBRARY", KIND_TOOLKIT,
                                    { "libnvrtc.so.13", "libnvrtc.so.12" }, { CU13, "nvidia/cuda_nvrtc/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVJITLINK]  = { "nvjitlink", "nvJitLink", "CUDA_OBJ_NVJITLINK_LIBRARY", KIND_TOOLKIT,
                                    { "libnvJitLink.so.13", "libnvJitLink.so.12" }, { CU13, "nvidia/nvjitlink/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVVM]       = { "nvvm", "libNVVM", "CUDA_OBJ_NVVM_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libnvvm.so.4", "libnvvm.so.3" },
                                    { CU13, "nvidia/cuda_nvcc/nvvm/lib64" }, { "nvvm/lib64", "lib64", "lib" } },
  [CUDA_OBJ_LIBRARY_NVFATBIN]   = { "nvfatbin", "nvFatbin", "CUDA_OBJ_NVFATBIN_LIBRARY", KIND_TOOLKIT,
                                    { "libnvfatbin.so.13", "libnvfatbin.so.12" }, { CU13, "nvidia/nvfatbin/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUDART]     = { "cudart", "CUDA runtime", "CUDA_OBJ_CUDART_LIBRARY", KIND_TOOLKIT,
                                    { "libcudart.so.13", "libcudart.so.12" }, { CU13, "nvidia/cuda_runtime/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUBLAS]     = { "cublas", "cuBLAS", "CUDA_OBJ_CUBLAS_LIBRARY", KIND_TOOLKIT,
                                    { "libcublas.so.13", "libcublas.so.12" }, { CU13, "nvidia/cublas/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUBLASLT]   = { "cublaslt", "cuBLASLt", "CUDA_OBJ_CUBLASLT_LIBRARY", KIND_TOOLKIT,
                                    { "libcublasLt.so.13", "libcublasLt.so.12" }, { CU13, "nvidia/cublas/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVBLAS]     = { "nvblas", "NVBLAS", "CUDA_OBJ_NVBLAS_LIBRARY", KIND_TOOLKIT,
                                    { "libnvblas.so.13", "libnvblas.so.12" }, { CU13, "nvidia/cublas/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUFFT]      = { "cufft", "cuFFT", "CUDA_OBJ_CUFFT_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcufft.so.12", "libcufft.so.11" }, { CU13, "nvidia/cufft/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUFFTW]     = { "cufftw", "cuFFTW", "CUDA_OBJ_CUFFTW_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcufftw.so.12", "libcufftw.so.11" }, { CU13, "nvidia/cufft/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CURAND]     = { "curand", "cuRAND", "CUDA_OBJ_CURAND_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcurand.so.10" }, { CU13, "nvidia/curand/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUSOLVER]   = { "cusolver", "cuSOLVER", "CUDA_OBJ_CUSOLVER_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcusolver.so.12", "libcusolver.so.11" }, { CU13, "nvidia/cusolver/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUSOLVERMG] = { "cusolvermg", "cuSOLVERMg", "CUDA_OBJ_CUSOLVERMG_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcusolverMg.so.12", "libcusolverMg.so.11" }, { CU13, "nvidia/cusolver/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUSPARSE]   = { "cusparse", "cuSPARSE", "CUDA_OBJ_CUSPARSE_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcusparse.so.12" }, { CU13, "nvidia/cusparse/lib" }, { NULL } },
#define NPP(id, lib, what) \
  [CUDA_OBJ_LIBRARY_##id]       = { lib, what, "CUDA_OBJ_" #id "_LIBRARY", KIND_TOOLKIT, \
                                    { "lib" lib ".so.13", "lib" lib ".so.12" }, { CU13, "nvidia/npp/lib" }, { NULL } }
  NPP (NPPC, "nppc", "NPP core"),
  NPP (NPPIAL, "nppial", "NPP arithmetic"),
  NPP (NPPICC, "nppicc", "NPP color"),
  NPP (NPPIDEI, "nppidei", "NPP data exchange"),
  NPP (NPPIF, "nppif", "NPP filters"),
  NPP (NPPIG, "nppig", "NPP geometry"),
  NPP (NPPIM, "nppim", "NPP morphology"),
  NPP (NPPIST, "nppist", "NPP statistics"),
  NPP (NPPISU, "nppisu", "NPP support"),
  NPP (NPPITC, "nppitc", "NPP threshold"),
  NPP (NPPS, "npps", "NPP signals"),
#undef NPP
  [CUDA_OBJ_LIBRARY_NVJPEG]     = { "nvjpeg", "nvJPEG", "CUDA_OBJ_NVJPEG_LIBRARY", KIND_TOOLKIT,
                                    { "libnvjpeg.so.13", "libnvjpeg.so.12" }, { CU13, "nvidia/nvjpeg/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUFILE]     = { "cufile", "cuFile", "CUDA_OBJ_CUFILE_LIBRARY", KIND_TOOLKIT_OWN_MAJOR,
                                    { "libcufile.so.0" }, { CU13, "nvidia/cufile/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUPTI]      = { "cupti", "CUPTI", "CUDA_OBJ_CUPTI_LIBRARY", KIND_TOOLKIT,
                                    { "libcupti.so.13", "libcupti.so.12" }, { CU13, "nvidia/cuda_cupti/lib" },
                                    { "extras/CUPTI/lib64", "lib64", "lib" } },
  [CUDA_OBJ_LIBRARY_NCCL]       = { "nccl", "NCCL", "CUDA_OBJ_NCCL_LIBRARY", KIND_OTHER,
                                    { "libnccl.so.2" }, { "nvidia/nccl/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVSHMEM]    = { "nvshmem", "NVSHMEM", "CUDA_OBJ_NVSHMEM_LIBRARY", KIND_OTHER,
                                    { "libnvshmem_host.so.3" }, { "nvidia/nvshmem/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUTENSOR]   = { "cutensor", "cuTENSOR", "CUDA_OBJ_CUTENSOR_LIBRARY", KIND_OTHER,
                                    { "libcutensor.so.2" }, { "cutensor/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_CUDSS]      = { "cudss", "cuDSS", "CUDA_OBJ_CUDSS_LIBRARY", KIND_OTHER,
                                    { "libcudss.so.0" }, { CU13, "nvidia/cu12/lib" }, { NULL } },
  [CUDA_OBJ_LIBRARY_NVML]       = { "nvml", "NVML", "CUDA_OBJ_NVML_LIBRARY", KIND_DRIVER,
                                    { "libnvidia-ml.so.1" }, { NULL }, { NULL } },
};
/* clang-format on */

static const char *const default_anchor_dirs[] = { "lib64", "lib", TARGETS_DIR "/lib", NULL };

static GMutex site_lock;
static GPtrArray *site_directories; /* char *, in the order added */
static int driver_major_for_testing;

static gboolean
library_is_valid (CudaObjLibrary library)
{
  return (guint) library < CUDA_OBJ_LIBRARY_N;
}

const char *
cuda_obj_library_display_name (CudaObjLibrary library)
{
  return specs[library].display_name;
}

gboolean
cuda_obj_library_is_system_only (CudaObjLibrary library)
{
  return specs[library].kind == KIND_DRIVER;
}

void
cuda_obj_library_set_driver_major_for_testing (int major)
{
  g_atomic_int_set (&driver_major_for_testing, major);
}

static void
candidate_free (gpointer data)
{
  CudaObjLibraryCandidate *candidate = data;

  g_free (candidate->path);
  g_free (candidate);
}

/* The CUDA major a file was made for: a CUDA 13 wheel's directory says so;
 * otherwise a toolkit library's soname major is the CUDA major. */
static int
candidate_cuda_major (const LibrarySpec *spec, const char *path, const char *soname)
{
  const char *dot;

  if (strstr (path, "/cu13/") != NULL)
    return 13;
  if (strstr (path, "/cu12/") != NULL)
    return 12;
  if (spec->kind != KIND_TOOLKIT)
    return 0;
  dot = strrchr (soname, '.');
  return dot != NULL ? (int) g_ascii_strtoll (dot + 1, NULL, 10) : 0;
}

static void
add_candidate (GPtrArray *out, const LibrarySpec *spec, const char *origin, const char *dir,
               const char *soname)
{
  CudaObjLibraryCandidate *candidate = g_new0 (CudaObjLibraryCandidate, 1);

  candidate->path = dir != NULL ? g_build_filename (dir, soname, NULL) : g_strdup (soname);
  candidate->origin = origin;
  candidate->cuda_major = candidate_cuda_major (spec, candidate->path, soname);
  g_ptr_array_add (out, candidate);
}

static void
add_anchor_candidates (GPtrArray *out, const LibrarySpec *spec, const char *origin, const char *root)
{
  const char *const *dirs = spec->anchor_dirs[0] != NULL ? spec->anchor_dirs : default_anchor_dirs;

  for (guint d = 0; d < G_N_ELEMENTS (spec->anchor_dirs) && dirs[d] != NULL; d++)
    {
      g_autofree char *dir = g_build_filename (root, dirs[d], NULL);
      for (guint s = 0; s < G_N_ELEMENTS (spec->sonames) && spec->sonames[s] != NULL; s++)
        add_candidate (out, spec, origin, dir, spec->sonames[s]);
    }
}

/* Conda puts libraries in lib and targets/<arch>/lib, and libNVVM and
 * CUPTI in the toolkit's own directories for them. */
static void
add_conda_candidates (GPtrArray *out, const LibrarySpec *spec, const char *prefix)
{
  const char *dirs[] = { spec->anchor_dirs[0], "lib", TARGETS_DIR "/lib" };

  for (guint d = spec->anchor_dirs[0] != NULL ? 0 : 1; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir = g_build_filename (prefix, dirs[d], NULL);
      for (guint s = 0; s < G_N_ELEMENTS (spec->sonames) && spec->sonames[s] != NULL; s++)
        add_candidate (out, spec, "CONDA_PREFIX", dir, spec->sonames[s]);
    }
}

/* CUDA_OBJ_SITE_PACKAGES first (an explicit choice), then the directories
 * registered with cuda_obj_library_add_site_directory(). */
static GPtrArray *
current_site_directories (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  const char *variable = g_getenv ("CUDA_OBJ_SITE_PACKAGES");

  if (variable != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (variable, G_SEARCHPATH_SEPARATOR_S, -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (dirs, g_strdup (parts[i]));
    }
  g_mutex_lock (&site_lock);
  for (guint i = 0; site_directories != NULL && i < site_directories->len; i++)
    if (!g_ptr_array_find_with_equal_func (dirs, site_directories->pdata[i], g_str_equal, NULL))
      g_ptr_array_add (dirs, g_strdup (site_directories->pdata[i]));
  g_mutex_unlock (&site_lock);
  return dirs;
}

/* The toolkit roots in search order after the wheels: $CONDA_PREFIX is
 * handled by the caller; CUDA_PATH, then CUDA_HOME when it differs. */
static void
toolkit_roots (const char **cuda_path, const char **cuda_home)
{
  *cuda_path = g_getenv ("CUDA_PATH");
  *cuda_home = g_getenv ("CUDA_HOME");
  if (*cuda_path != NULL && **cuda_path == '\0')
    *cuda_path = NULL;
  if (*cuda_home != NULL && (**cuda_home == '\0' || g_strcmp0 (*cuda_path, *cuda_home) == 0))
    *cuda_home = NULL;
}

GPtrArray *
cuda_obj_library_candidates (CudaObjLibrary library)
{
  const LibrarySpec *spec = &specs[library];
  GPtrArray *out = g_ptr_array_new_with_free_func (candidate_free);
  const char *override = g_getenv (spec->override_variable);
  const char *conda_prefix = g_getenv ("CONDA_PREFIX");
  const char *cuda_path, *cuda_home;

  if (override != NULL && *override != '\0')
    {
      /* An explicit choice is final: falling back would hide its mistake. */
      CudaObjLibraryCandidate *candidate = g_new0 (CudaObjLibraryCandidate, 1);
      candidate->path = g_strdup (override);
      candidate->origin = spec->override_variable;
      g_ptr_array_add (out, candidate);
      return out;
    }

  if (spec->kind != KIND_DRIVER)
    {
      g_autoptr (GPtrArray) sites = current_site_directories ();

      for (guint i = 0; i < sites->len; i++)
        for (guint w = 0; w < G_N_ELEMENTS (spec->wheel_dirs) && spec->wheel_dirs[w] != NULL; w++)
          {
            g_autofree char *dir = g_build_filename (sites->pdata[i], spec->wheel_dirs[w], NULL);
            for (guint s = 0; s < G_N_ELEMENTS (spec->sonames) && spec->sonames[s] != NULL; s++)
              add_candidate (out, spec, "site-packages", dir, spec->sonames[s]);
          }
      if (conda_prefix != NULL && *conda_prefix != '\0')
        add_conda_candidates (out, spec, conda_prefix);
      toolkit_roots (&cuda_path, &cuda_home);
      if (cuda_path != NULL)
        add_anchor_candidates (out, spec, "CUDA_PATH", cuda_path);
      if (cuda_home != NULL)
        add_anchor_candidates (out, spec, "CUDA_HOME", cuda_home);
    }

  for (guint s = 0; s < G_N_ELEMENTS (spec->sonames) && spec->sonames[s] != NULL; s++)
    add_candidate (out, spec, "system search", NULL, spec->sonames[s]);

  if (spec->kind != KIND_DRIVER)
    add_anchor_candidates (out, spec, "default toolkit", DEFAULT_TOOLKIT);
  return out;
}

char *
cuda_obj_library_candidate_mismatch (const CudaObjLibraryCandidate *candidate)
{
  int driver_major = g_atomic_int_get (&driver_major_for_testing);
  int driver_minor = 0;

  if (candidate->cuda_major == 0)
    return NULL;
  if (driver_major == 0 && !cuda_obj_get_driver_version (&driver_major, &driver_minor, NULL))
    return NULL; /* no driver to compare with: loading it will say why */
  if (candidate->cuda_major <= driver_major)
    return NULL;
  return g_strdup_printf ("made for CUDA %d, but the driver supports CUDA %d.%d", candidate->cuda_major,
                          driver_major, driver_minor);
}

/* The glibc ld.so cache ("glibc-ld.so.cache1.1"): a header, then entries
 * whose key (soname) and value (path) are offsets into the file. */
static char *
ld_cache_lookup (const char *soname)
{
  static const char magic[] = "glibc-ld.so.cache1.1";
  g_autoptr (GMappedFile) mapped = g_mapped_file_new ("/etc/ld.so.cache", FALSE, NULL);
  const char *data, *start;
  gsize size, header = 48, entry_size = 24;
  guint32 count;

  if (mapped == NULL)
    return NULL;
  data = g_mapped_file_get_contents (mapped);
  size = g_mapped_file_get_length (mapped);
  /* The old format may come first; the new one follows it. */
  start = memmem (data, size, magic, sizeof magic - 1);
  if (start == NULL || (gsize) (start - data) + header > size)
    return NULL;
  memcpy (&count, start + sizeof magic - 1, sizeof count);
  if ((gsize) (start - data) + header + (gsize) count * entry_size > size)
    return NULL;
  for (guint32 i = 0; i < count; i++)
    {
      const char *entry = start + header + (gsize) i * entry_size;
      gint32 flags;
      guint32 key, value;

      memcpy (&flags, entry, 4);
      memcpy (&key, entry + 4, 4);
      memcpy (&value, entry + 8, 4);
      if (key >= size || value >= size || memchr (start + key, '\0', size - key) == NULL)
        continue;
      if (LD_CACHE_FLAGS != 0 && flags != LD_CACHE_FLAGS)
        continue;
      if (strcmp (start + key, soname) == 0 && memchr (start + value, '\0', size - value) != NULL)
        return g_strdup (start + value);
    }
  return NULL;
}

char *
cuda_obj_library_resolve_soname (const char *soname)
{
  const char *ld_library_path = g_getenv ("LD_LIBRARY_PATH");
  static const char *const default_dirs[] = {
#if defined(__x86_64__)
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
#endif
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
  };
  void *handle;
  char *path;

  /* Already in the process: that is the one dlopen would hand back. */
  handle = dlopen (soname, RTLD_LAZY | RTLD_NOLOAD);
  if (handle != NULL)
    {
      struct link_map *map = NULL;
      path = NULL;
      if (dlinfo (handle, RTLD_DI_LINKMAP, &map) == 0 && map != NULL && map->l_name != NULL && *map->l_name)
        path = g_strdup (map->l_name);
      dlclose (handle);
      if (path != NULL)
        return path;
    }
  if (ld_library_path != NULL)
    {
      g_auto (GStrv) dirs = g_strsplit (ld_library_path, ":", -1);
      for (guint i = 0; dirs[i] != NULL; i++)
        {
          path = g_build_filename (*dirs[i] != '\0' ? dirs[i] : ".", soname, NULL);
          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return path;
          g_free (path);
        }
    }
  path = ld_cache_lookup (soname);
  if (path != NULL)
    return path;
  for (guint i = 0; i < G_N_ELEMENTS (default_dirs); i++)
    {
      path = g_build_filename (default_dirs[i], soname, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }
  return NULL;
}

/* Walks the candidates without opening any; fills @report (optional) with
 * one line per candidate tried and returns the first usable one's path. */
static char *
search (CudaObjLibrary library, GPtrArray *report, GString *tried)
{
  g_autoptr (GPtrArray) candidates = cuda_obj_library_candidates (library);

  for (guint i = 0; i < candidates->len; i++)
    {
      const CudaObjLibraryCandidate *candidate = candidates->pdata[i];
      g_autofree char *resolved = NULL;
      g_autofree char *mismatch = NULL;
      g_autofree char *line = NULL;

      if (g_path_is_absolute (candidate->path))
        {
          if (g_file_test (candidate->path, G_FILE_TEST_IS_REGULAR))
            resolved = g_strdup (candidate->path);
        }
      else
        resolved = cuda_obj_library_resolve_soname (candidate->path);

      if (resolved == NULL)
        line = g_strdup_printf ("%s: %s: %s", candidate->origin, candidate->path,
                                g_path_is_absolute (candidate->path) ? "no such file"
                                                                     : "not in the system search");
      else if ((mismatch = cuda_obj_library_candidate_mismatch (candidate)) != NULL)
        line = g_strdup_printf ("%s: %s: %s", candidate->origin, resolved, mismatch);
      else
        line = g_strdup_printf ("%s: %s: found", candidate->origin, resolved);

      if (report != NULL)
        g_ptr_array_add (report, g_strdup (line));
      if (tried != NULL)
        g_string_append_printf (tried, "%s%s", tried->len > 0 ? "; " : "", line);
      if (resolved != NULL && mismatch == NULL)
        return g_steal_pointer (&resolved);
    }
  return NULL;
}

/**
 * cuda_obj_library_get_name:
 * @library: which library
 *
 * Gives the short name of @library that cuda.pathfinder and the
 * `cudaobj-pathfinder` command use, such as `"cublas"`.
 *
 * Returns: the name, or %NULL for a value that is not a library
 *
 * Since: 1.0
 */
const char *
cuda_obj_library_get_name (CudaObjLibrary library)
{
  if (!library_is_valid (library))
    return NULL;
  return specs[library].name;
}

/**
 * cuda_obj_library_find:
 * @library: which library
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds the file libcudaobj would load for @library, without loading it.
 * The search tries, in order, and takes the first file that exists:
 *
 * 1. the library's override variable
 *    ([func@CudaObj.Library.get_override_variable]), which when set is the
 *    only place tried;
 * 2. NVIDIA's pip wheels: `nvidia/cu13/lib`, then the CUDA 12 wheel's own
 *    directory (such as `nvidia/cublas/lib`), below each directory of
 *    `CUDA_OBJ_SITE_PACKAGES` (separated by `:`), then below each directory
 *    given to [func@CudaObj.Library.add_site_directory] (the Python bindings
 *    add the running Python's site directories);
 * 3. `$CONDA_PREFIX`: `lib`, `targets/<arch>-linux/lib`;
 * 4. `$CUDA_PATH`, then `$CUDA_HOME`: `lib64`, `lib`, `targets/<arch>-linux/lib`;
 * 5. the dynamic linker's search (`LD_LIBRARY_PATH`, the ld.so cache);
 * 6. `/usr/local/cuda`.
 *
 * In each place the newest soname comes first. libNVVM is looked for in
 * `nvvm/lib64` and CUPTI in `extras/CUPTI/lib64` below a toolkit. The driver
 * is only taken from its override or the dynamic linker's search.
 *
 * A file made for a newer CUDA major version than the driver supports (a
 * `nvidia/cu13` wheel with a CUDA 12 driver) is passed over, and said so in
 * [func@CudaObj.Library.get_search_report].
 *
 * Returns: (transfer full) (type filename): the path, or %NULL with @error
 *   set to %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND, whose message lists every
 *   place tried
 *
 * Since: 1.0
 */
char *
cuda_obj_library_find (CudaObjLibrary library, GError **error)
{
  g_autoptr (GString) tried = g_string_new (NULL);
  char *path;

  if (!library_is_valid (library))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%d is not a CudaObjLibrary",
                   library);
      return NULL;
    }
  path = search (library, NULL, tried);
  if (path == NULL)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
                 "%s not found (set %s to its path%s); tried %s", specs[library].display_name,
                 specs[library].override_variable,
                 specs[library].kind == KIND_DRIVER ? "" : ", or CUDA_PATH to the toolkit", tried->str);
  return path;
}

/**
 * cuda_obj_library_get_search_report:
 * @library: which library
 *
 * Says what [func@CudaObj.Library.find] tries for @library with the current
 * environment, in order, one line per place: where the candidate comes from
 * (`CUDA_PATH`, `site-packages`, `system search`, ...), its path, and what
 * was found there (`found`, `no such file`, or why it cannot be used). The
 * last line is the file found, if any.
 *
 * Returns: (transfer full) (array zero-terminated=1): the lines, or %NULL
 *   for a value that is not a library
 *
 * Since: 1.0
 */
char **
cuda_obj_library_get_search_report (CudaObjLibrary library)
{
  GPtrArray *report;
  g_autofree char *path = NULL;

  if (!library_is_valid (library))
    return NULL;
  report = g_ptr_array_new ();
  path = search (library, report, NULL);
  g_ptr_array_add (report, NULL);
  return (char **) g_ptr_array_free (report, FALSE);
}

/**
 * cuda_obj_library_get_override_variable:
 * @library: which library
 *
 * Names the environment variable that, when set to a file's path, makes
 * libcudaobj load @library from that file and nowhere else, such as
 * `CUDA_OBJ_NVRTC_LIBRARY`.
 *
 * Returns: (nullable): the variable's name, or %NULL for a value that is not a library
 *
 * Since: 1.0
 */
const char *
cuda_obj_library_get_override_variable (CudaObjLibrary library)
{
  if (!library_is_valid (library))
    return NULL;
  return specs[library].override_variable;
}

/**
 * cuda_obj_library_get_search_paths:
 * @library: which library
 *
 * Lists the places libcudaobj would try, in order, to load @library with the
 * current environment (see [func@CudaObj.Library.find]). Bare sonames stand
 * for the dynamic linker's search.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   candidates, or %NULL for a value that is not a library
 *
 * Since: 1.0
 */
char **
cuda_obj_library_get_search_paths (CudaObjLibrary library)
{
  g_autoptr (GPtrArray) candidates = NULL;
  GPtrArray *paths;

  if (!library_is_valid (library))
    return NULL;
  candidates = cuda_obj_library_candidates (library);
  paths = g_ptr_array_new ();
  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (paths, g_strdup (((CudaObjLibraryCandidate *) candidates->pdata[i])->path));
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

/**
 * cuda_obj_library_add_site_directory:
 * @path: (type filename): a Python site-packages directory
 *
 * Adds a directory where NVIDIA's pip wheels may be installed (it holds
 * `nvidia/cu13/lib`, `nvidia/cublas/lib`, ...) to the search of
 * [func@CudaObj.Library.find], after those of `CUDA_OBJ_SITE_PACKAGES` and
 * those added before. Adding a directory twice has no effect; a directory
 * that does not exist is kept and simply finds nothing.
 *
 * The Python bindings call it at import with `site.getsitepackages()` and
 * the user site directory, so that `pip install nvidia-cublas` is enough.
 * It changes where libraries not loaded yet are looked for; loaded ones stay.
 *
 * Since: 1.0
 */
void
cuda_obj_library_add_site_directory (const char *path)
{
  if (path == NULL || *path == '\0')
    return;
  g_mutex_lock (&site_lock);
  if (site_directories == NULL)
    site_directories = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (site_directories, path, g_str_equal, NULL))
    g_ptr_array_add (site_directories, g_strdup (path));
  g_mutex_unlock (&site_lock);
}

/**
 * cuda_obj_library_get_site_directories:
 *
 * Lists the directories searched for NVIDIA's pip wheels, in order: those of
 * `CUDA_OBJ_SITE_PACKAGES`, then those given to
 * [func@CudaObj.Library.add_site_directory].
 *
 * Returns: (transfer full) (array zero-terminated=1): the directories
 *
 * Since: 1.0
 */
char **
cuda_obj_library_get_site_directories (void)
{
  GPtrArray *dirs = current_site_directories ();

  g_ptr_array_set_free_func (dirs, NULL);
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

/* Roots to look for headers and libdevice in, in the libraries' order:
 * wheels are given as full directories by the caller. */
static GPtrArray *
toolkit_root_list (void)
{
  GPtrArray *roots = g_ptr_array_new_with_free_func (g_free);
  const char *conda_prefix = g_getenv ("CONDA_PREFIX");
  const char *cuda_path, *cuda_home;

  if (conda_prefix != NULL && *conda_prefix != '\0')
    {
      g_ptr_array_add (roots, g_strdup (conda_prefix));
      g_ptr_array_add (roots, g_build_filename (conda_prefix, TARGETS_DIR, NULL));
    }
  toolkit_roots (&cuda_path, &cuda_home);
  if (cuda_path != NULL)
    g_ptr_array_add (roots, g_strdup (cuda_path));
  if (cuda_home != NULL)
    g_ptr_array_add (roots, g_strdup (cuda_home));
  g_ptr_array_add (roots, g_strdup (DEFAULT_TOOLKIT));
  return roots;
}

static gboolean
has_file (const char *dir, const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The last search's inputs and answer, for cuda_obj_find_include_dirs_cached(). */
static GMutex include_dirs_lock;
static char *include_dirs_inputs;
static char **include_dirs_found;

char **
cuda_obj_find_include_dirs_cached (void)
{
  static const char *const variables[] = { "CONDA_PREFIX", "CUDA_PATH", "CUDA_HOME" };
  g_autoptr (GPtrArray) sites = current_site_directories ();
  g_autoptr (GString) inputs = g_string_new (NULL);
  char **found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      const char *value = g_getenv (variables[i]);
      g_string_append_printf (inputs, "%s\n", value != NULL ? value : "");
    }
  for (guint i = 0; i < sites->len; i++)
    g_string_append_printf (inputs, "%s\n", (const char *) sites->pdata[i]);

  g_mutex_lock (&include_dirs_lock);
  if (include_dirs_found != NULL && g_strcmp0 (include_dirs_inputs, inputs->str) == 0)
    found = g_strdupv (include_dirs_found);
  g_mutex_unlock (&include_dirs_lock);
  if (found != NULL)
    return found;

  found = cuda_obj_find_include_dirs (NULL);
  g_mutex_lock (&include_dirs_lock);
  g_free (include_dirs_inputs);
  g_strfreev (include_dirs_found);
  include_dirs_inputs = g_strdup (inputs->str);
  include_dirs_found = g_strdupv (found);
  g_mutex_unlock (&include_dirs_lock);
  return found;
}

/**
 * cuda_obj_find_include_dirs:
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds the CUDA toolkit's header directories that a runtime-compiled
 * program needs: the one with `cuda_runtime.h`, `cuda_fp16.h` and the
 * `crt/` headers they include (a directory with `cuda_runtime.h` but
 * without `crt/host_defines.h`, as some wheels ship it, is passed over), and
 * CCCL's (the one with `cuda/std/version`, `include/cccl` in CUDA 13), so
 * that `#include <cuda_fp16.h>` and `#include <cuda/std/atomic>` work with
 * NVRTC. They are searched like libraries (see
 * [func@CudaObj.Library.find]): the pip wheels (`nvidia/cu13/include`,
 * `nvidia/cu13/include/cccl`, `nvidia/cuda_runtime/include`,
 * `nvidia/cuda_cccl/include`), `$CONDA_PREFIX`, `$CUDA_PATH`, `$CUDA_HOME`,
 * `/usr/local/cuda`; the first directory that has each wins.
 *
 * Returns: (transfer full) (array zero-terminated=1): the directories,
 *   toolkit first, then CCCL when it is a separate directory; %NULL with
 *   @error set to %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND when there is no
 *   toolkit header directory
 *
 * Since: 1.0
 */
char **
cuda_obj_find_include_dirs (GError **error)
{
  static const char *const runtime_wheel_dirs[] = { "nvidia/cu13/include", "nvidia/cuda_runtime/include" };
  static const char *const cccl_wheel_dirs[] = { "nvidia/cu13/include/cccl", "nvidia/cuda_cccl/include" };
  g_autoptr (GPtrArray) sites = current_site_directories ();
  g_autoptr (GPtrArray) roots = toolkit_root_list ();
  g_autoptr (GPtrArray) runtime_candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) cccl_candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) tried = g_string_new (NULL);
  char *runtime = NULL, *cccl = NULL;
  GPtrArray *out;

  for (guint i = 0; i < sites->len; i++)
    {
      for (guint w = 0; w < G_N_ELEMENTS (runtime_wheel_dirs); w++)
        g_ptr_array_add (runtime_candidates, g_build_filename (sites->pdata[i], runtime_wheel_dirs[w], NULL));
      for (guint w = 0; w < G_N_ELEMENTS (cccl_wheel_dirs); w++)
        g_ptr_array_add (cccl_candidates, g_build_filename (sites->pdata[i], cccl_wheel_dirs[w], NULL));
    }
  for (guint i = 0; i < roots->len; i++)
    {
      g_ptr_array_add (runtime_candidates, g_build_filename (roots->pdata[i], "include", NULL));
      /* CUDA 13 moved CCCL below include/cccl; CUDA 12 has it in include. */
      g_ptr_array_add (cccl_candidates, g_build_filename (roots->pdata[i], "include", "cccl", NULL));
      g_ptr_array_add (cccl_candidates, g_build_filename (roots->pdata[i], "include", NULL));
    }

  /* A wheel may ship cuda_runtime.h without the crt/ headers it includes
   * (PyTorch's nvidia-cuda-runtime does): such a directory is skipped. */
  for (guint i = 0; i < runtime_candidates->len && runtime == NULL; i++)
    if (has_file (runtime_candidates->pdata[i], "cuda_runtime.h")
        && has_file (runtime_candidates->pdata[i], "crt/host_defines.h"))
      runtime = runtime_candidates->pdata[i];
    else
      g_string_append_printf (tried, "%s%s", tried->len > 0 ? ", " : "",
                              (char *) runtime_candidates->pdata[i]);
  for (guint i = 0; i < cccl_candidates->len && cccl == NULL; i++)
    if (has_file (cccl_candidates->pdata[i], "cuda/std/version"))
      cccl = cccl_candidates->pdata[i];

  if (runtime == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
                   "CUDA headers (cuda_runtime.h with crt/host_defines.h) not found (set CUDA_PATH to the "
                   "toolkit); tried %s",
                   tried->str);
      return NULL;
    }
  out = g_ptr_array_new ();
  g_ptr_array_add (out, g_strdup (runtime));
  if (cccl != NULL && strcmp (cccl, runtime) != 0)
    g_ptr_array_add (out, g_strdup (cccl));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * cuda_obj_find_libdevice:
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds `libdevice.10.bc`, the bitcode of CUDA's math library that NVVM IR
 * programs link. The search is that of [func@CudaObj.find_include_dirs]:
 * the pip wheels (`nvidia/cu13/nvvm/libdevice`,
 * `nvidia/cuda_nvvm/nvvm/libdevice`, `nvidia/cuda_nvcc/nvvm/libdevice`),
 * then `nvvm/libdevice` below `$CONDA_PREFIX`, `$CUDA_PATH`, `$CUDA_HOME`
 * and `/usr/local/cuda`.
 *
 * Returns: (transfer full) (type filename): the path, or %NULL with @error
 *   set to %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND listing the places tried
 *
 * Since: 1.0
 */
char *
cuda_obj_find_libdevice (GError **error)
{
  static const char *const wheel_dirs[] = { "nvidia/cu13/nvvm/libdevice", "nvidia/cuda_nvvm/nvvm/libdevice",
                                            "nvidia/cuda_nvcc/nvvm/libdevice" };
  g_autoptr (GPtrArray) sites = current_site_directories ();
  g_autoptr (GPtrArray) roots = toolkit_root_list ();
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) tried = g_string_new (NULL);

  for (guint i = 0; i < sites->len; i++)
    for (guint w = 0; w < G_N_ELEMENTS (wheel_dirs); w++)
      g_ptr_array_add (candidates,
                       g_build_filename (sites->pdata[i], wheel_dirs[w], "libdevice.10.bc", NULL));
  for (guint i = 0; i < roots->len; i++)
    g_ptr_array_add (candidates,
                     g_build_filename (roots->pdata[i], "nvvm", "libdevice", "libdevice.10.bc", NULL));

  for (guint i = 0; i < candidates->len; i++)
    {
      if (g_file_test (candidates->pdata[i], G_FILE_TEST_IS_REGULAR))
        return g_strdup (candidates->pdata[i]);
      g_string_append_printf (tried, "%s%s", tried->len > 0 ? ", " : "", (char *) candidates->pdata[i]);
    }
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
               "libdevice.10.bc not found (set CUDA_PATH to the toolkit); tried %s", tried->str);
  return NULL;
}
