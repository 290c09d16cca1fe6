/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Event: options, records, timing, queries, waiting, the "completed"
 * signal and its main contexts, lifetimes. */
#include <string.h>

#include "cudaobj-device-private.h"
#include "cudaobj-event-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-test-gate.h"
#include "cudaobj-test-util.h"

#define WORK_SIZE ((gsize) 256 << 20)

static gboolean
fail_timeout (gpointer user_data)
{
  g_error ("timed out waiting for the GPU");
  return G_SOURCE_REMOVE;
}

static CudaObjStream *
new_stream (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  CudaObjStream *stream = cuda_obj_device_create_stream (device, &error);

  g_assert_no_error (error);
  return stream;
}

static void
test_construct_without_device (void)
{
  g_autoptr (GError) error = NULL;
  gboolean have_driver = cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL);
  int expected;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "timing", FALSE, NULL));
  if (have_driver)
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "device"));
    }
  else
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "libcuda.so.1"));
    }
  g_clear_error (&error);
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "ipc", TRUE, NULL));
  expected = have_driver ? CUDA_OBJ_ERROR_INVALID_ARGUMENT : CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND;
  g_assert_error (error, CUDA_OBJ_ERROR, expected);
}

static void
uninitialized_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (cuda_obj_event_wait_finish (CUDA_OBJ_EVENT (source), result, error));
}

static void
test_uninitialized (void)
{
  /* What GJS's `new CudaObj.Event()` makes until init() is called. */
  g_autoptr (CudaObjEvent) event = g_object_new (CUDA_OBJ_TYPE_EVENT, NULL);
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (GError) error = NULL;
  GError *async_error = NULL;

  g_assert_cmpuint (cuda_obj_event_get_handle (event), ==, 0);
  g_assert_true (cuda_obj_event_get_timing (event));
  g_assert_false (cuda_obj_event_get_recorded (event));
  g_assert_false (cuda_obj_event_record (event, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "Event is not initialized"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_event_synchronize (event, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_event_query (event, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (event, event, &error), ==, 0.0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_stream_wait_event (stream, event, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  cuda_obj_event_wait_async (event, NULL, uninitialized_done, &async_error);
  while (async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&async_error);
}

static void
test_properties (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjEvent) event = NULL, plain = NULL;
  g_autoptr (CudaObjDevice) prop_device = NULL;
  g_autoptr (GError) error = NULL;
  gboolean timing = FALSE, blocking = TRUE, ipc = TRUE, recorded = TRUE;
  guint64 handle = 0;

  if (device == NULL)
    return;
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  g_object_get (event, "device", &prop_device, "handle", &handle, "timing", &timing, "blocking-sync",
                &blocking, "ipc", &ipc, "recorded", &recorded, NULL);
  g_assert_true (prop_device == device);
  g_assert_cmpuint (handle, !=, 0);
  g_assert_cmpuint (handle, ==, cuda_obj_event_get_handle (event));
  g_assert_true (timing);
  g_assert_false (blocking);
  g_assert_false (ipc);
  g_assert_false (recorded);

  plain = cuda_obj_event_new (device, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_event_get_timing (plain));
  g_assert_true (cuda_obj_event_get_blocking_sync (plain));
  g_assert_false (cuda_obj_event_get_ipc (plain));
  g_assert_true (cuda_obj_event_get_device (plain) == device);
  g_assert_cmpuint (cuda_obj_event_get_handle (plain), !=, handle);
}

static void
test_ipc_requires_timing_off (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  /* timing defaults to TRUE. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "timing"));
  g_clear_error (&error);

  event = g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, "timing", FALSE,
                          NULL);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_get_ipc (event));
  g_assert_false (cuda_obj_event_get_timing (event));
}

static void
test_elapsed_time (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) start = NULL, end = NULL;
  g_autoptr (GError) error = NULL;
  double ms, none;
  CUdeviceptr ptr;

  if (device == NULL)
    return;
  stream = new_stream (device);
  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  start = cuda_obj_stream_record (stream, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    cudaobj_test_memset (stream, ptr, (guchar) i, WORK_SIZE);
  end = cuda_obj_device_create_event (device, &error);
  g_assert_true (cuda_obj_event_record (end, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_synchronize (end, &error));
  g_assert_no_error (error);

  ms = cuda_obj_event_elapsed_time (start, end, &error);
  g_assert_no_error (error);
  g_test_message ("16 memsets of %" G_GSIZE_FORMAT " MiB: %.3f ms", WORK_SIZE >> 20, ms);
  g_assert_cmpfloat (ms, >, 0.0);
  g_assert_cmpfloat (ms, <, 10000.0);
  /* An event against itself. */
  none = cuda_obj_event_elapsed_time (end, end, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (none, ==, 0.0);
  cudaobj_test_free (device, ptr);
}

static void
test_elapsed_time_timing_off (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) timed = NULL, untimed = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  timed = cuda_obj_stream_record (stream, NULL, &error);
  untimed = cuda_obj_event_new (device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_record (untimed, stream, &error));
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);

  g_assert_cmpfloat (cuda_obj_event_elapsed_time (timed, untimed, &error), ==, 0.0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "end event was created with timing off"));
  g_clear_error (&error);
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (untimed, timed, &error), ==, 0.0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "start event"));
  g_clear_error (&error);

  /* Still usable. */
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (timed, timed, &error), ==, 0.0);
  g_assert_no_error (error);
}

