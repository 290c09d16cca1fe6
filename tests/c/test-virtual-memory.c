/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VirtualMemoryResource: argument checks that need no device, then on the
 * GPU granularity and rounding, round trips, growth in place and by
 * relocation (contents kept, kernels see the new memory), access for a
 * second device, fd export, and every error path. */
#include <string.h>
#include <unistd.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

static const char kernels_source[]
    = "extern \"C\" __global__ void iota (unsigned int *out, unsigned int first,\n"
      "                                  unsigned long long n)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x"
      " + threadIdx.x;\n"
      "  if (i < n) out[i] = first + (unsigned int) i;\n"
      "}\n";

static CudaObjVirtualMemoryResource *
new_resource (CudaObjDevice *device, CudaObjVirtualMemoryHandleType handle_type)
{
  g_autoptr (GError) error = NULL;
  CudaObjVirtualMemoryResource *resource = cuda_obj_virtual_memory_resource_new (
      device, CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED, handle_type, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resource);
  return resource;
}

static CudaObjBuffer *
allocate (CudaObjVirtualMemoryResource *resource, gsize size)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer
      = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buffer);
  return buffer;
}

/* @size bytes of a pattern that differs from one 4-byte word to the next. */
static GBytes *
pattern_bytes (gsize size, guint32 seed)
{
  guint32 *words = g_malloc (size);

  for (gsize i = 0; i < size / 4; i++)
    words[i] = seed + (guint32) i * 2654435761u;
  return g_bytes_new_take (words, size);
}

static void
write_bytes (CudaObjBuffer *buffer, GBytes *bytes, gsize offset)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, offset, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_contents (CudaObjBuffer *buffer, gsize offset, GBytes *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got
      = cuda_obj_buffer_copy_to_bytes (buffer, offset, (gssize) g_bytes_get_size (expected), NULL, &error);

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, expected));
}

/* Fills @n words of @buffer from @offset with first, first + 1, ... on
 * @device, by a kernel: proof that @device's kernels can write there. */
