/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding and loading the CUDA driver and JIT libraries.
 *
 * Nothing here is linked at build time. Each library is searched for on first
 * use along the candidates of cudaobj-library.c (override variable, pip
 * wheels, conda, CUDA_PATH/CUDA_HOME, the system search, the default toolkit;
 * newest soname first), opened with GModule, and the entry points of those
 * libcudaobj calls resolved into a table. A failure becomes a GError that lists
 * every place tried; it is not cached, so a program may fix its environment
 * and try again. Success is published once and read lock-free afterwards. */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <gmodule.h>
#include <stdlib.h>
#include <string.h>

#include "cudaobj-loader.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-driver-versions.h"
#include "cudaobj-library-private.h"

typedef struct
{
  GMutex lock;
  gpointer table; /* published with g_atomic_pointer_set */
  GModule *module;
  char *path; /* where it was loaded from */
} LibraryState;

static LibraryState states[CUDA_OBJ_LIBRARY_N];

static gboolean
library_is_valid (CudaObjLibrary library)
{
  return (guint) library < CUDA_OBJ_LIBRARY_N;
}

/* Fills the library's table from @module; FALSE with @missing set to the
 * first entry point it lacks. */
typedef gboolean (*ResolveFunc) (GModule *module, gpointer table, const char **missing, GError **error);

static gboolean
resolve_driver (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjDriver *drv = table;
  __typeof__ (cuGetProcAddress) *get_proc_address = NULL;
  CUdriverProcAddressQueryResult status;

  /* cuGetProcAddress is the one symbol taken by name; it hands out every
   * other entry point at the version whose ABI is cuda.h's prototype (see
   * build-aux/gen-driver-versions.py: asking at CUDA_VERSION would give
   * cuCtxSynchronize_v2 for cuCtxSynchronize at 13.0). */
  if (!g_module_symbol (module, "cuGetProcAddress_v2", (gpointer *) &get_proc_address))
    {
      *missing = "cuGetProcAddress_v2";
      return FALSE;
    }

    /* A stub or broken driver answers with an error of its own: report it. */
#define CUDA_OBJ_DRIVER_RESOLVE(name)                                                                \
  {                                                                                                  \
    G_STATIC_ASSERT (CUDA_OBJ_DRIVER_VERSION_##name > 0);                                            \
    CUresult result = get_proc_address (#name, (void **) &drv->name, CUDA_OBJ_DRIVER_VERSION_##name, \
                                        CU_GET_PROC_ADDRESS_DEFAULT, &status);                       \
    if (result != CUDA_SUCCESS && result != CUDA_ERROR_NOT_FOUND)                                    \
      return cuda_obj_check (result, "cuGetProcAddress (" #name ")", error);                         \
    if (result != CUDA_SUCCESS || drv->name == NULL)                                                 \
      {                                                                                              \
        *missing = #name;                                                                            \
        return FALSE;                                                                                \
      }                                                                                              \
  }
  CUDA_OBJ_DRIVER_FUNCTIONS (CUDA_OBJ_DRIVER_RESOLVE)
#undef CUDA_OBJ_DRIVER_RESOLVE

  /* Optional ones stay NULL when the driver does not have them. */
#define CUDA_OBJ_DRIVER_RESOLVE_OPTIONAL(name)                                         \
  {                                                                                    \
    G_STATIC_ASSERT (CUDA_OBJ_DRIVER_VERSION_##name > 0);                              \
    if (get_proc_address (#name, (void **) &drv->name, CUDA_OBJ_DRIVER_VERSION_##name, \
                          CU_GET_PROC_ADDRESS_DEFAULT, &status)                        \
            != CUDA_SUCCESS                                                            \
        || status != CU_GET_PROC_ADDRESS_SUCCESS)                                      \
      drv->name = NULL;                                                                \
  }
  CUDA_OBJ_DRIVER_OPTIONAL_FUNCTIONS (CUDA_OBJ_DRIVER_RESOLVE_OPTIONAL)
#undef CUDA_OBJ_DRIVER_RESOLVE_OPTIONAL

  if (!cuda_obj_check (drv->cuDriverGetVersion (&drv->version), "cuDriverGetVersion", error))
    return FALSE;

  /* Entry points are typed by our headers' prototypes: a driver of an older
   * major CUDA version may hand out older ABIs under the same names. */
  if (drv->version / 1000 < CUDA_VERSION / 1000)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DRIVER_TOO_OLD,
                   "The CUDA driver supports CUDA %d.%d, but libcudaobj was built "
                   "for CUDA %d.%d: install a newer driver, or build libcudaobj "
                   "against an older CUDA toolkit",
                   drv->version / 1000, drv->version % 1000 / 10, CUDA_VERSION / 1000,
                   CUDA_VERSION % 1000 / 10);
      return FALSE;
    }
  return TRUE;
}

static gboolean
resolve_nvrtc (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNvrtc *nvrtc = table;
#define CUDA_OBJ_NVRTC_RESOLVE(name)                               \
  if (!g_module_symbol (module, #name, (gpointer *) &nvrtc->name)) \
    {                                                              \
      *missing = #name;                                            \
      return FALSE;                                                \
    }
  CUDA_OBJ_NVRTC_FUNCTIONS (CUDA_OBJ_NVRTC_RESOLVE)
#undef CUDA_OBJ_NVRTC_RESOLVE
  if (nvrtc->nvrtcVersion (&nvrtc->major, &nvrtc->minor) != NVRTC_SUCCESS)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "nvrtcVersion failed");
      return FALSE;
    }
  return TRUE;
}

static gboolean
resolve_nvjitlink (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNvJitLink *link = table;
  unsigned int major = 0, minor = 0;
  /* The versioned symbol nvJitLink.h binds each name to, e.g. __nvJitLinkCreate_13_0. */
#define CUDA_OBJ_NVJITLINK_RESOLVE(name, symbol)                                         \
  {                                                                                      \
    g_autofree char *versioned = g_strdup_printf (#symbol "_%d_0", CUDA_VERSION / 1000); \
    if (!g_module_symbol (module, versioned, (gpointer *) &link->name))                  \
      {                                                                                  \
        *missing = g_intern_string (versioned);                                          \
        return FALSE;                                                                    \
      }                                                                                  \
  }
  CUDA_OBJ_NVJITLINK_FUNCTIONS (CUDA_OBJ_NVJITLINK_RESOLVE)
#undef CUDA_OBJ_NVJITLINK_RESOLVE
  if (!g_module_symbol (module, "nvJitLinkVersion", (gpointer *) &link->nvJitLinkVersion))
    {
      *missing = "nvJitLinkVersion";
      return FALSE;
    }
  if (link->nvJitLinkVersion (&major, &minor) != NVJITLINK_SUCCESS)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "nvJitLinkVersion failed");
      return FALSE;
    }
  link->major = (int) major;
  link->minor = (int) minor;
  return TRUE;
}

