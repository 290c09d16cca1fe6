/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GraphBuilder and Graph: capture, completion, replay, update, upload,
 * capture errors and the stream afterwards, abort, threads, DOT dumps. */
#include <string.h>

#include <glib/gstdio.h>

#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-test-util.h"

#define N_ELEMENTS 4096 /* 32-bit elements per test buffer */

/* Helpers. */

static CudaObjStream *
new_stream (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  CudaObjStream *stream = cuda_obj_device_create_stream (device, &error);

  g_assert_no_error (error);
  return stream;
}

static void
fill_u32 (CudaObjBuffer *buffer, guint32 value, gsize first, gsize count, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_buffer_fill (buffer, value, 4, first * 4, count, stream, &error));
  g_assert_no_error (error);
}

/* A buffer of N_ELEMENTS 32-bit values set to @value, ready to use. */
static CudaObjBuffer *
new_buffer (CudaObjDevice *device, CudaObjStream *stream, guint32 value)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, N_ELEMENTS * 4, stream, &error);

  g_assert_no_error (error);
  fill_u32 (buffer, value, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  return buffer;
}

/* Waits for @stream and checks elements [first, first + count). */
static void
assert_u32 (CudaObjBuffer *buffer, CudaObjStream *stream, gsize first, gsize count, guint32 value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (buffer, first * 4, count * 4, stream, &error);
  const guint32 *data;
  gsize size = 0;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, ==, count * 4);
  for (gsize i = 0; i < count; i++)
    if (data[i] != value)
      g_error ("element %" G_GSIZE_FORMAT " is %u, expected %u", first + i, data[i], value);
}

static CudaObjGraphBuilder *
new_builder (CudaObjStream *stream, CudaObjCaptureMode mode)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraphBuilder *builder = cuda_obj_graph_builder_new (stream, mode, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_get_capturing (builder));
  return builder;
}

static void
end_builder (CudaObjGraphBuilder *builder)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
}

static CudaObjGraph *
complete (CudaObjGraphBuilder *builder)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraph *graph
      = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_GRAPH (graph));
  return graph;
}

static void
launch (CudaObjGraph *graph, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
}

/* The stream runs work normally: a fill and a read back. */
static void
assert_stream_usable (CudaObjDevice *device, CudaObjStream *stream)
{
  g_autoptr (CudaObjBuffer) probe = new_buffer (device, stream, 0);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_stream_is_closed (stream));
  fill_u32 (probe, 0xabcd1234u, 0, N_ELEMENTS, stream);
  assert_u32 (probe, stream, 0, N_ELEMENTS, 0xabcd1234u);
  g_assert_true (cuda_obj_stream_query (stream, &error));
  g_assert_no_error (error);
}

/* The capture modes: one row each, every mode-dependent body run over all
 * rows (json-glib's style). */
typedef struct
{
  const char *name; /* the enum's nick and the test path */
  CudaObjCaptureMode mode;
  CUstreamCaptureMode driver;
  gboolean ends_in_any_thread; /* only a relaxed capture may end elsewhere */
} CaptureModeCase;

/* clang-format off */
static const CaptureModeCase capture_modes[] = {
  { "global",       CUDA_OBJ_CAPTURE_MODE_GLOBAL,       CU_STREAM_CAPTURE_MODE_GLOBAL,       FALSE },
  { "thread-local", CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL, FALSE },
  { "relaxed",      CUDA_OBJ_CAPTURE_MODE_RELAXED,      CU_STREAM_CAPTURE_MODE_RELAXED,      TRUE },
};
/* clang-format on */

/* Without a GPU. */