static void
launch_iota (CudaObjDevice *device, CudaObjBuffer *buffer, gsize offset, guint32 first, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = cudaobj_test_compile (device, kernels_source, NULL);
  g_autoptr (CudaObjKernel) kernel = cuda_obj_object_code_get_kernel (code, "iota", &error);
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (device, &error);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (n, 256);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (3);

  g_assert_no_error (error);
  cuda_obj_kernel_args_set_pointer (args, 0, cuda_obj_buffer_get_handle (buffer) + offset);
  cuda_obj_kernel_args_set_uint32 (args, 1, first);
  cuda_obj_kernel_args_set_uint64 (args, 2, n);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

static void
assert_iota (CudaObjBuffer *buffer, gsize offset, guint32 first, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = cuda_obj_buffer_copy_to_bytes (buffer, offset, (gssize) (n * 4), NULL, &error);
  const guint32 *words;

  g_assert_no_error (error);
  words = g_bytes_get_data (got, NULL);
  for (gsize i = 0; i < n; i++)
    if (words[i] != first + (guint32) i)
      g_error ("word %" G_GSIZE_FORMAT ": %u, expected %u", i, words[i], first + (guint32) i);
}

/* No device needed. */

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjVirtualMemoryResource) resource
      = g_object_new (CUDA_OBJ_TYPE_VIRTUAL_MEMORY_RESOURCE, NULL);
  g_autoptr (GError) error = NULL;
  guint64 offset = 7, size = 7;

  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_granularity (resource), ==, 0);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_granularity_mode (resource), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_handle_type (resource), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);

  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_memory_resource_deallocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 4096, 64, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, NULL, 64, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_virtual_memory_resource_set_access (resource, NULL,
                                                               CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_access (resource, NULL, &error), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_n_chunks (resource, NULL, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_export_handle (resource, NULL, 0, &offset, &size, &error),
                   ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_cmpuint (offset, ==, 7);
  g_assert_cmpuint (size, ==, 7);
}

typedef struct
{
  int granularity_mode;
  int handle_type;
  const char *message_part;
} BadEnumCase;

static const BadEnumCase bad_enum_cases[] = {
  { 7, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE, "CudaObjVirtualMemoryGranularity" },
  { -1, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE, "CudaObjVirtualMemoryGranularity" },
  { CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_MINIMUM, 2, "CudaObjVirtualMemoryHandleType" },
  { CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED, 8, "CudaObjVirtualMemoryHandleType" },
};

static void
test_bad_enums (gconstpointer data)
{
  const BadEnumCase *c = data;
  g_autoptr (GError) error = NULL;

  g_assert_null (
      cuda_obj_virtual_memory_resource_new (NULL, (CudaObjVirtualMemoryGranularity) c->granularity_mode,
                                            (CudaObjVirtualMemoryHandleType) c->handle_type, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, c->message_part));
}

/* On the GPU. */

static void
test_granularity (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjVirtualMemoryResource) minimum = NULL;
  g_autoptr (CudaObjBuffer) one = NULL;
  g_autoptr (CudaObjBuffer) more = NULL;
  g_autoptr (GError) error = NULL;
  guint64 granularity, property = 0;

  if (device == NULL)
    return;
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  minimum = cuda_obj_virtual_memory_resource_new (device, CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_MINIMUM,
                                                  CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE, &error);
  g_assert_no_error (error);
  granularity = cuda_obj_virtual_memory_resource_get_granularity (resource);
  g_object_get (resource, "granularity", &property, NULL);
  g_assert_cmpuint (granularity, >, 0);
  g_assert_cmpuint (property, ==, granularity);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_granularity (minimum), >, 0);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_granularity (minimum), <=, granularity);
  g_assert_true (cuda_obj_memory_resource_get_device (CUDA_OBJ_MEMORY_RESOURCE (resource)) == device);
  g_assert_true (cuda_obj_memory_resource_get_is_device_accessible (CUDA_OBJ_MEMORY_RESOURCE (resource)));
  g_assert_false (cuda_obj_memory_resource_get_is_host_accessible (CUDA_OBJ_MEMORY_RESOURCE (resource)));

  /* Sizes are rounded up to the granularity, all of it usable. */
  one = allocate (resource, 1);
  g_assert_cmpuint (cuda_obj_buffer_get_size (one), ==, granularity);
  g_assert_cmpuint (cuda_obj_buffer_get_handle (one) % granularity, ==, 0);
  more = allocate (resource, granularity + 1);
  g_assert_cmpuint (cuda_obj_buffer_get_size (more), ==, 2 * granularity);
  g_assert_true (cuda_obj_buffer_get_memory_resource (more) == CUDA_OBJ_MEMORY_RESOURCE (resource));
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_access (resource, device, &error), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE);
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  buffer = allocate (resource, 3 << 20);
  data = pattern_bytes (cuda_obj_buffer_get_size (buffer), 11);
  write_bytes (buffer, data, 0);
  assert_contents (buffer, 0, data);
  launch_iota (device, buffer, 4096, 100, 1000);
  assert_iota (buffer, 4096, 100, 1000);

  /* Closing gives everything back; a closed buffer cannot grow. */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, buffer, 8 << 20, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_grow (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) tail = NULL;
  g_autoptr (GError) error = NULL;
  guint64 granularity, address;

  if (device == NULL)
    return;
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  granularity = cuda_obj_virtual_memory_resource_get_granularity (resource);
  buffer = allocate (resource, granularity);
  head = pattern_bytes (granularity, 1);
  write_bytes (buffer, head, 0);

  /* Growing to the same size changes nothing. */
  address = cuda_obj_buffer_get_handle (buffer);
  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, buffer, granularity, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, granularity);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_n_chunks (resource, buffer, &error), ==, 1);

  /* Rounded up; in place or moved, the old bytes are there. */
  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, buffer, 3 * granularity - 5, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 3 * granularity);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_n_chunks (resource, buffer, &error), ==, 2);
  if (cuda_obj_buffer_get_handle (buffer) == address)
    g_test_message ("grew in place at 0x%" G_GINT64_MODIFIER "x", address);
  else
    g_test_message ("grew by moving from 0x%" G_GINT64_MODIFIER "x to 0x%" G_GINT64_MODIFIER "x", address,
                    cuda_obj_buffer_get_handle (buffer));
  assert_contents (buffer, 0, head);
  tail = pattern_bytes (2 * granularity, 2);
  write_bytes (buffer, tail, granularity);
  assert_contents (buffer, granularity, tail);
  assert_contents (buffer, 0, head);
  launch_iota (device, buffer, 0, 5, 3 * granularity / 4);
  assert_iota (buffer, 0, 5, 3 * granularity / 4);

  /* Smaller is refused and changes nothing. */
  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, buffer, granularity, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "only grows"));
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 3 * granularity);
}

