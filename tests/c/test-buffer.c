/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Buffer: construction and its checks, copies in every direction, fills,
 * bounds, closing, wrapping foreign memory. */
#include <string.h>

#include "cudaobj-test-util.h"

static GBytes *
pattern_bytes (gsize size, guint seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 13 + seed);
  return g_bytes_new_take (data, size);
}

static CudaObjBuffer *
allocate (CudaObjDevice *device, gsize size)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, size, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  /* Allocated in the legacy default stream's order: the tests use it on
   * non-blocking streams, which do not wait for that one. */
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
  return buffer;
}

static void
assert_invalid (GError **error, const char *fragment)
{
  g_assert_error (*error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  if (fragment != NULL && strstr ((*error)->message, fragment) == NULL)
    g_error ("\"%s\" lacks \"%s\"", (*error)->message, fragment);
  g_clear_error (error);
}

/* Checks a buffer still copies correctly after failures. */
static void
assert_usable (CudaObjBuffer *buffer)
{
  g_autoptr (GBytes) in = pattern_bytes (cuda_obj_buffer_get_size (buffer), 99);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
}

/* Without a GPU: construction checks and uninitialized buffers. */

static void
test_construct_checks (void)
{
  g_autoptr (GError) error = NULL;

  /* What a binding's CudaObj.Buffer(...) runs through GInitable. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, &error, "handle", (guint64) 0x1000, "size",
                                 (guint64) 16, NULL));
  assert_invalid (&error, "device or a memory resource");
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, &error, "size", (guint64) 16, NULL));
  assert_invalid (&error, "non-zero address");
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, &error, "handle", (guint64) 0x1000, NULL));
  assert_invalid (&error, "at least one byte");
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, &error, "handle", G_MAXUINT64 - 8, "size",
                                 (guint64) 16, NULL));
  assert_invalid (&error, "address space");
}

static void
test_uninitialized_is_closed (void)
{
  /* Constructed but never initialized (GJS's `new CudaObj.Buffer()`):
   * closed, so every operation reports instead of touching nothing. */
  g_autoptr (CudaObjBuffer) buffer
      = g_object_new (CUDA_OBJ_TYPE_BUFFER, "handle", (guint64) 0x1000, "size", (guint64) 16, NULL);
  g_autoptr (CudaObjBuffer) other = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);
  g_autoptr (GBytes) in = pattern_bytes (4, 0);
  g_autoptr (GError) error = NULL;
  guint8 host[16];

  g_assert_true (cuda_obj_buffer_get_closed (buffer));
  g_assert_null (cuda_obj_buffer_get_device (buffer));
  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "Buffer is not initialized"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) host, 16, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 1, 0, 16, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_to (buffer, other, 0, 0, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
}

/* With a GPU. */

static void
test_properties (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjDevice) prop_device = NULL;
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (GObject) owner = NULL;
  guint64 handle = 0, size = 0;
  gboolean device_accessible = FALSE, host_accessible = TRUE, closed = TRUE;

  if (device == NULL)
    return;
  buffer = allocate (device, 12345);
  g_object_get (buffer, "handle", &handle, "size", &size, "device", &prop_device, "memory-resource",
                &resource, "owner", &owner, "is-device-accessible", &device_accessible, "is-host-accessible",
                &host_accessible, "closed", &closed, NULL);
  g_assert_cmpuint (handle, ==, cuda_obj_buffer_get_handle (buffer));
  g_assert_cmpuint (handle % 256, ==, 0);
  g_assert_cmpuint (size, ==, 12345);
  g_assert_true (prop_device == device);
  g_assert_true (CUDA_OBJ_IS_MEMORY_RESOURCE (resource));
  g_assert_null (owner);
  g_assert_true (device_accessible);
  g_assert_false (host_accessible);
  g_assert_false (closed);
}

