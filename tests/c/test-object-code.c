/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ObjectCode: constructors and their checks, files, lowered names, and
 * loading into the driver (on a GPU). */
#include <string.h>
#include <glib/gstdio.h>

#include "cudaobj-device-private.h"
#include "cudaobj-object-code-private.h"
#include "cudaobj-test-util.h"

static const char *kernels = "template <typename T> __global__ void fill(T *x, T v) { x[threadIdx.x] = v; }\n"
                             "extern \"C\" __global__ void twice(float *x) { x[threadIdx.x] *= 2.0f; }\n";

static CudaObjObjectCode *
compile (CudaObjCodeType target, const char *const *names)
{
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjObjectCode *code;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "name", "kernels.cu", NULL);
  program = cuda_obj_program_new (kernels, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cuda_obj_program_set_use_cache (program, FALSE);
  code = cuda_obj_program_compile (program, target, names, &error);
  g_assert_no_error (error);
  return code;
}

/* Bytes of each kind: compiled, or the smallest with the right magic. */
static GBytes *
bytes_of (CudaObjCodeType type)
{
  static const guchar fatbin[16] = { 0x50, 0xed, 0x55, 0xba, 1, 0, 16, 0 };
  /* An ELF header and one (null) section header. */
  static const guchar host_object[128]
      = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, [16] = 1, [18] = 62, [40] = 64, [52] = 64, [58] = 64, [60] = 1 };
  static const char library[] = "!<arch>\n/               0           0     0     0       4         `\n";

  switch (type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN:
    case CUDA_OBJ_CODE_TYPE_PTX:
    case CUDA_OBJ_CODE_TYPE_LTOIR:
      {
        g_autoptr (CudaObjObjectCode) code = compile (type, NULL);
        return g_bytes_ref (cuda_obj_object_code_get_code (code));
      }
    case CUDA_OBJ_CODE_TYPE_FATBIN: return g_bytes_new_static (fatbin, sizeof fatbin);
    case CUDA_OBJ_CODE_TYPE_OBJECT: return g_bytes_new_static (host_object, sizeof host_object);
    case CUDA_OBJ_CODE_TYPE_LIBRARY: return g_bytes_new_static (library, sizeof library - 1);
    default: g_assert_not_reached ();
    }
}

typedef CudaObjObjectCode *(*Constructor) (GBytes *code, GError **error);

static const struct
{
  CudaObjCodeType type;
  Constructor constructor;
  const char *suffix;
} kinds[] = {
  { CUDA_OBJ_CODE_TYPE_CUBIN, cuda_obj_object_code_new_from_cubin, ".cubin" },
  { CUDA_OBJ_CODE_TYPE_PTX, cuda_obj_object_code_new_from_ptx, ".ptx" },
  { CUDA_OBJ_CODE_TYPE_LTOIR, cuda_obj_object_code_new_from_ltoir, ".ltoir" },
  { CUDA_OBJ_CODE_TYPE_FATBIN, cuda_obj_object_code_new_from_fatbin, ".fatbin" },
  { CUDA_OBJ_CODE_TYPE_OBJECT, cuda_obj_object_code_new_from_object, ".o" },
  { CUDA_OBJ_CODE_TYPE_LIBRARY, cuda_obj_object_code_new_from_library, ".a" },
};

static void
test_constructors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GBytes) bytes = bytes_of (kinds[i].type);
      g_autoptr (GError) error = NULL;
      g_autoptr (CudaObjObjectCode) code = kinds[i].constructor (bytes, &error);
      g_autoptr (CudaObjObjectCode) generic = cuda_obj_object_code_new (bytes, kinds[i].type, &error);
      g_autoptr (CudaObjObjectCode) from_properties = NULL;
      g_autoptr (GBytes) property_code = NULL;
      CudaObjCodeType property_type = -1;

      g_assert_no_error (error);
      g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, kinds[i].type);
      g_assert_true (cuda_obj_object_code_get_code (code) == bytes);
      g_assert_null (cuda_obj_object_code_get_name (code));
      g_assert_cmpint (cuda_obj_object_code_get_code_type (generic), ==, kinds[i].type);

      /* GInitable: what bindings call for CudaObj.ObjectCode(code=..., code_type=...). */
      from_properties = g_initable_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL, &error, "code", bytes, "code-type",
                                        kinds[i].type, "name", "given", NULL);
      g_assert_no_error (error);
      g_object_get (from_properties, "code", &property_code, "code-type", &property_type, NULL);
      g_assert_true (g_bytes_equal (property_code, bytes));
      g_assert_cmpint (property_type, ==, kinds[i].type);
      g_assert_cmpstr (cuda_obj_object_code_get_name (from_properties), ==, "given");
    }
}

