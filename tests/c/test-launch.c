/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kernel and launch on the GPU: attributes, argument checks, occupancy,
 * results, and every failure path leaving the library usable. */
#include <string.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

static const char kernels_source[]
    = "extern \"C\" __global__ void vector_add (const float *a, const float *b, float *c,\n"
      "                                         unsigned long long n)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  if (i < n) c[i] = a[i] + b[i];\n"
      "}\n"
      "extern \"C\" __global__ void empty_kernel () {}\n"
      "struct Big { int values[512]; };\n"
      "extern \"C\" __global__ void sum_struct (Big big, int *out)\n"
      "{\n"
      "  int s = 0;\n"
      "  for (int i = 0; i < 512; i++) s += big.values[i];\n"
      "  *out = s;\n"
      "}\n"
      "extern \"C\" __global__ void mixed (signed char a, short b, int c, long long d, float e,\n"
      "                                    double f, bool g, double *out)\n"
      "{\n"
      "  out[0] = a; out[1] = b; out[2] = c; out[3] = (double) d; out[4] = e; out[5] = f; out[6] = g;\n"
      "}\n"
      "extern \"C\" __global__ void fill_shared (int *out, int n)\n"
      "{\n"
      "  extern __shared__ int scratch[];\n"
      "  for (int i = threadIdx.x; i < n; i += blockDim.x) scratch[i] = i;\n"
      "  __syncthreads ();\n"
      "  if (threadIdx.x == 0) { int s = 0; for (int i = 0; i < n; i++) s += scratch[i]; *out = s; }\n"
      "}\n"
      "template <typename T> __global__ void scale (T *x, T factor, unsigned long long n)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  if (i < n) x[i] *= factor;\n"
      "}\n";

static const char *const name_expressions[] = { "scale<float>", "scale<double>", NULL };

typedef struct
{
  CudaObjDevice *device;
  CudaObjObjectCode *code;
  CudaObjStream *stream;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->device = cudaobj_test_device_or_skip ();
  if (fixture->device == NULL)
    return;
  fixture->code = cudaobj_test_compile (fixture->device, kernels_source, name_expressions);
  fixture->stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->stream);
  g_clear_object (&fixture->code);
  g_clear_object (&fixture->device);
}

static CudaObjKernel *
get_kernel (Fixture *fixture, const char *name)
{
  g_autoptr (GError) error = NULL;
  CudaObjKernel *kernel = cuda_obj_object_code_get_kernel (fixture->code, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (kernel);
  return kernel;
}

static CudaObjBuffer *
buffer_from_floats (Fixture *fixture, const float *values, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (values, n * sizeof (float));
  CudaObjBuffer *buffer
      = cuda_obj_device_allocate (fixture->device, n * sizeof (float), fixture->stream, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, fixture->stream, &error));
  g_assert_no_error (error);
  return buffer;
}

static void
test_kernel_attributes (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (GError) error = NULL;
  gsize offset = 0, size = 0;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "vector_add");
  g_assert_cmpstr (cuda_obj_kernel_get_name (kernel), ==, "vector_add");
  g_assert_cmpstr (cuda_obj_kernel_get_mangled_name (kernel), ==, "vector_add");
  g_assert_true (cuda_obj_kernel_get_object_code (kernel) == fixture->code);
  g_assert_cmpuint (cuda_obj_kernel_get_handle (kernel), !=, 0);
  g_assert_cmpint (cuda_obj_kernel_get_num_regs (kernel), >, 0);
  g_assert_cmpint (cuda_obj_kernel_get_max_threads_per_block (kernel), >=, 256);
  g_assert_cmpint (cuda_obj_kernel_get_binary_version (kernel), ==,
                   10 * cuda_obj_device_get_compute_capability_major (fixture->device)
                       + cuda_obj_device_get_compute_capability_minor (fixture->device));
  g_assert_cmpint (
      cuda_obj_kernel_get_attribute (kernel, CUDA_OBJ_KERNEL_ATTRIBUTE_NUM_REGS, fixture->device, &error), ==,
      cuda_obj_kernel_get_num_regs (kernel));
  g_assert_no_error (error);
  /* The driver's parameter layout: three pointers and a 64-bit count. */
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (cuda_obj_kernel_get_argument_info (kernel, i, &offset, &size, &error));
      g_assert_cmpuint (offset, ==, 8 * i);
      g_assert_cmpuint (size, ==, 8);
    }
  g_assert_false (cuda_obj_kernel_get_argument_info (kernel, 4, &offset, &size, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_kernel_struct_parameter_layout (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  gsize offset = 0, size = 0;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "sum_struct");
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 2);
  g_assert_true (cuda_obj_kernel_get_argument_info (kernel, 0, &offset, &size, NULL));
  g_assert_cmpuint (size, ==, 2048);
  g_assert_true (cuda_obj_kernel_get_argument_info (kernel, 1, &offset, &size, NULL));
  g_assert_cmpuint (offset, ==, 2048);
  g_assert_cmpuint (size, ==, 8);
}

