/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MemoryResource: the interface and a C implementation of it, then each of
 * libcudaobj's resources (device pool, own pool, pinned, managed,
 * synchronous): allocation, round trips, failures, stream order, pools. */
#include <string.h>

#include "cudaobj-test-util.h"

/* A tiny implementation of the interface: memory from an inner resource,
 * wrapped with cuda_obj_buffer_new_for_resource(), every call counted. */

#define TEST_TYPE_RESOURCE (test_resource_get_type ())
G_DECLARE_FINAL_TYPE (TestResource, test_resource, TEST, RESOURCE, GObject)

struct _TestResource
{
  GObject parent_instance;
  CudaObjDevice *device;
  CudaObjMemoryResource *inner; /* NULL: allocate fails */
  gboolean fail_with_error;
  gsize shrink;     /* bytes the buffers it returns lack */
  GHashTable *live; /* handle -> the inner CudaObjBuffer */
  guint allocations, deallocations;
  guint64 last_handle;
  gsize last_size;
  CudaObjStream *last_stream; /* not owned; compared only */
};

enum
{
  TEST_PROP_0,
  TEST_PROP_DEVICE,
  TEST_PROP_IS_DEVICE_ACCESSIBLE,
  TEST_PROP_IS_HOST_ACCESSIBLE
};

static void test_resource_iface_init (CudaObjMemoryResourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestResource, test_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                      test_resource_iface_init))

static CudaObjBuffer *
test_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream, GError **error)
{
  TestResource *self = TEST_RESOURCE (resource);
  g_autoptr (CudaObjBuffer) block = NULL;
  guint64 handle;

  self->allocations++;
  if (self->inner == NULL)
    {
      if (self->fail_with_error)
        g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "no memory here");
      return NULL;
    }
  block = cuda_obj_memory_resource_allocate (self->inner, size, stream, error);
  if (block == NULL)
    return NULL;
  handle = cuda_obj_buffer_get_handle (block);
  g_hash_table_insert (self->live, g_memdup2 (&handle, sizeof handle), g_steal_pointer (&block));
  return cuda_obj_buffer_new_for_resource (resource, handle, size - self->shrink, error);
}

static gboolean
test_resource_deallocate (CudaObjMemoryResource *resource, guint64 handle, gsize size, CudaObjStream *stream,
                          GError **error)
{
  TestResource *self = TEST_RESOURCE (resource);
  CudaObjBuffer *block;

  self->deallocations++;
  self->last_handle = handle;
  self->last_size = size;
  self->last_stream = stream;
  block = self->inner != NULL ? g_hash_table_lookup (self->live, &handle) : NULL;
  if (block == NULL)
    return TRUE; /* nothing behind it: dispatch tests without a device */
  if (!cuda_obj_buffer_close (block, stream, error))
    return FALSE;
  g_hash_table_remove (self->live, &handle);
  return TRUE;
}

static void
test_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = test_resource_allocate;
  iface->deallocate = test_resource_deallocate;
}