static gboolean
resolve_nvvm (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNvvm *nvvm = table;
#define CUDA_OBJ_NVVM_RESOLVE(name)                               \
  if (!g_module_symbol (module, #name, (gpointer *) &nvvm->name)) \
    {                                                             \
      *missing = #name;                                           \
      return FALSE;                                               \
    }
  CUDA_OBJ_NVVM_FUNCTIONS (CUDA_OBJ_NVVM_RESOLVE)
#undef CUDA_OBJ_NVVM_RESOLVE
  if (nvvm->nvvmVersion (&nvvm->major, &nvvm->minor) != NVVM_SUCCESS)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "nvvmVersion failed");
      return FALSE;
    }
  return TRUE;
}

#if CUDA_OBJ_HAVE_NVFATBIN
static gboolean
resolve_nvfatbin (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNvFatbin *fatbin = table;
  unsigned int major = 0, minor = 0;
#define CUDA_OBJ_NVFATBIN_RESOLVE(name)                             \
  if (!g_module_symbol (module, #name, (gpointer *) &fatbin->name)) \
    {                                                               \
      *missing = #name;                                             \
      return FALSE;                                                 \
    }
  CUDA_OBJ_NVFATBIN_FUNCTIONS (CUDA_OBJ_NVFATBIN_RESOLVE)
#undef CUDA_OBJ_NVFATBIN_RESOLVE
  if (fatbin->nvFatbinVersion (&major, &minor) != NVFATBIN_SUCCESS)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "nvFatbinVersion failed");
      return FALSE;
    }
  fatbin->major = (int) major;
  fatbin->minor = (int) minor;
  return TRUE;
}
#endif

