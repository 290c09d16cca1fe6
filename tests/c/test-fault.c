/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A faulting kernel does not end the application: the device is marked
 * lost (property at once, ::lost once in the main context), reset brings it
 * back in the same process, and objects of the old context report CLOSED.
 *
 * Each fault runs in a subprocess of its own, so that one fault's outcome
 * cannot leak into another's; /fault/repeated runs all three in one process,
 * the way a long-lived application would meet them. */
#include <string.h>

#include "cudaobj-device-private.h"
#include "cudaobj-test-util.h"
#include "cudaobj-test-gate.h"

static const char fault_source[]
    /* What <assert.h> expands to in device code; NVRTC declares __assertfail
     * itself but ships no <cassert> without the toolkit's include path. */
    = "#define assert(e) ((e) ? (void) 0 : __assertfail (#e, __FILE__, __LINE__, __func__, sizeof (char)))\n"
      "extern \"C\" __global__ void write_illegal_address (int *p)\n"
      "{\n"
      "  *(volatile int *) p = 42;\n"
      "}\n"
      "extern \"C\" __global__ void trap (int *p)\n"
      "{\n"
      "  if (threadIdx.x == 0) __trap ();\n"
      "  p[threadIdx.x] = 1;\n"
      "}\n"
      "extern \"C\" __global__ void fail_assert (int *p)\n"
      "{\n"
      "  assert (p == nullptr);\n"
      "}\n"
      "extern \"C\" __global__ void add_one (int *x, int n)\n"
      "{\n"
      "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  if (i < n) x[i] += 1;\n"
      "}\n";

typedef struct
{
  const char *name; /* test path and kernel */
  const char *kernel;
  CUresult result; /* what the driver reports */
} Fault;

/* clang-format off */
static const Fault faults[] = {
  { "illegal-address", "write_illegal_address", CUDA_ERROR_ILLEGAL_ADDRESS },
  { "trap",            "trap",                  CUDA_ERROR_LAUNCH_FAILED },
  { "assert",          "fail_assert",           CUDA_ERROR_ASSERT },
};
/* clang-format on */

typedef struct
{
  guint lost_emissions;
  guint lost_notifications;
  gboolean emitted_in_main_context;
} LostWatch;

static void
on_lost (CudaObjDevice *device, LostWatch *watch)
{
  GMainContext *thread_default = g_main_context_ref_thread_default ();

  watch->lost_emissions++;
  watch->emitted_in_main_context
      = g_main_context_is_owner (g_main_context_default ()) && thread_default == g_main_context_default ();
  g_main_context_unref (thread_default);
  /* The property agrees with the signal. */
  g_assert_true (cuda_obj_device_get_lost (device));
}

static void
on_notify_lost (CudaObjDevice *device, GParamSpec *pspec, LostWatch *watch)
{
  watch->lost_notifications++;
}

static void
iterate_until (guint *counter, guint value, guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (*counter < value && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static CudaObjBuffer *
ints_buffer (CudaObjDevice *device, CudaObjStream *stream, const int *values, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (values, n * sizeof (int));
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, n * sizeof (int), stream, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, stream, &error));
  g_assert_no_error (error);
  return buffer;
}