static void
test_resource_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TestResource *self = TEST_RESOURCE (object);

  switch (prop_id)
    {
    case TEST_PROP_DEVICE: g_value_set_object (value, self->device); break;
    case TEST_PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    case TEST_PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, FALSE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_resource_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TestResource *self = TEST_RESOURCE (object);

  switch (prop_id)
    {
    case TEST_PROP_DEVICE: self->device = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_resource_dispose (GObject *object)
{
  TestResource *self = TEST_RESOURCE (object);

  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_object (&self->inner);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (test_resource_parent_class)->dispose (object);
}

static void
test_resource_class_init (TestResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = test_resource_dispose;
  object_class->get_property = test_resource_get_property;
  object_class->set_property = test_resource_set_property;
  g_object_class_override_property (object_class, TEST_PROP_DEVICE, "device");
  g_object_class_override_property (object_class, TEST_PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, TEST_PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

static void
test_resource_init (TestResource *self)
{
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/* The resources under test: one row per kind, every per-kind test one body
 * run over all rows (json-glib's style). */

static gpointer
new_device_resource (CudaObjDevice *device, GError **error)
{
  return cuda_obj_device_memory_resource_new (device, FALSE, error);
}

static gpointer
new_own_pool_resource (CudaObjDevice *device, GError **error)
{
  return cuda_obj_device_memory_resource_new (device, TRUE, error);
}

static gpointer
new_pinned_resource (CudaObjDevice *device, GError **error)
{
  return cuda_obj_legacy_pinned_memory_resource_new (device, error);
}

static gpointer
new_managed_resource (CudaObjDevice *device, GError **error)
{
  return cuda_obj_managed_memory_resource_new (device, error);
}

static gpointer
new_sync_resource (CudaObjDevice *device, GError **error)
{
  return cuda_obj_sync_memory_resource_new (device, error);
}

typedef struct
{
  const char *name;                                         /* test path */
  GType (*get_type) (void);                                 /* for g_initable_new() */
  gpointer (*make) (CudaObjDevice *device, GError **error); /* the C constructor */
  gboolean needs_pools;                                     /* stream-ordered pools */
  gboolean host_accessible;
  gboolean closed_by_reset; /* the resource itself, not only its buffers */
} ResourceCase;

/* clang-format off */
static const ResourceCase resource_cases[] = {
  { "device",   cuda_obj_device_memory_resource_get_type,  new_device_resource,   TRUE,  FALSE, TRUE },
  { "own-pool", cuda_obj_device_memory_resource_get_type,  new_own_pool_resource, TRUE,  FALSE, TRUE },
  { "pinned",   cuda_obj_legacy_pinned_memory_resource_get_type,  new_pinned_resource,   FALSE, TRUE,  FALSE },
  { "managed",  cuda_obj_managed_memory_resource_get_type, new_managed_resource,  FALSE, TRUE,  FALSE },
  { "sync",     cuda_obj_sync_memory_resource_get_type,    new_sync_resource,     FALSE, FALSE, FALSE },
};
/* clang-format on */

static CudaObjMemoryResource *
make_resource (CudaObjDevice *device, const ResourceCase *c)
{
  g_autoptr (GError) error = NULL;
  gpointer resource;

  if (c->needs_pools && !cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return NULL;
    }
  resource = c->make (device, &error);
  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_MEMORY_RESOURCE (resource));
  return resource;
}

static GBytes *
pattern_bytes (gsize size, guint seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + seed);
  return g_bytes_new_take (data, size);
}

static void
assert_out_of_memory (GError *error)
{
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (error->message, "out of memory"));
}

/* Without a driver: construction from a binding (device 0, which needs the
 * driver) and the C constructor both report the missing library. */

static void
test_no_driver (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (GError) error = NULL;

  if (cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL))
    {
      g_test_skip ("a CUDA driver is present; the no-driver path is tested where there is none");
      return;
    }
  g_assert_null (g_initable_new (c->get_type (), NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "libcuda.so.1"));
  g_clear_error (&error);
  g_assert_null (c->make (NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
}

static void
test_interface_properties (void)
{
  g_autoptr (TestResource) resource = g_object_new (TEST_TYPE_RESOURCE, NULL);
  CudaObjMemoryResource *iface = CUDA_OBJ_MEMORY_RESOURCE (resource);
  gboolean device_accessible = FALSE, host_accessible = TRUE;
  gpointer iface_struct;

  g_assert_true (g_type_is_a (TEST_TYPE_RESOURCE, CUDA_OBJ_TYPE_MEMORY_RESOURCE));
  g_assert_null (cuda_obj_memory_resource_get_device (iface));
  g_assert_true (cuda_obj_memory_resource_get_is_device_accessible (iface));
  g_assert_false (cuda_obj_memory_resource_get_is_host_accessible (iface));
  g_object_get (resource, "is-device-accessible", &device_accessible, "is-host-accessible", &host_accessible,
                NULL);
  g_assert_true (device_accessible);
  g_assert_false (host_accessible);
  /* The interface declares the three properties every implementation has. */
  iface_struct = g_type_default_interface_ref (CUDA_OBJ_TYPE_MEMORY_RESOURCE);
  g_assert_nonnull (g_object_interface_find_property (iface_struct, "device"));
  g_assert_nonnull (g_object_interface_find_property (iface_struct, "is-host-accessible"));
  g_type_default_interface_unref (iface_struct);
}

static void
test_interface_dispatch (void)
{
  g_autoptr (TestResource) resource = g_object_new (TEST_TYPE_RESOURCE, NULL);
  CudaObjMemoryResource *iface = CUDA_OBJ_MEMORY_RESOURCE (resource);
  g_autoptr (GError) error = NULL;

  /* deallocate reaches the implementation with its arguments. */
  g_assert_true (cuda_obj_memory_resource_deallocate (iface, 0x7f0000001000, 4096, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (resource->deallocations, ==, 1);
  g_assert_cmpuint (resource->last_handle, ==, 0x7f0000001000);
  g_assert_cmpuint (resource->last_size, ==, 4096);
  g_assert_null (resource->last_stream);

  /* A zero size is refused before the implementation sees it. */
  g_assert_null (cuda_obj_memory_resource_allocate (iface, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "0 bytes"));
  g_assert_cmpuint (resource->allocations, ==, 0);
  g_clear_error (&error);

  /* The implementation's error reaches the caller. */
  resource->fail_with_error = TRUE;
  g_assert_null (cuda_obj_memory_resource_allocate (iface, 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "no memory here");
  g_assert_cmpuint (resource->allocations, ==, 1);
  g_clear_error (&error);

  /* An implementation that fails without an error still gives one. */
  resource->fail_with_error = FALSE;
  g_assert_null (cuda_obj_memory_resource_allocate (iface, 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "TestResource"));
  g_assert_cmpuint (resource->allocations, ==, 2);
}

static void
test_interface_buffer_needs_device (void)
{
  g_autoptr (TestResource) resource = g_object_new (TEST_TYPE_RESOURCE, NULL);
  g_autoptr (GError) error = NULL;

  /* Without a device, the resource cannot make buffers. */
  g_assert_null (cuda_obj_buffer_new_for_resource (CUDA_OBJ_MEMORY_RESOURCE (resource), 0x1000, 64, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no device"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_buffer_new_for_resource (CUDA_OBJ_MEMORY_RESOURCE (resource), 0, 64, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  /* Nothing was deallocated for buffers that never existed. */
  g_assert_cmpuint (resource->deallocations, ==, 0);
}

/* A C implementation used through the interface, on a GPU. */

static void
test_interface_custom_allocate (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (TestResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) dropped = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = pattern_bytes (1000, 3);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  guint64 handle;

  if (device == NULL)
    return;
  resource = g_object_new (TEST_TYPE_RESOURCE, "device", device, NULL);
  resource->inner = cuda_obj_device_get_memory_resource (device);
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);

  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 1000, stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resource->allocations, ==, 1);
  g_assert_true (cuda_obj_buffer_get_memory_resource (buffer) == CUDA_OBJ_MEMORY_RESOURCE (resource));
  g_assert_true (cuda_obj_buffer_get_device (buffer) == device);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 1000);
  g_assert_true (cuda_obj_buffer_get_is_device_accessible (buffer));
  g_assert_false (cuda_obj_buffer_get_is_host_accessible (buffer));
  handle = cuda_obj_buffer_get_handle (buffer);
  g_assert_cmpuint (handle, !=, 0);
  g_assert_cmpuint (g_hash_table_size (resource->live), ==, 1);

  /* The memory behind it works. */
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, stream, &error));
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));

  /* Closing calls deallocate once, with the address, size and stream. */
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (resource->deallocations, ==, 1);
  g_assert_cmpuint (resource->last_handle, ==, handle);
  g_assert_cmpuint (resource->last_size, ==, 1000);
  g_assert_true (resource->last_stream == stream);
  g_assert_cmpuint (g_hash_table_size (resource->live), ==, 0);
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_cmpuint (resource->deallocations, ==, 1);

  /* A buffer dropped without close deallocates on the legacy stream. */
  dropped = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 64, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&dropped);
  g_assert_cmpuint (resource->deallocations, ==, 2);
  g_assert_cmpuint (resource->last_size, ==, 64);
  g_assert_null (resource->last_stream);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_interface_short_buffer (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (TestResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  resource = g_object_new (TEST_TYPE_RESOURCE, "device", device, NULL);
  resource->inner = cuda_obj_device_get_memory_resource (device);
  resource->shrink = 1;
  /* A buffer smaller than asked for is an error, and goes back at once. */
  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 256, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "255 bytes"));
  g_assert_nonnull (strstr (error->message, "256 bytes"));
  g_assert_cmpuint (resource->deallocations, ==, 1);
  g_assert_cmpuint (g_hash_table_size (resource->live), ==, 0);
  g_clear_error (&error);
  resource->shrink = 0;
  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 256);
}