static gboolean
resolve_nccl (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNccl *nccl = table;
#define CUDA_OBJ_NCCL_RESOLVE(name)                               \
  if (!g_module_symbol (module, #name, (gpointer *) &nccl->name)) \
    {                                                             \
      *missing = #name;                                           \
      return FALSE;                                               \
    }
  CUDA_OBJ_NCCL_FUNCTIONS (CUDA_OBJ_NCCL_RESOLVE)
#undef CUDA_OBJ_NCCL_RESOLVE
#define CUDA_OBJ_NCCL_RESOLVE_OPTIONAL(name)                      \
  if (!g_module_symbol (module, #name, (gpointer *) &nccl->name)) \
    nccl->name = NULL;
  CUDA_OBJ_NCCL_OPTIONAL_FUNCTIONS (CUDA_OBJ_NCCL_RESOLVE_OPTIONAL)
#undef CUDA_OBJ_NCCL_RESOLVE_OPTIONAL
  if (nccl->ncclGetVersion (&nccl->version) != ncclSuccess)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "ncclGetVersion failed");
      return FALSE;
    }
  return TRUE;
}

#if CUDA_OBJ_HAVE_NVML
static gboolean
resolve_nvml (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjNvml *nvml = table;
#define CUDA_OBJ_NVML_RESOLVE(name)                               \
  if (!g_module_symbol (module, #name, (gpointer *) &nvml->name)) \
    {                                                             \
      *missing = #name;                                           \
      return FALSE;                                               \
    }
  CUDA_OBJ_NVML_FUNCTIONS (CUDA_OBJ_NVML_RESOLVE)
#undef CUDA_OBJ_NVML_RESOLVE
#define CUDA_OBJ_NVML_RESOLVE_OPTIONAL(name)                      \
  if (!g_module_symbol (module, #name, (gpointer *) &nvml->name)) \
    nvml->name = NULL;
  CUDA_OBJ_NVML_OPTIONAL_FUNCTIONS (CUDA_OBJ_NVML_RESOLVE_OPTIONAL)
#undef CUDA_OBJ_NVML_RESOLVE_OPTIONAL
  return TRUE;
}
#endif

#if CUDA_OBJ_HAVE_CUFILE
static gboolean
resolve_cufile (GModule *module, gpointer table, const char **missing, GError **error)
{
  CudaObjCuFile *cufile = table;
  CUfileError_t status;
#define CUDA_OBJ_CUFILE_RESOLVE(name)                               \
  if (!g_module_symbol (module, #name, (gpointer *) &cufile->name)) \
    {                                                               \
      *missing = #name;                                             \
      return FALSE;                                                 \
    }
  CUDA_OBJ_CUFILE_FUNCTIONS (CUDA_OBJ_CUFILE_RESOLVE)
#undef CUDA_OBJ_CUFILE_RESOLVE
#define CUDA_OBJ_CUFILE_RESOLVE_OPTIONAL(name)                      \
  if (!g_module_symbol (module, #name, (gpointer *) &cufile->name)) \
    cufile->name = NULL;
  CUDA_OBJ_CUFILE_OPTIONAL_FUNCTIONS (CUDA_OBJ_CUFILE_RESOLVE_OPTIONAL)
#undef CUDA_OBJ_CUFILE_RESOLVE_OPTIONAL
  status = cufile->cuFileGetVersion (&cufile->version);
  if (status.err != CU_FILE_SUCCESS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED, "cuFileGetVersion failed: %s",
                   cufileop_status_error (status.err));
      return FALSE;
    }
  return TRUE;
}
#endif

/* Libraries without a table of their own are loaded for applications: the
 * "table" is then a one-byte marker, so that loaded means non-NULL. */
static const struct
{
  ResolveFunc resolve;
  gsize table_size;
} resolvers[CUDA_OBJ_LIBRARY_N] = {
  [CUDA_OBJ_LIBRARY_DRIVER] = { resolve_driver, sizeof (CudaObjDriver) },
  [CUDA_OBJ_LIBRARY_NVRTC] = { resolve_nvrtc, sizeof (CudaObjNvrtc) },
  [CUDA_OBJ_LIBRARY_NVJITLINK] = { resolve_nvjitlink, sizeof (CudaObjNvJitLink) },
  [CUDA_OBJ_LIBRARY_NVVM] = { resolve_nvvm, sizeof (CudaObjNvvm) },
#if CUDA_OBJ_HAVE_NVFATBIN
  [CUDA_OBJ_LIBRARY_NVFATBIN] = { resolve_nvfatbin, sizeof (CudaObjNvFatbin) },
#endif
  [CUDA_OBJ_LIBRARY_NCCL] = { resolve_nccl, sizeof (CudaObjNccl) },
#if CUDA_OBJ_HAVE_NVML
  [CUDA_OBJ_LIBRARY_NVML] = { resolve_nvml, sizeof (CudaObjNvml) },
#endif
#if CUDA_OBJ_HAVE_CUFILE
  [CUDA_OBJ_LIBRARY_CUFILE] = { resolve_cufile, sizeof (CudaObjCuFile) },
#endif
};

/* The file the dynamic linker chose for @name, which may be a bare soname. */
static char *
loaded_file (const char *name)
{
  void *handle = dlopen (name, RTLD_LAZY | RTLD_NOLOAD);
  struct link_map *map = NULL;
  char *path = NULL;

  if (handle == NULL)
    return g_strdup (name);
  if (dlinfo (handle, RTLD_DI_LINKMAP, &map) == 0 && map != NULL && map->l_name != NULL
      && *map->l_name != '\0')
    path = g_strdup (map->l_name);
  dlclose (handle);
  return path != NULL ? path : g_strdup (name);
}

static gpointer
load_slow (CudaObjLibrary library, GError **error)
{
  const char *display_name = cuda_obj_library_display_name (library);
  LibraryState *state = &states[library];
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&state->lock);
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GString) tried = NULL;
  guint n_lacking = 0;

  if (state->table != NULL)
    return state->table;

  candidates = cuda_obj_library_candidates (library);
  tried = g_string_new (NULL);
  for (guint i = 0; i < candidates->len; i++)
    {
      const CudaObjLibraryCandidate *candidate_info = candidates->pdata[i];
      const char *candidate = candidate_info->path;
      g_autofree gpointer table = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autofree char *mismatch = NULL;
      const char *missing = NULL;
      GModule *module;

      if (g_path_is_absolute (candidate) && !g_file_test (candidate, G_FILE_TEST_EXISTS))
        {
          g_string_append_printf (tried, "%s%s: no such file", tried->len ? "; " : "", candidate);
          continue;
        }
      if (library != CUDA_OBJ_LIBRARY_DRIVER
          && (mismatch = cuda_obj_library_candidate_mismatch (candidate_info)) != NULL)
        {
          g_string_append_printf (tried, "%s%s: %s", tried->len ? "; " : "", candidate, mismatch);
          continue;
        }
      module = g_module_open (candidate, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          const char *why = g_module_error ();
          /* dlerror() starts with the name we already print. */
          if (g_str_has_prefix (why, candidate) && why[strlen (candidate)] == ':')
            why += strlen (candidate) + 2;
          g_string_append_printf (tried, "%s%s: %s", tried->len ? "; " : "", candidate, why);
          continue;
        }

      table = g_malloc0 (resolvers[library].resolve != NULL ? resolvers[library].table_size : 1);
      if (resolvers[library].resolve != NULL
          && !resolvers[library].resolve (module, table, &missing, &local_error))
        {
          g_module_close (module);
          if (local_error != NULL)
            {
              /* The library is there but unusable (a too-old driver): that is the answer. */
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s (%s): ", display_name,
                                          candidate);
              return NULL;
            }
          g_string_append_printf (tried, "%s%s: lacks the entry point %s", tried->len ? "; " : "", candidate,
                                  missing);
          n_lacking++;
          continue;
        }

      g_module_make_resident (module);
      state->module = module;
      /* Record the file the dynamic linker actually chose for a bare soname. */
      state->path = loaded_file (candidate);
      g_atomic_pointer_set (&state->table, g_steal_pointer (&table));
      return state->table;
    }

  if (n_lacking > 0)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND,
                 "%s lacks entry points libcudaobj needs; tried %s", display_name, tried->str);
  else
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
                 "%s not found (set %s to its path%s); tried %s", display_name,
                 cuda_obj_library_get_override_variable (library),
                 cuda_obj_library_is_system_only (library) ? "" : ", or CUDA_PATH to the toolkit",
                 tried->str);
  return NULL;
}

static inline gpointer
load (CudaObjLibrary library, GError **error)
{
  gpointer table = g_atomic_pointer_get (&states[library].table);
  if (G_LIKELY (table != NULL))
    return table;
  return load_slow (library, error);
}

const CudaObjDriver *
cuda_obj_driver_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_DRIVER, error);
}

const CudaObjDriver *
cuda_obj_driver_peek (void)
{
  return g_atomic_pointer_get (&states[CUDA_OBJ_LIBRARY_DRIVER].table);
}

const CudaObjNvrtc *
cuda_obj_nvrtc_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NVRTC, error);
}

