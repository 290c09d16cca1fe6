/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pool-based pinned and managed memory, managed-memory advice, graph
 * memory, batched copies and a replaceable Device:memory-resource: the
 * argument checks without a device, then the behaviour on one. */
#include <string.h>

#include "cudaobj-test-util.h"

static CudaObjStream *
new_stream (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  CudaObjStream *stream = cuda_obj_stream_new (device, TRUE, 0, &error);

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

static CudaObjBuffer *
allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_memory_resource_allocate (resource, size, stream, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, size);
  return buffer;
}

/* Bytes [0, size) of @buffer, read back through the driver. */
static GBytes *
read_back (CudaObjBuffer *buffer, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_all_bytes (GBytes *bytes, guint8 value)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < size; i++)
    if (data[i] != value)
      g_error ("byte %" G_GSIZE_FORMAT " is 0x%02x, expected 0x%02x", i, data[i], value);
}

static void
fill (CudaObjBuffer *buffer, guint8 value, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      cuda_obj_buffer_fill (buffer, value, 1, 0, cuda_obj_buffer_get_size (buffer), stream, &error));
  g_assert_no_error (error);
}

/* ---- Without a device: construction and argument checks. ---- */

static void
test_pinned_pool_numa_node_checked (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjPinnedMemoryResource) plain = g_object_new (CUDA_OBJ_TYPE_PINNED_MEMORY_RESOURCE, NULL);
  gpointer resource;

  g_assert_cmpint (cuda_obj_pinned_memory_resource_get_numa_node (plain), ==, -1);
  resource = cuda_obj_pinned_memory_resource_new (NULL, -2, &error);
  g_assert_null (resource);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "NUMA node -2"));
}

/* Each resource made with g_object_new and never initialized. */
static const struct
{
  const char *name;
  GType (*get_type) (void);
} uninitialized_cases[] = {
  { "pinned-pool", cuda_obj_pinned_memory_resource_get_type },
  { "managed", cuda_obj_managed_memory_resource_get_type },
  { "graph", cuda_obj_graph_memory_resource_get_type },
};