/* Each resource, data-driven by resource_cases. */

static void
test_allocate_close (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjDevice) prop_device = NULL;
  g_autoptr (CudaObjMemoryResource) prop_resource = NULL;
  g_autoptr (GError) error = NULL;
  gboolean host = c->host_accessible;
  guint64 handle = 0, size = 0;
  gboolean closed = TRUE;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  g_assert_true (cuda_obj_memory_resource_get_device (resource) == device);
  g_assert_true (cuda_obj_memory_resource_get_is_device_accessible (resource));
  g_assert_cmpint (cuda_obj_memory_resource_get_is_host_accessible (resource), ==, host);

  buffer = cuda_obj_memory_resource_allocate (resource, 1 << 20, NULL, &error);
  g_assert_no_error (error);
  g_object_get (buffer, "handle", &handle, "size", &size, "device", &prop_device, "memory-resource",
                &prop_resource, "closed", &closed, NULL);
  g_assert_cmpuint (handle, !=, 0);
  g_assert_cmpuint (handle, ==, cuda_obj_buffer_get_handle (buffer));
  g_assert_cmpuint (size, ==, 1 << 20);
  g_assert_true (prop_device == device);
  g_assert_true (prop_resource == resource);
  g_assert_false (closed);
  g_assert_null (cuda_obj_buffer_get_owner (buffer));
  g_assert_true (cuda_obj_buffer_get_is_device_accessible (buffer));
  g_assert_cmpint (cuda_obj_buffer_get_is_host_accessible (buffer), ==, host);

  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_closed (buffer));
  g_assert_cmpuint (cuda_obj_buffer_get_handle (buffer), ==, 0);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 1 << 20);
  /* Closing again is fine and does nothing. */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) in = pattern_bytes (65536 + 7, 11);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) middle = NULL;
  g_autoptr (GBytes) expected = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  buffer = cuda_obj_memory_resource_allocate (resource, g_bytes_get_size (in), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
  /* A range in the middle. */
  middle = cuda_obj_buffer_copy_to_bytes (buffer, 1000, 333, NULL, &error);
  g_assert_no_error (error);
  expected = g_bytes_new_from_bytes (in, 1000, 333);
  g_assert_true (g_bytes_equal (middle, expected));
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
}

