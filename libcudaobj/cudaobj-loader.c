/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding and loading the CUDA driver and JIT libraries.
 *
 * Nothing here is linked at build time. Each library is searched for on first
 * use (an override variable, CUDA_PATH/CUDA_HOME, the system search, the
 * default toolkit prefix; newest soname first), opened with GModule, and its
 * entry points resolved into a table. A failure becomes a GError that lists
 * every place tried; it is not cached, so a program may fix its environment
 * and try again. Success is published once and read lock-free afterwards. */
#include "config.h"

#include <dlfcn.h>
#include <gmodule.h>
#include <string.h>

#include "cudaobj-loader.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-driver-versions.h"

#define CUDA_OBJ_DEFAULT_TOOLKIT "/usr/local/cuda"

typedef struct
{
  const char *display_name;
  const char *override_variable;
  const char *const *sonames;  /* newest first */
  const char *const *subdirs;  /* below a toolkit root */
  gboolean system_search_only; /* the driver lives outside the toolkit */
} LibrarySpec;

typedef struct
{
  GMutex lock;
  gpointer table; /* published with g_atomic_pointer_set */
  GModule *module;
  char *path; /* where it was loaded from */
} LibraryState;

static const char *const driver_sonames[] = { "libcuda.so.1", NULL };
static const char *const nvrtc_sonames[] = { "libnvrtc.so.13", "libnvrtc.so.12", NULL };
static const char *const nvjitlink_sonames[] = { "libnvJitLink.so.13", "libnvJitLink.so.12", NULL };
static const char *const nvvm_sonames[] = { "libnvvm.so.4", "libnvvm.so.3", NULL };
static const char *const toolkit_subdirs[] = { "lib64", "lib", "targets/x86_64-linux/lib", NULL };
static const char *const nvvm_subdirs[] = { "nvvm/lib64", "lib64", "lib", NULL };

static const LibrarySpec specs[] = {
  [CUDA_OBJ_LIBRARY_DRIVER] = { "CUDA driver", "CUDA_OBJ_DRIVER_LIBRARY", driver_sonames, NULL, TRUE },
  [CUDA_OBJ_LIBRARY_NVRTC] = { "NVRTC", "CUDA_OBJ_NVRTC_LIBRARY", nvrtc_sonames, toolkit_subdirs, FALSE },
  [CUDA_OBJ_LIBRARY_NVJITLINK]
  = { "nvJitLink", "CUDA_OBJ_NVJITLINK_LIBRARY", nvjitlink_sonames, toolkit_subdirs, FALSE },
  [CUDA_OBJ_LIBRARY_NVVM] = { "libNVVM", "CUDA_OBJ_NVVM_LIBRARY", nvvm_sonames, nvvm_subdirs, FALSE },
};

static LibraryState states[G_N_ELEMENTS (specs)];

static gboolean
library_is_valid (CudaObjLibrary library)
{
  return (guint) library < G_N_ELEMENTS (specs);
}

static void
add_toolkit_candidates (GPtrArray *out, const LibrarySpec *spec, const char *root)
{
  for (const char *const *dir = spec->subdirs; *dir != NULL; dir++)
    for (const char *const *name = spec->sonames; *name != NULL; name++)
      g_ptr_array_add (out, g_build_filename (root, *dir, *name, NULL));
}

/* Candidates in search order: absolute paths, or bare sonames for the
 * dynamic linker's own search. */