static void
test_elapsed_time_before_record (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) start = NULL, end = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  start = cuda_obj_device_create_event (device, &error);
  end = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);

  cuda_obj_event_elapsed_time (start, end, &error);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "start event was never recorded"));
  g_clear_error (&error);

  g_assert_true (cuda_obj_event_record (start, stream, &error));
  g_assert_no_error (error);
  cuda_obj_event_elapsed_time (start, end, &error);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "end event was never recorded"));
  g_clear_error (&error);

  g_assert_true (cuda_obj_event_record (end, stream, &error));
  g_assert_true (cuda_obj_event_synchronize (end, &error));
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (start, end, &error), >=, 0.0);
  g_assert_no_error (error);
}

static void
test_elapsed_time_not_ready (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) start = NULL, end = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  stream = new_stream (device);
  start = cuda_obj_stream_record (stream, NULL, &error);
  cudaobj_test_gate_close (&gate, stream);
  end = cuda_obj_stream_record (stream, NULL, &error);
  g_assert_no_error (error);
  /* The driver's answer, as a driver error. */
  cuda_obj_event_elapsed_time (start, end, &error);
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_NOT_READY);
  g_assert_nonnull (strstr (error->message, "cuEventElapsedTime"));
  g_clear_error (&error);
  cudaobj_test_gate_open (&gate);
  g_assert_true (cuda_obj_event_synchronize (end, &error));
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (start, end, &error), >=, 0.0);
  g_assert_no_error (error);
}

static void
test_record_other_device (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) second = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  if (cuda_obj_device_get_count (NULL) < 2)
    {
      g_test_skip ("needs two devices");
      return;
    }
  second = cuda_obj_device_get (1, &error);
  g_assert_no_error (error);
  stream = new_stream (second);
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_event_record (event, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "device 1"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_event_get_recorded (event));
  /* Waiting across devices is fine. */
  g_clear_object (&event);
  event = cuda_obj_device_create_event (second, &error);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_clear_object (&stream);
  stream = new_stream (device);
  g_assert_true (cuda_obj_stream_wait_event (stream, event, &error));
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_query (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  stream = new_stream (device);
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  /* Never recorded counts as complete. */
  g_assert_true (cuda_obj_event_query (event, &error));
  g_assert_no_error (error);

  cudaobj_test_gate_close (&gate, stream);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_get_recorded (event));
  g_assert_false (cuda_obj_event_query (event, &error));
  g_assert_no_error (error);
  cudaobj_test_gate_open (&gate);
  g_assert_true (cuda_obj_event_synchronize (event, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_query (event, &error));
  g_assert_no_error (error);
}

static void
test_synchronize (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  CUdeviceptr ptr;
  guchar last = 0;

  if (device == NULL)
    return;
  stream = new_stream (device);
  /* Never recorded: returns at once. */
  event = cuda_obj_event_new (device, FALSE, TRUE, &error);
  g_assert_true (cuda_obj_event_synchronize (event, &error));
  g_assert_no_error (error);

  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  cudaobj_test_memset (stream, ptr, 9, WORK_SIZE);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_true (cuda_obj_event_synchronize (event, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_query (event, &error));
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemcpyDtoH (&last, ptr + WORK_SIZE - 1, 1), ==, CUDA_SUCCESS);
  g_assert_cmpuint (last, ==, 9);
  cudaobj_test_free (device, ptr);
}

typedef struct
{
  GMainLoop *loop;
  GThread *thread;
  guint calls;
  gboolean ok;
  GError *error;
} WaitState;