static void
test_zero_size (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  g_assert_null (cuda_obj_memory_resource_allocate (resource, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  buffer = cuda_obj_memory_resource_allocate (resource, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 1);
}

static void
test_out_of_memory (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) in = pattern_bytes (4096, 5);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  /* A petabyte: more than any device or host has. */
  g_assert_null (cuda_obj_memory_resource_allocate (resource, (gsize) 1 << 50, NULL, &error));
  assert_out_of_memory (error);
  g_clear_error (&error);
  /* Not sticky: the next allocation works. */
  buffer = cuda_obj_memory_resource_allocate (resource, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
}

static void
test_stream_ordered (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  /* Allocate, fill, read and free, all in one non-blocking stream's order,
   * many times over so that freed memory is reused. */
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr (CudaObjBuffer) buffer = cuda_obj_memory_resource_allocate (resource, 4096, stream, &error);
      g_autoptr (GBytes) out = NULL;
      const guint8 *bytes;
      gsize size = 0;

      g_assert_no_error (error);
      g_assert_true (cuda_obj_buffer_fill (buffer, round, 1, 0, 4096, stream, &error));
      g_assert_no_error (error);
      out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
      g_assert_no_error (error);
      bytes = g_bytes_get_data (out, &size);
      g_assert_cmpuint (size, ==, 4096);
      for (gsize i = 0; i < size; i++)
        g_assert_cmpuint (bytes[i], ==, round);
      g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
test_closed_stream (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_close (stream, &error));
  g_assert_no_error (error);
  g_assert_null (cuda_obj_memory_resource_allocate (resource, 64, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  buffer = cuda_obj_memory_resource_allocate (resource, 64, NULL, &error);
  g_assert_no_error (error);
  /* A closed stream cannot take the free: the buffer stays open. */
  g_assert_false (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_buffer_get_closed (buffer));
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
}

/* Host-accessible memory: the host reads what the device wrote. */
static void
test_host_pointer (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) host = NULL;
  g_autoptr (CudaObjBuffer) on_device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = pattern_bytes (8192, 17);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  guint8 *pointer;

  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  host = cuda_obj_memory_resource_allocate (resource, 8192, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_is_host_accessible (host));
  on_device = cuda_obj_device_allocate (device, 8192, stream, &error);
  g_assert_no_error (error);

  /* Device -> host memory by a device copy; then read by the CPU directly. */
  g_assert_true (cuda_obj_buffer_copy_from_bytes (on_device, in, 0, stream, &error));
  g_assert_true (cuda_obj_buffer_copy_to (on_device, host, 0, 0, 8192, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  pointer = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (host);
  g_assert_cmpmem (pointer, 8192, g_bytes_get_data (in, NULL), 8192);

  /* CPU writes -> device copy -> bytes. */
  for (guint i = 0; i < 8192; i++)
    pointer[i] = (guint8) (255 - i % 251);
  g_assert_true (cuda_obj_buffer_copy_to (host, on_device, 0, 0, 8192, stream, &error));
  out = cuda_obj_buffer_copy_to_bytes (on_device, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), 8192, pointer, 8192);

  /* The device fills it too, and the host sees the fill. */
  g_assert_true (cuda_obj_buffer_fill (host, 0xabcd, 2, 0, 4096, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  for (guint i = 0; i < 4096; i++)
    g_assert_cmpuint (((guint16 *) pointer)[i], ==, 0xabcd);
  g_assert_true (cuda_obj_buffer_close (host, stream, &error));
  g_assert_true (cuda_obj_buffer_close (on_device, stream, &error));
  g_assert_no_error (error);
}

/* DeviceMemoryResource specifics. */

static void
test_default_shared (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) first = NULL;
  g_autoptr (CudaObjMemoryResource) again = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  first = cuda_obj_device_get_memory_resource (device);
  again = cuda_obj_device_get_memory_resource (device);
  g_assert_true (first == again);
  g_assert_true (cuda_obj_memory_resource_get_device (first) == device);
  if (cuda_obj_device_get_memory_pools_supported (device))
    {
      CudaObjDeviceMemoryResource *pool = (CudaObjDeviceMemoryResource *) first;

      g_assert_true (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (first));
      g_assert_false (cuda_obj_device_memory_resource_get_own_pool (pool));
      /* Raised from 0, so that freed memory is kept for reuse. */
      g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (pool), >, 0);
    }
  else
    g_assert_true (CUDA_OBJ_IS_SYNC_MEMORY_RESOURCE (first));

  /* cuda_obj_device_allocate() draws from it. */
  buffer = cuda_obj_device_allocate (device, 512, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_memory_resource (buffer) == first);
  g_assert_null (cuda_obj_device_allocate (device, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_allocate (device, (gsize) 1 << 50, NULL, &error));
  assert_out_of_memory (error);
}

static void
notify_count (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_release_threshold (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) constructed = NULL;
  g_autoptr (GError) error = NULL;
  guint64 value = 0;
  guint notified = 0;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  resource = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_own_pool (resource));
  /* A new pool releases everything by default. */
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (resource), ==, 0);
  g_signal_connect (resource, "notify::release-threshold", G_CALLBACK (notify_count), &notified);

  g_assert_true (cuda_obj_device_memory_resource_set_release_threshold (resource, 1 << 20, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (resource), ==, 1 << 20);
  g_assert_cmpuint (notified, ==, 1);
  /* The same value again: no notification. */
  g_assert_true (cuda_obj_device_memory_resource_set_release_threshold (resource, 1 << 20, &error));
  g_assert_cmpuint (notified, ==, 1);
  /* Through the property. */
  g_object_set (resource, "release-threshold", G_MAXUINT64, NULL);
  g_object_get (resource, "release-threshold", &value, NULL);
  g_assert_cmpuint (value, ==, G_MAXUINT64);
  g_assert_cmpuint (notified, ==, 2);

  /* Given at construction, it reaches the pool. */
  constructed = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device,
                                "own-pool", TRUE, "release-threshold", (guint64) 4096, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (constructed), ==, 4096);
}

/* The pool's tuning properties: each reuse policy round-trips through the
 * accessors and the property, and notifies once per change. */
typedef struct
{
  const char *property;
  gboolean (*get) (CudaObjDeviceMemoryResource *self);
  gboolean (*set) (CudaObjDeviceMemoryResource *self, gboolean enabled, GError **error);
} ReuseCase;

static const ReuseCase reuse_cases[] = {
  { "reuse-follow-event-dependencies", cuda_obj_device_memory_resource_get_reuse_follow_event_dependencies,
    cuda_obj_device_memory_resource_set_reuse_follow_event_dependencies },
  { "reuse-allow-opportunistic", cuda_obj_device_memory_resource_get_reuse_allow_opportunistic,
    cuda_obj_device_memory_resource_set_reuse_allow_opportunistic },
  { "reuse-allow-internal-dependencies",
    cuda_obj_device_memory_resource_get_reuse_allow_internal_dependencies,
    cuda_obj_device_memory_resource_set_reuse_allow_internal_dependencies },
};

static void
test_reuse_policies (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reuse_cases); i++)
    {
      const ReuseCase *c = &reuse_cases[i];
      g_autoptr (CudaObjDeviceMemoryResource) resource
          = cuda_obj_device_memory_resource_new (device, TRUE, &error);
      g_autoptr (CudaObjDeviceMemoryResource) constructed = NULL;
      g_autofree char *signal = g_strconcat ("notify::", c->property, NULL);
      gboolean value = FALSE;
      guint notified = 0;

      g_assert_no_error (error);
      /* A new pool has every policy on. */
      g_assert_true (c->get (resource));
      g_signal_connect (resource, signal, G_CALLBACK (notify_count), &notified);
      g_assert_true (c->set (resource, FALSE, &error));
      g_assert_no_error (error);
      g_assert_false (c->get (resource));
      g_assert_cmpuint (notified, ==, 1);
      g_assert_true (c->set (resource, FALSE, &error));
      g_assert_cmpuint (notified, ==, 1);
      g_object_set (resource, c->property, TRUE, NULL);
      g_object_get (resource, c->property, &value, NULL);
      g_assert_true (value);
      g_assert_cmpuint (notified, ==, 2);

      /* Given at construction, it reaches the pool. */
      constructed = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device,
                                    "own-pool", TRUE, c->property, FALSE, NULL);
      g_assert_no_error (error);
      g_assert_false (c->get (constructed));
    }
}

