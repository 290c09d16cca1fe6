/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Contexts (primary, created, green, foreign), streams in them, launch
 * attributes (programmatic dependent launch, priority) and driver entry
 * points for callers. */
#include <string.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

static const char kernels_source[]
    = "extern \"C\" __global__ void record_sm (unsigned int *out)\n"
      "{\n"
      "  unsigned int sm;\n"
      "  asm volatile (\"mov.u32 %0, %%smid;\" : \"=r\"(sm));\n"
      "  long long start = clock64 ();\n"
      "  while (clock64 () - start < 20000) { }\n"
      "  if (threadIdx.x == 0) out[blockIdx.x] = sm;\n"
      "}\n"
      "extern \"C\" __global__ void pdl_first (int *data, int n)\n"
      "{\n"
      "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  long long start = clock64 ();\n"
      "  while (clock64 () - start < 100000) { }\n"
      "  if (i < n) data[i] = i;\n"
      "  asm volatile (\"griddepcontrol.launch_dependents;\");\n"
      "}\n"
      "extern \"C\" __global__ void pdl_second (const int *data, int *out, int n)\n"
      "{\n"
      "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  asm volatile (\"griddepcontrol.wait;\" ::: \"memory\");\n"
      "  if (i < n) out[i] = 2 * data[i];\n"
      "}\n";

#define N_BLOCKS 1024

typedef struct
{
  CudaObjDevice *device;
  CudaObjObjectCode *code;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->device = cudaobj_test_device_or_skip ();
  if (fixture->device != NULL)
    fixture->code = cudaobj_test_compile (fixture->device, kernels_source, NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->code);
  g_clear_object (&fixture->device);
}

static CudaObjKernel *
get_kernel (Fixture *fixture, const char *name)
{
  g_autoptr (GError) error = NULL;
  CudaObjKernel *kernel = cuda_obj_object_code_get_kernel (fixture->code, name, &error);

  g_assert_no_error (error);
  return kernel;
}

static CUcontext
current_context (void)
{
  CUcontext current = NULL;

  g_assert_cmpint (cuda_obj_driver_peek ()->cuCtxGetCurrent (&current), ==, CUDA_SUCCESS);
  return current;
}

/* Launches record_sm on @stream and counts the distinct SMs its blocks ran on. */
static guint
count_sms_used (Fixture *fixture, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernel) kernel = get_kernel (fixture, "record_sm");
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (N_BLOCKS, 128);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (kernel);
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  const guint32 *sms;

  out = cuda_obj_device_allocate (fixture->device, N_BLOCKS * sizeof (guint32), stream, &error);
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_buffer (args, 0, out);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  bytes = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error);
  g_assert_no_error (error);
  sms = g_bytes_get_data (bytes, NULL);
  for (guint i = 0; i < N_BLOCKS; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (sms[i] + 1));
  g_assert_true (cuda_obj_buffer_close (out, stream, &error));
  g_assert_no_error (error);
  return g_hash_table_size (seen);
}