static void
test_construct_without_stream (void)
{
  g_autoptr (GError) error = NULL;

  /* What CudaObj.GraphBuilder() does in a binding. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "stream"));
  g_clear_error (&error);
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL, &error, "mode",
                                 CUDA_OBJ_CAPTURE_MODE_RELAXED, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_uninitialized_stream (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL, &error, "stream", stream, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  /* The same again: nothing was left half-begun. */
  g_assert_null (cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_uninitialized_builder (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (CudaObjGraphBuilder) builder
      = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, "stream", stream, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) prop_stream = NULL;
  CudaObjCaptureMode mode = 99;
  gboolean capturing = TRUE, ended = TRUE;

  g_object_get (builder, "stream", &prop_stream, "mode", &mode, "capturing", &capturing, "ended", &ended,
                NULL);
  g_assert_true (prop_stream == stream);
  g_assert_true (cuda_obj_graph_builder_get_stream (builder) == stream);
  g_assert_cmpint (mode, ==, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  g_assert_cmpint (cuda_obj_graph_builder_get_mode (builder), ==, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  g_assert_false (capturing);
  g_assert_false (ended);

  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "not initialized"));
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_to_dot (builder, FALSE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "complete"));
  g_clear_error (&error);
  /* Nothing to abort. */
  g_assert_true (cuda_obj_graph_builder_abort (builder, &error));
  g_assert_no_error (error);
}

static void
test_capture_mode_value (gconstpointer data)
{
  const CaptureModeCase *c = data;
  GEnumClass *klass = g_type_class_ref (CUDA_OBJ_TYPE_CAPTURE_MODE);
  GEnumValue *value = g_enum_get_value (klass, c->mode);

  /* The table has every value of the enum. */
  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (capture_modes));
  g_assert_cmpint ((int) c->mode, ==, (int) c->driver);
  g_assert_nonnull (value);
  g_assert_cmpstr (value->value_nick, ==, c->name);
  g_type_class_unref (klass);
}

static void
test_instantiate_flags_values (void)
{
  GFlagsClass *klass = g_type_class_ref (CUDA_OBJ_TYPE_GRAPH_INSTANTIATE_FLAGS);
  const struct
  {
    guint flag;
    guint driver;
    const char *nick;
  } cases[] = {
    { CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH, CUDA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH,
      "auto-free-on-launch" },
    { CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH, CUDA_GRAPH_INSTANTIATE_FLAG_DEVICE_LAUNCH, "device-launch" },
    { CUDA_OBJ_GRAPH_INSTANTIATE_USE_NODE_PRIORITY, CUDA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY,
      "use-node-priority" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GFlagsValue *value = g_flags_get_first_value (klass, cases[i].flag);

      g_assert_cmpuint (cases[i].flag, ==, cases[i].driver);
      g_assert_nonnull (value);
      g_assert_cmpuint (value->value, ==, cases[i].flag);
      g_assert_cmpstr (value->value_nick, ==, cases[i].nick);
    }
  g_assert_cmpuint (CUDA_OBJ_GRAPH_INSTANTIATE_NONE, ==, 0);
  g_type_class_unref (klass);
}

static void
test_complete_bad_flags (void)
{
  g_autoptr (CudaObjGraphBuilder) builder = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL);
  g_autoptr (GError) error = NULL;

  /* Checked before anything else. */
  g_assert_null (cuda_obj_graph_builder_complete (
      builder, CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH | CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH,
      NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "DEVICE_LAUNCH"));
  g_clear_error (&error);
  /* CUDA_GRAPH_INSTANTIATE_FLAG_UPLOAD is not a flag here: upload_stream is. */
  g_assert_null (
      cuda_obj_graph_builder_complete (builder, (CudaObjGraphInstantiateFlags) (1 << 1), NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "0x2"));
}