static void
wait_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WaitState *state = user_data;

  g_assert_true (g_thread_self () == state->thread);
  state->ok = cuda_obj_event_wait_finish (CUDA_OBJ_EVENT (source), result, &state->error);
  state->calls++;
  g_main_loop_quit (state->loop);
}

static void
test_wait_async (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  WaitState state = { 0 };
  guint timeout;

  if (device == NULL)
    return;
  stream = new_stream (device);
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.thread = g_thread_self ();
  timeout = g_timeout_add_seconds (30, fail_timeout, NULL);

  /* Both kinds of waiting thread: spinning and sleeping. */
  for (guint blocking = 0; blocking < 2; blocking++)
    {
      g_autoptr (CudaObjEvent) event = cuda_obj_event_new (device, FALSE, blocking, &error);
      CudaObjTestGate gate;

      g_assert_no_error (error);
      cudaobj_test_gate_close (&gate, stream);
      g_assert_true (cuda_obj_event_record (event, stream, &error));
      g_assert_no_error (error);
      state.calls = 0;
      cuda_obj_event_wait_async (event, NULL, wait_done, &state);
      cudaobj_test_iterate_for (100);
      g_assert_cmpuint (state.calls, ==, 0);
      cudaobj_test_gate_open (&gate);
      g_main_loop_run (loop);
      g_assert_cmpuint (state.calls, ==, 1);
      g_assert_no_error (state.error);
      g_assert_true (state.ok);
      g_assert_true (cuda_obj_event_query (event, &error));

      /* Complete already: calls back from the loop, not from within. */
      state.calls = 0;
      cuda_obj_event_wait_async (event, NULL, wait_done, &state);
      g_assert_cmpuint (state.calls, ==, 0);
      g_main_loop_run (loop);
      g_assert_cmpuint (state.calls, ==, 1);
      g_assert_true (state.ok);
      g_assert_true (cuda_obj_stream_synchronize (stream, &error));
    }
  g_source_remove (timeout);
}

typedef struct
{
  GMainContext *context;
  GThread *thread;
  GMainLoop *loop;
  guint emissions;
  guint expected;
} Completed;

static void
on_completed (CudaObjEvent *event, gpointer user_data)
{
  Completed *c = user_data;
  g_autoptr (GError) error = NULL;

  /* In the recording thread's thread-default context, never a driver thread. */
  g_assert_true (g_thread_self () == c->thread);
  g_assert_true (g_main_context_is_owner (c->context));
  g_assert_true (
      g_main_context_get_thread_default () == c->context
      || (c->context == g_main_context_default () && g_main_context_get_thread_default () == NULL));
  c->emissions++;
  /* Emissions come in record order: at the last one, the event's latest
   * record is done (earlier ones may see the event re-recorded since). */
  if (c->emissions == c->expected)
    {
      g_assert_true (cuda_obj_event_query (event, &error));
      g_assert_no_error (error);
    }
  if (c->emissions == c->expected && c->loop != NULL)
    g_main_loop_quit (c->loop);
}