static void
test_kernel_name_expression (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "scale<float>");
  g_assert_cmpstr (cuda_obj_kernel_get_name (kernel), ==, "scale<float>");
  g_assert_true (g_str_has_prefix (cuda_obj_kernel_get_mangled_name (kernel), "_Z"));
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 3);
}

static void
test_kernel_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;

  if (fixture->device == NULL)
    return;
  g_assert_null (cuda_obj_object_code_get_kernel (fixture->code, "no_such_kernel", &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no_such_kernel"));
  /* The object code stays usable. */
  kernel = get_kernel (fixture, "empty_kernel");
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 0);
}

static void
test_kernel_occupancy (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (132, 128);
  int blocks, min_grid = 0, block = 0, cluster;
  gsize smem;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "vector_add");
  blocks = cuda_obj_kernel_get_max_active_blocks_per_multiprocessor (kernel, fixture->device, 256, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (blocks, >=, 1);
  g_assert_cmpint (blocks * 256, <=,
                   cuda_obj_device_get_attribute (
                       fixture->device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, NULL));
  g_assert_true (cuda_obj_kernel_get_max_potential_block_size (kernel, fixture->device, 0, 0, &min_grid,
                                                               &block, &error));
  g_assert_no_error (error);
  g_assert_cmpint (block, >, 0);
  g_assert_cmpint (block, <=, 1024);
  g_assert_cmpint (min_grid, >, 0);
  smem = cuda_obj_kernel_get_available_dynamic_shared_memory (kernel, fixture->device, 1, 128, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (smem, >=, 48 * 1024);
  if (cuda_obj_device_get_compute_capability_major (fixture->device) >= 9)
    {
      cluster = cuda_obj_kernel_get_max_potential_cluster_size (kernel, fixture->device, config, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cluster, >=, 8);
      cuda_obj_launch_config_set_cluster (config, 2, 1, 1);
      g_assert_cmpint (cuda_obj_kernel_get_max_active_clusters (kernel, fixture->device, config, &error), >,
                       0);
      g_assert_no_error (error);
    }
}

static void
test_launch_vector_add (Fixture *fixture, gconstpointer data)
{
  enum
  {
    N = 100000
  };
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N, 256);
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL, c = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *x = g_new (float, N), *y = g_new (float, N);
  const float *out;

  if (fixture->device == NULL)
    return;
  for (guint i = 0; i < N; i++)
    {
      x[i] = i;
      y[i] = 2.0f * i;
    }
  kernel = get_kernel (fixture, "vector_add");
  a = buffer_from_floats (fixture, x, N);
  b = buffer_from_floats (fixture, y, N);
  c = cuda_obj_device_allocate (fixture->device, N * sizeof (float), fixture->stream, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, a);
  cuda_obj_kernel_args_set_buffer (args, 1, b);
  cuda_obj_kernel_args_set_buffer (args, 2, c);
  cuda_obj_kernel_args_set_uint64 (args, 3, N);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (c, 0, -1, fixture->stream, &error);
  g_assert_no_error (error);
  out = g_bytes_get_data (result, NULL);
  for (guint i = 0; i < N; i++)
    g_assert_cmpfloat (out[i], ==, 3.0f * i);

  /* Reuse: swap the inputs' roles by setting one slot again. */
  cuda_obj_kernel_args_set_buffer (args, 1, a);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_clear_pointer (&result, g_bytes_unref);
  result = cuda_obj_buffer_copy_to_bytes (c, 0, -1, fixture->stream, &error);
  out = g_bytes_get_data (result, NULL);
  g_assert_cmpfloat (out[N - 1], ==, 2.0f * (N - 1));
}