/* add_one over 256 ints on a new stream and new memory: the device works. */
static void
assert_good_kernel_runs (CudaObjDevice *device, CudaObjObjectCode *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (device, &error);
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (2, 128);
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (GBytes) result = NULL;
  int values[256];
  const int *out;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = (int) i * 3;
  x = ints_buffer (device, stream, values, G_N_ELEMENTS (values));
  kernel = cuda_obj_object_code_get_kernel (code, "add_one", &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_int32 (args, 1, G_N_ELEMENTS (values));
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (x, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (result), ==, sizeof values);
  out = g_bytes_get_data (result, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpint (out[i], ==, (int) i * 3 + 1);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
assert_closed_by_reset (GError *error)
{
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "reset of device"));
}

/* One fault, from launch to recovery. */
/* Faults, checks ::lost, resets. Returns whether the driver gave the process
 * a new context (580 gives none after a sticky error; see
 * cuda_obj_device_reset()). */
static gboolean
run_fault (CudaObjDevice *device, CudaObjObjectCode *code, const Fault *fault)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (device, &error);
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 32);
  g_autoptr (GBytes) bytes = NULL;
  const char *fault_name = cuda_obj_driver_error_get_name (fault->result);
  LostWatch watch = { 0 };
  gulong lost_id, notify_id;
  int zeros[32] = { 0 };
  gboolean launched, recovered;

  g_assert_no_error (error);
  g_assert_false (cuda_obj_device_get_lost (device));
  lost_id = g_signal_connect (device, "lost", G_CALLBACK (on_lost), &watch);
  notify_id = g_signal_connect (device, "notify::lost", G_CALLBACK (on_notify_lost), &watch);

  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  buffer = ints_buffer (device, stream, zeros, G_N_ELEMENTS (zeros));
  kernel = cuda_obj_object_code_get_kernel (code, fault->kernel, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  if (fault->result == CUDA_ERROR_ILLEGAL_ADDRESS)
    cuda_obj_kernel_args_set_uint64 (args, 0, 0x10); /* nothing is mapped there */
  else
    cuda_obj_kernel_args_set_buffer (args, 0, buffer);

  /* The launch is asynchronous: the fault shows at the next wait (rarely at
   * the launch itself). The first call to see it gets the driver's error. */
  launched = cuda_obj_launch (stream, config, kernel, args, &error);
  if (launched)
    g_assert_false (cuda_obj_stream_synchronize (stream, &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, (int) fault->result);
  g_assert_nonnull (strstr (error->message, fault_name));
  g_clear_error (&error);
  g_assert_true (cuda_obj_device_get_lost (device));

  /* Later calls say the device is lost and why. */
  g_assert_false (cuda_obj_device_synchronize (device, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST);
  g_assert_nonnull (strstr (error->message, fault_name));
  g_assert_nonnull (strstr (error->message, "reset"));
  g_clear_error (&error);

  /* ::lost comes from the main context, not from the failing call, once. */
  g_assert_cmpuint (watch.lost_emissions, ==, 0);
  iterate_until (&watch.lost_emissions, 1, 5000);
  g_assert_cmpuint (watch.lost_emissions, ==, 1);
  g_assert_true (watch.emitted_in_main_context);
  g_assert_cmpuint (watch.lost_notifications, ==, 1);
  cudaobj_test_iterate_for (100);
  g_assert_cmpuint (watch.lost_emissions, ==, 1);

  /* Reset: the old objects are closed whatever the driver decides. */
  recovered = cuda_obj_device_reset (device, &error);
  if (recovered)
    {
      g_assert_no_error (error);
      g_assert_false (cuda_obj_device_get_lost (device));
      g_assert_cmpuint (watch.lost_notifications, ==, 2);
    }
  else
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST);
      g_assert_nonnull (strstr (error->message, "restart the process"));
      g_test_message ("no new context in this process after %s: %s", fault_name, error->message);
      g_clear_error (&error);
      g_assert_true (cuda_obj_device_get_lost (device));
      g_assert_cmpuint (watch.lost_notifications, ==, 1);
    }

  g_assert_false (cuda_obj_stream_synchronize (stream, &error));
  assert_closed_by_reset (error);
  g_clear_error (&error);
  g_assert_true (cuda_obj_stream_is_closed (stream));
  g_assert_false (cuda_obj_event_query (event, &error));
  assert_closed_by_reset (error);
  g_clear_error (&error);
  bytes = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_null (bytes);
  assert_closed_by_reset (error);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_get_closed (buffer));
  g_assert_cmpuint (cuda_obj_buffer_get_handle (buffer), ==, 0);

  if (recovered)
    {
      /* Code compiled before the fault runs in the new context. */
      assert_good_kernel_runs (device, code);
    }
  else
    {
      g_autoptr (CudaObjStream) new_stream = cuda_obj_device_create_stream (device, &error);

      /* Still lost: new work is refused with an error, never a crash. */
      g_assert_null (new_stream);
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST);
      g_clear_error (&error);
      g_assert_false (cuda_obj_device_reset (device, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST);
      g_clear_error (&error);
    }
  g_assert_cmpuint (watch.lost_emissions, ==, 1);

  g_signal_handler_disconnect (device, lost_id);
  g_signal_handler_disconnect (device, notify_id);
  return recovered;
}