static void
test_primary (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjContext) context = NULL;
  g_autoptr (CudaObjStream) stream = NULL;

  if (fixture->device == NULL)
    return;
  context = cuda_obj_device_get_primary_context (fixture->device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_get_is_primary (context));
  g_assert_false (cuda_obj_context_get_is_green (context));
  g_assert_false (cuda_obj_context_get_owns_handle (context));
  g_assert_true (cuda_obj_context_get_device (context) == fixture->device);
  g_assert_cmpuint (cuda_obj_context_get_sm_count (context), ==,
                    (guint) cuda_obj_device_get_multiprocessor_count (fixture->device));
  g_assert_true (cuda_obj_context_make_current (context, &error));
  g_assert_cmpuint (cuda_obj_context_get_handle (context), ==, (guint64) (guintptr) current_context ());

  /* A stream given the primary context is an ordinary stream. */
  stream = cuda_obj_context_create_stream (context, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_get_context (stream) == context);
  g_assert_cmpuint (count_sms_used (fixture, stream), >, 0);

  /* Closing the object leaves the primary context alone. */
  g_assert_true (cuda_obj_context_close (context, &error));
  g_assert_true (cuda_obj_context_is_closed (context));
  g_assert_cmpuint (cuda_obj_context_get_handle (context), ==, 0);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_context_make_current (context, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_created (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjContext) context = NULL;
  g_autoptr (CudaObjContext) primary = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjKernelArgs) args = NULL;
  CUcontext before;

  if (fixture->device == NULL)
    return;
  primary = cuda_obj_device_get_primary_context (fixture->device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_make_current (primary, &error));
  before = current_context ();
  context
      = cuda_obj_device_create_context (fixture->device, CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC, &error);
  g_assert_no_error (error);
  /* Creating leaves the caller's current context as it was. */
  g_assert_true (current_context () == before);
  g_assert_false (cuda_obj_context_get_is_primary (context));
  g_assert_true (cuda_obj_context_get_owns_handle (context));
  g_assert_cmphex (cuda_obj_context_get_flags (context) & CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC, ==,
                   CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC);
  g_assert_cmpuint (cuda_obj_context_get_handle (context), !=, cuda_obj_context_get_handle (primary));

  stream = g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, &error, "context", context, NULL);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_get_device (stream) == fixture->device);
  g_assert_false (cuda_obj_stream_get_non_blocking (stream));
  /* The kernel loads into the created context on its first launch there;
   * its pointer argument is a null one the kernel never dereferences. */
  kernel = get_kernel (fixture, "pdl_second");
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_pointer (args, 0, 0);
  cuda_obj_kernel_args_set_pointer (args, 1, 0);
  cuda_obj_kernel_args_set_int32 (args, 2, 0);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (current_context () == (CUcontext) (guintptr) cuda_obj_context_get_handle (context));
  g_assert_true (cuda_obj_context_synchronize (context, &error));
  g_assert_no_error (error);

  /* Closing destroys the context; its stream then reports the closed context. */
  g_assert_true (cuda_obj_context_close (context, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_close (context, &error));
  g_assert_false (cuda_obj_stream_query (stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_created_bad_flags (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    guint flags;
    const char *message;
  } cases[] = {
    { CUDA_OBJ_CONTEXT_FLAGS_SCHED_SPIN | CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD, "two scheduling modes" },
    { CUDA_OBJ_CONTEXT_FLAGS_SCHED_SPIN | CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD
          | CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC,
      "three scheduling modes" },
    { 0x100, "0x100 are unknown" },
  };

  if (fixture->device == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CudaObjContext) context
          = cuda_obj_device_create_context (fixture->device, cases[i].flags, &error);

      g_assert_null (context);
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_foreign (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjContext) created = NULL;
  g_autoptr (CudaObjContext) wrapped = NULL;
  g_autoptr (CudaObjContext) primary = NULL;
  g_autoptr (CudaObjContext) device_primary = NULL;
  g_autoptr (CudaObjContext) none = NULL;
  g_autoptr (CudaObjStream) stream = NULL;

  if (fixture->device == NULL)
    return;
  created = cuda_obj_device_create_context (fixture->device, CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD, &error);
  g_assert_no_error (error);
  wrapped = cuda_obj_context_new_from_handle (fixture->device, cuda_obj_context_get_handle (created), &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_context_get_owns_handle (wrapped));
  g_assert_false (cuda_obj_context_get_is_primary (wrapped));
  g_assert_cmpuint (cuda_obj_context_get_handle (wrapped), ==, cuda_obj_context_get_handle (created));
  g_assert_cmphex (cuda_obj_context_get_flags (wrapped) & CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD, ==,
                   CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD);

  /* Closing the wrapper leaves the context to its owner. */
  g_assert_true (cuda_obj_context_close (wrapped, &error));
  stream = cuda_obj_context_create_stream (created, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);

  /* The primary context's handle gives the primary context. */
  device_primary = cuda_obj_device_get_primary_context (fixture->device, &error);
  g_assert_no_error (error);
  primary = cuda_obj_context_new_from_handle (fixture->device, cuda_obj_context_get_handle (device_primary),
                                              &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_get_is_primary (primary));

  none = cuda_obj_context_new_from_handle (fixture->device, 0, &error);
  g_assert_null (none);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_green (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDeviceResource) whole = NULL;
  g_autoptr (CudaObjDeviceResource) rest = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (CudaObjContext) green = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjStream) primary_stream = NULL;
  CudaObjDeviceResource *group;
  guint sm_count, used;

  if (fixture->device == NULL)
    return;
  if (cuda_obj_device_get_compute_capability_major (fixture->device) < 9)
    {
      whole = cuda_obj_device_get_sm_resource (fixture->device, &error);
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      return;
    }
  whole = cuda_obj_device_get_sm_resource (fixture->device, &error);
  g_assert_no_error (error);
  sm_count = cuda_obj_device_resource_get_sm_count (whole);
  g_assert_cmpuint (sm_count, ==, (guint) cuda_obj_device_get_multiprocessor_count (fixture->device));
  g_assert_cmpuint (cuda_obj_device_resource_get_min_partition_size (whole), >, 0);
  g_assert_cmpuint (cuda_obj_device_resource_get_alignment (whole), >, 0);
  g_assert_true (cuda_obj_device_resource_get_device (whole) == fixture->device);

  groups = cuda_obj_device_resource_split_by_count (whole, 16, 1, &rest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (cuda_obj_device_resource_get_sm_count (group), >=, 16);
  g_assert_nonnull (rest);
  g_assert_cmpuint (cuda_obj_device_resource_get_sm_count (group)
                        + cuda_obj_device_resource_get_sm_count (rest),
                    ==, sm_count);

  green = cuda_obj_context_new_green (group, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_get_is_green (green));
  g_assert_true (cuda_obj_context_get_owns_handle (green));
  g_assert_cmpuint (cuda_obj_context_get_sm_count (green), ==, cuda_obj_device_resource_get_sm_count (group));
  g_assert_cmpuint (cuda_obj_context_get_handle (green), !=, 0);

  /* Asked for a blocking stream, a green context gives a non-blocking one. */
  stream = cuda_obj_context_create_stream (green, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_get_non_blocking (stream));
  /* Memory of the primary context works there; the blocks stay on the share. */
  used = count_sms_used (fixture, stream);
  g_assert_cmpuint (used, >, 0);
  g_assert_cmpuint (used, <=, cuda_obj_context_get_sm_count (green));

  primary_stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_sms_used (fixture, primary_stream), >, cuda_obj_context_get_sm_count (green));

  /* Ordering across contexts: each marker lives in its own stream's context. */
  g_assert_true (cuda_obj_stream_wait_stream (primary_stream, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_wait_stream (stream, primary_stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_context_synchronize (green, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_true (cuda_obj_context_close (green, &error));
  g_assert_no_error (error);
}

static void
test_green_bad_split (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjDeviceResource) whole = NULL;
  guint sm_count;

  if (fixture->device == NULL || cuda_obj_device_get_compute_capability_major (fixture->device) < 9)
    {
      if (fixture->device != NULL)
        g_test_skip ("green contexts need compute capability 9.0");
      return;
    }
  whole = cuda_obj_device_get_sm_resource (fixture->device, NULL);
  sm_count = cuda_obj_device_resource_get_sm_count (whole);
  {
    const struct
    {
      guint min_count, n_groups;
    } cases[] = { { 0, 1 }, { sm_count + 1, 1 }, { 16, sm_count } };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (CudaObjDeviceResource) rest = NULL;
        g_autoptr (GPtrArray) groups = cuda_obj_device_resource_split_by_count (
            whole, cases[i].min_count, cases[i].n_groups, &rest, &error);

        g_assert_null (groups);
        g_assert_null (rest);
        g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      }
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) all = cuda_obj_device_resource_split_by_count (whole, 8, 0, NULL, &error);

    /* 0 groups asks for as many as fit. */
    g_assert_no_error (error);
    g_assert_cmpuint (all->len, >=, 2);
  }
}

static void
test_programmatic_dependent_launch (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjKernel) first = NULL;
  g_autoptr (CudaObjKernel) second = NULL;
  g_autoptr (CudaObjLaunchConfig) plain = cuda_obj_launch_config_new (64, 256);
  g_autoptr (CudaObjLaunchConfig) dependent = cuda_obj_launch_config_new (64, 256);
  g_autoptr (CudaObjKernelArgs) first_args = NULL;
  g_autoptr (CudaObjKernelArgs) second_args = NULL;
  g_autoptr (CudaObjBuffer) data_buffer = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) result = NULL;
  const gint32 *values;
  const int n = 64 * 256;

  if (fixture->device == NULL)
    return;
  stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  first = get_kernel (fixture, "pdl_first");
  second = get_kernel (fixture, "pdl_second");
  data_buffer = cuda_obj_device_allocate (fixture->device, n * sizeof (gint32), stream, &error);
  g_assert_no_error (error);
  out = cuda_obj_device_allocate (fixture->device, n * sizeof (gint32), stream, &error);
  g_assert_no_error (error);
  first_args = cuda_obj_kernel_args_new_for_kernel (first);
  cuda_obj_kernel_args_set_buffer (first_args, 0, data_buffer);
  cuda_obj_kernel_args_set_int32 (first_args, 1, n);
  second_args = cuda_obj_kernel_args_new_for_kernel (second);
  cuda_obj_kernel_args_set_buffer (second_args, 0, data_buffer);
  cuda_obj_kernel_args_set_buffer (second_args, 1, out);
  cuda_obj_kernel_args_set_int32 (second_args, 2, n);
  cuda_obj_launch_config_set_programmatic_stream_serialization (dependent, TRUE);

  for (guint round = 0; round < 3; round++)
    {
      g_assert_true (cuda_obj_buffer_fill (out, 0xff, 1, 0, n * sizeof (gint32), stream, &error));
      g_assert_no_error (error);
      g_assert_true (cuda_obj_launch (stream, plain, first, first_args, &error));
      g_assert_no_error (error);
      g_assert_true (cuda_obj_launch (stream, dependent, second, second_args, &error));
      g_assert_no_error (error);
      g_clear_pointer (&result, g_bytes_unref);
      result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error);
      g_assert_no_error (error);
      values = g_bytes_get_data (result, NULL);
      for (int i = 0; i < n; i++)
        if (values[i] != 2 * i)
          g_error ("round %u: out[%d] is %d, not %d", round, i, values[i], 2 * i);
    }
}