static void
test_launch_every_scalar_type (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  const double *values;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "mixed");
  out = cuda_obj_device_allocate (fixture->device, 7 * sizeof (double), fixture->stream, &error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_int8 (args, 0, -5);
  cuda_obj_kernel_args_set_int16 (args, 1, -300);
  cuda_obj_kernel_args_set_int32 (args, 2, -70000);
  cuda_obj_kernel_args_set_int64 (args, 3, -5000000000LL);
  cuda_obj_kernel_args_set_float (args, 4, 0.25f);
  cuda_obj_kernel_args_set_double (args, 5, 1e300);
  cuda_obj_kernel_args_set_bool (args, 6, TRUE);
  cuda_obj_kernel_args_set_buffer (args, 7, out);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, fixture->stream, &error);
  g_assert_no_error (error);
  values = g_bytes_get_data (result, NULL);
  g_assert_cmpfloat (values[0], ==, -5);
  g_assert_cmpfloat (values[1], ==, -300);
  g_assert_cmpfloat (values[2], ==, -70000);
  g_assert_cmpfloat (values[3], ==, -5000000000.0);
  g_assert_cmpfloat (values[4], ==, 0.25);
  g_assert_cmpfloat (values[5], ==, 1e300);
  g_assert_cmpfloat (values[6], ==, 1);
}

static void
test_launch_struct_by_value (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  gint32 big[512];
  gint32 expected = 0;

  if (fixture->device == NULL)
    return;
  for (guint i = 0; i < 512; i++)
    expected += big[i] = (gint32) i * 3 - 7;
  kernel = get_kernel (fixture, "sum_struct");
  out = cuda_obj_device_allocate (fixture->device, sizeof (gint32), fixture->stream, &error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_data (args, 0, (const guint8 *) big, sizeof big, 4);
  cuda_obj_kernel_args_set_buffer (args, 1, out);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, fixture->stream, &error);
  g_assert_cmpint (*(const gint32 *) g_bytes_get_data (result, NULL), ==, expected);
}

static void
test_launch_template (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  const float values[4] = { 1, 2, 3, 4 };
  const float *out;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "scale<float>");
  x = buffer_from_floats (fixture, values, 4);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_float (args, 1, 10.0f);
  cuda_obj_kernel_args_set_uint64 (args, 2, 4);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (x, 0, -1, fixture->stream, &error);
  out = g_bytes_get_data (result, NULL);
  g_assert_cmpfloat (out[3], ==, 40.0f);
}

static void
test_launch_dynamic_shared_memory (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 128);
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  int n = 20000; /* 80000 bytes: over the default 48 KiB */
  int optin;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "fill_shared");
  out = cuda_obj_device_allocate (fixture->device, sizeof (gint32), fixture->stream, &error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, out);
  cuda_obj_kernel_args_set_int32 (args, 1, n);
  cuda_obj_launch_config_set_shared_memory_bytes (config, n * sizeof (int));

  /* Over the default limit: a clear error, nothing launched. */
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "MAX_DYNAMIC_SHARED_SIZE_BYTES"));
  g_clear_error (&error);

  /* Opting in makes the same launch work. */
  optin = cuda_obj_device_get_max_shared_memory_per_block_optin (fixture->device);
  g_assert_cmpint (optin, >=, n * (int) sizeof (int));
  g_assert_true (cuda_obj_kernel_set_attribute (kernel,
                                                CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                                n * sizeof (int), fixture->device, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, fixture->stream, &error);
  g_assert_cmpint (*(const gint32 *) g_bytes_get_data (result, NULL), ==, n * (n - 1) / 2);

  /* Over the device's opt-in limit: the driver refuses the attribute. */
  g_assert_false (cuda_obj_kernel_set_attribute (kernel,
                                                 CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                                 optin + 1024, fixture->device, &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE);
}

static void
test_launch_cluster_and_cooperative (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (8, 64);
  g_autoptr (GError) error = NULL;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "empty_kernel");
  cuda_obj_launch_config_set_cooperative (config, TRUE);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
  g_assert_no_error (error);
  cuda_obj_launch_config_set_cooperative (config, FALSE);
  if (cuda_obj_device_get_compute_capability_major (fixture->device) >= 9)
    {
      cuda_obj_launch_config_set_cluster (config, 2, 1, 1);
      g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
      g_assert_no_error (error);
      /* The grid must be a multiple of the cluster. */
      cuda_obj_launch_config_set_grid (config, 9, 1, 1);
      g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    }
  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, NULL));
}