static CudaObjObjectCode *
compile_fault_kernels (CudaObjDevice *device)
{
  return cudaobj_test_compile (device, fault_source, NULL);
}

/* A fault in a child process leaves this one's context and the GPU working. */
static void
assert_healthy_in_this_process (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;

  if (device == NULL)
    return;
  g_assert_false (cuda_obj_device_get_lost (device));
  code = compile_fault_kernels (device);
  assert_good_kernel_runs (device, code);
}

static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  const char *reason = NULL;

  if (!g_test_subprocess ())
    {
      /* Only the parent decides to skip: the child inherits the answer. */
      if (!cudaobj_test_have_gpu (&reason))
        {
          g_test_skip (reason);
          return;
        }
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      assert_healthy_in_this_process ();
      return;
    }

  {
    g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
    g_autoptr (CudaObjObjectCode) code = NULL;

    if (device == NULL)
      return;
    code = compile_fault_kernels (device);
    run_fault (device, code, fault);
  }
}

static void
test_fault_repeated (void)
{
  const char *reason = NULL;

  if (!g_test_subprocess ())
    {
      if (!cudaobj_test_have_gpu (&reason))
        {
          g_test_skip (reason);
          return;
        }
      g_test_trap_subprocess (NULL, 240 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      assert_healthy_in_this_process ();
      return;
    }

  {
    g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
    g_autoptr (CudaObjObjectCode) code = NULL;

    if (device == NULL)
      return;
    code = compile_fault_kernels (device);
    /* Fault after fault while the driver gives new contexts; where it gives
     * none, the first fault ends the GPU work of this process. */
    for (guint round = 0; round < 2; round++)
      for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
        if (!run_fault (device, code, &faults[i]))
          return;
  }
}

static void
on_notify_set_flag (CudaObjDevice *device, GParamSpec *pspec, gboolean *flag)
{
  *flag = TRUE;
}

/* A reset with nothing lost invalidates all the same, and clears nothing. */
static void
test_reset_healthy_device (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjStream) capturing_stream = NULL;
  g_autoptr (CudaObjMemoryResource) before = NULL;
  g_autoptr (CudaObjMemoryResource) after = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraphBuilder) capturing = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  gboolean notified = FALSE;

  if (device == NULL)
    return;
  code = compile_fault_kernels (device);
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  capturing_stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  before = cuda_obj_device_get_memory_resource (device);
  buffer = cuda_obj_device_allocate (device, 64, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  /* An executable graph, and a capture still going on at the reset. */
  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_RELAXED, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (buffer, 7, 4, 0, 16, stream, &error));
  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);
  capturing = cuda_obj_graph_builder_new (capturing_stream, CUDA_OBJ_CAPTURE_MODE_RELAXED, &error);
  g_assert_no_error (error);
  g_signal_connect (device, "notify::lost", G_CALLBACK (on_notify_set_flag), &notified);
  g_assert_true (cuda_obj_device_reset (device, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_device_get_lost (device));
  g_signal_handlers_disconnect_by_data (device, &notified);
  g_assert_false (notified);
  g_assert_false (cuda_obj_stream_synchronize (stream, &error));
  assert_closed_by_reset (error);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_get_closed (buffer));
  {
    g_autoptr (CudaObjStream) fresh = cuda_obj_device_create_stream (device, &error);

    g_assert_no_error (error);
    g_assert_false (cuda_obj_graph_launch (graph, fresh, &error));
    assert_closed_by_reset (error);
    g_clear_error (&error);
  }
  /* The capture ends through its stream, which the reset closed. */
  g_assert_false (cuda_obj_graph_builder_end (capturing, &error));
  assert_closed_by_reset (error);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_get_capturing (capturing));
  /* A closed default pool resource is replaced; a synchronous one stays. */
  after = cuda_obj_device_get_memory_resource (device);
  if (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (before))
    g_assert_true (after != before);
  assert_good_kernel_runs (device, code);
  /* Code compiled and loaded after the reset runs too. */
  {
    g_autoptr (CudaObjObjectCode) fresh = compile_fault_kernels (device);

    assert_good_kernel_runs (device, fresh);
  }
}