const CudaObjNvJitLink *
cuda_obj_nvjitlink_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NVJITLINK, error);
}

const CudaObjNvvm *
cuda_obj_nvvm_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NVVM, error);
}

const CudaObjNccl *
cuda_obj_nccl_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NCCL, error);
}

#if CUDA_OBJ_HAVE_NVML
const CudaObjNvml *
cuda_obj_nvml_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NVML, error);
}
#endif

#if CUDA_OBJ_HAVE_CUFILE
const CudaObjCuFile *
cuda_obj_cufile_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_CUFILE, error);
}
#endif

#if CUDA_OBJ_HAVE_NVFATBIN
const CudaObjNvFatbin *
cuda_obj_nvfatbin_get (GError **error)
{
  return load (CUDA_OBJ_LIBRARY_NVFATBIN, error);
}
#endif

/**
 * cuda_obj_library_load:
 * @library: which library
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds and opens @library now rather than on first use, trying the places
 * of [func@CudaObj.Library.find] in order until one opens. The library
 * stays loaded for the life of the process; libraries libcudaobj does not
 * call itself (cuBLAS, cuFFT, ...) are loaded with their symbols local, for
 * the application's own `dlopen` of the same file to share.
 *
 * Returns: %TRUE when the library is loaded; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND listing every place tried,
 *   %CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND, or %CUDA_OBJ_ERROR_DRIVER_TOO_OLD)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_library_load (CudaObjLibrary library, GError **error)
{
  if (!library_is_valid (library))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%d is not a CudaObjLibrary",
                   library);
      return FALSE;
    }
  return load (library, error) != NULL;
}

/**
 * cuda_obj_library_is_loaded:
 * @library: which library
 *
 * Tells whether @library has been loaded; never tries to load it.
 *
 * Returns: %TRUE when it is loaded
 *
 * Since: 1.0
 */