static void
test_launch_bad_arguments (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (CudaObjBuffer) buffer = NULL, closed = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjKernelArgs *args;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "vector_add");
  buffer = cuda_obj_device_allocate (fixture->device, 1024, fixture->stream, &error);
  closed = cuda_obj_device_allocate (fixture->device, 1024, fixture->stream, &error);
  g_assert_no_error (error);
  /* The last launch reads it: defined values keep the kernel initcheck-clean. */
  g_assert_true (cuda_obj_buffer_fill (buffer, 0, 4, 0, 1024 / 4, fixture->stream, &error));
  g_assert_no_error (error);

  /* No arguments at all for a kernel that takes four. */
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "takes 4 arguments, but 0 were given"));
  g_clear_error (&error);

  /* Too few. */
  args = cuda_obj_kernel_args_new (3);
  for (guint i = 0; i < 3; i++)
    cuda_obj_kernel_args_set_buffer (args, i, buffer);
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "but 3 were given"));
  g_clear_error (&error);

  /* The fourth is a 4-byte int where the kernel takes 8 bytes. */
  cuda_obj_kernel_args_set_int32 (args, 3, 32);
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Argument 3"));
  g_assert_nonnull (strstr (error->message, "4 bytes"));
  g_clear_error (&error);

  /* One unset in the middle. */
  g_object_unref (args);
  args = cuda_obj_kernel_args_new (4);
  cuda_obj_kernel_args_set_buffer (args, 0, buffer);
  cuda_obj_kernel_args_set_buffer (args, 2, buffer);
  cuda_obj_kernel_args_set_uint64 (args, 3, 8);
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Argument 1 of kernel vector_add is not set"));
  g_clear_error (&error);

  /* A closed buffer. */
  cuda_obj_kernel_args_set_buffer (args, 1, closed);
  g_assert_true (cuda_obj_buffer_close (closed, fixture->stream, &error));
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);

  /* Fixed, the same launch works. */
  cuda_obj_kernel_args_set_buffer (args, 1, buffer);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, &error));
  g_object_unref (args);
}

/* Launch shapes the library refuses before the driver sees them: one row
 * each, one body (json-glib's style). */
typedef struct
{
  const char *name; /* test path */
  guint grid[3];
  guint block[3];
  guint shared_memory_bytes;
  guint cluster[3];    /* all 0: no cluster */
  const char *message; /* in the error */
} BadShape;

/* clang-format off */
static const BadShape bad_shapes[] = {
  { "block-x-over-device-limit", { 1, 1, 1 },     { 2048, 1, 1 }, 0,       { 0 }, "Block dimension x is 2048" },
  { "block-z-over-device-limit", { 1, 1, 1 },     { 1, 1, 65 },   0,       { 0 }, "Block dimension z is 65" },
  { "empty-block",               { 1, 1, 1 },     { 0, 1, 1 },    0,       { 0 }, "Block dimension x is 0" },
  { "block-over-kernel-limit",   { 1, 1, 1 },     { 1024, 2, 1 }, 0,       { 0 }, "Block of 2048 threads" },
  { "empty-grid",                { 0, 1, 1 },     { 32, 1, 1 },   0,       { 0 }, "Grid dimension x is 0" },
  { "grid-y-over-device-limit",  { 1, 70000, 1 }, { 32, 1, 1 },   0,       { 0 }, "Grid dimension y is 70000" },
  { "grid-z-over-device-limit",  { 1, 1, 70000 }, { 32, 1, 1 },   0,       { 0 }, "Grid dimension z is 70000" },
  { "shared-memory-over-limit",  { 1, 1, 1 },     { 32, 1, 1 },   1 << 20, { 0 }, "1048576 bytes of dynamic shared memory" },
  { "grid-not-cluster-multiple", { 3, 1, 1 },     { 32, 1, 1 },   0,       { 2, 1, 1 }, "Grid dimension x (3) is not a multiple" },
};
/* clang-format on */