static GPtrArray *
search_candidates (CudaObjLibrary library)
{
  const LibrarySpec *spec = &specs[library];
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *override = g_getenv (spec->override_variable);

  if (override != NULL && *override != '\0')
    {
      /* An explicit choice is final: falling back would hide its mistake. */
      g_ptr_array_add (out, g_strdup (override));
      return out;
    }

  if (!spec->system_search_only)
    {
      const char *roots[] = { g_getenv ("CUDA_PATH"), g_getenv ("CUDA_HOME") };
      for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
        if (roots[i] != NULL && *roots[i] != '\0' && (i == 0 || g_strcmp0 (roots[0], roots[1]) != 0))
          add_toolkit_candidates (out, spec, roots[i]);
    }

  for (const char *const *name = spec->sonames; *name != NULL; name++)
    g_ptr_array_add (out, g_strdup (*name));

  if (!spec->system_search_only)
    add_toolkit_candidates (out, spec, CUDA_OBJ_DEFAULT_TOOLKIT);

  return out;
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

static const struct
{
  ResolveFunc resolve;
  gsize table_size;
} resolvers[] = {
  [CUDA_OBJ_LIBRARY_DRIVER] = { resolve_driver, sizeof (CudaObjDriver) },
  [CUDA_OBJ_LIBRARY_NVRTC] = { resolve_nvrtc, sizeof (CudaObjNvrtc) },
  [CUDA_OBJ_LIBRARY_NVJITLINK] = { resolve_nvjitlink, sizeof (CudaObjNvJitLink) },
  [CUDA_OBJ_LIBRARY_NVVM] = { resolve_nvvm, sizeof (CudaObjNvvm) },
};

static gpointer
load_slow (CudaObjLibrary library, GError **error)
{
  const LibrarySpec *spec = &specs[library];
  LibraryState *state = &states[library];
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&state->lock);
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GString) tried = NULL;

  if (state->table != NULL)
    return state->table;

  candidates = search_candidates (library);
  tried = g_string_new (NULL);
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *candidate = candidates->pdata[i];
      g_autofree gpointer table = NULL;
      g_autoptr (GError) local_error = NULL;
      const char *missing = NULL;
      GModule *module;

      if (g_path_is_absolute (candidate) && !g_file_test (candidate, G_FILE_TEST_EXISTS))
        {
          g_string_append_printf (tried, "%s%s: no such file", tried->len ? "; " : "", candidate);
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

      table = g_malloc0 (resolvers[library].table_size);
      if (!resolvers[library].resolve (module, table, &missing, &local_error))
        {
          g_module_close (module);
          if (local_error != NULL)
            {
              /* The library is there but unusable (a too-old driver): that is the answer. */
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          "%s (%s): ", spec->display_name, candidate);
              return NULL;
            }
          g_string_append_printf (tried, "%s%s: lacks the entry point %s", tried->len ? "; " : "", candidate,
                                  missing);
          if (i + 1 == candidates->len)
            {
              g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND,
                           "%s lacks entry points libcudaobj needs; tried %s", spec->display_name,
                           tried->str);
              return NULL;
            }
          continue;
        }

      g_module_make_resident (module);
      state->module = module;
      {
        /* Record the file the dynamic linker actually chose for a bare soname. */
        gpointer any_symbol = NULL;
        Dl_info info;
        g_module_symbol (module,
                         library == CUDA_OBJ_LIBRARY_DRIVER      ? "cuGetProcAddress_v2"
                         : library == CUDA_OBJ_LIBRARY_NVRTC     ? "nvrtcVersion"
                         : library == CUDA_OBJ_LIBRARY_NVJITLINK ? "nvJitLinkVersion"
                                                                 : "nvvmVersion",
                         &any_symbol);
        if (any_symbol != NULL && dladdr (any_symbol, &info) != 0 && info.dli_fname != NULL)
          state->path = g_strdup (info.dli_fname);
        else
          state->path = g_strdup (candidate);
      }
      g_atomic_pointer_set (&state->table, g_steal_pointer (&table));
      return state->table;
    }

  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
               "%s not found (set %s to its path%s); tried %s", spec->display_name, spec->override_variable,
               spec->system_search_only ? "" : ", or CUDA_PATH to the toolkit", tried->str);
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

/**
 * cuda_obj_library_load:
 * @library: which library
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds and opens @library now rather than on first use. The search order
 * is: the override variable (see [func@CudaObj.Library.get_override_variable]),
 * which when set is the only place tried; then `$CUDA_PATH` and `$CUDA_HOME`;
 * then the dynamic linker's search (`LD_LIBRARY_PATH`, the ld.so cache); then
 * `/usr/local/cuda`. Newer sonames are tried before older ones. The driver is
 * only taken from its override or the dynamic linker's search.
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
  g_return_val_if_fail (library_is_valid (library), FALSE);
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
  g_return_val_if_fail (library_is_valid (library), FALSE);
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
  g_return_val_if_fail (library_is_valid (library), NULL);
  if (!cuda_obj_library_is_loaded (library))
    return NULL;
  return g_strdup (states[library].path);
}

/**
 * cuda_obj_library_get_override_variable:
 * @library: which library
 *
 * Names the environment variable that, when set to a file's path, makes
 * libcudaobj load @library from that file and nowhere else, such as
 * `CUDA_OBJ_NVRTC_LIBRARY`.
 *
 * Returns: the variable's name
 *
 * Since: 1.0
 */
const char *
cuda_obj_library_get_override_variable (CudaObjLibrary library)
{
  g_return_val_if_fail (library_is_valid (library), NULL);
  return specs[library].override_variable;
}

/**
 * cuda_obj_library_get_search_paths:
 * @library: which library
 *
 * Lists the places libcudaobj would try, in order, to load @library with the
 * current environment. Bare sonames stand for the dynamic linker's search.
 *
 * Returns: (transfer full) (array zero-terminated=1): the candidates
 *
 * Since: 1.0
 */
char **
cuda_obj_library_get_search_paths (CudaObjLibrary library)
{
  GPtrArray *candidates;

  g_return_val_if_fail (library_is_valid (library), NULL);
  candidates = search_candidates (library);
  g_ptr_array_set_free_func (candidates, NULL);
  g_ptr_array_add (candidates, NULL);
  return (char **) g_ptr_array_free (candidates, FALSE);
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
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;
      int major = 0, minor = 0;

      if (!cuda_obj_library_load (i, &error))
        {
          g_string_append_printf (report, "%-10s not loaded: %s\n", specs[i].display_name, error->message);
          continue;
        }
      path = cuda_obj_library_get_path (i);
      switch ((CudaObjLibrary) i)
        {
        case CUDA_OBJ_LIBRARY_DRIVER: cuda_obj_get_driver_version (&major, &minor, NULL); break;
        case CUDA_OBJ_LIBRARY_NVRTC: cuda_obj_get_nvrtc_version (&major, &minor, NULL); break;
        case CUDA_OBJ_LIBRARY_NVJITLINK:
          major = cuda_obj_nvjitlink_get (NULL)->major;
          minor = cuda_obj_nvjitlink_get (NULL)->minor;
          break;
        case CUDA_OBJ_LIBRARY_NVVM:
          major = cuda_obj_nvvm_get (NULL)->major;
          minor = cuda_obj_nvvm_get (NULL)->minor;
          break;
        }
      g_string_append_printf (report, "%-10s %d.%d from %s\n", specs[i].display_name, major, minor, path);
    }
  return g_string_free (report, FALSE);
}
