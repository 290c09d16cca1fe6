/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: handing shared memory pools and descriptors to another
 * process with GIO.
 *
 * A pool travels as its file descriptor: over a Unix socket as SCM_RIGHTS
 * (GUnixConnection's one-byte fd message, which is a GUnixFDMessage), or in
 * a GUnixFDList beside a D-Bus call whose argument is the handle index.
 * Descriptors are plain bytes: over a socket each is framed by its length
 * (4 bytes, little-endian). The socket's streams are not buffered, so fd
 * messages and frames arrive in the order they were sent. */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <gio/gunixconnection.h>
#include <gio/gunixfdlist.h>

#include "cudaobj-ipc.h"
#include "cudaobj-error.h"
#include "cudaobj-error-private.h"

/* Descriptors are a few dozen bytes; a larger frame is not ours. */
#define MAX_DESCRIPTOR_SIZE (64 * 1024)

/**
 * cuda_obj_ipc_send_pool:
 * @connection: a connection over a Unix-domain socket (a [class@Gio.UnixConnection])
 * @resource: a [class@CudaObj.DeviceMemoryResource] with
 *   [property@CudaObj.DeviceMemoryResource:ipc-enabled]
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @error: return location for a [struct@GLib.Error]
 *
 * Sends @resource's pool to the process at the other end of @connection,
 * which takes it with [func@CudaObj.ipc_receive_pool]: the pool's file
 * descriptor ([method@CudaObj.DeviceMemoryResource.export_pool_fd]) travels
 * as `SCM_RIGHTS`, the only way a descriptor crosses processes; the local
 * copy is closed. Make both ends agree on the order of pools and
 * descriptors ([func@CudaObj.ipc_send_descriptor]).
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @connection is not over a Unix
 *   socket or the pool is not shared, or the socket's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_ipc_send_pool (GSocketConnection *connection, CudaObjDeviceMemoryResource *resource,
                        GCancellable *cancellable, GError **error)
{
  gboolean sent;
  int fd;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_require_argument (resource, error))
    return FALSE;
  if (!G_IS_UNIX_CONNECTION (connection))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A memory pool travels only over a Unix-domain socket (its file descriptor "
                           "goes as SCM_RIGHTS)");
      return FALSE;
    }
  fd = cuda_obj_device_memory_resource_export_pool_fd (resource, error);
  if (fd < 0)
    return FALSE;
  sent = g_unix_connection_send_fd (G_UNIX_CONNECTION (connection), fd, cancellable, error);
  close (fd);
  return sent;
}

/**
 * cuda_obj_ipc_receive_pool:
 * @connection: a connection over a Unix-domain socket (a [class@Gio.UnixConnection])
 * @device: (nullable): the device the pool's memory is on, in this
 *   process; %NULL for device 0
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @error: return location for a [struct@GLib.Error]
 *
 * Receives a pool that [func@CudaObj.ipc_send_pool] sent and imports it
 * ([ctor@CudaObj.DeviceMemoryResource.new_from_pool_fd]); the received file
 * descriptor is closed. Blocks until it arrives.
 *
 * Returns: (transfer full): the imported resource, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjDeviceMemoryResource *
cuda_obj_ipc_receive_pool (GSocketConnection *connection, CudaObjDevice *device, GCancellable *cancellable,
                           GError **error)
{
  CudaObjDeviceMemoryResource *resource;
  int fd;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!G_IS_UNIX_CONNECTION (connection))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A memory pool travels only over a Unix-domain socket (its file descriptor "
                           "comes as SCM_RIGHTS)");
      return NULL;
    }
  fd = g_unix_connection_receive_fd (G_UNIX_CONNECTION (connection), cancellable, error);
  if (fd < 0)
    return NULL;
  resource = cuda_obj_device_memory_resource_new_from_pool_fd (device, fd, error);
  close (fd);
  return resource;
}

/**
 * cuda_obj_ipc_send_descriptor:
 * @connection: a [class@Gio.SocketConnection]
 * @descriptor: a buffer's or an event's descriptor
 *   ([method@CudaObj.DeviceMemoryResource.export_buffer],
 *   [method@CudaObj.Event.export_ipc]), or any small message
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes @descriptor to @connection as one frame (its length, then its
 * bytes), for [func@CudaObj.ipc_receive_descriptor] at the other end.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a descriptor over 64 KiB, or the
 *   stream's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_ipc_send_descriptor (GSocketConnection *connection, GBytes *descriptor, GCancellable *cancellable,
                              GError **error)
{
  GOutputStream *output;
  const guint8 *data;
  gsize size = 0;
  guint32 length;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_require_argument (descriptor, error))
    return FALSE;
  data = g_bytes_get_data (descriptor, &size);
  if (size > MAX_DESCRIPTOR_SIZE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A descriptor is at most %d bytes; this one has %zu", MAX_DESCRIPTOR_SIZE, size);
      return FALSE;
    }
  length = GUINT32_TO_LE ((guint32) size);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  return g_output_stream_write_all (output, &length, sizeof length, NULL, cancellable, error)
         && (size == 0 || g_output_stream_write_all (output, data, size, NULL, cancellable, error));
}

static gboolean
read_exactly (GInputStream *input, void *data, gsize size, GCancellable *cancellable, GError **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (input, data, size, &got, cancellable, error))
    return FALSE;
  if (got != size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                   "The connection closed in the middle of a descriptor (%zu of %zu bytes)", got, size);
      return FALSE;
    }
  return TRUE;
}

/**
 * cuda_obj_ipc_receive_descriptor:
 * @connection: a [class@Gio.SocketConnection]
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads one frame that [func@CudaObj.ipc_send_descriptor] wrote. Blocks
 * until it arrives.
 *
 * Returns: (transfer full): the descriptor's bytes, or %NULL with @error
 *   set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a frame over 64 KiB (not
 *   a descriptor), %G_IO_ERROR_CONNECTION_CLOSED when the peer closed the
 *   connection first
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_ipc_receive_descriptor (GSocketConnection *connection, GCancellable *cancellable, GError **error)
{
  GInputStream *input;
  g_autofree guint8 *data = NULL;
  guint32 length = 0;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  if (!read_exactly (input, &length, sizeof length, cancellable, error))
    return NULL;
  length = GUINT32_FROM_LE (length);
  if (length > MAX_DESCRIPTOR_SIZE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The peer announced a %u-byte frame: not a descriptor (at most %d bytes)", length,
                   MAX_DESCRIPTOR_SIZE);
      return NULL;
    }
  data = g_malloc (MAX (length, 1));
  if (length > 0 && !read_exactly (input, data, length, cancellable, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/* The async variants run the blocking calls in a worker thread: the
 * connection must not be used by anything else until they finish. */

typedef struct
{
  gpointer object; /* resource or device, or NULL */
  GBytes *descriptor;
} IpcTaskData;

static void
ipc_task_data_free (gpointer data)
{
  IpcTaskData *task_data = data;

  g_clear_object (&task_data->object);
  g_clear_pointer (&task_data->descriptor, g_bytes_unref);
  g_free (task_data);
}

static GTask *
new_ipc_task (GSocketConnection *connection, gpointer object, GBytes *descriptor, gpointer source_tag,
              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  IpcTaskData *task_data = g_new0 (IpcTaskData, 1);

  g_task_set_source_tag (task, source_tag);
  task_data->object = object != NULL ? g_object_ref (object) : NULL;
  task_data->descriptor = descriptor != NULL ? g_bytes_ref (descriptor) : NULL;
  g_task_set_task_data (task, task_data, ipc_task_data_free);
  return task;
}

static void
send_pool_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  IpcTaskData *task_data = data;
  GError *error = NULL;

  if (cuda_obj_ipc_send_pool (source, task_data->object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cuda_obj_ipc_send_pool_async:
 * @connection: a connection over a Unix-domain socket
 * @resource: a [class@CudaObj.DeviceMemoryResource] with
 *   [property@CudaObj.DeviceMemoryResource:ipc-enabled]
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once the pool was sent
 * @user_data: data for @callback
 *
 * Sends @resource's pool like [func@CudaObj.ipc_send_pool], in a worker
 * thread. Finish with [func@CudaObj.ipc_send_pool_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_ipc_send_pool_async (GSocketConnection *connection, CudaObjDeviceMemoryResource *resource,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_ipc_task (connection, resource, NULL, cuda_obj_ipc_send_pool_async, cancellable, callback,
                       user_data);
  g_task_run_in_thread (task, send_pool_thread);
}

/**
 * cuda_obj_ipc_send_pool_finish:
 * @connection: the connection given to [func@CudaObj.ipc_send_pool_async]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [func@CudaObj.ipc_send_pool_async].
 *
 * Returns: %TRUE once the pool was sent; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_ipc_send_pool_finish (GSocketConnection *connection, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), FALSE);
  if (!cuda_obj_check_task (result, connection, cuda_obj_ipc_send_pool_async, G_STRFUNC, error))
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
receive_pool_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  IpcTaskData *task_data = data;
  GError *error = NULL;
  CudaObjDeviceMemoryResource *resource
      = cuda_obj_ipc_receive_pool (source, task_data->object, cancellable, &error);

  if (resource != NULL)
    g_task_return_pointer (task, resource, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * cuda_obj_ipc_receive_pool_async:
 * @connection: a connection over a Unix-domain socket
 * @device: (nullable): the device the pool's memory is on; %NULL for device 0
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once the pool was imported
 * @user_data: data for @callback
 *
 * Receives and imports a pool like [func@CudaObj.ipc_receive_pool], in a
 * worker thread, so a main loop keeps running while the peer takes its
 * time. Finish with [func@CudaObj.ipc_receive_pool_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_ipc_receive_pool_async (GSocketConnection *connection, CudaObjDevice *device,
                                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_ipc_task (connection, device, NULL, cuda_obj_ipc_receive_pool_async, cancellable, callback,
                       user_data);
  g_task_run_in_thread (task, receive_pool_thread);
}

/**
 * cuda_obj_ipc_receive_pool_finish:
 * @connection: the connection given to [func@CudaObj.ipc_receive_pool_async]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [func@CudaObj.ipc_receive_pool_async].
 *
 * Returns: (transfer full): the imported resource, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjDeviceMemoryResource *
cuda_obj_ipc_receive_pool_finish (GSocketConnection *connection, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  if (!cuda_obj_check_task (result, connection, cuda_obj_ipc_receive_pool_async, G_STRFUNC, error))
    return NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
send_descriptor_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  IpcTaskData *task_data = data;
  GError *error = NULL;

  if (cuda_obj_ipc_send_descriptor (source, task_data->descriptor, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cuda_obj_ipc_send_descriptor_async:
 * @connection: a [class@Gio.SocketConnection]
 * @descriptor: the bytes to send
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once the descriptor was written
 * @user_data: data for @callback
 *
 * Sends @descriptor like [func@CudaObj.ipc_send_descriptor], in a worker
 * thread. Finish with [func@CudaObj.ipc_send_descriptor_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_ipc_send_descriptor_async (GSocketConnection *connection, GBytes *descriptor,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_ipc_task (connection, NULL, descriptor, cuda_obj_ipc_send_descriptor_async, cancellable,
                       callback, user_data);
  g_task_run_in_thread (task, send_descriptor_thread);
}

/**
 * cuda_obj_ipc_send_descriptor_finish:
 * @connection: the connection given to [func@CudaObj.ipc_send_descriptor_async]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [func@CudaObj.ipc_send_descriptor_async].
 *
 * Returns: %TRUE once the descriptor was written; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_ipc_send_descriptor_finish (GSocketConnection *connection, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), FALSE);
  if (!cuda_obj_check_task (result, connection, cuda_obj_ipc_send_descriptor_async, G_STRFUNC, error))
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
receive_descriptor_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *descriptor = cuda_obj_ipc_receive_descriptor (source, cancellable, &error);

  if (descriptor != NULL)
    g_task_return_pointer (task, descriptor, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

/**
 * cuda_obj_ipc_receive_descriptor_async:
 * @connection: a [class@Gio.SocketConnection]
 * @cancellable: (nullable): a [class@Gio.Cancellable]
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once a descriptor arrived
 * @user_data: data for @callback
 *
 * Reads one descriptor like [func@CudaObj.ipc_receive_descriptor], in a
 * worker thread. Finish with [func@CudaObj.ipc_receive_descriptor_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_ipc_receive_descriptor_async (GSocketConnection *connection, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (G_IS_SOCKET_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_ipc_task (connection, NULL, NULL, cuda_obj_ipc_receive_descriptor_async, cancellable, callback,
                       user_data);
  g_task_run_in_thread (task, receive_descriptor_thread);
}

/**
 * cuda_obj_ipc_receive_descriptor_finish:
 * @connection: the connection given to [func@CudaObj.ipc_receive_descriptor_async]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [func@CudaObj.ipc_receive_descriptor_async].
 *
 * Returns: (transfer full): the descriptor's bytes, or %NULL with @error set
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_ipc_receive_descriptor_finish (GSocketConnection *connection, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  if (!cuda_obj_check_task (result, connection, cuda_obj_ipc_receive_descriptor_async, G_STRFUNC, error))
    return NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cuda_obj_ipc_pool_to_dbus:
 * @resource: a [class@CudaObj.DeviceMemoryResource] with
 *   [property@CudaObj.DeviceMemoryResource:ipc-enabled]
 * @fd_list: the [class@Gio.UnixFDList] that goes with the D-Bus message
 *   (`g_dbus_connection_call_with_unix_fd_list`,
 *   `g_dbus_method_invocation_return_value_with_unix_fd_list`)
 * @error: return location for a [struct@GLib.Error]
 *
 * Puts @resource's pool into @fd_list and gives the D-Bus handle (`h`)
 * that names it in the message, so that a GNOME process passes GPU memory
 * as a method argument or return value. The other end takes the pool with
 * [func@CudaObj.ipc_pool_from_dbus]. D-Bus passes file descriptors only
 * over Unix transports (the session and system buses are).
 *
 * Returns: (transfer full): a new `h` [struct@GLib.Variant], or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
GVariant *
cuda_obj_ipc_pool_to_dbus (CudaObjDeviceMemoryResource *resource, GUnixFDList *fd_list, GError **error)
{
  int fd, index;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cuda_obj_require_argument (resource, error) || !cuda_obj_require_argument (fd_list, error))
    return NULL;
  fd = cuda_obj_device_memory_resource_export_pool_fd (resource, error);
  if (fd < 0)
    return NULL;
  /* The list keeps a duplicate. */
  index = g_unix_fd_list_append (fd_list, fd, error);
  close (fd);
  if (index < 0)
    return NULL;
  return g_variant_ref_sink (g_variant_new_handle (index));
}

/**
 * cuda_obj_ipc_pool_from_dbus:
 * @device: (nullable): the device the pool's memory is on, in this
 *   process; %NULL for device 0
 * @handle: the `h` [struct@GLib.Variant] from the D-Bus message
 * @fd_list: the [class@Gio.UnixFDList] that came with the message
 * @error: return location for a [struct@GLib.Error]
 *
 * Imports the pool that [func@CudaObj.ipc_pool_to_dbus] put into a D-Bus
 * message ([ctor@CudaObj.DeviceMemoryResource.new_from_pool_fd]). @fd_list
 * keeps its descriptors.
 *
 * Returns: (transfer full): the imported resource, or %NULL with @error
 *   set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @handle is not a handle
 *   variant or names no descriptor of @fd_list
 *
 * Since: 1.0
 */
CudaObjDeviceMemoryResource *
cuda_obj_ipc_pool_from_dbus (CudaObjDevice *device, GVariant *handle, GUnixFDList *fd_list, GError **error)
{
  CudaObjDeviceMemoryResource *resource;
  int index, fd;

  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cuda_obj_require_argument (handle, error) || !cuda_obj_require_argument (fd_list, error))
    return NULL;
  if (!g_variant_is_of_type (handle, G_VARIANT_TYPE_HANDLE))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A D-Bus handle (type 'h') is expected, not a value of type '%s'",
                   g_variant_get_type_string (handle));
      return NULL;
    }
  index = g_variant_get_handle (handle);
  if (index < 0 || index >= g_unix_fd_list_get_length (fd_list))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Handle %d names no file descriptor: the message came with %d", index,
                   g_unix_fd_list_get_length (fd_list));
      return NULL;
    }
  fd = g_unix_fd_list_get (fd_list, index, error);
  if (fd < 0)
    return NULL;
  resource = cuda_obj_device_memory_resource_new_from_pool_fd (device, fd, error);
  close (fd);
  return resource;
}