/* Every completion mode keeps the same contract. */
static void
test_completed (gconstpointer data)
{
  CudaObjCompletionMode mode = GPOINTER_TO_INT (data);
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  Completed c = { 0 };
  CudaObjTestGate gate;
  guint timeout;
  CUdeviceptr ptr;

  if (device == NULL)
    return;
  stream = new_stream (device);
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  cuda_obj_event_set_completion_mode (event, mode);
  g_assert_cmpint (cuda_obj_event_get_completion_mode (event), ==, mode);
  loop = g_main_loop_new (NULL, FALSE);
  c.context = g_main_context_default ();
  c.thread = g_thread_self ();
  c.loop = loop;
  c.expected = 3;
  g_signal_connect (event, "completed", G_CALLBACK (on_completed), &c);

  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  cudaobj_test_gate_close (&gate, stream);
  for (guint i = 0; i < 3; i++)
    {
      cudaobj_test_memset (stream, ptr, (guchar) i, WORK_SIZE);
      g_assert_true (cuda_obj_event_record (event, stream, &error));
      g_assert_no_error (error);
    }
  /* Held by the gate: nothing yet, and each pending record holds the event. */
  cudaobj_test_iterate_for (50);
  g_assert_cmpuint (c.emissions, ==, 0);
  g_assert_cmpuint (G_OBJECT (event)->ref_count, ==, 4);
  cudaobj_test_gate_open (&gate);

  timeout = g_timeout_add_seconds (30, fail_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_cmpuint (c.emissions, ==, 3);
  /* Exactly once per record: nothing more arrives. */
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  cudaobj_test_iterate_for (100);
  g_assert_cmpuint (c.emissions, ==, 3);
  g_assert_cmpuint (G_OBJECT (event)->ref_count, ==, 1);
  cudaobj_test_free (device, ptr);
}

static void
count_notify (guint *count)
{
  (*count)++;
}

/* The completion mode: host function by default, settable on an
 * uninitialized event too, notified on change, out-of-range values ignored. */
static void
test_completion_mode (void)
{
  g_autoptr (CudaObjEvent) event = g_object_new (CUDA_OBJ_TYPE_EVENT, NULL);
  guint notifications = 0;
  CudaObjCompletionMode mode;

  g_assert_cmpint (cuda_obj_event_get_completion_mode (event), ==, CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION);
  g_signal_connect_swapped (event, "notify::completion-mode", G_CALLBACK (count_notify), &notifications);
  g_object_set (event, "completion-mode", CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD, NULL);
  g_object_get (event, "completion-mode", &mode, NULL);
  g_assert_cmpint (mode, ==, CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD);
  cuda_obj_event_set_completion_mode (event, CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD);
  g_assert_cmpuint (notifications, ==, 1);
  cuda_obj_event_set_completion_mode (event, (CudaObjCompletionMode) 42);
  g_assert_cmpint (cuda_obj_event_get_completion_mode (event), ==, CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD);
  g_assert_cmpuint (notifications, ==, 1);
}

typedef struct
{
  CudaObjDevice *device;
  CudaObjStream *stream;
  guint emissions;
} ThreadData;

static gpointer
record_in_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GSource) timeout = g_timeout_source_new_seconds (30);
  g_autoptr (GError) error = NULL;
  Completed c = { 0 };

  g_main_context_push_thread_default (context);
  c.context = context;
  c.thread = g_thread_self ();
  c.loop = loop;
  c.expected = 2;
  event = cuda_obj_device_create_event (data->device, &error);
  g_assert_no_error (error);
  g_signal_connect (event, "completed", G_CALLBACK (on_completed), &c);
  g_assert_true (cuda_obj_event_record (event, data->stream, &error));
  g_assert_true (cuda_obj_event_record (event, data->stream, &error));
  g_assert_no_error (error);
  g_source_set_callback (timeout, fail_timeout, NULL, NULL);
  g_source_attach (timeout, context);
  g_main_loop_run (loop);
  g_source_destroy (timeout);
  g_assert_true (cuda_obj_stream_synchronize (data->stream, &error));
  while (g_main_context_iteration (context, FALSE))
    ;
  data->emissions = c.emissions;
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_completed_in_thread_context (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  ThreadData data = { 0 };
  GThread *thread;

  if (device == NULL)
    return;
  stream = new_stream (device);
  data.device = device;
  data.stream = stream;
  /* The thread's loop runs until its emissions arrive in its context (or
   * times out); a stray emission dispatched here hits the thread check. */
  thread = g_thread_new ("record", record_in_thread, &data);
  cudaobj_test_iterate_for (20);
  g_thread_join (thread);
  cudaobj_test_iterate_for (20);
  g_assert_cmpuint (data.emissions, ==, 2);
}

static void
test_completed_no_handler (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  Completed c = { 0 };
  gulong handler;

  if (device == NULL)
    return;
  stream = new_stream (device);
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_no_error (error);
  /* No emission machinery: nothing holds the event. */
  g_assert_cmpuint (G_OBJECT (event)->ref_count, ==, 1);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);

  /* A handler connected afterwards sees none of those. */
  c.context = g_main_context_default ();
  c.thread = g_thread_self ();
  c.expected = 1;
  handler = g_signal_connect (event, "completed", G_CALLBACK (on_completed), &c);
  cudaobj_test_iterate_for (100);
  g_assert_cmpuint (c.emissions, ==, 0);

  /* A blocked handler still counts as connected at record time. */
  g_signal_handler_block (event, handler);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_no_error (error);
  g_signal_handler_unblock (event, handler);
  loop = g_main_loop_new (NULL, FALSE);
  c.loop = loop;
  g_main_loop_run (loop);
  g_assert_cmpuint (c.emissions, ==, 1);

  /* Disconnected before recording: no emission. */
  g_signal_handler_disconnect (event, handler);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_cmpuint (G_OBJECT (event)->ref_count, ==, 1);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static gpointer
drop_object (gpointer object)
{
  g_object_unref (object);
  return NULL;
}