gboolean
cuda_obj_library_is_loaded (CudaObjLibrary library)
{
  if (!library_is_valid (library))
    return FALSE;
  return g_atomic_pointer_get (&states[library].table) != NULL;
}

/**
 * cuda_obj_library_get_path:
 * @library: which library
 *
 * Gives the file @library was loaded from; never tries to load it.
 *
 * Returns: (transfer full) (nullable) (type filename): the path, or %NULL
 *   when the library is not loaded
 *
 * Since: 1.0
 */
char *
cuda_obj_library_get_path (CudaObjLibrary library)
{
  if (!cuda_obj_library_is_loaded (library))
    return NULL;
  return g_strdup (states[library].path);
}

/**
 * cuda_obj_library_get_version:
 * @library: which library
 * @error: return location for a [struct@GLib.Error]
 *
 * Loads @library if needed and gives its version: the CUDA version the
 * driver supports for the driver (`"13.0"`), the version the library reports
 * for NVRTC, nvJitLink and libNVVM (and `"2.28.9"` for NCCL), and otherwise the version in the name of
 * the file the soname leads to (`"13.1.0.3"` for `libcublas.so.13.1.0.3`).
 *
 * Returns: (transfer full) (nullable): the version; %NULL with @error set
 *   when the library cannot be loaded, or %NULL alone when it is loaded but
 *   its file name carries no version
 *
 * Since: 1.0
 */