/* Without a GPU too: a device never initialized gives a GError. */
static void
test_reset_uninitialized_device (void)
{
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_device_reset (device, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_false (cuda_obj_device_get_lost (device));
}

/* Without a GPU too: a sticky result with no device context current stays a
 * driver error and marks nothing. */
static void
test_sticky_error_without_context (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_check (CUDA_ERROR_ILLEGAL_ADDRESS, "cuStreamSynchronize", &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_ILLEGAL_ADDRESS);
  g_assert_nonnull (strstr (error->message, "cuStreamSynchronize"));
  g_assert_nonnull (strstr (error->message, "CUDA_ERROR_ILLEGAL_ADDRESS"));
}

typedef struct
{
  CUresult result;
  gboolean sticky;
} StickyCase;

/* clang-format off */
static const StickyCase sticky_cases[] = {
  { CUDA_ERROR_ILLEGAL_ADDRESS,       TRUE },
  { CUDA_ERROR_LAUNCH_FAILED,         TRUE },
  { CUDA_ERROR_ASSERT,                TRUE },
  { CUDA_ERROR_HARDWARE_STACK_ERROR,  TRUE },
  { CUDA_ERROR_ILLEGAL_INSTRUCTION,   TRUE },
  { CUDA_ERROR_MISALIGNED_ADDRESS,    TRUE },
  { CUDA_ERROR_INVALID_ADDRESS_SPACE, TRUE },
  { CUDA_ERROR_INVALID_PC,            TRUE },
  { CUDA_ERROR_LAUNCH_TIMEOUT,        TRUE },
  { CUDA_ERROR_INVALID_VALUE,         FALSE },
  { CUDA_ERROR_OUT_OF_MEMORY,         FALSE },
  { CUDA_ERROR_NOT_READY,             FALSE },
  { CUDA_ERROR_INVALID_HANDLE,        FALSE },
  { CUDA_ERROR_NOT_SUPPORTED,         FALSE },
};
/* clang-format on */

static void
test_sticky_results (gconstpointer data)
{
  const StickyCase *c = data;

  g_assert_cmpint (cuda_obj_result_is_sticky (c->result), ==, c->sticky);
}

/* The fault kernels compile without a GPU (NVRTC only), so a broken kernel
 * source shows here rather than on the GPU machine. */
static void
test_fault_kernels_compile (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "std", "c++17", NULL);
  g_autoptr (CudaObjProgram) program
      = cuda_obj_program_new (fault_source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) code
      = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  GBytes *ptx;
  g_autofree char *text = NULL;

  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  ptx = cuda_obj_object_code_get_code (code);
  text = g_strndup (g_bytes_get_data (ptx, NULL), g_bytes_get_size (ptx));
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    g_assert_nonnull (strstr (text, faults[i].kernel));
  g_assert_nonnull (strstr (text, "trap;"));
  g_assert_nonnull (strstr (text, "__assertfail"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fault/%s/lost-once-then-reset", faults[i].name);
      g_test_add_data_func (path, &faults[i], test_fault);
    }
  g_test_add_func ("/fault/repeated/in-one-process", test_fault_repeated);
  g_test_add_func ("/fault/reset/healthy-device", test_reset_healthy_device);
  g_test_add_func ("/fault/reset/uninitialized-device", test_reset_uninitialized_device);
  g_test_add_func ("/fault/sticky/without-context", test_sticky_error_without_context);
  for (guint i = 0; i < G_N_ELEMENTS (sticky_cases); i++)
    {
      g_autofree char *path
          = g_strdup_printf ("/fault/sticky/%s", cuda_obj_driver_error_get_name (sticky_cases[i].result));
      g_test_add_data_func (path, &sticky_cases[i], test_sticky_results);
    }
  g_test_add_func ("/fault/kernels-compile", test_fault_kernels_compile);
  return g_test_run ();
}