static void
test_outlives_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL, other = NULL;
  g_autoptr (CudaObjEvent) start = NULL, end = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  Completed c = { 0 };
  CudaObjTestGate gate;
  GThread *dropper;
  guint timeout;

  if (device == NULL)
    return;
  stream = new_stream (device);
  start = cuda_obj_stream_record (stream, NULL, &error);
  end = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);
  loop = g_main_loop_new (NULL, FALSE);
  c.context = g_main_context_default ();
  c.thread = g_thread_self ();
  c.loop = loop;
  c.expected = 1;
  g_signal_connect (end, "completed", G_CALLBACK (on_completed), &c);

  cudaobj_test_gate_close (&gate, stream);
  g_assert_true (cuda_obj_event_record (end, stream, &error));
  g_assert_no_error (error);
  /* The last reference goes while the work is held: the driver destroys the
   * stream once its work is done. cuStreamDestroy returns at once, but a
   * tool may make it wait for the stream (compute-sanitizer does): drop it
   * in another thread, so that this one can still open the gate. */
  dropper = g_thread_new ("drop-stream", drop_object, g_steal_pointer (&stream));
  cudaobj_test_gate_open (&gate);
  g_thread_join (dropper);
  timeout = g_timeout_add_seconds (30, fail_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_cmpuint (c.emissions, ==, 1);

  g_assert_true (cuda_obj_event_synchronize (end, &error));
  g_assert_true (cuda_obj_event_query (end, &error));
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (start, end, &error), >=, 0.0);
  g_assert_no_error (error);
  other = new_stream (device);
  g_assert_true (cuda_obj_stream_wait_event (other, end, &error));
  g_assert_true (cuda_obj_stream_synchronize (other, &error));
  g_assert_no_error (error);
}

static void
test_disposed (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL, good = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  WaitState state = { 0 };

  if (device == NULL)
    return;
  stream = new_stream (device);
  event = cuda_obj_stream_record (stream, NULL, &error);
  good = cuda_obj_stream_record (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_synchronize (event, &error));
  /* What a binding does when it lets go of an object early. */
  g_object_run_dispose (G_OBJECT (event));
  g_assert_cmpuint (cuda_obj_event_get_handle (event), ==, 0);

#define ASSERT_DISPOSED(call)                                      \
  G_STMT_START                                                     \
  {                                                                \
    g_assert_false (call);                                         \
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED); \
    g_clear_error (&error);                                        \
  }                                                                \
  G_STMT_END
  ASSERT_DISPOSED (cuda_obj_event_record (event, stream, &error));
  ASSERT_DISPOSED (cuda_obj_event_synchronize (event, &error));
  ASSERT_DISPOSED (cuda_obj_event_query (event, &error));
  ASSERT_DISPOSED (cuda_obj_event_elapsed_time (event, good, &error) != 0.0);
  ASSERT_DISPOSED (cuda_obj_event_elapsed_time (good, event, &error) != 0.0);
  ASSERT_DISPOSED (cuda_obj_stream_wait_event (stream, event, &error));
  ASSERT_DISPOSED (cuda_obj_stream_record (stream, event, &error) != NULL);
  ASSERT_DISPOSED (cuda_obj_event_peek_handle (event, &error) != NULL);
#undef ASSERT_DISPOSED

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.thread = g_thread_self ();
  cuda_obj_event_wait_async (event, NULL, wait_done, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&state.error);

  /* The rest works. */
  g_assert_true (cuda_obj_event_record (good, stream, &error));
  g_assert_true (cuda_obj_event_synchronize (good, &error));
  g_assert_no_error (error);
}

static void
test_new_from_handle_invalid (void)
{
  cudaobj_test_new_from_handle_invalid ((CudaObjTestWrapFunc) cuda_obj_event_new_from_handle,
                                        "event handle 0");
}