static void
count_notify (guint *count)
{
  (*count)++;
}

/* The range right after the buffer is taken: the buffer must move, and
 * keep its bytes and its kernels' access. */
static void
test_grow_relocated (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDriver *drv;
  CUdeviceptr blocker = 0, end;
  guint64 granularity, address;
  guint notified = 0;

  if (device == NULL)
    return;
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  granularity = cuda_obj_virtual_memory_resource_get_granularity (resource);
  buffer = allocate (resource, 2 * granularity);
  head = pattern_bytes (2 * granularity, 3);
  write_bytes (buffer, head, 0);
  address = cuda_obj_buffer_get_handle (buffer);
  end = address + 2 * granularity;

  /* Whether or not the driver places this range at the hint, the range
   * after the buffer is unavailable for growing in place afterwards. */
  drv = cuda_obj_driver_peek ();
  g_assert_cmpint (drv->cuMemAddressReserve (&blocker, granularity, granularity, end, 0), ==, CUDA_SUCCESS);
  g_signal_connect_swapped (buffer, "notify::handle", G_CALLBACK (count_notify), &notified);

  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, buffer, 4 * granularity, &error));
  g_assert_no_error (error);
  if (blocker == end)
    {
      g_assert_cmpuint (cuda_obj_buffer_get_handle (buffer), !=, address);
      g_assert_cmpuint (notified, ==, 1);
    }
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, 4 * granularity);
  assert_contents (buffer, 0, head);
  launch_iota (device, buffer, granularity, 9, granularity / 4 * 3);
  assert_iota (buffer, granularity, 9, granularity / 4 * 3);
  first = g_bytes_new_from_bytes (head, 0, granularity);
  assert_contents (buffer, 0, first);

  /* It grows again from its new place. */
  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, buffer, 5 * granularity, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_virtual_memory_resource_get_n_chunks (resource, buffer, &error), ==, 3);
  assert_iota (buffer, granularity, 9, granularity / 4 * 3);
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (drv->cuMemAddressFree (blocker, granularity), ==, CUDA_SUCCESS);
}