static void
test_copy_round_trip (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = pattern_bytes (1 << 20, 1);
  g_autoptr (GBytes) part = pattern_bytes (100, 200);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) empty = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *bytes;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  buffer = allocate (device, 1 << 20);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, stream, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
  g_clear_pointer (&out, g_bytes_unref);

  /* Into the middle, read back around it. */
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, part, 5000, stream, &error));
  out = cuda_obj_buffer_copy_to_bytes (buffer, 4990, 120, stream, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (out, NULL);
  g_assert_cmpmem (bytes, 10, (const guint8 *) g_bytes_get_data (in, NULL) + 4990, 10);
  g_assert_cmpmem (bytes + 10, 100, g_bytes_get_data (part, NULL), 100);
  g_assert_cmpmem (bytes + 110, 10, (const guint8 *) g_bytes_get_data (in, NULL) + 5100, 10);
  g_clear_pointer (&out, g_bytes_unref);

  /* The last byte, and nothing at the very end. */
  out = cuda_obj_buffer_copy_to_bytes (buffer, (1 << 20) - 1, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 1);
  empty = cuda_obj_buffer_copy_to_bytes (buffer, 1 << 20, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
}

static void
test_copy_host_address (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *in = g_new (float, 4096);
  g_autofree float *out = g_new0 (float, 4096);

  if (device == NULL)
    return;
  for (guint i = 0; i < 4096; i++)
    in[i] = i * 0.5f;
  stream = cuda_obj_device_create_stream (device, &error);
  buffer = allocate (device, 4096 * sizeof (float));
  /* As numpy interop does: raw host addresses, no intermediate copy. */
  g_assert_true (cuda_obj_buffer_copy_from_host (buffer, (guint64) (guintptr) in, 4096 * sizeof (float), 0,
                                                 stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) out, 2048 * sizeof (float),
                                               2048 * sizeof (float), stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_cmpmem (out, 2048 * sizeof (float), in + 2048, 2048 * sizeof (float));
  /* Zero bytes need no address; a null address for real bytes is an error. */
  g_assert_true (cuda_obj_buffer_copy_to_host (buffer, 0, 0, 0, stream, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_buffer_copy_from_host (buffer, 0, 16, 0, stream, &error));
  assert_invalid (&error, "host address");
  g_assert_false (cuda_obj_buffer_copy_to_host (buffer, 0, 16, 0, stream, &error));
  assert_invalid (&error, "host address");
  g_assert_false (cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) out, 16,
                                                4096 * sizeof (float) - 8, stream, &error));
  assert_invalid (&error, "offset 16376");
  assert_usable (buffer);
}

static void
test_copy_from_pinned_bytes (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned = NULL;
  g_autoptr (CudaObjBuffer) staging = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  guint8 *host;

  if (device == NULL)
    return;
  pinned = cuda_obj_legacy_pinned_memory_resource_new (device, &error);
  g_assert_no_error (error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  staging = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned), 1 << 16, NULL, &error);
  g_assert_no_error (error);
  host = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (staging);
  /* Written through the driver too: a sanitizer does not see the host's
   * stores, and would call the copy's source uninitialized. */
  g_assert_true (cuda_obj_buffer_fill (staging, 0x5a, 1, 0, 1 << 16, stream, &error));
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  memset (host, 0x5a, 1 << 16);
  buffer = allocate (device, 1 << 16);
  /* From page-locked memory the copy is truly asynchronous; the call waits
   * for it, so the host may change the memory once it returns. */
  wrapped = g_bytes_new_static (host, 1 << 16);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, wrapped, 0, stream, &error));
  g_assert_no_error (error);
  memset (host, 0, 1 << 16);
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < 1 << 16; i++)
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (out, NULL))[i], ==, 0x5a);
}

