/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stream: creation, priorities, queries, synchronization, ordering between
 * streams, records, closing, wrapping foreign handles. */
#include <string.h>

#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-test-gate.h"
#include "cudaobj-test-util.h"

#define WORK_SIZE ((gsize) 64 << 20)

static void
test_construct_without_device (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) stream = NULL;
  gboolean have_driver = cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL);
  int expected;

  /* What a binding's CudaObj.Stream() does: GInitable reports, never aborts. */
  stream = g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, &error, "priority", 0, NULL);
  g_assert_null (stream);
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
  /* The same again: nothing was left half-initialized. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, &error, NULL));
  expected = have_driver ? CUDA_OBJ_ERROR_INVALID_ARGUMENT : CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND;
  g_assert_error (error, CUDA_OBJ_ERROR, expected);
}

static void
uninitialized_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (cuda_obj_stream_synchronize_finish (CUDA_OBJ_STREAM (source), result, error));
}

static void
test_uninitialized (void)
{
  /* What GJS's `new CudaObj.Stream()` makes until init() is called: every
   * method reports an error instead of touching a NULL device. */
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (GError) error = NULL;
  GError *async_error = NULL;
  CUstream handle = (CUstream) 0x1234;

  g_assert_true (cuda_obj_stream_is_closed (stream));
  g_assert_cmpuint (cuda_obj_stream_get_handle (stream), ==, 0);
  g_assert_false (cuda_obj_stream_get_owns_handle (stream));
  g_assert_false (cuda_obj_stream_synchronize (stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "not initialized"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_stream_query (stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_stream_record (stream, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_stream_wait_stream (stream, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_stream_prepare (stream, &handle, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_true (handle == (CUstream) 0x1234);
  g_clear_error (&error);

  cuda_obj_stream_synchronize_async (stream, NULL, uninitialized_done, &async_error);
  while (async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&async_error);

  /* Closing it is harmless, and init() still reports why it cannot work. */
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_no_error (error);
  g_assert_false (g_initable_init (G_INITABLE (stream), NULL, &error));
  g_assert_nonnull (error);
}

static void
test_create (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjDevice) prop_device = NULL;
  g_autoptr (GError) error = NULL;
  guint64 handle = 0;
  gboolean owns = FALSE, closed = TRUE, non_blocking = FALSE;
  int priority = -1;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_STREAM (stream));
  g_object_get (stream, "device", &prop_device, "handle", &handle, "owns-handle", &owns, "closed", &closed,
                "non-blocking", &non_blocking, "priority", &priority, NULL);
  g_assert_true (prop_device == device);
  g_assert_true (cuda_obj_stream_get_device (stream) == device);
  g_assert_cmpuint (handle, !=, 0);
  g_assert_cmpuint (handle, ==, cuda_obj_stream_get_handle (stream));
  g_assert_true ((guint64) (guintptr) cuda_obj_stream_peek_handle (stream) == handle);
  g_assert_true (cuda_obj_stream_peek_device (stream) == device);
  g_assert_true (owns);
  g_assert_false (closed);
  g_assert_true (non_blocking);
  g_assert_cmpint (priority, ==, 0);
  g_assert_false (cuda_obj_stream_is_closed (stream));

  /* Two streams are two handles. */
  {
    g_autoptr (CudaObjStream) other = cuda_obj_stream_new (device, FALSE, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cuda_obj_stream_get_handle (other), !=, handle);
  }
}

static void
test_priority_range (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) high = NULL, low = NULL;
  g_autoptr (GError) error = NULL;
  int lowest = 1, highest = 1, driver_priority = 1;
  CUstream handle;

  if (device == NULL)
    return;
  g_assert_true (cuda_obj_stream_get_priority_range (device, &lowest, &highest, &error));
  g_assert_no_error (error);
  g_test_message ("stream priorities: %d (lowest) to %d (highest)", lowest, highest);
  g_assert_cmpint (lowest, ==, 0);
  g_assert_cmpint (highest, <, 0); /* every GPU since Kepler has priorities */

  high = cuda_obj_stream_new (device, TRUE, highest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_stream_get_priority (high), ==, highest);
  g_assert_true (cuda_obj_stream_prepare (high, &handle, &error));
  g_assert_cmpint (cuda_obj_driver_peek ()->cuStreamGetPriority (handle, &driver_priority), ==, CUDA_SUCCESS);
  g_assert_cmpint (driver_priority, ==, highest);

  low = g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, &error, "device", device, "priority", lowest, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_stream_get_priority (low), ==, lowest);
  g_assert_true (cuda_obj_stream_get_priority_range (device, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_invalid_priority (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autofree char *range = NULL;
  int lowest = 0, highest = 0;

  if (device == NULL)
    return;
  g_assert_true (cuda_obj_stream_get_priority_range (device, &lowest, &highest, &error));
  range = g_strdup_printf ("from %d (lowest) to %d (highest)", lowest, highest);

  g_assert_null (cuda_obj_stream_new (device, TRUE, highest - 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, range));
  g_clear_error (&error);
  g_assert_null (cuda_obj_stream_new (device, FALSE, lowest + 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "out of range"));
  g_clear_error (&error);

  /* Still usable. */
  stream = cuda_obj_stream_new (device, FALSE, highest, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_non_blocking (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  const gboolean cases[] = { FALSE, TRUE };

  if (device == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CudaObjStream) stream = cuda_obj_stream_new (device, cases[i], 0, &error);
      unsigned int flags = 99;
      CUstream handle;

      g_assert_no_error (error);
      g_assert_cmpint (cuda_obj_stream_get_non_blocking (stream), ==, cases[i]);
      g_assert_true (cuda_obj_stream_prepare (stream, &handle, &error));
      g_assert_cmpint (cuda_obj_driver_peek ()->cuStreamGetFlags (handle, &flags), ==, CUDA_SUCCESS);
      g_assert_cmpuint (flags, ==, cases[i] ? CU_STREAM_NON_BLOCKING : CU_STREAM_DEFAULT);
    }
}

static void
test_query (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);

  cudaobj_test_gate_close (&gate, stream);
  /* Busy is FALSE without an error. */
  g_assert_false (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);
  cudaobj_test_gate_open (&gate);

  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);
}

static void
test_synchronize (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guchar *host = NULL;
  CUdeviceptr ptr;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  for (guint i = 1; i <= 8; i++)
    cudaobj_test_memset (stream, ptr, (guchar) i, WORK_SIZE);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_query (stream, &error));

  /* The last write landed everywhere. */
  host = g_malloc (WORK_SIZE);
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemcpyDtoH (host, ptr, WORK_SIZE), ==, CUDA_SUCCESS);
  g_assert_cmpuint (host[0], ==, 8);
  g_assert_cmpuint (host[WORK_SIZE / 2], ==, 8);
  g_assert_cmpuint (host[WORK_SIZE - 1], ==, 8);
  cudaobj_test_free (device, ptr);
}

typedef struct
{
  GMainLoop *loop;
  GThread *thread;
  gboolean done;
  gboolean ok;
  GError *error;
} AsyncState;

static void
synchronize_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;

  /* Called back in the main context of the caller, in its thread. */
  g_assert_true (g_thread_self () == state->thread);
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  state->ok = cuda_obj_stream_synchronize_finish (CUDA_OBJ_STREAM (source), result, &state->error);
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static gboolean
fail_timeout (gpointer user_data)
{
  g_error ("timed out waiting for the GPU");
  return G_SOURCE_REMOVE;
}

static void
test_synchronize_async (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  AsyncState state = { 0 };
  CudaObjTestGate gate;
  guint timeout;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.thread = g_thread_self ();

  cudaobj_test_gate_close (&gate, stream);
  cuda_obj_stream_synchronize_async (stream, NULL, synchronize_done, &state);
  /* The main loop runs on while the stream is held. */
  cudaobj_test_iterate_for (100);
  g_assert_false (state.done);
  g_assert_false (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);
  cudaobj_test_gate_open (&gate);

  timeout = g_timeout_add_seconds (30, fail_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_true (state.done);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_true (cuda_obj_stream_query (stream, &error));

  /* On an idle stream it still calls back, later, in the loop. */
  state.done = FALSE;
  cuda_obj_stream_synchronize_async (stream, NULL, synchronize_done, &state);
  g_assert_false (state.done);
  g_main_loop_run (loop);
  g_assert_true (state.done && state.ok);
}

static void
test_synchronize_async_cancel (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  AsyncState state = { 0 };
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.thread = g_thread_self ();

  cudaobj_test_gate_close (&gate, stream);
  cuda_obj_stream_synchronize_async (stream, cancellable, synchronize_done, &state);
  g_cancellable_cancel (cancellable);
  /* Cancelling returns at once although the stream is still held. */
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  g_assert_false (cuda_obj_stream_query (stream, &error));
  cudaobj_test_gate_open (&gate);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_wait_event (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) first = NULL, second = NULL;
  g_autoptr (CudaObjEvent) mark = NULL, after = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  first = cuda_obj_device_create_stream (device, &error);
  second = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);

  cudaobj_test_gate_close (&gate, first);
  mark = cuda_obj_stream_record (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_wait_event (second, mark, &error));
  g_assert_no_error (error);
  after = cuda_obj_stream_record (second, NULL, &error);
  g_assert_no_error (error);

  /* second is held by first's gate. */
  cudaobj_test_iterate_for (50);
  g_assert_false (cuda_obj_event_query (after, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_stream_query (second, &error));
  g_assert_no_error (error);
  cudaobj_test_gate_open (&gate);

  g_assert_true (cuda_obj_stream_synchronize (second, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_query (mark, &error));
  g_assert_true (cuda_obj_event_query (after, &error));
  g_assert_no_error (error);
}

static void
test_wait_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) first = NULL, second = NULL;
  g_autoptr (CudaObjEvent) after = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjTestGate gate;

  if (device == NULL)
    return;
  first = cuda_obj_device_create_stream (device, &error);
  second = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);

  /* Waiting for itself does nothing. */
  g_assert_true (cuda_obj_stream_wait_stream (first, first, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_query (first, &error));

  cudaobj_test_gate_close (&gate, first);
  g_assert_true (cuda_obj_stream_wait_stream (second, first, &error));
  g_assert_no_error (error);
  after = cuda_obj_stream_record (second, NULL, &error);
  g_assert_no_error (error);
  cudaobj_test_iterate_for (50);
  g_assert_false (cuda_obj_event_query (after, &error));
  g_assert_no_error (error);
  cudaobj_test_gate_open (&gate);

  g_assert_true (cuda_obj_event_synchronize (after, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_query (first, &error));
  g_assert_true (cuda_obj_stream_query (second, &error));
  g_assert_no_error (error);
}

static void
test_record (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) created = NULL, given = NULL, returned = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);

  /* NULL: a new timing event, recorded. */
  created = cuda_obj_stream_record (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_EVENT (created));
  g_assert_true (cuda_obj_event_get_timing (created));
  g_assert_true (cuda_obj_event_get_recorded (created));
  g_assert_true (cuda_obj_event_get_device (created) == device);
  g_assert_cmpuint (G_OBJECT (created)->ref_count, ==, 1);

  /* Given: the same event, a new reference. */
  given = cuda_obj_event_new (device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_event_get_recorded (given));
  returned = cuda_obj_stream_record (stream, given, &error);
  g_assert_no_error (error);
  g_assert_true (returned == given);
  g_assert_cmpuint (G_OBJECT (given)->ref_count, ==, 2);
  g_assert_true (cuda_obj_event_get_recorded (given));
  g_assert_true (cuda_obj_event_synchronize (given, &error));
  g_assert_true (cuda_obj_event_query (created, &error));
  g_assert_no_error (error);
}