static void
test_construct_graph_directly (void)
{
  g_autoptr (CudaObjGraph) graph = g_object_new (CUDA_OBJ_TYPE_GRAPH, NULL);
  g_autoptr (GError) error = NULL;
  guint64 handle = 1;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "cuda_obj_graph_builder_complete"));
  g_clear_error (&error);

  /* A bare object (GJS constructs without init) reports, never crashes. */
  g_object_get (graph, "handle", &handle, NULL);
  g_assert_cmpuint (handle, ==, 0);
  g_assert_cmpuint (cuda_obj_graph_get_handle (graph), ==, 0);
  g_assert_null (cuda_obj_graph_get_device (graph));
  g_assert_cmpuint (cuda_obj_graph_get_flags (graph), ==, CUDA_OBJ_GRAPH_INSTANTIATE_NONE);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_to_dot (graph, TRUE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_dump_dot (graph, "unused.dot", FALSE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  {
    g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
    g_autoptr (CudaObjGraphBuilder) builder = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL);

    g_assert_false (cuda_obj_graph_launch (graph, stream, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
    g_clear_error (&error);
    g_assert_false (cuda_obj_graph_upload (graph, stream, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
    g_clear_error (&error);
    g_assert_false (cuda_obj_graph_update (graph, builder, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  }
}

/* With a GPU. */

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_capture_fills_and_copies (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (CudaObjStream) prop_stream = NULL;
  g_autoptr (CudaObjDevice) prop_device = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjCaptureMode mode = 99;
  guint notifications = 0;
  gboolean capturing = FALSE;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  b = new_buffer (device, stream, 0);
  event = cuda_obj_event_new (device, FALSE, FALSE, &error);
  g_assert_no_error (error);

  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  g_object_get (builder, "stream", &prop_stream, "device", &prop_device, "mode", &mode, "capturing",
                &capturing, NULL);
  g_assert_true (prop_stream == stream);
  g_assert_true (prop_device == device);
  g_assert_true (cuda_obj_graph_builder_get_device (builder) == device);
  g_assert_cmpint (mode, ==, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  g_assert_true (capturing);
  g_assert_false (cuda_obj_graph_builder_get_ended (builder));
  g_signal_connect (builder, "notify::ended", G_CALLBACK (count_notify), &notifications);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 0);
  g_assert_no_error (error);

  /* Recorded through the ordinary API, not run. */
  fill_u32 (a, 7, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_buffer_copy_to (a, b, 0, 0, N_ELEMENTS * 4, stream, &error));
  g_assert_no_error (error);
  fill_u32 (a, 3, N_ELEMENTS / 2, N_ELEMENTS / 2, stream);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 3);
  g_assert_no_error (error);
  /* Event records are allowed too (the driver keeps a plain record as a
   * dependency marker, not a node). */
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_no_error (error);

  end_builder (builder);
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
  g_assert_true (cuda_obj_graph_builder_get_ended (builder));
  g_assert_cmpuint (notifications, ==, 1);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), >=, 3);
  g_assert_no_error (error);
  /* Ending again does nothing. */
  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
  /* Nothing ran yet. */
  assert_u32 (a, stream, 0, N_ELEMENTS, 0);
  assert_u32 (b, stream, 0, N_ELEMENTS, 0);

  graph = complete (builder);
  g_assert_true (cuda_obj_graph_get_device (graph) == device);
  g_assert_cmpuint (cuda_obj_graph_get_handle (graph), !=, 0);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==,
                    cuda_obj_graph_builder_get_node_count (builder, NULL));
  g_assert_no_error (error);
  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS / 2, 7);
  assert_u32 (a, stream, N_ELEMENTS / 2, N_ELEMENTS / 2, 3);
  assert_u32 (b, stream, 0, N_ELEMENTS, 7);
}

static void
test_replay (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL, other = NULL;
  g_autoptr (CudaObjBuffer) src = NULL, dst = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  other = new_stream (device);
  src = new_buffer (device, stream, 0);
  dst = new_buffer (device, stream, 0);

  /* The graph copies whatever src holds at launch time. */
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL);
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (cuda_obj_buffer_copy_to (src, dst, 0, 0, N_ELEMENTS * 4, stream, &error));
    g_assert_no_error (error);
  }
  end_builder (builder);
  graph = complete (builder);
  /* The builder may go; the graph keeps what it needs. */
  g_clear_object (&builder);

  for (guint i = 1; i <= 5; i++)
    {
      CudaObjStream *on = i % 2 ? stream : other;

      fill_u32 (src, i * 11, 0, N_ELEMENTS, on);
      fill_u32 (dst, 0, 0, N_ELEMENTS, on);
      launch (graph, on);
      assert_u32 (dst, on, 0, N_ELEMENTS, i * 11);
    }
}

