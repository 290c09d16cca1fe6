/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sharing memory pools, buffers and events between processes, and the GIO
 * hand-over. The producer/consumer tests spawn this binary again as the
 * consumer (--ipc-consumer MODE), with one end of a socketpair as fd 3. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <gio/gunixconnection.h>
#include <gio/gunixfdlist.h>

#include "cudaobj-test-util.h"

#define N_ELEMENTS (1u << 20)

static const char kernel_source[]
    = "extern \"C\" __global__ void fill_pattern (unsigned int *out, unsigned long long n,\n"
      "                                           long long spin_cycles)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  long long start = clock64 ();\n"
      "  /* Late on purpose: a consumer that did not wait would read zeros. */\n"
      "  while (clock64 () - start < spin_cycles)\n"
      "    ;\n"
      "  if (i < n)\n"
      "    out[i] = (unsigned int) i * 2654435761u + 17u;\n"
      "}\n";

static guint32
expected_element (guint32 i)
{
  return i * 2654435761u + 17u;
}

static void
connection_pair (GSocketConnection **a, GSocketConnection **b)
{
  g_autoptr (GSocket) socket_a = NULL;
  g_autoptr (GSocket) socket_b = NULL;
  g_autoptr (GError) error = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket_a = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  socket_b = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  *a = g_socket_connection_factory_create_connection (socket_a);
  *b = g_socket_connection_factory_create_connection (socket_b);
}

static GSocketConnection *
connection_from_fd (int fd)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GError) error = NULL;

  socket = g_socket_new_from_fd (fd, &error);
  g_assert_no_error (error);
  return g_socket_connection_factory_create_connection (socket);
}

static void
send_word (GSocketConnection *connection, const char *word)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static (word, strlen (word));
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_ipc_send_descriptor (connection, bytes, NULL, &error));
  g_assert_no_error (error);
}

static void
expect_word (GSocketConnection *connection, const char *word)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_ipc_receive_descriptor (connection, NULL, &error);
  gsize size = 0;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpmem (data, size, word, strlen (word));
}

/* Descriptor frames over a socket: any size up to the limit round-trips. */

static void
test_descriptor_frames (void)
{
  static const gsize sizes[] = { 0, 1, 80, 88, 64 * 1024 };
  g_autoptr (GSocketConnection) a = NULL;
  g_autoptr (GSocketConnection) b = NULL;

  connection_pair (&a, &b);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = g_malloc (MAX (sizes[i], 1));
      g_autoptr (GBytes) sent = NULL;
      g_autoptr (GBytes) received = NULL;
      g_autoptr (GError) error = NULL;

      for (gsize j = 0; j < sizes[i]; j++)
        data[j] = (guint8) (j * 31 + i);
      sent = g_bytes_new (data, sizes[i]);
      g_assert_true (cuda_obj_ipc_send_descriptor (a, sent, NULL, &error));
      g_assert_no_error (error);
      received = cuda_obj_ipc_receive_descriptor (b, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (sent, received));
    }
}