static void
test_new_from_handle (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) start = NULL, wrapper = NULL, owned = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDriver *drv;
  GObject *owner;
  CUevent raw = NULL;
  guint refs;

  if (device == NULL)
    return;
  drv = cuda_obj_driver_peek ();
  stream = new_stream (device);
  g_assert_true (cuda_obj_device_activate (device, &error));
  g_assert_cmpint (drv->cuEventCreate (&raw, CU_EVENT_DEFAULT), ==, CUDA_SUCCESS);
  owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);

  wrapper = cuda_obj_event_new_from_handle (device, (guint64) (guintptr) raw, owner, &error);
  g_assert_no_error (error);
  g_object_unref (owner);
  g_assert_nonnull (owner); /* the wrapper keeps it alive */
  g_assert_cmpuint (cuda_obj_event_get_handle (wrapper), ==, (guint64) (guintptr) raw);
  g_assert_false (cuda_obj_event_get_owns_handle (wrapper));
  g_assert_true (cuda_obj_event_get_device (wrapper) == device);
  /* The flags are the defaults: the driver cannot tell them. */
  g_assert_true (cuda_obj_event_get_timing (wrapper));
  g_assert_false (cuda_obj_event_get_ipc (wrapper));
  g_assert_false (cuda_obj_event_get_recorded (wrapper));

  /* Recorded, waited for, queried and timed like an owned event. */
  start = cuda_obj_event_new (device, TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_record (start, stream, &error));
  g_assert_true (cuda_obj_event_record (wrapper, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_get_recorded (wrapper));
  g_assert_true (cuda_obj_event_synchronize (wrapper, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_query (wrapper, &error));
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (start, wrapper, &error), >=, 0.);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_wait_event (stream, wrapper, &error));
  g_assert_no_error (error);

  /* Dropping the wrapper releases the owner and leaves the event alive. */
  g_clear_object (&wrapper);
  g_assert_null (owner);
  g_assert_true (cuda_obj_device_activate (device, &error));
  g_assert_cmpint (drv->cuEventRecord (raw, (CUstream) (guintptr) cuda_obj_stream_get_handle (stream)), ==,
                   CUDA_SUCCESS);
  g_assert_cmpint (drv->cuEventSynchronize (raw), ==, CUDA_SUCCESS);
  g_assert_cmpint (drv->cuEventDestroy (raw), ==, CUDA_SUCCESS);

  /* An owned event's handle, its owner kept alive. */
  owned = cuda_obj_event_new (device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_get_owns_handle (owned));
  refs = G_OBJECT (owned)->ref_count;
  wrapper
      = cuda_obj_event_new_from_handle (device, cuda_obj_event_get_handle (owned), G_OBJECT (owned), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (G_OBJECT (owned)->ref_count, ==, refs + 1);
  g_assert_true (cuda_obj_event_record (wrapper, stream, &error));
  g_assert_true (cuda_obj_event_synchronize (owned, &error)); /* the same event */
  g_assert_no_error (error);
  /* Timing off is the driver's to report for a wrapped event. */
  g_assert_cmpfloat (cuda_obj_event_elapsed_time (start, wrapper, &error), ==, 0.);
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_INVALID_HANDLE);
  g_clear_error (&error);
  g_clear_object (&wrapper);
  g_assert_cmpuint (G_OBJECT (owned)->ref_count, ==, refs);
  g_assert_true (cuda_obj_event_query (owned, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event/construct-without-device", test_construct_without_device);
  g_test_add_func ("/event/uninitialized", test_uninitialized);
  g_test_add_func ("/event/properties", test_properties);
  g_test_add_func ("/event/ipc-requires-timing-off", test_ipc_requires_timing_off);
  g_test_add_func ("/event/elapsed-time", test_elapsed_time);
  g_test_add_func ("/event/elapsed-time-timing-off", test_elapsed_time_timing_off);
  g_test_add_func ("/event/elapsed-time-before-record", test_elapsed_time_before_record);
  g_test_add_func ("/event/elapsed-time-not-ready", test_elapsed_time_not_ready);
  g_test_add_func ("/event/record-other-device", test_record_other_device);
  g_test_add_func ("/event/query", test_query);
  g_test_add_func ("/event/synchronize", test_synchronize);
  g_test_add_func ("/event/wait-async", test_wait_async);
  g_test_add_data_func ("/event/completed/host-function",
                        GINT_TO_POINTER (CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION), test_completed);
  g_test_add_data_func ("/event/completed/waiter-thread",
                        GINT_TO_POINTER (CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD), test_completed);
  g_test_add_func ("/event/completion-mode", test_completion_mode);
  g_test_add_func ("/event/completed-in-thread-context", test_completed_in_thread_context);
  g_test_add_func ("/event/completed-no-handler", test_completed_no_handler);
  g_test_add_func ("/event/outlives-stream", test_outlives_stream);
  g_test_add_func ("/event/disposed", test_disposed);
  g_test_add_func ("/event/new-from-handle/invalid", test_new_from_handle_invalid);
  g_test_add_func ("/event/new-from-handle", test_new_from_handle);
  return g_test_run ();
}