static void
test_close (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL, other = NULL, fresh = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  AsyncState state = { 0 };
  gboolean closed = FALSE;
  CUstream handle = (CUstream) 0x1234;
  CUdeviceptr ptr;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  other = cuda_obj_device_create_stream (device, &error);
  event = cuda_obj_device_create_event (device, &error);
  g_assert_no_error (error);

  /* Close waits for the work. */
  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  cudaobj_test_memset (stream, ptr, 7, WORK_SIZE);
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_no_error (error);
  {
    guchar last = 0;

    g_assert_cmpint (cuda_obj_driver_peek ()->cuMemcpyDtoH (&last, ptr + WORK_SIZE - 1, 1), ==, CUDA_SUCCESS);
    g_assert_cmpuint (last, ==, 7);
  }
  cudaobj_test_free (device, ptr);

  g_object_get (stream, "closed", &closed, NULL);
  g_assert_true (closed);
  g_assert_true (cuda_obj_stream_is_closed (stream));
  g_assert_cmpuint (cuda_obj_stream_get_handle (stream), ==, 0);
  /* Idempotent. */
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_no_error (error);

#define ASSERT_CLOSED(call)                                        \
  G_STMT_START                                                     \
  {                                                                \
    g_assert_false (call);                                         \
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED); \
    g_assert_cmpstr (error->message, ==, "Stream is closed");      \
    g_clear_error (&error);                                        \
  }                                                                \
  G_STMT_END
  ASSERT_CLOSED (cuda_obj_stream_synchronize (stream, &error));
  ASSERT_CLOSED (cuda_obj_stream_query (stream, &error));
  ASSERT_CLOSED (cuda_obj_stream_wait_event (stream, event, &error));
  ASSERT_CLOSED (cuda_obj_stream_wait_stream (stream, other, &error));
  ASSERT_CLOSED (cuda_obj_stream_wait_stream (other, stream, &error));
  ASSERT_CLOSED (cuda_obj_stream_wait_stream (stream, stream, &error));
  ASSERT_CLOSED (cuda_obj_stream_record (stream, NULL, &error) != NULL);
  ASSERT_CLOSED (cuda_obj_stream_record (stream, event, &error) != NULL);
  ASSERT_CLOSED (cuda_obj_event_record (event, stream, &error));
  ASSERT_CLOSED (cuda_obj_stream_prepare (stream, &handle, &error));