static void
test_copy_device_to_device (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) src = NULL;
  g_autoptr (CudaObjBuffer) dst = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = pattern_bytes (8192, 7);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) expected = NULL;
  g_autoptr (GBytes) moved = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  src = allocate (device, 8192);
  dst = allocate (device, 4096);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (src, in, 0, stream, &error));
  g_assert_true (cuda_obj_buffer_fill (dst, 0, 1, 0, 4096, stream, &error));
  g_assert_true (cuda_obj_buffer_copy_to (src, dst, 1024, 16, 4000, stream, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (dst, 16, 4000, stream, &error);
  g_assert_no_error (error);
  expected = g_bytes_new_from_bytes (in, 1024, 4000);
  g_assert_true (g_bytes_equal (out, expected));
  g_clear_pointer (&out, g_bytes_unref);
  out = cuda_obj_buffer_copy_to_bytes (dst, 0, 16, stream, &error);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (out, NULL))[i], ==, 0);

  /* Within one buffer, ranges that do not overlap. */
  g_assert_true (cuda_obj_buffer_copy_to (src, src, 0, 4096, 4096, stream, &error));
  g_assert_no_error (error);
  moved = cuda_obj_buffer_copy_to_bytes (src, 4096, 4096, stream, &error);
  g_clear_pointer (&expected, g_bytes_unref);
  expected = g_bytes_new_from_bytes (in, 0, 4096);
  g_assert_true (g_bytes_equal (moved, expected));

  /* The destination too small, at its end. */
  g_assert_false (cuda_obj_buffer_copy_to (src, dst, 0, 100, 4000, stream, &error));
  assert_invalid (&error, "destination buffer of 4096 bytes");
  g_assert_false (cuda_obj_buffer_copy_to (src, dst, 8000, 0, 200, stream, &error));
  assert_invalid (&error, "source buffer of 8192 bytes");
  /* Zero bytes: nothing to do, fine even at the very end. */
  g_assert_true (cuda_obj_buffer_copy_to (src, dst, 8192, 4096, 0, stream, &error));
  g_assert_no_error (error);
  assert_usable (dst);
}

static void
test_copy_between_devices (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) peer = NULL;
  g_autoptr (CudaObjBuffer) here = NULL;
  g_autoptr (CudaObjBuffer) there = NULL;
  g_autoptr (CudaObjBuffer) back = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = pattern_bytes (1 << 20, 3);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  guint count;

  if (device == NULL)
    return;
  count = cuda_obj_device_get_count (&error);
  g_assert_no_error (error);
  /* Two devices when there are two; otherwise the same copy to itself. */
  peer = cuda_obj_device_get (count > 1 ? 1 : 0, &error);
  g_assert_no_error (error);
  g_test_message ("copying between devices 0 and %u", cuda_obj_device_get_ordinal (peer));
  stream = cuda_obj_device_create_stream (device, &error);
  here = allocate (device, 1 << 20);
  there = allocate (peer, 1 << 20);
  back = allocate (device, 1 << 20);
  g_assert_true (cuda_obj_buffer_get_device (there) == peer);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (here, in, 0, stream, &error));
  /* Peer access is not enabled: the driver stages the copy. */
  g_assert_true (cuda_obj_buffer_copy_to (here, there, 0, 0, 1 << 20, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_to (there, back, 0, 0, 1 << 20, stream, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (back, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
  g_clear_pointer (&out, g_bytes_unref);
  /* And read directly on the other device. */
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  out = cuda_obj_buffer_copy_to_bytes (there, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
}

static void
check_fill (CudaObjBuffer *buffer, guint width, guint32 pattern, gsize offset, gsize count, guint8 background)
{
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *bytes;
  gsize size = 0;

  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (out, &size);
  for (gsize i = 0; i < size; i++)
    {
      guint expected = background;

      if (i >= offset && i < offset + count * width)
        expected = (pattern >> (8 * ((i - offset) % width))) & 0xff; /* little-endian */
      if (bytes[i] != expected)
        g_error ("byte %" G_GSIZE_FORMAT ": 0x%02x, expected 0x%02x", i, bytes[i], expected);
    }
}

static void
test_fill (gconstpointer data)
{
  guint width = GPOINTER_TO_UINT (data);
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  guint32 pattern = width == 1 ? 0xa5 : width == 2 ? 0xbeef : 0xdeadbeef;

  if (device == NULL)
    return;
  buffer = allocate (device, 4096);
  /* The whole buffer, then a range inside it. */
  g_assert_true (cuda_obj_buffer_fill (buffer, pattern, width, 0, 4096 / width, NULL, &error));
  g_assert_no_error (error);
  check_fill (buffer, width, pattern, 0, 4096 / width, 0);
  g_assert_true (cuda_obj_buffer_fill (buffer, 0, 1, 0, 4096, NULL, &error));
  g_assert_true (cuda_obj_buffer_fill (buffer, pattern, width, 64, 100, NULL, &error));
  g_assert_no_error (error);
  check_fill (buffer, width, pattern, 64, 100, 0);
  /* The last element exactly, and nothing at the very end. */
  g_assert_true (cuda_obj_buffer_fill (buffer, pattern, width, 4096 - width, 1, NULL, &error));
  g_assert_true (cuda_obj_buffer_fill (buffer, pattern, width, 4096, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_fill_invalid (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  buffer = allocate (device, 1024);
  g_assert_true (cuda_obj_buffer_fill (buffer, 0x11, 1, 0, 1024, NULL, &error));
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 3, 0, 1, NULL, &error));
  assert_invalid (&error, "1, 2 or 4 bytes, not 3");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 8, 0, 1, NULL, &error));
  assert_invalid (&error, "not 8");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0x1ff, 1, 0, 1, NULL, &error));
  assert_invalid (&error, "0x1ff");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0x10000, 2, 0, 1, NULL, &error));
  assert_invalid (&error, "2 bytes");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 4, 2, 1, NULL, &error));
  assert_invalid (&error, "not aligned");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 2, 1, 1, NULL, &error));
  assert_invalid (&error, "not aligned");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 4, 0, 257, NULL, &error));
  assert_invalid (&error, "1028 bytes at offset 0");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 1, 1020, 5, NULL, &error));
  assert_invalid (&error, "buffer of 1024 bytes");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 4, 0, G_MAXSIZE / 2, NULL, &error));
  assert_invalid (&error, "elements of 4 bytes");
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 1, G_MAXSIZE, 2, NULL, &error));
  assert_invalid (&error, "buffer of 1024 bytes");
  /* Nothing was written by the failed fills. */
  check_fill (buffer, 1, 0x11, 0, 1024, 0);
  assert_usable (buffer);
}