static void
test_upload (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphInstantiateFlags flags = 0;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 42, 0, N_ELEMENTS, stream);
  end_builder (builder);

  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH, stream,
                                           &error);
  g_assert_no_error (error);
  g_object_get (graph, "flags", &flags, NULL);
  g_assert_cmpuint (flags, ==, CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH);
  g_assert_cmpuint (cuda_obj_graph_get_flags (graph), ==, CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH);
  /* Uploading ran nothing. */
  assert_u32 (a, stream, 0, N_ELEMENTS, 0);
  g_assert_true (cuda_obj_graph_upload (graph, stream, &error));
  g_assert_no_error (error);
  assert_u32 (a, stream, 0, N_ELEMENTS, 0);
  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS, 42);

  /* A builder completes into independent graphs. */
  {
    g_autoptr (CudaObjGraph) second = complete (builder);

    g_assert_cmpuint (cuda_obj_graph_get_handle (second), !=, cuda_obj_graph_get_handle (graph));
    fill_u32 (a, 0, 0, N_ELEMENTS, stream);
    launch (second, stream);
    assert_u32 (a, stream, 0, N_ELEMENTS, 42);
  }
}

static CudaObjGraphBuilder *
capture_fill_and_copy (CudaObjStream *stream, CudaObjBuffer *a, CudaObjBuffer *b, guint32 value)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraphBuilder *builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);

  fill_u32 (a, value, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_buffer_copy_to (a, b, 0, 0, N_ELEMENTS * 4, stream, &error));
  g_assert_no_error (error);
  end_builder (builder);
  return builder;
}