static void
test_launch_priority (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjKernel) first = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (4, 128);
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (GBytes) result = NULL;
  const gint32 *values;
  int lowest, highest;

  if (fixture->device == NULL)
    return;
  g_assert_true (cuda_obj_stream_get_priority_range (fixture->device, &lowest, &highest, &error));
  stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  first = get_kernel (fixture, "pdl_first");
  out = cuda_obj_device_allocate (fixture->device, 512 * sizeof (gint32), stream, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (first);
  cuda_obj_kernel_args_set_buffer (args, 0, out);
  cuda_obj_kernel_args_set_int32 (args, 1, 512);
  cuda_obj_launch_config_set_priority (config, highest);
  cuda_obj_launch_config_set_programmatic_stream_serialization (config, TRUE);
  g_assert_true (cuda_obj_launch (stream, config, first, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error);
  g_assert_no_error (error);
  values = g_bytes_get_data (result, NULL);
  g_assert_cmpint (values[0], ==, 0);
  g_assert_cmpint (values[511], ==, 511);
}

static void
test_kernel_from_handle (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernel) original = NULL;
  g_autoptr (CudaObjKernel) wrapped = NULL;
  g_autoptr (CudaObjKernel) function = NULL;
  g_autoptr (CudaObjKernel) none = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  CUfunction handle = NULL;
  guint used;

  if (fixture->device == NULL)
    return;
  original = get_kernel (fixture, "record_sm");
  wrapped = cuda_obj_kernel_new_from_handle (fixture->device, cuda_obj_kernel_get_handle (original),
                                             CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cuda_obj_kernel_get_name (wrapped), ==, "record_sm");
  g_assert_null (cuda_obj_kernel_get_object_code (wrapped));
  g_assert_cmpint (cuda_obj_kernel_get_handle_type (wrapped), ==, CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL);
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (wrapped), ==, 1);
  g_assert_cmpint (cuda_obj_kernel_get_num_regs (wrapped), ==, cuda_obj_kernel_get_num_regs (original));

  /* The CUfunction of the kernel in the primary context. */
  g_assert_true (cuda_obj_device_make_current (fixture->device, &error));
  g_assert_cmpint (cuda_obj_driver_peek ()->cuKernelGetFunction (
                       &handle, (CUkernel) (guintptr) cuda_obj_kernel_get_handle (original)),
                   ==, CUDA_SUCCESS);
  function = cuda_obj_kernel_new_from_handle (fixture->device, (guint64) (guintptr) handle,
                                              CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_kernel_get_handle_type (function), ==, CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION);
  g_assert_cmpstr (cuda_obj_kernel_get_name (function), ==, "record_sm");
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (function), ==, 1);
  g_assert_cmpint (
      cuda_obj_kernel_get_max_active_blocks_per_multiprocessor (function, fixture->device, 128, 0, &error), >,
      0);
  g_assert_no_error (error);

  /* Both launch: swap them in for the compiled kernel. */
  stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      CudaObjKernel *kernel = i == 0 ? wrapped : function;
      g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (N_BLOCKS, 128);
      g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (kernel);
      g_autoptr (CudaObjBuffer) out
          = cuda_obj_device_allocate (fixture->device, N_BLOCKS * 4, stream, &error);
      g_autoptr (GBytes) bytes = NULL;

      g_assert_no_error (error);
      cuda_obj_buffer_fill (out, 0xffffffff, 4, 0, N_BLOCKS, stream, &error);
      g_assert_no_error (error);
      cuda_obj_kernel_args_set_buffer (args, 0, out);
      g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
      g_assert_no_error (error);
      bytes = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error);
      g_assert_no_error (error);
      used = 0;
      for (guint b = 0; b < N_BLOCKS; b++)
        used += ((const guint32 *) g_bytes_get_data (bytes, NULL))[b] != 0xffffffff;
      g_assert_cmpuint (used, ==, N_BLOCKS);
    }

  none = cuda_obj_kernel_new_from_handle (fixture->device, 0, CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL, &error);
  g_assert_null (none);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  none = cuda_obj_kernel_new_from_handle (fixture->device, cuda_obj_kernel_get_handle (original),
                                          (CudaObjKernelHandleType) 7, &error);
  g_assert_null (none);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