static void
test_watermarks (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = (gsize) 32 << 20;
  guint64 used_high = 0;
  guint notified = 0;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  resource = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_set_release_threshold (resource, G_MAXUINT64, &error));
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_current (resource), ==, 0);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_current (resource), ==, 0);

  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_current (resource), >=, size);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_current (resource), >=, size);
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);

  /* Freed: current use is 0, the peak remembers the allocation. */
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_current (resource), ==, 0);
  g_object_get (resource, "used-memory-high", &used_high, NULL);
  g_assert_cmpuint (used_high, >=, size);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_high (resource), >=, size);

  g_signal_connect (resource, "notify::used-memory-high", G_CALLBACK (notify_count), &notified);
  g_assert_true (cuda_obj_device_memory_resource_reset_high_watermarks (resource, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_high (resource), ==, 0);
  /* The reserved memory is still held: its peak restarts from there. */
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_high (resource), ==,
                    cuda_obj_device_memory_resource_get_reserved_memory_current (resource));
}

static void
test_max_size (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) refused = NULL;
  g_autoptr (CudaObjBuffer) fits = NULL;
  g_autoptr (CudaObjBuffer) beyond = NULL;
  g_autoptr (GError) error = NULL;
  const guint64 limit = (guint64) 64 << 20;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  resource = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device, "own-pool",
                             TRUE, "max-size", limit, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_max_size (resource), ==, limit);
  fits = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), limit / 2, NULL, &error);
  g_assert_no_error (error);
  beyond = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), limit, NULL, &error);
  g_assert_null (beyond);
  assert_out_of_memory (error);
  g_clear_error (&error);

  /* The default pool's size is not ours to limit. */
  refused = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device, "max-size",
                            limit, NULL);
  g_assert_null (refused);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "own-pool"));
}

