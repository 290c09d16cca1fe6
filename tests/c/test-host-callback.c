/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host callbacks: delivered in the main context of the caller, in stream
 * order, never on a driver thread; recorded into graphs and delivered
 * again at every launch; data released once nothing can call back. */
#include <string.h>

#include "cudaobj-test-util.h"

#define N_ELEMENTS 4096

typedef struct
{
  GThread *thread;       /* where everything must happen */
  GMainContext *context; /* the context that must dispatch */
  guint calls;
  guint notifies;
  gboolean notified_after_calls_stopped;
  GPtrArray *order; /* tags, in call order; nullable */
  const char *tag;
  CudaObjBuffer *probe; /* read from inside the callback; nullable */
  CudaObjStream *stream;
  guint32 expected;
} Record;

static void
record_init (Record *r, GMainContext *context)
{
  memset (r, 0, sizeof *r);
  r->thread = g_thread_self ();
  r->context = context;
}

static void
on_callback (gpointer user_data)
{
  Record *r = user_data;

  g_assert_true (g_thread_self () == r->thread);
  g_assert_true (g_main_context_is_owner (r->context));
  g_assert_cmpuint (r->notifies, ==, 0);
  r->calls++;
  if (r->order != NULL)
    g_ptr_array_add (r->order, (gpointer) r->tag);
  if (r->probe != NULL)
    {
      /* Not a driver thread: CUDA is allowed here, and the work before
       * the callback has finished. */
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (r->probe, 0, 4, r->stream, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (*(const guint32 *) g_bytes_get_data (bytes, NULL), ==, r->expected);
    }
}

static void
on_notify (gpointer user_data)
{
  Record *r = user_data;

  g_assert_true (g_thread_self () == r->thread);
  r->notifies++;
}

static gboolean
add_callback (CudaObjStream *stream, Record *r)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = cuda_obj_stream_add_callback (stream, on_callback, r, on_notify, &error);

  g_assert_no_error (error);
  return ok;
}

/* Iterates @context until *counter reaches @target, failing after 20 s. */
static void
iterate_until (GMainContext *context, guint *counter, guint target)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*counter < target)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out: %u of %u", *counter, target);
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
}