static void
test_bounds (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) big = pattern_bytes (1025, 0);
  g_autoptr (GBytes) small = pattern_bytes (10, 0);
  g_autoptr (GError) error = NULL;
  guint8 host[64];

  if (device == NULL)
    return;
  buffer = allocate (device, 1024);
  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, big, 0, NULL, &error));
  assert_invalid (&error, "copy_from_bytes: 1025 bytes at offset 0 do not fit in the buffer of 1024 bytes");
  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, small, 1020, NULL, &error));
  assert_invalid (&error, "10 bytes at offset 1020");
  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, small, G_MAXSIZE - 4, NULL, &error));
  assert_invalid (&error, "copy_from_bytes");
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 1000, 25, NULL, &error));
  assert_invalid (&error, "copy_to_bytes: 25 bytes at offset 1000");
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 1025, -1, NULL, &error));
  assert_invalid (&error, "offset 1025");
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 0, -2, NULL, &error));
  assert_invalid (&error, "negative");
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 8, G_MAXSSIZE, NULL, &error));
  assert_invalid (&error, "copy_to_bytes");
  g_assert_false (cuda_obj_buffer_copy_from_host (buffer, (guint64) (guintptr) host, 64, 961, NULL, &error));
  assert_invalid (&error, "copy_from_host: 64 bytes at offset 961");
  g_assert_false (
      cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) host, G_MAXSIZE, 2, NULL, &error));
  assert_invalid (&error, "copy_to_host");
  /* The library and the buffer are fine. */
  assert_usable (buffer);
}