typedef CUresult (*MemGetInfo) (size_t *free_bytes, size_t *total_bytes);

static void
test_driver_get_proc (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MemGetInfo mem_get_info;
  size_t free_bytes = 0, total_bytes = 0;
  guint64 address;

  if (fixture->device == NULL)
    return;
  address = cuda_obj_driver_get_proc ("cuMemGetInfo", 3020, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (address, !=, 0);
  g_assert_true (cuda_obj_device_make_current (fixture->device, &error));
  mem_get_info = (MemGetInfo) (guintptr) address;
  g_assert_cmpint (mem_get_info (&free_bytes, &total_bytes), ==, CUDA_SUCCESS);
  g_assert_cmpuint (total_bytes, ==, cuda_obj_device_get_total_memory (fixture->device));

  g_assert_cmpuint (cuda_obj_driver_get_proc ("cuNoSuchEntryPoint", 12000, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND);
  g_clear_error (&error);
  /* Green contexts came with CUDA 12.4: not there for 11.0 callers. */
  g_assert_cmpuint (cuda_obj_driver_get_proc ("cuGreenCtxCreate", 11000, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "newer"));
}

/* Argument checks that come before the driver is even loaded. */
static void
test_driver_get_proc_bad_arguments (void)
{
  static const struct
  {
    const char *name;
    int version;
  } cases[] = { { NULL, 12000 }, { "", 12000 }, { "cuMemGetInfo", 0 }, { "cuMemGetInfo", -1 } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_cmpuint (cuda_obj_driver_get_proc (cases[i].name, cases[i].version, &error), ==, 0);
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_uninitialized (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjContext) context = g_object_new (CUDA_OBJ_TYPE_CONTEXT, NULL);
  g_autoptr (CudaObjDeviceResource) resource = g_object_new (CUDA_OBJ_TYPE_DEVICE_RESOURCE, NULL);
  g_autoptr (CudaObjContext) green = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (CudaObjStream) stream = NULL;

  g_assert_true (cuda_obj_context_is_closed (context));
  g_assert_cmpuint (cuda_obj_context_get_handle (context), ==, 0);
  g_assert_null (cuda_obj_context_get_device (context));
  g_assert_false (cuda_obj_context_make_current (context, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_context_synchronize (context, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_true (cuda_obj_context_close (context, &error));

  stream = cuda_obj_context_create_stream (context, TRUE, 0, &error);
  g_assert_null (stream);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  g_assert_cmpuint (cuda_obj_device_resource_get_sm_count (resource), ==, 0);
  groups = cuda_obj_device_resource_split_by_count (resource, 16, 1, NULL, &error);
  g_assert_null (groups);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  green = cuda_obj_context_new_green (resource, &error);
  g_assert_null (green);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/context/primary", test_primary);
  ADD ("/context/created", test_created);
  ADD ("/context/created/bad-flags", test_created_bad_flags);
  ADD ("/context/foreign", test_foreign);
  ADD ("/context/green", test_green);
  ADD ("/context/green/bad-split", test_green_bad_split);
  ADD ("/launch/programmatic-dependent-launch", test_programmatic_dependent_launch);
  ADD ("/launch/priority", test_launch_priority);
  ADD ("/kernel/new-from-handle", test_kernel_from_handle);
  ADD ("/driver/get-proc", test_driver_get_proc);
#undef ADD
  g_test_add_func ("/driver/get-proc/bad-arguments", test_driver_get_proc_bad_arguments);
  g_test_add_func ("/context/uninitialized", test_uninitialized);
  return g_test_run ();
}