static void
test_wrong_kind (void)
{
  g_autoptr (GBytes) ptx = bytes_of (CUDA_OBJ_CODE_TYPE_PTX);
  g_autoptr (GBytes) cubin = bytes_of (CUDA_OBJ_CODE_TYPE_CUBIN);
  g_autoptr (GBytes) host_object = bytes_of (CUDA_OBJ_CODE_TYPE_OBJECT);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) binary = g_bytes_new_static ("ab\0cd", 5);
  g_autoptr (GError) error = NULL;

  /* Each constructor refuses bytes of another kind, by magic number. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GBytes *other = kinds[i].type == CUDA_OBJ_CODE_TYPE_PTX ? cubin : ptx;
      g_assert_null (kinds[i].constructor (other, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "not"));
      g_clear_error (&error);
      g_assert_null (kinds[i].constructor (empty, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "empty"));
      g_clear_error (&error);
    }

  /* A host ELF object is not a CUBIN, though both are ELF. */
  g_assert_null (cuda_obj_object_code_new_from_cubin (host_object, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "machine is 62"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_object_code_new_from_ptx (binary, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_object_code_new (ptx, (CudaObjCodeType) 99, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Truncated files are refused before they reach nvJitLink or the driver. */
  {
    g_autoptr (GBytes) fatbin = bytes_of (CUDA_OBJ_CODE_TYPE_FATBIN);
    const guchar *data = g_bytes_get_data (cubin, NULL);
    g_autoptr (GBytes) half = g_bytes_new_from_bytes (cubin, 0, g_bytes_get_size (cubin) / 2);
    g_autoptr (GBytes) header_only = g_bytes_new_from_bytes (cubin, 0, 64);
    g_autoptr (GBytes) short_fatbin = g_bytes_new_from_bytes (fatbin, 0, 12);
    guchar *lying_data = g_memdup2 (g_bytes_get_data (fatbin, NULL), 16);
    g_autoptr (GBytes) lying_fatbin = NULL;

    g_assert_cmpint (data[0], ==, 0x7f);
    g_assert_null (cuda_obj_object_code_new_from_cubin (half, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "truncated?"));
    g_clear_error (&error);
    g_assert_null (cuda_obj_object_code_new_from_cubin (header_only, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (cuda_obj_object_code_new_from_fatbin (short_fatbin, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    lying_data[8] = 200; /* claims 200 bytes after its header */
    lying_fatbin = g_bytes_new_take (lying_data, 16);
    g_assert_null (cuda_obj_object_code_new_from_fatbin (lying_fatbin, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "truncated?"));
    g_clear_error (&error);
  }

  /* Through GInitable too. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL, &error, "code", ptx, "code-type",
                                 CUDA_OBJ_CODE_TYPE_FATBIN, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Still usable. */
  {
    g_autoptr (CudaObjObjectCode) good = cuda_obj_object_code_new_from_ptx (ptx, &error);
    g_assert_no_error (error);
  }
}

static char *
temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("cudaobj-object-code-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_files (void)
{
  g_autofree char *dir = temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GBytes) bytes = bytes_of (kinds[i].type);
      g_autoptr (CudaObjObjectCode) code = cuda_obj_object_code_new (bytes, kinds[i].type, NULL);
      g_autofree char *name = g_strconcat ("code", kinds[i].suffix, NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *bare = g_build_filename (dir, "no-extension", NULL);
      g_autoptr (CudaObjObjectCode) by_extension = NULL, by_content = NULL, by_type = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (cuda_obj_object_code_save (code, path, &error));
      g_assert_no_error (error);
      by_extension = cuda_obj_object_code_new_from_file (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cuda_obj_object_code_get_code_type (by_extension), ==, kinds[i].type);
      g_assert_cmpstr (cuda_obj_object_code_get_name (by_extension), ==, name);

      /* Saved PTX drops the NUL that NVRTC ends it with; the rest is the same. */
      if (kinds[i].type == CUDA_OBJ_CODE_TYPE_PTX)
        {
          GBytes *saved = cuda_obj_object_code_get_code (by_extension);
          g_assert_cmpuint (g_bytes_get_size (saved) + 1, ==, g_bytes_get_size (bytes));
          g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved),
                           g_bytes_get_data (bytes, NULL), g_bytes_get_size (saved));
        }
      else
        g_assert_true (g_bytes_equal (cuda_obj_object_code_get_code (by_extension), bytes));

      /* Without an extension, the content tells. */
      g_assert_true (cuda_obj_object_code_save (code, bare, &error));
      by_content = cuda_obj_object_code_new_from_file (bare, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cuda_obj_object_code_get_code_type (by_content), ==, kinds[i].type);

      by_type = cuda_obj_object_code_new_from_file_with_type (bare, kinds[i].type, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cuda_obj_object_code_get_code_type (by_type), ==, kinds[i].type);
    }
  remove_dir (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.cubin", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *lying = g_build_filename (dir, "lying.cubin", NULL);
  g_autofree char *unwritable = g_build_filename (dir, "no-such-dir", "out.cubin", NULL);
  g_autoptr (CudaObjObjectCode) code = compile (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_object_code_new_from_file (missing, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.cubin"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "just some words", -1, NULL));
  g_assert_null (cuda_obj_object_code_new_from_file (text, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Cannot tell"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (lying, ".version 9.0\n", -1, NULL));
  g_assert_null (cuda_obj_object_code_new_from_file (lying, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, lying));
  g_clear_error (&error);

  g_assert_false (cuda_obj_object_code_save (code, unwritable, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
  g_clear_error (&error);

  /* Still usable. */
  {
    g_autoptr (CudaObjObjectCode) good
        = cuda_obj_object_code_new_from_file_with_type (lying, CUDA_OBJ_CODE_TYPE_PTX, &error);
    g_assert_no_error (error);
  }
  remove_dir (dir);
}

static void
test_lowered_names (void)
{
  const char *names[] = { "fill<int>", "fill<float>", NULL };
  g_autoptr (CudaObjObjectCode) code = compile (CUDA_OBJ_CODE_TYPE_CUBIN, names);
  g_auto (GStrv) listed = cuda_obj_object_code_get_name_expressions (code);

  g_assert_cmpstr (cuda_obj_object_code_get_name (code), ==, "kernels.cu");
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (code, "fill<int>"), ==, "_Z4fillIiEvPT_S0_");
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (code, "fill<float>"), ==, "_Z4fillIfEvPT_S0_");
  g_assert_null (cuda_obj_object_code_get_lowered_name (code, "twice"));
  g_assert_true (g_strv_equal ((const char *const *) listed, names));

  /* Code read from bytes has none. */
  {
    g_autoptr (CudaObjObjectCode) plain
        = cuda_obj_object_code_new_from_cubin (cuda_obj_object_code_get_code (code), NULL);
    g_auto (GStrv) none = cuda_obj_object_code_get_name_expressions (plain);
    g_assert_cmpuint (g_strv_length (none), ==, 0);
    g_assert_null (cuda_obj_object_code_get_lowered_name (plain, "fill<int>"));
  }
}

static void
test_library_not_loadable (void)
{
  /* LTO-IR, host objects and libraries are for the linker: refused before any driver call. */
  const CudaObjCodeType types[]
      = { CUDA_OBJ_CODE_TYPE_LTOIR, CUDA_OBJ_CODE_TYPE_OBJECT, CUDA_OBJ_CODE_TYPE_LIBRARY };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr (GBytes) bytes = bytes_of (types[i]);
      g_autoptr (CudaObjObjectCode) code = cuda_obj_object_code_new (bytes, types[i], NULL);
      g_autoptr (GError) error = NULL;

      g_assert_null (cuda_obj_object_code_get_library (code, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      g_assert_nonnull (strstr (error->message, "CudaObjLinker"));
    }
}

static void
test_library_without_driver (void)
{
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;

  if (cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL))
    {
      g_test_skip ("a CUDA driver is present; the no-driver path is tested where there is none");
      return;
    }
  code = compile (CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  g_assert_null (cuda_obj_object_code_get_library (code, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  /* A second try fails the same way, without crashing. */
  g_assert_null (cuda_obj_object_code_get_library (code, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
}

static gpointer
get_library_thread (gpointer data)
{
  return cuda_obj_object_code_get_library (data, NULL);
}

static void
test_library_gpu (gconstpointer data)
{
  CudaObjCodeType type = GPOINTER_TO_INT (data);
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  GThread *threads[8];
  CUlibrary library;

  if (device == NULL)
    return;
  code = compile (type, NULL);
  /* Loaded once, from several threads at once, without a current context. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("get-library", get_library_thread, code);
  library = cuda_obj_object_code_get_library (code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (library);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (g_thread_join (threads[i]) == library);
  g_assert_true (cuda_obj_object_code_get_library (code, &error) == library);
}

static void
test_library_gpu_unterminated_ptx (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) compiled = NULL, code = NULL;
  g_autoptr (GBytes) trimmed = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  if (device == NULL)
    return;
  /* PTX without its final NUL, as read from a file, loads too. */
  compiled = compile (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  bytes = cuda_obj_object_code_get_code (compiled);
  trimmed = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) - 1);
  code = cuda_obj_object_code_new_from_ptx (trimmed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cuda_obj_object_code_get_library (code, &error));
  g_assert_no_error (error);
}

static gpointer
wrap_module (CudaObjDevice *device, guint64 handle, GObject *owner, GError **error)
{
  return cuda_obj_object_code_new_from_handle (device, handle, CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE, owner,
                                               error);
}

static void
test_new_from_handle_invalid (void)
{
  g_autoptr (GError) error = NULL;

  cudaobj_test_new_from_handle_invalid (wrap_module, "handle 0x0");
  g_assert_null (cuda_obj_object_code_new_from_handle (NULL, 0x1234, 7, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "CudaObjObjectCodeHandleType"));
}

/* Runs twice() of @kernel over 32 floats set to 1 and checks they became 2. */
static void
assert_twice_runs (CudaObjDevice *device, CudaObjKernel *kernel)
{
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (1);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (GBytes) in = NULL, out = NULL;
  g_autoptr (GError) error = NULL;
  float values[32];
  const float *result;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = 1.f;
  in = g_bytes_new (values, sizeof values);
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  buffer = cuda_obj_device_allocate (device, sizeof values, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, stream, &error));
  cuda_obj_kernel_args_set_buffer (args, 0, buffer);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  g_assert_no_error (error);
  result = g_bytes_get_data (out, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (result[i], ==, 2.f);
}

static void
test_new_from_handle (gconstpointer data)
{
  CudaObjObjectCodeHandleType type = GPOINTER_TO_INT (data);
  gboolean is_module = type == CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL, wrapper = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  const CudaObjDriver *drv;
  CUlibrary library = NULL;
  CUmodule module = NULL;
  CUkernel raw_kernel = NULL;
  CUfunction function = NULL;
  guint64 handle;
  GObject *owner;

  if (device == NULL)
    return;
  drv = cuda_obj_driver_peek ();
  code = cudaobj_test_compile (device, kernels, NULL);
  /* Code loaded by other code. */
  g_assert_true (cuda_obj_device_activate (device, &error));
  if (is_module)
    g_assert_cmpint (
        drv->cuModuleLoadData (&module, g_bytes_get_data (cuda_obj_object_code_get_code (code), NULL)), ==,
        CUDA_SUCCESS);
  else
    g_assert_cmpint (drv->cuLibraryLoadData (&library,
                                             g_bytes_get_data (cuda_obj_object_code_get_code (code), NULL),
                                             NULL, NULL, 0, NULL, NULL, 0),
                     ==, CUDA_SUCCESS);
  handle = is_module ? (guint64) (guintptr) module : (guint64) (guintptr) library;
  owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);

  wrapper = cuda_obj_object_code_new_from_handle (device, handle, type, owner, &error);
  g_assert_no_error (error);
  g_object_unref (owner);
  g_assert_nonnull (owner); /* the wrapper keeps it alive */
  g_assert_cmpuint (cuda_obj_object_code_get_handle (wrapper), ==, handle);
  g_assert_cmpint (cuda_obj_object_code_get_handle_type (wrapper), ==, type);
  g_assert_false (cuda_obj_object_code_get_owns_handle (wrapper));
  g_assert_null (cuda_obj_object_code_get_code (wrapper));
  path = g_build_filename (g_get_tmp_dir (), "cudaobj-wrapped-code.cubin", NULL);
  g_assert_false (cuda_obj_object_code_save (wrapper, path, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Its kernels run: a CUkernel of a library, a CUfunction of a module. */
  kernel = cuda_obj_object_code_get_kernel (wrapper, "twice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_kernel_get_handle_type (kernel), ==,
                   is_module ? CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION : CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL);
  g_assert_cmpstr (cuda_obj_kernel_get_name (kernel), ==, "twice");
  g_assert_true (cuda_obj_kernel_get_object_code (kernel) == wrapper);
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 1);
  assert_twice_runs (device, kernel);
  g_assert_null (cuda_obj_object_code_get_kernel (wrapper, "thrice", &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No kernel \"thrice\""));
  g_clear_error (&error);

  /* The kernel keeps the wrapper; dropping both releases the owner and
   * leaves the code loaded. */
  g_clear_object (&wrapper);
  g_assert_nonnull (owner);
  g_clear_object (&kernel);
  g_assert_null (owner);
  g_assert_true (cuda_obj_device_activate (device, &error));
  if (is_module)
    {
      g_assert_cmpint (drv->cuModuleGetFunction (&function, module, "twice"), ==, CUDA_SUCCESS);
      g_assert_cmpint (drv->cuModuleUnload (module), ==, CUDA_SUCCESS);
    }
  else
    {
      g_assert_cmpint (drv->cuLibraryGetKernel (&raw_kernel, library, "twice"), ==, CUDA_SUCCESS);
      g_assert_cmpint (drv->cuLibraryUnload (library), ==, CUDA_SUCCESS);
    }

  /* An owned code's handle, once loaded, its owner kept alive. */
  if (is_module)
    return;
  g_assert_cmpuint (cuda_obj_object_code_get_handle (code), ==, 0); /* not loaded yet */
  g_assert_true (cuda_obj_object_code_get_owns_handle (code));
  kernel = cuda_obj_object_code_get_kernel (code, "twice", &error);
  g_assert_no_error (error);
  g_clear_object (&kernel);
  g_assert_cmpuint (cuda_obj_object_code_get_handle (code), !=, 0);
  wrapper = cuda_obj_object_code_new_from_handle (device, cuda_obj_object_code_get_handle (code), type,
                                                  G_OBJECT (code), &error);
  g_assert_no_error (error);
  kernel = cuda_obj_object_code_get_kernel (wrapper, "twice", &error);
  g_assert_no_error (error);
  assert_twice_runs (device, kernel);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/object-code/constructors", test_constructors);
  g_test_add_func ("/object-code/bad-input/wrong-kind", test_wrong_kind);
  g_test_add_func ("/object-code/files", test_files);
  g_test_add_func ("/object-code/bad-input/files", test_bad_files);
  g_test_add_func ("/object-code/lowered-names", test_lowered_names);
  g_test_add_func ("/object-code/library/not-loadable", test_library_not_loadable);
  g_test_add_func ("/object-code/library/without-driver", test_library_without_driver);
  g_test_add_data_func ("/object-code/library/gpu/cubin", GINT_TO_POINTER (CUDA_OBJ_CODE_TYPE_CUBIN),
                        test_library_gpu);
  g_test_add_data_func ("/object-code/library/gpu/ptx", GINT_TO_POINTER (CUDA_OBJ_CODE_TYPE_PTX),
                        test_library_gpu);
  g_test_add_func ("/object-code/library/gpu/unterminated-ptx", test_library_gpu_unterminated_ptx);
  g_test_add_func ("/object-code/new-from-handle/invalid", test_new_from_handle_invalid);
  g_test_add_data_func ("/object-code/new-from-handle/library",
                        GINT_TO_POINTER (CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY), test_new_from_handle);
  g_test_add_data_func ("/object-code/new-from-handle/module",
                        GINT_TO_POINTER (CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE), test_new_from_handle);

  return g_test_run ();
}