static void
test_descriptor_frame_errors (void)
{
  g_autoptr (GSocketConnection) a = NULL;
  g_autoptr (GSocketConnection) b = NULL;
  g_autoptr (GBytes) big = g_bytes_new_take (g_malloc0 (64 * 1024 + 1), 64 * 1024 + 1);
  g_autoptr (GError) error = NULL;
  const guint32 announced = GUINT32_TO_LE (1u << 20);
  const guint32 short_frame = GUINT32_TO_LE (16);
  GOutputStream *output;

  connection_pair (&a, &b);
  /* Too big to be a descriptor: refused before anything is written. */
  g_assert_false (cuda_obj_ipc_send_descriptor (a, big, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_ipc_send_descriptor (a, NULL, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A peer that announces a huge frame is not speaking our protocol. */
  output = g_io_stream_get_output_stream (G_IO_STREAM (a));
  g_assert_true (g_output_stream_write_all (output, &announced, sizeof announced, NULL, NULL, &error));
  g_assert_null (cuda_obj_ipc_receive_descriptor (b, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1048576"));
  g_clear_error (&error);

  /* A peer that goes away in the middle of a frame. */
  g_assert_true (g_output_stream_write_all (output, &short_frame, sizeof short_frame, NULL, NULL, &error));
  g_assert_true (g_output_stream_write_all (output, "abc", 3, NULL, NULL, &error));
  g_assert_true (g_io_stream_close (G_IO_STREAM (a), NULL, &error));
  g_assert_null (cuda_obj_ipc_receive_descriptor (b, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_nonnull (strstr (error->message, "3 of 16"));
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_descriptor_async (void)
{
  g_autoptr (GSocketConnection) a = NULL;
  g_autoptr (GSocketConnection) b = NULL;
  g_autoptr (GBytes) sent = g_bytes_new_static ("descriptor", 10);
  g_autoptr (GBytes) received = NULL;
  g_autoptr (GAsyncResult) send_result = NULL;
  g_autoptr (GAsyncResult) receive_result = NULL;
  g_autoptr (GError) error = NULL;

  connection_pair (&a, &b);
  cuda_obj_ipc_receive_descriptor_async (b, NULL, store_result, &receive_result);
  cuda_obj_ipc_send_descriptor_async (a, sent, NULL, store_result, &send_result);
  while (send_result == NULL || receive_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cuda_obj_ipc_send_descriptor_finish (a, send_result, &error));
  g_assert_no_error (error);
  received = cuda_obj_ipc_receive_descriptor_finish (b, receive_result, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (sent, received));
  /* Another operation's result is refused. */
  g_assert_false (cuda_obj_ipc_send_descriptor_finish (b, receive_result, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* The pool hand-over in a worker thread: a descriptor that is no pool
 * arrives, is closed, and its import fails with a GError (the loader's
 * without a driver, the driver's with one); an uninitialized resource is
 * refused before anything is sent. */
static void
test_pool_async (void)
{
  g_autoptr (GSocketConnection) a = NULL;
  g_autoptr (GSocketConnection) b = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) resource
      = g_object_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL);
  g_autoptr (CudaObjDeviceMemoryResource) imported = NULL;
  g_autoptr (GAsyncResult) send_result = NULL;
  g_autoptr (GAsyncResult) receive_result = NULL;
  g_autoptr (GError) error = NULL;
  int not_a_pool = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  connection_pair (&a, &b);
  g_assert_true (G_IS_UNIX_CONNECTION (a));
  cuda_obj_ipc_send_pool_async (a, resource, NULL, store_result, &send_result);
  while (send_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cuda_obj_ipc_send_pool_finish (a, send_result, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  g_assert_cmpint (not_a_pool, >=, 0);
  g_assert_true (g_unix_connection_send_fd (G_UNIX_CONNECTION (a), not_a_pool, NULL, &error));
  g_assert_no_error (error);
  close (not_a_pool);
  cuda_obj_ipc_receive_pool_async (b, NULL, NULL, store_result, &receive_result);
  while (receive_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  imported = cuda_obj_ipc_receive_pool_finish (b, receive_result, &error);
  g_assert_null (imported);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_ERROR || error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_clear_error (&error);
  /* Another operation's result is refused. */
  g_assert_null (cuda_obj_ipc_receive_pool_finish (b, send_result, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* Descriptors are checked before anything reaches the driver. */

typedef struct
{
  const char *name;
  gsize size;
  const char *magic;
  guint32 version;
  guint64 buffer_size;
  const char *message;
} BadDescriptor;

static GBytes *
make_descriptor (const BadDescriptor *c)
{
  guint8 *data = g_malloc0 (MAX (c->size, 1));
  guint32 version = GUINT32_TO_LE (c->version);
  guint64 size = GUINT64_TO_LE (c->buffer_size);

  if (c->size >= 8)
    memcpy (data, c->magic, 8);
  if (c->size >= 12)
    memcpy (data + 8, &version, 4);
  if (c->size >= 24)
    memcpy (data + 16, &size, 8);
  return g_bytes_new_take (data, c->size);
}

static const BadDescriptor bad_buffer_descriptors[] = {
  { "empty", 0, "", 1, 16, "got 0 bytes" },
  { "short", 40, "CudaObjB", 1, 16, "got 40 bytes" },
  { "long", 89, "CudaObjB", 1, 16, "got 89 bytes" },
  { "event-descriptor", 80, "CudaObjE", 1, 16, "got 80 bytes" },
  { "wrong-magic", 88, "CudaObjX", 1, 16, "another magic" },
  { "future-version", 88, "CudaObjB", 2, 16, "version 2" },
  { "zero-size", 88, "CudaObjB", 1, 0, "invalid size" },
};

static void
test_buffer_descriptor_invalid (gconstpointer data)
{
  const BadDescriptor *c = data;
  g_autoptr (CudaObjDeviceMemoryResource) resource
      = g_object_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL);
  g_autoptr (GBytes) descriptor = make_descriptor (c);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_device_memory_resource_import_buffer (resource, descriptor, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, c->message));
}

static const BadDescriptor bad_event_descriptors[] = {
  { "empty", 0, "", 1, 0, "got 0 bytes" },
  { "short", 79, "CudaObjE", 1, 0, "got 79 bytes" },
  { "buffer-descriptor", 88, "CudaObjB", 1, 0, "got 88 bytes" },
  { "wrong-magic", 80, "CudaObjB", 1, 0, "another magic" },
  { "future-version", 80, "CudaObjE", 7, 0, "version 7" },
};

static void
test_event_descriptor_invalid (gconstpointer data)
{
  const BadDescriptor *c = data;
  g_autoptr (GBytes) descriptor = make_descriptor (c);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_event_new_from_ipc (NULL, descriptor, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, c->message));
}

/* A resource that was never initialized shares nothing. */
static void
test_uninitialized (void)
{
  g_autoptr (CudaObjDeviceMemoryResource) resource
      = g_object_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL);
  g_autoptr (CudaObjEvent) event = g_object_new (CUDA_OBJ_TYPE_EVENT, NULL);
  g_autoptr (GSocketConnection) a = NULL;
  g_autoptr (GSocketConnection) b = NULL;
  g_autoptr (GUnixFDList) fd_list = g_unix_fd_list_new ();
  BadDescriptor plausible = { "plausible", 88, "CudaObjB", 1, 16, NULL };
  g_autoptr (GBytes) descriptor = make_descriptor (&plausible);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_device_memory_resource_get_ipc_enabled (resource));
  g_assert_false (cuda_obj_device_memory_resource_get_is_imported (resource));
  g_assert_cmpint (cuda_obj_device_memory_resource_export_pool_fd (resource, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_memory_resource_export_buffer (resource, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_memory_resource_import_buffer (resource, descriptor, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_event_export_ipc (event, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  connection_pair (&a, &b);
  g_assert_false (cuda_obj_ipc_send_pool (a, resource, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_ipc_send_pool (a, NULL, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_ipc_pool_to_dbus (resource, fd_list, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_cmpint (g_unix_fd_list_get_length (fd_list), ==, 0);
}

static void
test_pool_fd_invalid (void)
{
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_device_memory_resource_new_from_pool_fd (NULL, -1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "-1"));
  g_clear_error (&error);
  /* An uninitialized device is refused before the descriptor is used. */
  g_assert_null (cuda_obj_device_memory_resource_new_from_pool_fd (device, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_dbus_handle_invalid (void)
{
  g_autoptr (GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autoptr (GVariant) not_handle = g_variant_ref_sink (g_variant_new_int32 (0));
  g_autoptr (GVariant) past_end = g_variant_ref_sink (g_variant_new_handle (1));
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_ipc_pool_from_dbus (NULL, not_handle, fd_list, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "'i'"));
  g_clear_error (&error);
  g_assert_cmpint (g_unix_fd_list_append (fd_list, 0, &error), ==, 0);
  g_assert_null (cuda_obj_ipc_pool_from_dbus (NULL, past_end, fd_list, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Handle 1"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_ipc_pool_from_dbus (NULL, NULL, fd_list, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* On a GPU. */

static CudaObjDeviceMemoryResource *
ipc_resource_or_skip (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  CudaObjDeviceMemoryResource *resource;

  if (!cuda_obj_device_get_memory_pools_supported (device))
    {
      g_test_skip ("the device has no memory pools");
      return NULL;
    }
  resource = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device,
                             "ipc-enabled", TRUE, NULL);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return NULL;
    }
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_ipc_enabled (resource));
  g_assert_true (cuda_obj_device_memory_resource_get_own_pool (resource));
  g_assert_false (cuda_obj_device_memory_resource_get_is_imported (resource));
  return resource;
}

static void
test_not_shared (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) plain = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) shared = NULL;
  g_autoptr (CudaObjBuffer) plain_buffer = NULL;
  g_autoptr (CudaObjBuffer) shared_buffer = NULL;
  g_autoptr (GBytes) descriptor = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (shared = ipc_resource_or_skip (device)) == NULL)
    return;
  plain = cuda_obj_device_memory_resource_new (device, TRUE, &error);
  g_assert_no_error (error);
  plain_buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (plain), 256, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (cuda_obj_device_memory_resource_export_pool_fd (plain, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "ipc-enabled"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_memory_resource_export_buffer (plain, plain_buffer, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* A buffer of another resource. */
  g_assert_null (cuda_obj_device_memory_resource_export_buffer (shared, plain_buffer, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* A closed buffer. */
  shared_buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (shared), 256, NULL, &error);
  g_assert_no_error (error);
  descriptor = cuda_obj_device_memory_resource_export_buffer (shared, shared_buffer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (descriptor), ==, 88);
  g_assert_cmpmem (g_bytes_get_data (descriptor, NULL), 8, "CudaObjB", 8);
  g_assert_true (cuda_obj_buffer_close (shared_buffer, NULL, &error));
  g_assert_null (cuda_obj_device_memory_resource_export_buffer (shared, shared_buffer, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_event_ipc (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjEvent) timed = NULL;
  g_autoptr (CudaObjEvent) plain = NULL;
  g_autoptr (CudaObjEvent) shared = NULL;
  g_autoptr (GBytes) descriptor = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  /* The driver's rule: an interprocess event records no timing. */
  timed = g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, "timing", TRUE,
                          NULL);
  g_assert_null (timed);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "timing"));
  g_clear_error (&error);

  plain = cuda_obj_event_new (device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (cuda_obj_event_export_ipc (plain, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  shared = g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, "timing", FALSE,
                           NULL);
  g_assert_no_error (error);
  descriptor = cuda_obj_event_export_ipc (shared, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (descriptor), ==, 80);
  g_assert_cmpmem (g_bytes_get_data (descriptor, NULL), 8, "CudaObjE", 8);
}

static void
test_dbus_export (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autoptr (GVariant) handle = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (resource = ipc_resource_or_skip (device)) == NULL)
    return;
  g_assert_true (g_unix_fd_list_append (fd_list, 0, &error) == 0);
  handle = cuda_obj_ipc_pool_to_dbus (resource, fd_list, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (handle, G_VARIANT_TYPE_HANDLE));
  /* After what the list held already. */
  g_assert_cmpint (g_variant_get_handle (handle), ==, 1);
  g_assert_cmpint (g_unix_fd_list_get_length (fd_list), ==, 2);
}

/* The producer and the consumer, in two processes. */

static void
test_producer_consumer (gconstpointer data)
{
  const char *mode = data;
  gboolean exporter_closes_first = g_str_equal (mode, "exporter-closes-first");
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) consumer = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N_ELEMENTS, 256);
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GBytes) buffer_descriptor = NULL;
  g_autoptr (GBytes) event_descriptor = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *self_exe = NULL;
  int fds[2];

  if (device == NULL || (resource = ipc_resource_or_skip (device)) == NULL)
    return;
  /* Closing early: the freed memory stays in the pool, which allocates
   * nothing more, so what the consumer reads is still the pattern. */
  if (exporter_closes_first)
    {
      g_assert_true (cuda_obj_device_memory_resource_set_release_threshold (resource, G_MAXUINT64, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  consumer = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--ipc-consumer", mode, NULL);
  g_assert_no_error (error);
  connection = connection_from_fd (fds[0]);

  code = cudaobj_test_compile (device, kernel_source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "fill_pattern", &error);
  g_assert_no_error (error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource),
                                              N_ELEMENTS * sizeof (guint32), stream, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, buffer);
  cuda_obj_kernel_args_set_uint64 (args, 1, N_ELEMENTS);
  /* About 50 ms at 2 GHz: the consumer gets everything before the data. */
  cuda_obj_kernel_args_set_int64 (args, 2, 100000000);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  event = g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, "timing", FALSE,
                          NULL);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_record (event, stream, &error));
  g_assert_no_error (error);

  buffer_descriptor = cuda_obj_device_memory_resource_export_buffer (resource, buffer, &error);
  g_assert_no_error (error);
  event_descriptor = cuda_obj_event_export_ipc (event, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_ipc_send_pool (connection, resource, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_ipc_send_descriptor (connection, buffer_descriptor, NULL, &error));
  g_assert_true (cuda_obj_ipc_send_descriptor (connection, event_descriptor, NULL, &error));
  g_assert_no_error (error);

  expect_word (connection, "imported");
  if (exporter_closes_first)
    {
      /* Against the driver's rule (importers free first): the memory goes
       * back to this process's pool, kept there (the threshold) and not
       * handed out again; the consumer must neither crash nor fail. */
      g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
      g_assert_true (cuda_obj_stream_synchronize (stream, &error));
      g_assert_no_error (error);
      send_word (connection, "closed");
    }
  expect_word (connection, "done");
  /* The driver's rule: the importer freed its import; now the exporter may. */
  if (!exporter_closes_first)
    {
      g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
      g_assert_true (cuda_obj_stream_synchronize (stream, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_subprocess_wait_check (consumer, NULL, &error));
  g_assert_no_error (error);
}

/* The consumer: fd 3 is its end of the socketpair. */
static int
run_consumer (const char *mode)
{
  g_autoptr (GSocketConnection) connection = connection_from_fd (3);
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) refused = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) descriptor = NULL;
  g_autoptr (GBytes) event_descriptor = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  const guint32 *elements;
  gsize size = 0;

  device = cuda_obj_device_get (0, &error);
  g_assert_no_error (error);
  resource = cuda_obj_ipc_receive_pool (connection, device, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_device_memory_resource_get_is_imported (resource));
  g_assert_false (cuda_obj_device_memory_resource_get_ipc_enabled (resource));

  /* An imported pool neither allocates nor exports again. */
  refused = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 256, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_device_memory_resource_export_pool_fd (resource, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  descriptor = cuda_obj_ipc_receive_descriptor (connection, NULL, &error);
  g_assert_no_error (error);
  buffer = cuda_obj_device_memory_resource_import_buffer (resource, descriptor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (buffer), ==, N_ELEMENTS * sizeof (guint32));
  g_assert_true (cuda_obj_buffer_get_memory_resource (buffer) == CUDA_OBJ_MEMORY_RESOURCE (resource));
  event_descriptor = cuda_obj_ipc_receive_descriptor (connection, NULL, &error);
  g_assert_no_error (error);
  event = cuda_obj_event_new_from_ipc (device, event_descriptor, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_get_ipc (event));
  g_assert_false (cuda_obj_event_get_timing (event));
  send_word (connection, "imported");
  if (g_str_equal (mode, "exporter-closes-first"))
    expect_word (connection, "closed");

  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_wait_event (stream, event, &error));
  g_assert_no_error (error);
  data = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  g_assert_no_error (error);
  elements = g_bytes_get_data (data, &size);
  g_assert_cmpuint (size, ==, N_ELEMENTS * sizeof (guint32));
  for (guint32 i = 0; i < N_ELEMENTS; i++)
    if (elements[i] != expected_element (i))
      g_error ("element %u is %u, expected %u", i, elements[i], expected_element (i));

  /* Free the import (cuMemFreeAsync) and see it done before the exporter frees. */
  g_assert_true (cuda_obj_buffer_close (buffer, stream, &error));
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  send_word (connection, "done");
  return 0;
}

static void
add_table (const char *prefix, const BadDescriptor *cases, gsize n, GTestDataFunc func)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, cases[i].name);
      g_test_add_data_func (path, &cases[i], func);
    }
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--ipc-consumer"))
    return run_consumer (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ipc/descriptor/frames", test_descriptor_frames);
  g_test_add_func ("/ipc/descriptor/frame-errors", test_descriptor_frame_errors);
  g_test_add_func ("/ipc/descriptor/async", test_descriptor_async);
  g_test_add_func ("/ipc/pool/async", test_pool_async);
  add_table ("/ipc/buffer-descriptor/invalid", bad_buffer_descriptors, G_N_ELEMENTS (bad_buffer_descriptors),
             test_buffer_descriptor_invalid);
  add_table ("/ipc/event-descriptor/invalid", bad_event_descriptors, G_N_ELEMENTS (bad_event_descriptors),
             test_event_descriptor_invalid);
  g_test_add_func ("/ipc/uninitialized", test_uninitialized);
  g_test_add_func ("/ipc/pool-fd/invalid", test_pool_fd_invalid);
  g_test_add_func ("/ipc/dbus/invalid-handle", test_dbus_handle_invalid);
  g_test_add_func ("/ipc/not-shared", test_not_shared);
  g_test_add_func ("/ipc/event", test_event_ipc);
  g_test_add_func ("/ipc/dbus/export", test_dbus_export);
  g_test_add_data_func ("/ipc/producer-consumer/importer-frees-first", "importer-frees-first",
                        test_producer_consumer);
  g_test_add_data_func ("/ipc/producer-consumer/exporter-closes-first", "exporter-closes-first",
                        test_producer_consumer);

  return g_test_run ();
}