static void
test_grow_errors (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjVirtualMemoryResource) other = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) foreign = NULL;
  g_autoptr (CudaObjBuffer) theirs = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  other = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  buffer = allocate (resource, 1);

  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, NULL, 1 << 20, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  foreign = cuda_obj_device_allocate (device, 1 << 20, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, foreign, 4 << 20, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not allocated by this VirtualMemoryResource"));
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (foreign), ==, 1 << 20);

  theirs = allocate (other, 1);
  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, theirs, 8 << 20, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, buffer, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (cuda_obj_virtual_memory_resource_grow (resource, buffer, G_MAXSIZE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==,
                    cuda_obj_virtual_memory_resource_get_granularity (resource));

  /* Export needs the POSIX fd handle type. */
  g_assert_cmpint (cuda_obj_virtual_memory_resource_export_handle (resource, buffer, 0, NULL, NULL, &error),
                   ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "handle-type is NONE"));
  g_clear_error (&error);

  /* The own device keeps read-write access. */
  g_assert_true (cuda_obj_virtual_memory_resource_set_access (
      resource, device, CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_virtual_memory_resource_set_access (resource, device,
                                                               CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_virtual_memory_resource_set_access (resource, device, (CudaObjVirtualMemoryAccess) 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_virtual_memory_resource_set_access (resource, NULL,
                                                               CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A resource only takes back what it gave. */
  g_assert_false (cuda_obj_memory_resource_deallocate (CUDA_OBJ_MEMORY_RESOURCE (resource),
                                                       cuda_obj_buffer_get_handle (theirs), 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_export (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  guint64 granularity, offset = 1, size = 0;
  int fd;

  if (device == NULL)
    return;
  if (!cuda_obj_device_get_attribute (
          device, CUDA_OBJ_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED, NULL))
    {
      g_assert_null (
          cuda_obj_virtual_memory_resource_new (device, CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED,
                                                CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      g_test_skip ("the device cannot export memory as POSIX file descriptors");
      return;
    }
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_handle_type (resource), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD);
  granularity = cuda_obj_virtual_memory_resource_get_granularity (resource);
  buffer = allocate (resource, granularity);

  fd = cuda_obj_virtual_memory_resource_export_handle (resource, buffer, 0, &offset, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpuint (size, ==, granularity);
  close (fd);

  g_assert_cmpint (cuda_obj_virtual_memory_resource_export_handle (resource, buffer, 1, NULL, NULL, &error),
                   ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Each growth is a chunk of its own, exported at its offset. */
  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, buffer, 3 * granularity, &error));
  g_assert_no_error (error);
  fd = cuda_obj_virtual_memory_resource_export_handle (resource, buffer, 1, &offset, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (offset, ==, granularity);
  g_assert_cmpuint (size, ==, 2 * granularity);
  close (fd);
}

static void
test_peer_access (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) peer = NULL;
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) before = NULL;
  g_autoptr (CudaObjBuffer) after = NULL;
  g_autoptr (GError) error = NULL;
  guint64 granularity;

  if (device == NULL)
    return;
  if (cuda_obj_device_get_count (NULL) < 2)
    {
      g_test_skip ("access from a second device needs two GPUs");
      return;
    }
  peer = cuda_obj_device_get (1, &error);
  g_assert_no_error (error);
  resource = new_resource (device, CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  granularity = cuda_obj_virtual_memory_resource_get_granularity (resource);
  if (!cuda_obj_device_can_access_peer (peer, device, NULL))
    {
      g_assert_false (cuda_obj_virtual_memory_resource_set_access (
          resource, peer, CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      g_test_skip ("device 1 cannot access device 0's memory as a peer");
      return;
    }
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_access (resource, peer, &error), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE);

  /* Access applies to buffers allocated before and after, and to growth. */
  before = allocate (resource, granularity);
  g_assert_true (cuda_obj_virtual_memory_resource_set_access (
      resource, peer, CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_access (resource, peer, &error), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE);
  after = allocate (resource, granularity);
  launch_iota (peer, before, 0, 40, granularity / 4);
  assert_iota (before, 0, 40, granularity / 4);
  launch_iota (peer, after, 0, 70, granularity / 4);
  assert_iota (after, 0, 70, granularity / 4);
  g_assert_true (cuda_obj_virtual_memory_resource_grow (resource, after, 2 * granularity, &error));
  g_assert_no_error (error);
  launch_iota (peer, after, granularity, 90, granularity / 4);
  assert_iota (after, granularity, 90, granularity / 4);
  assert_iota (after, 0, 70, granularity / 4);

  g_assert_true (cuda_obj_virtual_memory_resource_set_access (resource, peer,
                                                              CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_virtual_memory_resource_get_access (resource, peer, &error), ==,
                   CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/virtual-memory/uninitialized", test_uninitialized);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_enum_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/virtual-memory/bad-enum/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &bad_enum_cases[i], test_bad_enums);
    }
  g_test_add_func ("/virtual-memory/granularity", test_granularity);
  g_test_add_func ("/virtual-memory/round-trip", test_round_trip);
  g_test_add_func ("/virtual-memory/grow", test_grow);
  g_test_add_func ("/virtual-memory/grow-relocated", test_grow_relocated);
  g_test_add_func ("/virtual-memory/grow-errors", test_grow_errors);
  g_test_add_func ("/virtual-memory/export", test_export);
  g_test_add_func ("/virtual-memory/peer-access", test_peer_access);

  return g_test_run ();
}