char *
cuda_obj_library_get_version (CudaObjLibrary library, GError **error)
{
  g_autofree char *real = NULL;
  const char *so;

  if (!cuda_obj_library_load (library, error))
    return NULL;
  switch (library)
    {
    case CUDA_OBJ_LIBRARY_DRIVER:
      {
        const CudaObjDriver *drv = cuda_obj_driver_get (NULL);
        return g_strdup_printf ("%d.%d", drv->version / 1000, drv->version % 1000 / 10);
      }
    case CUDA_OBJ_LIBRARY_NVRTC:
      return g_strdup_printf ("%d.%d", cuda_obj_nvrtc_get (NULL)->major, cuda_obj_nvrtc_get (NULL)->minor);
    case CUDA_OBJ_LIBRARY_NVJITLINK:
      return g_strdup_printf ("%d.%d", cuda_obj_nvjitlink_get (NULL)->major,
                              cuda_obj_nvjitlink_get (NULL)->minor);
    case CUDA_OBJ_LIBRARY_NVVM:
      return g_strdup_printf ("%d.%d", cuda_obj_nvvm_get (NULL)->major, cuda_obj_nvvm_get (NULL)->minor);
#if CUDA_OBJ_HAVE_NVFATBIN
    case CUDA_OBJ_LIBRARY_NVFATBIN:
      return g_strdup_printf ("%d.%d", cuda_obj_nvfatbin_get (NULL)->major,
                              cuda_obj_nvfatbin_get (NULL)->minor);
#endif
    case CUDA_OBJ_LIBRARY_NCCL:
      {
        /* NCCL_VERSION(X, Y, Z) is X * 10000 + Y * 100 + Z from NCCL 2.9 on. */
        int code = cuda_obj_nccl_get (NULL)->version;
        return g_strdup_printf ("%d.%d.%d", code / 10000, code / 100 % 100, code % 100);
      }
    default: break;
    }
  real = realpath (states[library].path, NULL);
  so = real != NULL ? strstr (real, ".so.") : NULL;
  return so != NULL ? g_strdup (so + strlen (".so.")) : NULL;
}

/**
 * cuda_obj_get_driver_version:
 * @major: (out) (optional): the CUDA major version the driver supports
 * @minor: (out) (optional): the CUDA minor version the driver supports
 * @error: return location for a [struct@GLib.Error]
 *
 * Loads the driver if needed and gives the CUDA version it supports (13.0
 * for a driver of the 580 series).
 *
 * Returns: %TRUE on success; %FALSE with @error set when there is no usable driver
 *
 * Since: 1.0
 */
gboolean
cuda_obj_get_driver_version (int *major, int *minor, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_get (error);

  if (drv == NULL)
    return FALSE;
  if (major != NULL)
    *major = drv->version / 1000;
  if (minor != NULL)
    *minor = drv->version % 1000 / 10;
  return TRUE;
}

/**
 * cuda_obj_get_nvrtc_version:
 * @major: (out) (optional): NVRTC's major version
 * @minor: (out) (optional): NVRTC's minor version
 * @error: return location for a [struct@GLib.Error]
 *
 * Loads NVRTC if needed and gives its version.
 *
 * Returns: %TRUE on success; %FALSE with @error set when NVRTC cannot be loaded
 *
 * Since: 1.0
 */
gboolean
cuda_obj_get_nvrtc_version (int *major, int *minor, GError **error)
{
  const CudaObjNvrtc *nvrtc = cuda_obj_nvrtc_get (error);

  if (nvrtc == NULL)
    return FALSE;
  if (major != NULL)
    *major = nvrtc->major;
  if (minor != NULL)
    *minor = nvrtc->minor;
  return TRUE;
}

/**
 * cuda_obj_get_header_version:
 *
 * Gives the `CUDA_VERSION` of the toolkit headers libcudaobj was built
 * against, such as 13000 for CUDA 13.0. The driver must support at least
 * this major version.
 *
 * Returns: the version, 1000 × major + 10 × minor
 *
 * Since: 1.0
 */
int
cuda_obj_get_header_version (void)
{
  return CUDA_VERSION;
}

/**
 * cuda_obj_get_loader_report:
 *
 * Describes, one line per library, what was loaded and from where, or why
 * not, trying to load each library that is not loaded yet. Meant for
 * diagnostics and bug reports.
 *
 * Returns: (transfer full): the report
 *
 * Since: 1.0
 */