static void
notify_count (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_closed (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) other = NULL;
  g_autoptr (GBytes) in = pattern_bytes (16, 0);
  g_autoptr (GError) error = NULL;
  guint8 host[16];
  guint notified = 0;

  if (device == NULL)
    return;
  buffer = allocate (device, 64);
  other = allocate (device, 64);
  g_signal_connect (buffer, "notify::closed", G_CALLBACK (notify_count), &notified);
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (cuda_obj_buffer_get_closed (buffer));

  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "Buffer is closed");
  g_clear_error (&error);
  g_assert_null (cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_from_host (buffer, (guint64) (guintptr) host, 16, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) host, 16, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_fill (buffer, 0, 1, 0, 16, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_to (buffer, other, 0, 0, 16, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_copy_to (other, buffer, 0, 0, 16, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "Destination buffer is closed");
  g_clear_error (&error);

  /* Closing twice is fine and notifies once. */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  assert_usable (other);
}

static void
test_close_on_stream (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  /* Work and free queued on one non-blocking stream, freed memory reused:
   * every round still sees its own data. */
  for (guint round = 0; round < 50; round++)
    {
      g_autoptr (CudaObjBuffer) buffer = cuda_obj_device_allocate (device, 1 << 16, stream, &error);
      g_autoptr (CudaObjBuffer) copy = cuda_obj_device_allocate (device, 1 << 16, stream, &error);
      g_autoptr (GBytes) out = NULL;

      g_assert_no_error (error);
      guint32 pattern = 0x01010101u * (round % 200);

      g_assert_true (cuda_obj_buffer_fill (buffer, pattern, 4, 0, 1 << 14, stream, &error));
      g_assert_true (cuda_obj_buffer_copy_to (buffer, copy, 0, 0, 1 << 16, stream, &error));
      g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
      g_assert_no_error (error);
      out = cuda_obj_buffer_copy_to_bytes (copy, 1 << 15, 1, stream, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (*(const guint8 *) g_bytes_get_data (out, NULL), ==, round % 200);
      g_assert_true (cuda_obj_buffer_close (copy, stream, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_new_from_handle (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) memory = NULL;
  g_autoptr (CudaObjBuffer) wrapped = NULL;
  g_autoptr (GBytes) in = pattern_bytes (4096, 9);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  GObject *owner;
  GObject *owner_again;

  if (device == NULL)
    return;
  /* Foreign memory: here another buffer's, kept by an owner object. */
  memory = allocate (device, 4096);
  owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);
  wrapped = cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (memory) + 1024, 2048, owner,
                                             &error);
  g_assert_no_error (error);
  g_object_unref (owner);
  g_assert_nonnull (owner); /* the buffer keeps it alive */
  g_assert_true (cuda_obj_buffer_get_owner (wrapped) == owner);
  g_assert_null (cuda_obj_buffer_get_memory_resource (wrapped));
  g_assert_true (cuda_obj_buffer_get_device (wrapped) == device);
  g_assert_cmpuint (cuda_obj_buffer_get_handle (wrapped), ==, cuda_obj_buffer_get_handle (memory) + 1024);
  g_assert_cmpuint (cuda_obj_buffer_get_size (wrapped), ==, 2048);
  g_assert_true (cuda_obj_buffer_get_is_device_accessible (wrapped));
  g_assert_false (cuda_obj_buffer_get_is_host_accessible (wrapped));

  /* Writes through the wrapper land in the memory. */
  g_assert_true (cuda_obj_buffer_copy_from_bytes (memory, in, 0, NULL, &error));
  g_assert_true (cuda_obj_buffer_fill (wrapped, 0xee, 1, 0, 2048, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (memory, 1020, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), 4, (const guint8 *) g_bytes_get_data (in, NULL) + 1020, 4);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (out, NULL))[4], ==, 0xee);
  g_assert_false (cuda_obj_buffer_fill (wrapped, 0, 1, 0, 2049, NULL, &error));
  assert_invalid (&error, "buffer of 2048 bytes");

  /* Closing releases the owner and never frees the memory. */
  g_assert_true (cuda_obj_buffer_close (wrapped, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (owner);
  g_assert_null (cuda_obj_buffer_get_owner (wrapped));
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  assert_usable (memory);

  /* Finalization releases the owner too. */
  owner_again = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner_again, (gpointer *) &owner_again);
  g_clear_object (&wrapped);
  wrapped = cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (memory), 4096, owner_again,
                                             &error);
  g_assert_no_error (error);
  g_object_unref (owner_again);
  g_assert_nonnull (owner_again);
  g_clear_object (&wrapped);
  g_assert_null (owner_again);
  assert_usable (memory);

  /* Without an owner, too. */
  wrapped = cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (memory), 4096, NULL, &error);
  g_assert_no_error (error);
  assert_usable (wrapped);
}

static void
test_new_from_handle_invalid (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) memory = NULL;
  g_autoptr (GError) error = NULL;
  GObject *owner;

  if (device == NULL)
    return;
  memory = allocate (device, 64);
  owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);
  g_assert_null (cuda_obj_buffer_new_from_handle (device, 0, 64, owner, &error));
  assert_invalid (&error, "non-zero address");
  g_assert_null (
      cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (memory), 0, owner, &error));
  assert_invalid (&error, "at least one byte");
  /* The failed buffers did not keep the owner. */
  g_object_unref (owner);
  g_assert_null (owner);
}