static void
test_usage_and_trim (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  const gsize size = (gsize) 64 << 20;
  guint64 reserved = 0, used = 0;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  resource = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_set_release_threshold (resource, G_MAXUINT64, &error));
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, &reserved, &used, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reserved, ==, 0);
  g_assert_cmpuint (used, ==, 0);

  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, &reserved, &used, &error));
  g_assert_cmpuint (used, >=, size);
  g_assert_cmpuint (reserved, >=, used);

  /* Freed and synchronized: kept reserved (the threshold keeps all), not used. */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, &reserved, &used, &error));
  g_assert_cmpuint (used, ==, 0);
  g_assert_cmpuint (reserved, >=, size);

  /* Trimmed: given back to the system. Each out argument is optional. */
  g_assert_true (cuda_obj_device_memory_resource_trim_to (resource, 0, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, &reserved, NULL, &error));
  g_assert_cmpuint (reserved, ==, 0);
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_dispose_frees (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (GError) error = NULL;
  guint64 used = 1;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  resource = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (CudaObjBuffer) buffer
          = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 1 << 20, NULL, &error);
      g_assert_no_error (error);
      /* Dropped without close: finalization frees on the legacy stream. */
    }
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_true (cuda_obj_device_memory_resource_get_usage (resource, NULL, &used, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (used, ==, 0);
}

static void
test_resource_outlives_its_owner (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  CudaObjDeviceMemoryResource *resource;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) in = pattern_bytes (256, 1);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return;
    }
  /* A buffer keeps its resource (and so its own pool) alive. */
  resource = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 256, NULL, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (resource), (gpointer *) &resource);
  g_object_unref (resource);
  g_assert_nonnull (resource);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  out = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
  g_clear_object (&buffer);
  g_assert_null (resource);
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
}