char *
cuda_obj_get_loader_report (void)
{
  GString *report = g_string_new (NULL);

  g_string_append_printf (report, "libcudaobj %s, built against CUDA %d.%d headers\n", CUDA_OBJ_VERSION_S,
                          CUDA_VERSION / 1000, CUDA_VERSION % 1000 / 10);
  /* The libraries libcudaobj itself uses; cudaobj-pathfinder lists them all. */
  for (CudaObjLibrary i = CUDA_OBJ_LIBRARY_DRIVER; i <= CUDA_OBJ_LIBRARY_NVFATBIN; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *version = NULL;

      if (!cuda_obj_library_load (i, &error))
        {
          g_string_append_printf (report, "%-10s not loaded: %s\n", cuda_obj_library_display_name (i),
                                  error->message);
          continue;
        }
      path = cuda_obj_library_get_path (i);
      version = cuda_obj_library_get_version (i, NULL);
      g_string_append_printf (report, "%-10s %s from %s\n", cuda_obj_library_display_name (i),
                              version != NULL ? version : "(unknown version)", path);
    }
  return g_string_free (report, FALSE);
}

/**
 * cuda_obj_driver_get_proc:
 * @name: a driver entry point's name without version suffix, such as
 *   "cuMemGetInfo"
 * @cuda_version: the CUDA version whose ABI of @name the caller expects,
 *   1000 × major + 10 × minor: the `N` of the `PFN_<name>_vN` typedef in
 *   `cudaTypedefs.h` that the caller casts the address to
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the address of any CUDA driver entry point, through the same
 * loader and `cuGetProcAddress` libcudaobj resolves its own calls with, so
 * C code calls the driver that libcudaobj loaded without linking libcuda:
 *
 * ```c
 * PFN_cuMemGetInfo_v3020 mem_get_info =
 *   (PFN_cuMemGetInfo_v3020) (guintptr) cuda_obj_driver_get_proc ("cuMemGetInfo", 3020, &error);
 * ```
 *
 * This is libcudaobj's answer to cuda.bindings' raw driver API: the
 * bindings expose objects, not the driver's thousands of functions, and
 * every object gives its handle (a `CUstream`, `CUcontext`, device address
 * ...) for such calls. Driver calls that need a context need one current:
 * see [method@CudaObj.Context.make_current] and
 * [method@CudaObj.Device.make_current]. The address is an integer so that
 * bindings can hand it to a foreign-function interface (Python's ctypes).
 *
 * Returns: the entry point's address, or 0 with @error set
 *   (%CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND when the driver has no such entry
 *   point, or has it only from a newer CUDA version than @cuda_version;
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for an empty @name or a @cuda_version
 *   under 2000)
 *
 * Since: 1.0
 */
guint64
cuda_obj_driver_get_proc (const char *name, int cuda_version, GError **error)
{
  const CudaObjDriver *drv;
  CUdriverProcAddressQueryResult status = CU_GET_PROC_ADDRESS_SUCCESS;
  void *address = NULL;
  CUresult result;

  if (name == NULL || *name == '\0' || cuda_version < 2000)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "cuda_obj_driver_get_proc: give an entry point's name and the CUDA version of its "
                   "ABI (such as 12000 for 12.0), not \"%s\" and %d",
                   name != NULL ? name : "(null)", cuda_version);
      return 0;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL)
    return 0;
  result = drv->cuGetProcAddress (name, &address, cuda_version, CU_GET_PROC_ADDRESS_DEFAULT, &status);
  if (status == CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND,
                   "%s came with a newer CUDA version than the %d.%d asked for", name, cuda_version / 1000,
                   cuda_version % 1000 / 10);
      return 0;
    }
  if (result == CUDA_ERROR_NOT_FOUND || status == CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND
      || (result == CUDA_SUCCESS && address == NULL))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND,
                   "The CUDA driver (CUDA %d.%d) has no entry point %s for CUDA %d.%d", drv->version / 1000,
                   drv->version % 1000 / 10, name, cuda_version / 1000, cuda_version % 1000 / 10);
      return 0;
    }
  if (!cuda_obj_check (result, "cuGetProcAddress", error))
    return 0;
  return (guint64) (guintptr) address;
}