static void
test_new_from_handle_host_memory (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned = NULL;
  g_autoptr (CudaObjManagedMemoryResource) managed = NULL;
  g_autoptr (CudaObjBuffer) host = NULL;
  g_autoptr (CudaObjBuffer) unified = NULL;
  g_autoptr (CudaObjBuffer) wrapped = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  /* The driver tells what wrapped memory is. */
  pinned = cuda_obj_legacy_pinned_memory_resource_new (device, &error);
  managed = cuda_obj_managed_memory_resource_new (device, &error);
  g_assert_no_error (error);
  host = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned), 256, NULL, &error);
  unified = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (managed), 256, NULL, &error);
  g_assert_no_error (error);
  wrapped = cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (host), 256, G_OBJECT (host),
                                             &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_is_host_accessible (wrapped));
  g_assert_true (cuda_obj_buffer_get_is_device_accessible (wrapped));
  g_clear_object (&wrapped);
  wrapped = cuda_obj_buffer_new_from_handle (device, cuda_obj_buffer_get_handle (unified), 256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_is_host_accessible (wrapped));
  assert_usable (wrapped);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/buffer/construct-checks", test_construct_checks);
  g_test_add_func ("/buffer/uninitialized-is-closed", test_uninitialized_is_closed);
  g_test_add_func ("/buffer/properties", test_properties);
  g_test_add_func ("/buffer/copy/round-trip", test_copy_round_trip);
  g_test_add_func ("/buffer/copy/host-address", test_copy_host_address);
  g_test_add_func ("/buffer/copy/from-pinned-bytes", test_copy_from_pinned_bytes);
  g_test_add_func ("/buffer/copy/device-to-device", test_copy_device_to_device);
  g_test_add_func ("/buffer/copy/between-devices", test_copy_between_devices);
  g_test_add_data_func ("/buffer/fill/8-bit", GUINT_TO_POINTER (1), test_fill);
  g_test_add_data_func ("/buffer/fill/16-bit", GUINT_TO_POINTER (2), test_fill);
  g_test_add_data_func ("/buffer/fill/32-bit", GUINT_TO_POINTER (4), test_fill);
  g_test_add_func ("/buffer/fill/invalid", test_fill_invalid);
  g_test_add_func ("/buffer/bounds", test_bounds);
  g_test_add_func ("/buffer/closed", test_closed);
  g_test_add_func ("/buffer/close-on-stream", test_close_on_stream);
  g_test_add_func ("/buffer/new-from-handle/owner", test_new_from_handle);
  g_test_add_func ("/buffer/new-from-handle/invalid", test_new_from_handle_invalid);
  g_test_add_func ("/buffer/new-from-handle/host-memory", test_new_from_handle_host_memory);

  return g_test_run ();
}