#undef ASSERT_CLOSED
  g_assert_true (handle == (CUstream) 0x1234);
  g_assert_false (cuda_obj_event_get_recorded (event));

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.thread = g_thread_self ();
  cuda_obj_stream_synchronize_async (stream, NULL, synchronize_done, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&state.error);

  /* The library stays usable. */
  g_assert_true (cuda_obj_event_record (event, other, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_wait_event (other, event, &error));
  g_assert_true (cuda_obj_stream_synchronize (other, &error));
  g_assert_no_error (error);
  fresh = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (fresh, &error));
  g_assert_no_error (error);
}

static void
test_new_from_handle (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) original = NULL, wrapper = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  int lowest = 0, highest = 0;
  guint refs;
  CUdeviceptr ptr;
  guchar last = 0;

  if (device == NULL)
    return;
  g_assert_true (cuda_obj_stream_get_priority_range (device, &lowest, &highest, &error));
  original = cuda_obj_stream_new (device, TRUE, highest, &error);
  g_assert_no_error (error);
  refs = G_OBJECT (original)->ref_count;

  wrapper = cuda_obj_stream_new_from_handle (device, cuda_obj_stream_get_handle (original),
                                             G_OBJECT (original), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_stream_get_handle (wrapper), ==, cuda_obj_stream_get_handle (original));
  g_assert_false (cuda_obj_stream_get_owns_handle (wrapper));
  /* Read back from the driver. */
  g_assert_true (cuda_obj_stream_get_non_blocking (wrapper));
  g_assert_cmpint (cuda_obj_stream_get_priority (wrapper), ==, highest);
  /* It keeps the owner alive. */
  g_assert_cmpuint (G_OBJECT (original)->ref_count, ==, refs + 1);

  ptr = cudaobj_test_alloc (device, WORK_SIZE);
  cudaobj_test_memset (wrapper, ptr, 3, WORK_SIZE);
  event = cuda_obj_stream_record (wrapper, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (original, &error)); /* same queue */
  g_assert_true (cuda_obj_event_query (event, &error));
  g_assert_no_error (error);

  /* Closing the wrapper leaves the handle alive and releases the owner. */
  g_assert_true (cuda_obj_stream_close (wrapper, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (G_OBJECT (original)->ref_count, ==, refs);
  cudaobj_test_memset (original, ptr, 4, WORK_SIZE);
  g_assert_true (cuda_obj_stream_synchronize (original, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemcpyDtoH (&last, ptr, 1), ==, CUDA_SUCCESS);
  g_assert_cmpuint (last, ==, 4);

  /* Dropping a wrapper does not destroy the handle either. */
  g_clear_object (&wrapper);
  wrapper = cuda_obj_stream_new_from_handle (device, cuda_obj_stream_get_handle (original), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&wrapper);
  g_assert_true (cuda_obj_stream_query (original, &error));
  g_assert_true (cuda_obj_stream_synchronize (original, &error));
  g_assert_no_error (error);
  cudaobj_test_free (device, ptr);
}

static void
test_handle_zero (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) legacy = NULL, other = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  CUstream handle = (CUstream) 0x1234;
  gboolean ok;

  if (device == NULL)
    return;
  legacy = cuda_obj_stream_new_from_handle (device, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_stream_get_handle (legacy), ==, 0);
  g_assert_false (cuda_obj_stream_get_owns_handle (legacy));
  g_assert_false (cuda_obj_stream_get_non_blocking (legacy));
  g_assert_cmpint (cuda_obj_stream_get_priority (legacy), ==, 0);
  g_assert_true (cuda_obj_stream_prepare (legacy, &handle, &error));
  g_assert_null (handle);

  event = cuda_obj_stream_record (legacy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (legacy, &error));
  g_assert_true (cuda_obj_stream_query (legacy, &error));
  g_assert_true (cuda_obj_event_query (event, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_close (legacy, &error));
  g_assert_no_error (error);
  /* The legacy stream itself lives on. */
  other = cuda_obj_stream_new_from_handle (device, 0, NULL, &error);
  g_assert_no_error (error);
  ok = cuda_obj_stream_synchronize (other, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stream/construct-without-device", test_construct_without_device);
  g_test_add_func ("/stream/uninitialized", test_uninitialized);
  g_test_add_func ("/stream/create", test_create);
  g_test_add_func ("/stream/priority-range", test_priority_range);
  g_test_add_func ("/stream/invalid-priority", test_invalid_priority);
  g_test_add_func ("/stream/non-blocking", test_non_blocking);
  g_test_add_func ("/stream/query", test_query);
  g_test_add_func ("/stream/synchronize", test_synchronize);
  g_test_add_func ("/stream/synchronize-async", test_synchronize_async);
  g_test_add_func ("/stream/synchronize-async-cancel", test_synchronize_async_cancel);
  g_test_add_func ("/stream/wait-event", test_wait_event);
  g_test_add_func ("/stream/wait-stream", test_wait_stream);
  g_test_add_func ("/stream/record", test_record);
  g_test_add_func ("/stream/close", test_close);
  g_test_add_func ("/stream/new-from-handle", test_new_from_handle);
  g_test_add_func ("/stream/handle-zero", test_handle_zero);
  return g_test_run ();
}