static void
test_uninitialized_resource (gconstpointer data)
{
  const GType type = ((GType (*) (void)) data) ();
  g_autoptr (GObject) resource = g_object_new (type, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_memory_resource_deallocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 4096, 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_managed_mode_defaults (void)
{
  g_autoptr (CudaObjManagedMemoryResource) plain = g_object_new (CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE, NULL);
  g_autoptr (CudaObjManagedMemoryResource) pool
      = g_object_new (CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE, "mode", CUDA_OBJ_MANAGED_MEMORY_MODE_POOL, NULL);

  g_assert_cmpint (cuda_obj_managed_memory_resource_get_mode (plain), ==,
                   CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY);
  g_assert_cmpint (cuda_obj_managed_memory_resource_get_mode (pool), ==, CUDA_OBJ_MANAGED_MEMORY_MODE_POOL);
  g_assert_null (cuda_obj_managed_memory_resource_get_preferred_location (pool));
}

static void
test_graph_memory_uninitialized (void)
{
  g_autoptr (CudaObjGraphMemoryResource) resource = g_object_new (CUDA_OBJ_TYPE_GRAPH_MEMORY_RESOURCE, NULL);
  g_autoptr (GError) error = NULL;
  guint64 used = 1;

  g_assert_false (cuda_obj_graph_memory_resource_get_usage (resource, &used, NULL, NULL, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_cmpuint (used, ==, 1);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_memory_resource_trim (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_memory_resource_reset_peaks (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_advice_checks (void)
{
  g_autoptr (CudaObjBuffer) plain = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_buffer_advise (plain, (CudaObjMemoryAdvice) 99, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_advise (plain, CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_prefetch (plain, NULL, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  /* The driver orders discards on no legacy default stream. */
  g_assert_false (cuda_obj_buffer_discard (plain, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Stream"));
}

static void
test_copy_batch_checks (void)
{
  g_autoptr (CudaObjCopyBatch) batch = cuda_obj_copy_batch_new ();
  g_autoptr (CudaObjBuffer) plain = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (cuda_obj_copy_batch_get_count (batch), ==, 0);
  g_assert_false (cuda_obj_copy_batch_get_used_batch_api (batch));
  /* An empty batch queues nothing, and needs no driver for it. */
  g_assert_true (cuda_obj_copy_batch_submit (batch, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (cuda_obj_copy_batch_add (batch, plain, 0, plain, 0, 0, (CudaObjCopyHints) 0x10, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "0x10"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_copy_batch_add (batch, plain, 0, plain, 0, 0, CUDA_OBJ_COPY_HINTS_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "destination"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_copy_batch_add (batch, NULL, 0, plain, 0, 0, CUDA_OBJ_COPY_HINTS_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (cuda_obj_copy_batch_get_count (batch), ==, 0);
}

/* ---- On a device. ---- */

static void
test_pinned_pool (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjPinnedMemoryResource) pinned = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) host = NULL, on_device = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = 1 << 20;
  guint64 reserved = 0;
  guint8 *data;

  if (device == NULL)
    return;
  pinned = cuda_obj_pinned_memory_resource_new (device, -1, &error);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (cuda_obj_memory_resource_get_is_host_accessible (CUDA_OBJ_MEMORY_RESOURCE (pinned)));
  g_assert_true (cuda_obj_memory_resource_get_is_device_accessible (CUDA_OBJ_MEMORY_RESOURCE (pinned)));
  stream = new_stream (device);

  host = allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned), size, stream);
  g_assert_true (cuda_obj_buffer_get_is_host_accessible (host));
  g_object_get (pinned, "reserved-memory-current", &reserved, NULL);
  g_assert_cmpuint (reserved, >=, size);
  /* The host writes the memory directly once the allocation is done. */
  synchronize (stream);
  data = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (host);
  memset (data, 0x5a, size);
  on_device = cuda_obj_device_allocate (device, size, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_to (host, on_device, 0, 0, size, stream, &error));
  g_assert_no_error (error);
  bytes = read_back (on_device, stream);
  assert_all_bytes (bytes, 0x5a);
  /* And the device writes it. */
  fill (host, 0xc3, stream);
  synchronize (stream);
  g_assert_cmpuint (data[0], ==, 0xc3);
  g_assert_cmpuint (data[size - 1], ==, 0xc3);
  g_assert_true (cuda_obj_buffer_close (host, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_close (on_device, stream, &error));
  synchronize (stream);
}

static void
test_managed_pool (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjManagedMemoryResource) managed = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = 1 << 16;
  guint8 *data;

  if (device == NULL)
    return;
  managed = cuda_obj_managed_memory_resource_new_pool (device, device, &error);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      /* The documented fallback: the legacy mode. */
      g_autofree char *reason = g_strdup_printf ("no managed pools here: %s", error->message);

      g_assert_nonnull (strstr (error->message, "legacy mode"));
      g_test_skip (reason);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_managed_memory_resource_get_mode (managed), ==,
                   CUDA_OBJ_MANAGED_MEMORY_MODE_POOL);
  g_assert_true (cuda_obj_managed_memory_resource_get_preferred_location (managed) == device);
  stream = new_stream (device);
  buffer = allocate (CUDA_OBJ_MEMORY_RESOURCE (managed), size, stream);
  fill (buffer, 0x21, stream);
  synchronize (stream);
  data = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (buffer);
  g_assert_cmpuint (data[0], ==, 0x21);
  g_assert_cmpuint (data[size - 1], ==, 0x21);
  data[7] = 0x77;
  {
    g_autoptr (GBytes) bytes = read_back (buffer, stream);
    const guint8 *back = g_bytes_get_data (bytes, NULL);

    g_assert_cmpuint (back[7], ==, 0x77);
    g_assert_cmpuint (back[8], ==, 0x21);
  }
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_no_error (error);
  synchronize (stream);
}

static void
test_advice_on_managed (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjManagedMemoryResource) managed = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = 1 << 20;
  const guint8 *data;
  static const CudaObjMemoryAdvice advice[] = {
    CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY,        CUDA_OBJ_MEMORY_ADVICE_UNSET_READ_MOSTLY,
    CUDA_OBJ_MEMORY_ADVICE_SET_PREFERRED_LOCATION, CUDA_OBJ_MEMORY_ADVICE_SET_ACCESSED_BY,
    CUDA_OBJ_MEMORY_ADVICE_UNSET_ACCESSED_BY,      CUDA_OBJ_MEMORY_ADVICE_UNSET_PREFERRED_LOCATION,
  };

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_concurrent_managed_access (device))
    {
      g_test_skip ("the device has no concurrent managed access, which prefetching needs");
      return;
    }
  managed = cuda_obj_managed_memory_resource_new (device, &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  buffer = allocate (CUDA_OBJ_MEMORY_RESOURCE (managed), size, stream);

  for (guint i = 0; i < G_N_ELEMENTS (advice); i++)
    {
      /* Each advice about the device and about the host. */
      g_assert_true (cuda_obj_buffer_advise (buffer, advice[i], device, &error));
      g_assert_no_error (error);
      g_assert_true (cuda_obj_buffer_advise (buffer, advice[i], NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cuda_obj_buffer_prefetch (buffer, device, stream, &error));
  g_assert_no_error (error);
  fill (buffer, 0x3c, stream);
  g_assert_true (cuda_obj_buffer_prefetch (buffer, NULL, stream, &error));
  g_assert_no_error (error);
  synchronize (stream);
  data = (const guint8 *) (guintptr) cuda_obj_buffer_get_handle (buffer);
  g_assert_cmpuint (data[0], ==, 0x3c);
  g_assert_cmpuint (data[size - 1], ==, 0x3c);

  g_assert_true (cuda_obj_buffer_discard (buffer, stream, &error));
  g_assert_no_error (error);
  /* Discarded contents are undefined until written again. */
  fill (buffer, 0x11, stream);
  synchronize (stream);
  g_assert_cmpuint (data[size / 2], ==, 0x11);
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_no_error (error);
}

static void
test_advice_needs_managed (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = new_stream (device);
  buffer = cuda_obj_device_allocate (device, 4096, stream, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_buffer_advise (buffer, CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not managed memory"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_prefetch (buffer, device, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_discard (buffer, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  synchronize (stream);
}

static void
test_graph_memory_needs_capture (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjGraphMemoryResource) resource = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  resource = cuda_obj_graph_memory_resource_new (device, &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 64, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not capturing"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* Capture allocate, use, free; replay 1,000 times: the reserve the graphs
 * hold stops growing after the first launch. */
static void
test_graph_memory_replay (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjGraphMemoryResource) resource = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) result = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = 1 << 20;
  guint64 used = 0, reserved = 0, reserved_high_first = 0, reserved_high = 0, used_high = 0;

  if (device == NULL)
    return;
  resource = cuda_obj_graph_memory_resource_new (device, &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  result = cuda_obj_device_allocate (device, size, stream, &error);
  g_assert_no_error (error);
  fill (result, 0, stream);
  synchronize (stream);

  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  g_assert_no_error (error);
  {
    g_autoptr (CudaObjBuffer) scratch = allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, stream);

    fill (scratch, 0x6b, stream);
    g_assert_true (cuda_obj_buffer_copy_to (scratch, result, 0, 0, size, stream, &error));
    g_assert_no_error (error);
    g_assert_true (cuda_obj_buffer_close (scratch, stream, &error));
    g_assert_no_error (error);
  }
  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cuda_obj_graph_memory_resource_reset_peaks (resource, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_launch (graph, stream, &error));
  g_assert_no_error (error);
  synchronize (stream);
  g_assert_true (cuda_obj_graph_memory_resource_get_usage (resource, NULL, &used_high, NULL,
                                                           &reserved_high_first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (used_high, >=, size);
  g_assert_cmpuint (reserved_high_first, >=, size);
  bytes = read_back (result, stream);
  assert_all_bytes (bytes, 0x6b);

  for (guint i = 0; i < 1000; i++)
    g_assert_true (cuda_obj_graph_launch (graph, stream, NULL));
  synchronize (stream);
  g_assert_true (
      cuda_obj_graph_memory_resource_get_usage (resource, &used, NULL, &reserved, &reserved_high, &error));
  g_assert_no_error (error);
  /* Every launch reuses what the first one reserved. */
  g_assert_cmpuint (reserved_high, ==, reserved_high_first);
  g_assert_cmpuint (used, <=, reserved);

  g_clear_object (&graph);
  synchronize (stream);
  g_assert_true (cuda_obj_graph_memory_resource_trim (resource, &error));
  g_assert_no_error (error);
}

/* Copies of every mix: pinned host to device, device to device, device to
 * pinned host, with and without hints; the batch call on a stream, the loop
 * on the legacy default stream. */
static void
test_copy_batch (gconstpointer data)
{
  const gboolean on_legacy_stream = GPOINTER_TO_INT (data);
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) source = NULL, middle = NULL, target = NULL, back = NULL;
  g_autoptr (CudaObjCopyBatch) batch = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  enum
  {
    N = 64,
    CHUNK = 4096
  };
  guint8 *host;

  if (device == NULL)
    return;
  pinned = cuda_obj_legacy_pinned_memory_resource_new (device, &error);
  g_assert_no_error (error);
  stream = new_stream (device);
  source = allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned), N * CHUNK, stream);
  target = allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned), N * CHUNK, stream);
  middle = cuda_obj_device_allocate (device, N * CHUNK, stream, &error);
  g_assert_no_error (error);
  back = cuda_obj_device_allocate (device, N * CHUNK, stream, &error);
  g_assert_no_error (error);
  fill (target, 0, stream);
  synchronize (stream);
  host = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (source);
  for (guint i = 0; i < N * CHUNK; i++)
    host[i] = (guint8) (i * 7 + i / CHUNK);

  /* Host to device, chunks reversed, every other one with a hint. */
  batch = cuda_obj_copy_batch_new ();
  for (guint i = 0; i < N; i++)
    g_assert_true (cuda_obj_copy_batch_add (
        batch, middle, (N - 1 - i) * CHUNK, source, i * CHUNK, CHUNK,
        i % 2 ? CUDA_OBJ_COPY_HINTS_PREFER_OVERLAP_WITH_COMPUTE : CUDA_OBJ_COPY_HINTS_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_copy_batch_get_count (batch), ==, N);
  g_assert_true (cuda_obj_copy_batch_submit (batch, on_legacy_stream ? NULL : stream, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_copy_batch_get_used_batch_api (batch), ==, !on_legacy_stream);

  /* Device to device, then device to host, in one more batch. */
  cuda_obj_copy_batch_clear (batch);
  g_assert_cmpuint (cuda_obj_copy_batch_get_count (batch), ==, 0);
  if (on_legacy_stream)
    g_assert_true (cuda_obj_stream_synchronize (stream, NULL));
  for (guint i = 0; i < N; i++)
    g_assert_true (cuda_obj_copy_batch_add (batch, back, i * CHUNK, middle, i * CHUNK, CHUNK,
                                            CUDA_OBJ_COPY_HINTS_NONE, NULL));
  g_assert_true (cuda_obj_copy_batch_submit (batch, on_legacy_stream ? NULL : stream, &error));
  g_assert_no_error (error);
  cuda_obj_copy_batch_clear (batch);
  for (guint i = 0; i < N; i++)
    g_assert_true (cuda_obj_copy_batch_add (batch, target, i * CHUNK, back, i * CHUNK, CHUNK,
                                            CUDA_OBJ_COPY_HINTS_NONE, NULL));
  /* An empty copy is allowed and copies nothing. */
  g_assert_true (cuda_obj_copy_batch_add (batch, target, 0, back, 0, 0, CUDA_OBJ_COPY_HINTS_NONE, NULL));
  g_assert_true (cuda_obj_copy_batch_submit (batch, on_legacy_stream ? NULL : stream, &error));
  g_assert_no_error (error);
  if (on_legacy_stream)
    g_assert_true (cuda_obj_device_synchronize (device, NULL));
  synchronize (stream);

  bytes = read_back (target, stream);
  {
    const guint8 *out = g_bytes_get_data (bytes, NULL);

    for (guint i = 0; i < N; i++)
      for (guint j = 0; j < CHUNK; j++)
        {
          guint from = (N - 1 - i) * CHUNK + j;

          if (out[i * CHUNK + j] != host[from])
            g_error ("copy batch: byte %u of chunk %u is 0x%02x, expected 0x%02x", j, i, out[i * CHUNK + j],
                     host[from]);
        }
  }

  /* A buffer closed after it was added fails the next submission. */
  g_assert_true (cuda_obj_buffer_close (back, stream, &error));
  g_assert_false (cuda_obj_copy_batch_submit (batch, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_close (middle, stream, NULL));
  synchronize (stream);
}

static void
test_copy_batch_range (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) small = NULL;
  g_autoptr (CudaObjCopyBatch) batch = cuda_obj_copy_batch_new ();
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  small = cuda_obj_device_allocate (device, 64, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_copy_batch_add (batch, small, 32, small, 0, 33, CUDA_OBJ_COPY_HINTS_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "destination"));
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_copy_batch_add (batch, small, 0, small, G_MAXSIZE, 1, CUDA_OBJ_COPY_HINTS_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "source"));
  g_assert_cmpuint (cuda_obj_copy_batch_get_count (batch), ==, 0);
}

static void
test_device_memory_resource (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjManagedMemoryResource) managed = NULL;
  g_autoptr (CudaObjMemoryResource) initial = NULL, current = NULL;
  g_autoptr (CudaObjSyncMemoryResource) uninitialized = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  guint notified = 0;

  if (device == NULL)
    return;
  initial = cuda_obj_device_get_memory_resource (device);
  g_assert_true (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (initial) || CUDA_OBJ_IS_SYNC_MEMORY_RESOURCE (initial));
  g_signal_connect_swapped (device, "notify::memory-resource", G_CALLBACK (g_atomic_int_inc), &notified);

  managed = cuda_obj_managed_memory_resource_new (device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_set_memory_resource (device, CUDA_OBJ_MEMORY_RESOURCE (managed), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (device, "memory-resource", &current, NULL);
  g_assert_true (current == CUDA_OBJ_MEMORY_RESOURCE (managed));
  buffer = cuda_obj_device_allocate (device, 256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_memory_resource (buffer) == CUDA_OBJ_MEMORY_RESOURCE (managed));
  g_assert_true (cuda_obj_buffer_get_is_host_accessible (buffer));
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_clear_object (&buffer);

  /* The checked setter refuses a resource that was never initialized and
   * changes nothing. */
  uninitialized = g_object_new (CUDA_OBJ_TYPE_SYNC_MEMORY_RESOURCE, NULL);
  g_assert_false (
      cuda_obj_device_set_memory_resource (device, CUDA_OBJ_MEMORY_RESOURCE (uninitialized), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpuint (notified, ==, 1);

  /* The property stores it unchecked; allocating reports it. */
  g_object_set (device, "memory-resource", uninitialized, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (cuda_obj_device_allocate (device, 256, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "SyncMemoryResource"));
  g_clear_error (&error);

  /* NULL restores the default resource. */
  g_assert_true (cuda_obj_device_set_memory_resource (device, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 3);
  g_clear_object (&current);
  current = cuda_obj_device_get_memory_resource (device);
  g_assert_true (current == initial);
  buffer = cuda_obj_device_allocate (device, 256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_memory_resource (buffer) == initial);
  g_signal_handlers_disconnect_by_data (device, &notified);
}

/* With two devices: a resource of one does not serve the other. */
static void
test_device_memory_resource_other_device (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) other = NULL;
  g_autoptr (CudaObjManagedMemoryResource) foreign = NULL;
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
  foreign = cuda_obj_managed_memory_resource_new (other, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_device_set_memory_resource (device, CUDA_OBJ_MEMORY_RESOURCE (foreign), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_object_set (device, "memory-resource", foreign, NULL);
  g_assert_null (cuda_obj_device_allocate (device, 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "allocates for device 1, not for device 0"));
  g_object_set (device, "memory-resource", NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/memory-pools/pinned-pool/numa-node-checked", test_pinned_pool_numa_node_checked);
  for (guint i = 0; i < G_N_ELEMENTS (uninitialized_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/memory-pools/uninitialized/%s", uninitialized_cases[i].name);

      g_test_add_data_func (path, (gconstpointer) uninitialized_cases[i].get_type,
                            test_uninitialized_resource);
    }
  g_test_add_func ("/memory-pools/managed/mode-defaults", test_managed_mode_defaults);
  g_test_add_func ("/memory-pools/graph/uninitialized", test_graph_memory_uninitialized);
  g_test_add_func ("/memory-pools/advice/checks", test_advice_checks);
  g_test_add_func ("/memory-pools/copy-batch/checks", test_copy_batch_checks);

  g_test_add_func ("/memory-pools/pinned-pool/round-trip", test_pinned_pool);
  g_test_add_func ("/memory-pools/managed/pool", test_managed_pool);
  g_test_add_func ("/memory-pools/advice/managed", test_advice_on_managed);
  g_test_add_func ("/memory-pools/advice/needs-managed", test_advice_needs_managed);
  g_test_add_func ("/memory-pools/graph/needs-capture", test_graph_memory_needs_capture);
  g_test_add_func ("/memory-pools/graph/replay-without-growth", test_graph_memory_replay);
  g_test_add_data_func ("/memory-pools/copy-batch/on-stream", GINT_TO_POINTER (FALSE), test_copy_batch);
  g_test_add_data_func ("/memory-pools/copy-batch/on-legacy-stream", GINT_TO_POINTER (TRUE), test_copy_batch);
  g_test_add_func ("/memory-pools/copy-batch/range", test_copy_batch_range);
  g_test_add_func ("/memory-pools/device/memory-resource", test_device_memory_resource);
  g_test_add_func ("/memory-pools/device/memory-resource-other-device",
                   test_device_memory_resource_other_device);

  return g_test_run ();
}