static void
test_update (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL, c = NULL;
  g_autoptr (CudaObjGraphBuilder) first = NULL, second = NULL, other_shape = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  b = new_buffer (device, stream, 0);
  c = new_buffer (device, stream, 0);

  first = capture_fill_and_copy (stream, a, b, 1);
  graph = complete (first);
  launch (graph, stream);
  assert_u32 (b, stream, 0, N_ELEMENTS, 1);

  /* Same shape, other values and another destination. */
  second = capture_fill_and_copy (stream, a, c, 2);
  g_assert_true (cuda_obj_graph_update (graph, second, &error));
  g_assert_no_error (error);
  launch (graph, stream);
  assert_u32 (c, stream, 0, N_ELEMENTS, 2);
  assert_u32 (b, stream, 0, N_ELEMENTS, 1);

  /* Another shape: refused, and the graph is as it was. */
  other_shape = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 3, 0, N_ELEMENTS, stream);
  end_builder (other_shape);
  g_assert_false (cuda_obj_graph_update (graph, other_shape, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "topology changed"));
  g_clear_error (&error);
  fill_u32 (c, 0, 0, N_ELEMENTS, stream);
  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS, 2);
  assert_u32 (c, stream, 0, N_ELEMENTS, 2);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==, 2);
  g_assert_no_error (error);

  /* A builder that is still capturing, or was aborted, has nothing to give. */
  {
    g_autoptr (CudaObjGraphBuilder) capturing = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);

    g_assert_false (cuda_obj_graph_update (graph, capturing, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "still capturing"));
    g_clear_error (&error);
    g_assert_null (
        cuda_obj_graph_builder_complete (capturing, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_true (cuda_obj_graph_builder_abort (capturing, &error));
    g_assert_no_error (error);
    g_assert_false (cuda_obj_graph_update (graph, capturing, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
    g_assert_nonnull (strstr (error->message, "aborted"));
    g_clear_error (&error);
  }
  launch (graph, stream);
  assert_u32 (c, stream, 0, N_ELEMENTS, 2);
}

static void
test_capture_error_stream_synchronize (gconstpointer data)
{
  const CaptureModeCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  builder = new_builder (stream, c->mode);
  fill_u32 (a, 5, 0, N_ELEMENTS, stream);

  /* Waiting for captured work is not allowed, in any mode. */
  g_assert_false (cuda_obj_stream_synchronize (stream, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_test_message ("synchronize during capture: %s", error->message);
  g_clear_error (&error);
  /* The capture is invalidated: inspecting it says so. */
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
  g_clear_error (&error);

  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
  g_assert_nonnull (strstr (error->message, "invalidated"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
  g_assert_false (cuda_obj_graph_builder_get_ended (builder));
  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "failed"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);

  /* The stream is out of capture mode and works; it can be captured again. */
  assert_stream_usable (device, stream);
  g_clear_object (&builder);
  builder = new_builder (stream, c->mode);
  fill_u32 (a, 6, 0, N_ELEMENTS, stream);
  end_builder (builder);
  {
    g_autoptr (CudaObjGraph) graph = complete (builder);

    launch (graph, stream);
    assert_u32 (a, stream, 0, N_ELEMENTS, 6);
  }
}

static void
test_capture_error_device_synchronize (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 5, 0, N_ELEMENTS, stream);

  /* A global capture forbids synchronizing the whole device. */
  g_assert_false (cuda_obj_device_synchronize (device, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_test_message ("device synchronize during capture: %s", error->message);
  g_clear_error (&error);

  /* Whether the driver invalidated the capture or not, ending it leaves
   * the stream usable. */
  if (cuda_obj_graph_builder_end (builder, &error))
    g_test_message ("the capture survived the refused synchronize");
  else
    {
      g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
      g_test_message ("end: %s", error->message);
      g_clear_error (&error);
    }
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
  assert_stream_usable (device, stream);
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
}

static void
test_abort (gconstpointer data)
{
  const CaptureModeCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;
  guint notifications = 0;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);

  builder = new_builder (stream, c->mode);
  g_signal_connect (builder, "notify::capturing", G_CALLBACK (count_notify), &notifications);
  fill_u32 (a, 9, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_graph_builder_abort (builder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notifications, ==, 1);
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
  g_assert_false (cuda_obj_graph_builder_get_ended (builder));
  g_assert_true (cuda_obj_graph_builder_abort (builder, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "aborted"));
  g_clear_error (&error);
  /* The captured fill never ran. */
  assert_u32 (a, stream, 0, N_ELEMENTS, 0);
  assert_stream_usable (device, stream);

  /* Dropping a capturing builder aborts it too. */
  g_clear_object (&builder);
  builder = new_builder (stream, c->mode);
  fill_u32 (a, 10, 0, N_ELEMENTS, stream);
  g_clear_object (&builder);
  assert_u32 (a, stream, 0, N_ELEMENTS, 0);
  assert_stream_usable (device, stream);
}

static void
test_begin_twice (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, second = NULL;
  g_autoptr (GError) error = NULL;
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;

  if (device == NULL)
    return;
  stream = new_stream (device);
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  second = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_null (second);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_assert_nonnull (strstr (error->message, "cuStreamBeginCapture"));
  g_clear_error (&error);
  /* The failed builder did not end the first capture on its way out. */
  g_assert_true (cuda_obj_graph_builder_get_capturing (builder));
  g_assert_cmpint (
      cuda_obj_driver_peek ()->cuStreamIsCapturing (cuda_obj_stream_peek_handle (stream), &status), ==,
      CUDA_SUCCESS);
  g_assert_cmpint (status, !=, CU_STREAM_CAPTURE_STATUS_NONE);
  if (!cuda_obj_graph_builder_end (builder, &error))
    {
      /* The driver may have invalidated it. */
      g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
      g_test_message ("end after a second begin: %s", error->message);
      g_clear_error (&error);
    }
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
  assert_stream_usable (device, stream);
}

static void
test_legacy_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) legacy = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  legacy = cuda_obj_stream_new_from_handle (device, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cuda_obj_graph_builder_new (legacy, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "legacy default stream"));
  g_clear_error (&error);
  g_assert_true (cuda_obj_stream_synchronize (legacy, &error));
  g_assert_no_error (error);
}

static gpointer
end_in_thread (gpointer data)
{
  GError *error = NULL;

  if (!cuda_obj_graph_builder_end (data, &error))
    return error;
  return NULL;
}

/* Global and thread-local captures end in their own thread only; a
 * relaxed one ends anywhere. */
static void
test_end_from_other_thread (gconstpointer data)
{
  const CaptureModeCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  builder = new_builder (stream, c->mode);
  fill_u32 (a, 77, 0, N_ELEMENTS, stream);

  error = g_thread_join (g_thread_new ("end", end_in_thread, builder));
  if (!c->ends_in_any_thread)
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, c->name));
      g_clear_error (&error);
      g_assert_true (cuda_obj_graph_builder_get_capturing (builder));
      end_builder (builder);
    }
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_get_ended (builder));
  graph = complete (builder);
  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS, 77);
}