static void
test_launch_bad_shape (Fixture *fixture, gconstpointer data)
{
  const BadShape *c = data;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (GError) error = NULL;
  const char *message = c->message;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "empty_kernel");
  cuda_obj_launch_config_set_grid (config, c->grid[0], c->grid[1], c->grid[2]);
  cuda_obj_launch_config_set_block (config, c->block[0], c->block[1], c->block[2]);
  cuda_obj_launch_config_set_shared_memory_bytes (config, c->shared_memory_bytes);
  if (c->cluster[0] != 0)
    {
      cuda_obj_launch_config_set_cluster (config, c->cluster[0], c->cluster[1], c->cluster[2]);
      if (!cuda_obj_device_get_attribute (fixture->device, CUDA_OBJ_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, NULL))
        message = "does not support thread-block clusters";
    }
  g_assert_false (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, message));
  g_clear_error (&error);

  /* Nothing reached the stream, and a good shape launches on it. */
  g_assert_true (cuda_obj_stream_query (fixture->stream, &error));
  g_assert_no_error (error);
  cuda_obj_launch_config_set_grid (config, 2, 1, 1);
  cuda_obj_launch_config_set_block (config, 32, 1, 1);
  cuda_obj_launch_config_set_shared_memory_bytes (config, 0);
  cuda_obj_launch_config_set_cluster (config, 1, 1, 1);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, &error));
  g_assert_no_error (error);
}