/* A reset of the device closes every buffer, whatever its kind; the pool
 * resources close too, the others allocate again. In a subprocess, so that a
 * reset cannot disturb the other tests. */
static void
test_device_reset (gconstpointer data)
{
  const ResourceCase *c = data;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) again = NULL;
  g_autoptr (GBytes) in = pattern_bytes (4096, 3);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  if (!g_test_subprocess ())
    {
      if (!cudaobj_test_have_gpu (&reason))
        {
          g_test_skip (reason);
          return;
        }
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  device = cudaobj_test_device_or_skip ();
  if (device == NULL || (resource = make_resource (device, c)) == NULL)
    return;
  buffer = cuda_obj_memory_resource_allocate (resource, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_reset (device, &error));
  g_assert_no_error (error);

  g_assert_true (cuda_obj_buffer_get_closed (buffer));
  g_assert_false (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "reset of device"));
  g_clear_error (&error);
  /* Closing it frees nothing (the memory went with the context). */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);

  again = cuda_obj_memory_resource_allocate (resource, 4096, NULL, &error);
  if (c->closed_by_reset)
    {
      g_assert_null (again);
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
      g_assert_nonnull (strstr (error->message, "reset of device"));
      return;
    }
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (again, in, 0, NULL, &error));
  out = cuda_obj_buffer_copy_to_bytes (again, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
}