/* Dispatches whatever is ready in @context. */
static void
drain (GMainContext *context)
{
  while (g_main_context_iteration (context, FALSE))
    ;
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
synchronize (CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
fill_u32 (CudaObjBuffer *buffer, guint32 value, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_buffer_fill (buffer, value, 4, 0, N_ELEMENTS, stream, &error));
  g_assert_no_error (error);
}

/* Without a GPU. */

static void
test_uninitialized_stream (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (GError) error = NULL;
  Record r;

  record_init (&r, g_main_context_default ());
  g_assert_false (cuda_obj_stream_add_callback (stream, on_callback, &r, on_notify, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  /* The data was given back at once. */
  g_assert_cmpuint (r.notifies, ==, 1);
  drain (g_main_context_default ());
  g_assert_cmpuint (r.calls, ==, 0);
  g_assert_cmpuint (r.notifies, ==, 1);
  g_clear_error (&error);
  /* Without a notify too. */
  g_assert_false (cuda_obj_stream_add_callback (stream, on_callback, &r, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

/* With a GPU. */

static void
test_main_context (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GMainContext) context = NULL;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  record_init (&r, context);
  g_assert_true (add_callback (stream, &r));
  g_main_context_pop_thread_default (context);

  /* The stream's work is done, so the callback is scheduled, but only an
   * iteration of its context runs it. */
  synchronize (stream);
  drain (g_main_context_default ());
  g_assert_cmpuint (r.calls, ==, 0);
  iterate_until (context, &r.calls, 1);
  g_assert_cmpuint (r.calls, ==, 1);
  /* Once only, then the data is released in the same context. */
  iterate_until (context, &r.notifies, 1);
  drain (context);
  g_assert_cmpuint (r.calls, ==, 1);
  g_assert_cmpuint (r.notifies, ==, 1);
}

static void
test_default_context (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  record_init (&r, g_main_context_default ());
  g_assert_true (cuda_obj_stream_add_callback (stream, on_callback, &r, NULL, &error));
  g_assert_no_error (error);
  iterate_until (g_main_context_default (), &r.calls, 1);
  g_assert_cmpuint (r.notifies, ==, 0);
}

typedef struct
{
  CudaObjStream *stream;
  Record *record;
  GMainContext *context;
} ThreadData;

static gpointer
add_from_thread (gpointer data)
{
  ThreadData *td = data;

  /* The thread's own context is where the callback goes. */
  g_main_context_push_thread_default (td->context);
  record_init (td->record, td->context);
  g_assert_true (add_callback (td->stream, td->record));
  iterate_until (td->context, &td->record->notifies, 1);
  g_main_context_pop_thread_default (td->context);
  return NULL;
}

static void
test_context_of_other_thread (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GMainContext) context = NULL;
  ThreadData td;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  context = g_main_context_new ();
  td.stream = stream;
  td.record = &r;
  td.context = context;
  g_thread_join (g_thread_new ("callback", add_from_thread, &td));
  g_assert_cmpuint (r.calls, ==, 1);
  g_assert_cmpuint (r.notifies, ==, 1);
}

static void
test_stream_order (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Record first, second;

  if (device == NULL)
    return;
  stream = new_stream (device);
  buffer = cuda_obj_device_allocate (device, N_ELEMENTS * 4, stream, &error);
  g_assert_no_error (error);

  record_init (&first, g_main_context_default ());
  first.order = order;
  first.tag = "first";
  first.probe = buffer;
  first.stream = stream;
  first.expected = 111;
  record_init (&second, g_main_context_default ());
  second.order = order;
  second.tag = "second";
  second.probe = buffer;
  second.stream = stream;
  second.expected = 222;

  /* Each callback sees the work before it done; the second callback's
   * fill runs after the first callback was scheduled. */
  fill_u32 (buffer, 111, stream);
  g_assert_true (add_callback (stream, &first));
  synchronize (stream);
  iterate_until (g_main_context_default (), &first.calls, 1);
  fill_u32 (buffer, 222, stream);
  g_assert_true (add_callback (stream, &second));
  iterate_until (g_main_context_default (), &second.notifies, 1);
  g_assert_cmpuint (order->len, ==, 2);
  g_assert_cmpstr (order->pdata[0], ==, "first");
  g_assert_cmpstr (order->pdata[1], ==, "second");

  /* Two callbacks enqueued back to back arrive in order. */
  g_ptr_array_set_size (order, 0);
  first.probe = second.probe = NULL;
  first.notifies = second.notifies = 0;
  g_assert_true (add_callback (stream, &first));
  g_assert_true (add_callback (stream, &second));
  iterate_until (g_main_context_default (), &second.notifies, 1);
  iterate_until (g_main_context_default (), &first.notifies, 1);
  g_assert_cmpuint (order->len, ==, 2);
  g_assert_cmpstr (order->pdata[0], ==, "first");
  g_assert_cmpstr (order->pdata[1], ==, "second");
}

static void
test_closed_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_no_error (error);
  record_init (&r, g_main_context_default ());
  g_assert_false (cuda_obj_stream_add_callback (stream, on_callback, &r, on_notify, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_cmpuint (r.notifies, ==, 1);
  drain (g_main_context_default ());
  g_assert_cmpuint (r.calls, ==, 0);
}

static void
test_graph_replay (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL, other = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GError) error = NULL;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  other = new_stream (device);
  buffer = cuda_obj_device_allocate (device, N_ELEMENTS * 4, stream, &error);
  g_assert_no_error (error);
  synchronize (stream);

  g_main_context_push_thread_default (context);
  record_init (&r, context);
  r.probe = buffer;
  r.stream = other; /* the launch stream is waited for by the time it runs */
  r.expected = 5;
  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_no_error (error);
  fill_u32 (buffer, 5, stream);
  g_assert_true (add_callback (stream, &r));
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
  g_main_context_pop_thread_default (context);

  /* Recording ran nothing. */
  drain (context);
  g_assert_cmpuint (r.calls, ==, 0);

  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      fill_u32 (buffer, 0, other);
      g_assert_true (cuda_obj_graph_launch (graph, other, &error));
      g_assert_no_error (error);
      synchronize (other);
    }
  iterate_until (context, &r.calls, 3);
  /* The graph and the builder still hold the data. */
  drain (context);
  g_assert_cmpuint (r.calls, ==, 3);
  g_assert_cmpuint (r.notifies, ==, 0);

  /* Without the builder, the graph alone keeps it. */
  g_clear_object (&builder);
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  r.stream = stream;
  iterate_until (context, &r.calls, 5);
  g_assert_cmpuint (r.notifies, ==, 0);

  /* Dropping the graph with a launch in flight: the launch still calls
   * back, and only then is the data released. */
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  g_clear_object (&graph);
  iterate_until (context, &r.notifies, 1);
  g_assert_cmpuint (r.calls, ==, 6);
  g_assert_cmpuint (r.notifies, ==, 1);
}

typedef struct
{
  guint calls;
  guint notifies;
} Counter;

static void
count_call (gpointer user_data)
{
  Counter *counter = user_data;

  g_assert_cmpuint (counter->notifies, ==, 0);
  counter->calls++;
}

static void
count_notify (gpointer user_data)
{
  ((Counter *) user_data)->notifies++;
}

static void
test_graph_update (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjGraphBuilder) first = NULL, second = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  GMainContext *context = g_main_context_default ();
  Counter a = { 0 }, b = { 0 };

  if (device == NULL)
    return;
  stream = new_stream (device);
  first = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_add_callback (stream, count_call, &a, count_notify, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_end (first, &error));
  g_assert_no_error (error);
  graph = cuda_obj_graph_builder_complete (first, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  iterate_until (context, &a.calls, 1);

  /* A capture of the same shape with other data. */
  second = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_add_callback (stream, count_call, &b, count_notify, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_end (second, &error));
  g_assert_no_error (error);
  /* Host nodes that differ only in their data: the update applies. */
  g_assert_true (cuda_obj_graph_update (graph, second, &error));
  g_assert_no_error (error);
  g_clear_object (&first);
  g_clear_object (&second);
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  iterate_until (context, &b.calls, 1);
  g_assert_cmpuint (a.calls, ==, 1);
  /* The updated graph holds the new data. */
  drain (context);
  g_assert_cmpuint (b.notifies, ==, 0);

  g_clear_object (&graph);
  iterate_until (context, &b.notifies, 1);
  iterate_until (context, &a.notifies, 1);
  g_assert_cmpuint (a.calls, ==, 1);
  g_assert_cmpuint (b.calls, ==, 1);
}

static void
test_aborted_capture (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;
  Record r;

  if (device == NULL)
    return;
  stream = new_stream (device);
  record_init (&r, g_main_context_default ());
  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_true (add_callback (stream, &r));
  g_assert_true (cuda_obj_graph_builder_abort (builder, &error));
  g_assert_no_error (error);
  /* Never called; released once the discarded graph is gone. */
  iterate_until (g_main_context_default (), &r.notifies, 1);
  g_assert_cmpuint (r.calls, ==, 0);

  /* The stream calls back normally again. */
  record_init (&r, g_main_context_default ());
  g_assert_true (add_callback (stream, &r));
  iterate_until (g_main_context_default (), &r.notifies, 1);
  g_assert_cmpuint (r.calls, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host-callback/uninitialized-stream", test_uninitialized_stream);
  g_test_add_func ("/host-callback/main-context", test_main_context);
  g_test_add_func ("/host-callback/default-context", test_default_context);
  g_test_add_func ("/host-callback/context-of-other-thread", test_context_of_other_thread);
  g_test_add_func ("/host-callback/stream-order", test_stream_order);
  g_test_add_func ("/host-callback/closed-stream", test_closed_stream);
  g_test_add_func ("/host-callback/graph-replay", test_graph_replay);
  g_test_add_func ("/host-callback/graph-update", test_graph_update);
  g_test_add_func ("/host-callback/aborted-capture", test_aborted_capture);
  return g_test_run ();
}