static void
test_launch_closed_stream (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjStream) other = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "empty_kernel");
  other = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_true (cuda_obj_stream_close (other, &error));
  g_assert_false (cuda_obj_launch (other, config, kernel, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_true (cuda_obj_launch (fixture->stream, config, kernel, NULL, &error));
  g_assert_no_error (error);
}

static void
test_launch_packed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  const float values[4] = { 1, 2, 3, 4 };
  struct
  {
    guint64 x;
    float factor;
    guint32 pad;
    guint64 n;
  } packed;
  gsize offset = 0;

  if (fixture->device == NULL)
    return;
  kernel = get_kernel (fixture, "scale<float>");
  x = buffer_from_floats (fixture, values, 4);
  /* The parameter buffer: pointer at 0, float at 8, 64-bit count at 16. */
  g_assert_true (cuda_obj_kernel_get_argument_info (kernel, 2, &offset, NULL, NULL));
  g_assert_cmpuint (offset, ==, 16);
  memset (&packed, 0, sizeof packed);
  packed.x = cuda_obj_buffer_get_handle (x);
  packed.factor = 3.0f;
  packed.n = 4;
  g_assert_true (cuda_obj_launch_packed (fixture->stream, config, kernel, (const guint8 *) &packed,
                                         sizeof packed, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (x, 0, -1, fixture->stream, &error);
  g_assert_cmpfloat (((const float *) g_bytes_get_data (result, NULL))[3], ==, 12.0f);
  /* A buffer of the wrong size is refused before launching. */
  g_assert_false (
      cuda_obj_launch_packed (fixture->stream, config, kernel, (const guint8 *) &packed, 16, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "takes 24 bytes of arguments, but 16 were given"));
}

static void
test_launch_on_peer_pool_memory (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (CudaObjDevice) peer = NULL;
  g_autoptr (CudaObjStream) peer_stream = NULL;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjMemoryResource *pool;
  const float values[4] = { 1, 2, 3, 4 };

  if (fixture->device == NULL)
    return;
  pool = cuda_obj_device_get_memory_resource (fixture->device);
  g_assert_true (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (pool));
  /* The pool's own device always has access. */
  g_assert_true (cuda_obj_device_memory_resource_set_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                                  fixture->device, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                                  fixture->device, &error));
  if (cuda_obj_device_get_count (NULL) < 2)
    {
      g_test_skip ("one device: a kernel on another device cannot be tried");
      return;
    }
  peer = cuda_obj_device_get (1, &error);
  g_assert_no_error (error);
  if (!cuda_obj_device_can_access_peer (peer, fixture->device, NULL))
    {
      g_assert_false (cuda_obj_device_memory_resource_set_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                                       peer, TRUE, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      return;
    }
  /* A kernel on device 1 scales a buffer of device 0's pool. */
  g_assert_true (cuda_obj_device_memory_resource_set_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                                  peer, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (
      cuda_obj_device_memory_resource_get_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool), peer, &error));
  x = buffer_from_floats (fixture, values, 4);
  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, &error));
  kernel = get_kernel (fixture, "scale<float>");
  peer_stream = cuda_obj_device_create_stream (peer, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_float (args, 1, 2.0f);
  cuda_obj_kernel_args_set_uint64 (args, 2, 4);
  g_assert_true (cuda_obj_launch (peer_stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (peer_stream, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (x, 0, -1, fixture->stream, &error);
  g_assert_cmpfloat (((const float *) g_bytes_get_data (result, NULL))[3], ==, 8.0f);
  /* Access can be taken back. */
  g_assert_true (cuda_obj_device_memory_resource_set_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                                  peer, FALSE, &error));
  g_assert_false (
      cuda_obj_device_memory_resource_get_peer_access (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool), peer, &error));
  g_assert_no_error (error);
  cuda_obj_buffer_close (x, fixture->stream, NULL);
}

static gpointer
launch_in_thread (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr (CudaObjKernel) kernel = get_kernel (fixture, "empty_kernel");
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (fixture->device, NULL);
  const CudaObjDriver *drv = cuda_obj_driver_get (NULL);

  /* A fresh thread has no current context: the launch makes it current. */
  drv->cuCtxSetCurrent (NULL);
  for (guint i = 0; i < 100; i++)
    if (!cuda_obj_launch (stream, config, kernel, NULL, NULL))
      return GINT_TO_POINTER (FALSE);
  return GINT_TO_POINTER (cuda_obj_stream_synchronize (stream, NULL));
}

static void
test_launch_from_threads (Fixture *fixture, gconstpointer data)
{
  GThread *threads[4];

  if (fixture->device == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("launcher", launch_in_thread, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kernel/attributes", test_kernel_attributes);
  ADD ("/kernel/struct-parameter-layout", test_kernel_struct_parameter_layout);
  ADD ("/kernel/name-expression", test_kernel_name_expression);
  ADD ("/kernel/missing", test_kernel_missing);
  ADD ("/kernel/occupancy", test_kernel_occupancy);
  ADD ("/launch/vector-add", test_launch_vector_add);
  ADD ("/launch/every-scalar-type", test_launch_every_scalar_type);
  ADD ("/launch/struct-by-value", test_launch_struct_by_value);
  ADD ("/launch/template", test_launch_template);
  ADD ("/launch/dynamic-shared-memory", test_launch_dynamic_shared_memory);
  ADD ("/launch/cluster-and-cooperative", test_launch_cluster_and_cooperative);
  ADD ("/launch/bad-arguments", test_launch_bad_arguments);
  ADD ("/launch/closed-stream", test_launch_closed_stream);
  ADD ("/launch/packed", test_launch_packed);
  ADD ("/launch/peer-pool-memory", test_launch_on_peer_pool_memory);
  ADD ("/launch/from-threads", test_launch_from_threads);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (bad_shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/launch/bad-shape/%s", bad_shapes[i].name);

      g_test_add (path, Fixture, &bad_shapes[i], fixture_set_up, test_launch_bad_shape, fixture_tear_down);
    }

  return g_test_run ();
}