static void
test_dot (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *during = NULL, *after = NULL, *verbose = NULL, *of_graph = NULL;
  g_autofree char *dir = NULL, *path = NULL, *contents = NULL, *bad = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  a = new_buffer (device, stream, 0);
  b = new_buffer (device, stream, 0);
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 1, 0, N_ELEMENTS, stream);
  during = cuda_obj_graph_builder_to_dot (builder, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (during, "digraph"));
  g_assert_true (cuda_obj_buffer_copy_to (a, b, 0, 0, N_ELEMENTS * 4, stream, &error));
  g_assert_no_error (error);
  end_builder (builder);

  after = cuda_obj_graph_builder_to_dot (builder, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (after, "digraph"));
  g_assert_cmpuint (strlen (after), >, strlen (during));
  verbose = cuda_obj_graph_builder_to_dot (builder, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (verbose, "digraph"));
  g_assert_cmpuint (strlen (verbose), >=, strlen (after));

  dir = g_dir_make_tmp ("cudaobj-test-graph-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "graph.dot", NULL);
  g_assert_true (cuda_obj_graph_builder_dump_dot (builder, path, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "digraph"));
  g_unlink (path);

  graph = complete (builder);
  of_graph = cuda_obj_graph_to_dot (graph, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (of_graph, "digraph"));
  g_assert_true (cuda_obj_graph_dump_dot (graph, path, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (path);
  g_rmdir (dir);

  /* A file that cannot be written. */
  bad = g_build_filename (dir, "missing", "graph.dot", NULL);
  g_assert_false (cuda_obj_graph_dump_dot (graph, bad, FALSE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "graph.dot"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_dump_dot (builder, bad, FALSE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
  g_clear_error (&error);
  /* Still usable. */
  g_free (of_graph);
  of_graph = cuda_obj_graph_to_dot (graph, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (of_graph, "digraph"));
}

static void
test_closed_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL, closed = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  closed = new_stream (device);
  g_assert_true (cuda_obj_stream_close (closed, &error));
  g_assert_no_error (error);
  a = new_buffer (device, stream, 0);

  g_assert_null (cuda_obj_graph_builder_new (closed, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);

  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 8, 0, N_ELEMENTS, stream);
  end_builder (builder);
  g_assert_null (cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, closed, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  graph = complete (builder);
  g_assert_false (cuda_obj_graph_launch (graph, closed, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_upload (graph, closed, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS, 8);
}

static void
test_other_device (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) other = NULL;
  g_autoptr (CudaObjStream) stream = NULL, other_stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, other_builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  if (cuda_obj_device_get_count (NULL) < 2)
    {
      g_test_skip ("needs two devices");
      return;
    }
  other = cuda_obj_device_get (1, &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  other_stream = new_stream (other);
  a = new_buffer (device, stream, 0);
  builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  fill_u32 (a, 4, 0, N_ELEMENTS, stream);
  end_builder (builder);

  g_assert_null (
      cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, other_stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  graph = complete (builder);
  g_assert_false (cuda_obj_graph_launch (graph, other_stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "device 1"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_upload (graph, other_stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  other_builder = new_builder (other_stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  end_builder (other_builder);
  g_assert_false (cuda_obj_graph_update (graph, other_builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  launch (graph, stream);
  assert_u32 (a, stream, 0, N_ELEMENTS, 4);
}

static const char add_source[]
    = "extern \"C\" __global__ void add_value (unsigned int *x, unsigned int value,\n"
      "                                        unsigned long long n)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  if (i < n) x[i] += value;\n"
      "}\n";

static CudaObjGraphBuilder *
capture_add (CudaObjStream *stream, CudaObjKernel *kernel, CudaObjKernelArgs *args)
{
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N_ELEMENTS, 256);
  g_autoptr (GError) error = NULL;
  CudaObjGraphBuilder *builder = new_builder (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL);

  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  end_builder (builder);
  return builder;
}

static void
test_kernel_replay_and_update (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) x = NULL, y = NULL;
  g_autoptr (CudaObjGraphBuilder) first = NULL, second = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  code = cudaobj_test_compile (device, add_source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "add_value", &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  x = new_buffer (device, stream, 0);
  y = new_buffer (device, stream, 1000);

  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_uint32 (args, 1, 3);
  cuda_obj_kernel_args_set_uint64 (args, 2, N_ELEMENTS);
  first = capture_add (stream, kernel, args);
  assert_u32 (x, stream, 0, N_ELEMENTS, 0);
  graph = complete (first);

  /* Each replay runs the kernel again: the additions accumulate. */
  for (guint i = 0; i < 5; i++)
    launch (graph, stream);
  assert_u32 (x, stream, 0, N_ELEMENTS, 15);
  /* The arguments were taken at capture time. */
  cuda_obj_kernel_args_set_uint32 (args, 1, 100);
  launch (graph, stream);
  assert_u32 (x, stream, 0, N_ELEMENTS, 18);

  /* Same kernel, new arguments and another buffer: an update. */
  cuda_obj_kernel_args_set_buffer (args, 0, y);
  second = capture_add (stream, kernel, args);
  g_assert_true (cuda_obj_graph_update (graph, second, &error));
  g_assert_no_error (error);
  launch (graph, stream);
  launch (graph, stream);
  assert_u32 (y, stream, 0, N_ELEMENTS, 1200);
  assert_u32 (x, stream, 0, N_ELEMENTS, 18);
}

static void
test_new_from_handle_invalid (void)
{
  cudaobj_test_new_from_handle_invalid ((CudaObjTestWrapFunc) cuda_obj_graph_new_from_handle,
                                        "graph handle 0");
}

static void
test_new_from_handle (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) owned = NULL, wrapper = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDriver *drv;
  CUgraphExec raw = NULL;
  guint refs;

  if (device == NULL)
    return;
  drv = cuda_obj_driver_peek ();
  stream = new_stream (device);
  buffer = new_buffer (device, stream, 0);
  definition = cuda_obj_graph_definition_new (device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (
      cuda_obj_graph_definition_add_memset (definition, buffer, 7, 4, 0, N_ELEMENTS, NULL, 0, &error));
  g_assert_no_error (error);
  /* An executable graph instantiated by other code. */
  g_assert_true (cuda_obj_device_activate (device, &error));
  g_assert_cmpint (drv->cuGraphInstantiateWithFlags (
                       &raw, (CUgraph) (guintptr) cuda_obj_graph_definition_get_handle (definition), 0),
                   ==, CUDA_SUCCESS);
  refs = G_OBJECT (definition)->ref_count;

  wrapper = cuda_obj_graph_new_from_handle (device, (guint64) (guintptr) raw, G_OBJECT (definition), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (G_OBJECT (definition)->ref_count, ==, refs + 1);
  g_assert_cmpuint (cuda_obj_graph_get_handle (wrapper), ==, (guint64) (guintptr) raw);
  g_assert_false (cuda_obj_graph_get_owns_handle (wrapper));
  g_assert_true (cuda_obj_graph_get_device (wrapper) == device);
  g_assert_cmpint (cuda_obj_graph_get_flags (wrapper), ==, CUDA_OBJ_GRAPH_INSTANTIATE_NONE);
  g_assert_true (cuda_obj_graph_upload (wrapper, stream, &error));
  g_assert_true (cuda_obj_graph_launch (wrapper, stream, &error));
  g_assert_no_error (error);
  assert_u32 (buffer, stream, 0, N_ELEMENTS, 7);
  /* The driver gives no source graph of an executable one. */
  g_assert_cmpuint (cuda_obj_graph_get_node_count (wrapper, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_to_dot (wrapper, FALSE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Dropping the wrapper releases the owner; the raw graph still runs. */
  g_clear_object (&wrapper);
  g_assert_cmpuint (G_OBJECT (definition)->ref_count, ==, refs);
  fill_u32 (buffer, 0, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_device_activate (device, &error));
  g_assert_cmpint (drv->cuGraphLaunch (raw, (CUstream) (guintptr) cuda_obj_stream_get_handle (stream)), ==,
                   CUDA_SUCCESS);
  assert_u32 (buffer, stream, 0, N_ELEMENTS, 7);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_cmpint (drv->cuGraphExecDestroy (raw), ==, CUDA_SUCCESS);

  /* An owned graph's handle, its owner kept alive. */
  owned = cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_get_owns_handle (owned));
  wrapper
      = cuda_obj_graph_new_from_handle (device, cuda_obj_graph_get_handle (owned), G_OBJECT (owned), &error);
  g_assert_no_error (error);
  fill_u32 (buffer, 0, 0, N_ELEMENTS, stream);
  g_assert_true (cuda_obj_graph_launch (wrapper, stream, &error));
  g_assert_no_error (error);
  assert_u32 (buffer, stream, 0, N_ELEMENTS, 7);
  g_clear_object (&wrapper);
  g_assert_true (cuda_obj_graph_launch (owned, stream, &error));
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-builder/construct-without-stream", test_construct_without_stream);
  g_test_add_func ("/graph-builder/uninitialized-stream", test_uninitialized_stream);
  g_test_add_func ("/graph-builder/uninitialized-builder", test_uninitialized_builder);
  g_test_add_func ("/graph/instantiate-flags-values", test_instantiate_flags_values);
  g_test_add_func ("/graph/complete-bad-flags", test_complete_bad_flags);
  g_test_add_func ("/graph/construct-directly", test_construct_graph_directly);
  g_test_add_func ("/graph-builder/capture-fills-and-copies", test_capture_fills_and_copies);
  g_test_add_func ("/graph/replay", test_replay);
  g_test_add_func ("/graph/upload", test_upload);
  g_test_add_func ("/graph/update", test_update);
  g_test_add_func ("/graph-builder/capture-error-device-synchronize", test_capture_error_device_synchronize);
  g_test_add_func ("/graph-builder/begin-twice", test_begin_twice);
  g_test_add_func ("/graph-builder/legacy-stream", test_legacy_stream);
  g_test_add_func ("/graph/kernel-replay-and-update", test_kernel_replay_and_update);
  g_test_add_func ("/graph/dot", test_dot);
  g_test_add_func ("/graph/closed-stream", test_closed_stream);
  g_test_add_func ("/graph/other-device", test_other_device);
  g_test_add_func ("/graph/new-from-handle/invalid", test_new_from_handle_invalid);
  g_test_add_func ("/graph/new-from-handle", test_new_from_handle);
  for (guint i = 0; i < G_N_ELEMENTS (capture_modes); i++)
    {
      const CaptureModeCase *c = &capture_modes[i];
      g_autofree char *value = g_strdup_printf ("/graph-builder/%s/mode-value", c->name);
      g_autofree char *sync = g_strdup_printf ("/graph-builder/%s/capture-error-stream-synchronize", c->name);
      g_autofree char *abort = g_strdup_printf ("/graph-builder/%s/abort", c->name);
      g_autofree char *other = g_strdup_printf ("/graph-builder/%s/end-from-other-thread", c->name);

      g_test_add_data_func (value, c, test_capture_mode_value);
      g_test_add_data_func (sync, c, test_capture_error_stream_synchronize);
      g_test_add_data_func (abort, c, test_abort);
      g_test_add_data_func (other, c, test_end_from_other_thread);
    }
  return g_test_run ();
}