static void
add_case_tests (const char *what, GTestDataFunc func, gboolean host_only)
{
  for (guint i = 0; i < G_N_ELEMENTS (resource_cases); i++)
    {
      g_autofree char *path = NULL;

      if (host_only && !resource_cases[i].host_accessible)
        continue;
      path = g_strdup_printf ("/memory-resource/%s/%s", resource_cases[i].name, what);
      g_test_add_data_func (path, &resource_cases[i], func);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/memory-resource/interface/properties", test_interface_properties);
  g_test_add_func ("/memory-resource/interface/dispatch", test_interface_dispatch);
  g_test_add_func ("/memory-resource/interface/buffer-needs-device", test_interface_buffer_needs_device);
  g_test_add_func ("/memory-resource/interface/custom-allocate", test_interface_custom_allocate);
  g_test_add_func ("/memory-resource/interface/short-buffer", test_interface_short_buffer);
  add_case_tests ("no-driver", test_no_driver, FALSE);
  add_case_tests ("allocate-close", test_allocate_close, FALSE);
  add_case_tests ("round-trip", test_round_trip, FALSE);
  add_case_tests ("zero-size", test_zero_size, FALSE);
  add_case_tests ("out-of-memory", test_out_of_memory, FALSE);
  add_case_tests ("stream-ordered", test_stream_ordered, FALSE);
  add_case_tests ("closed-stream", test_closed_stream, FALSE);
  add_case_tests ("host-pointer", test_host_pointer, TRUE);
  add_case_tests ("device-reset", test_device_reset, FALSE);
  g_test_add_func ("/memory-resource/device/default-shared", test_default_shared);
  g_test_add_func ("/memory-resource/device/release-threshold", test_release_threshold);
  g_test_add_func ("/memory-resource/device/reuse-policies", test_reuse_policies);
  g_test_add_func ("/memory-resource/device/watermarks", test_watermarks);
  g_test_add_func ("/memory-resource/device/max-size", test_max_size);
  g_test_add_func ("/memory-resource/device/usage-and-trim", test_usage_and_trim);
  g_test_add_func ("/memory-resource/device/dispose-frees", test_dispose_frees);
  g_test_add_func ("/memory-resource/device/buffer-keeps-resource", test_resource_outlives_its_owner);

  return g_test_run ();
}
