/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the interface of everything that hands out Buffers.
 *
 * The public wrappers check what every implementation would have to check
 * (a zero size, an implementation that fails without saying why, a buffer
 * smaller than asked for), so that resources written in Python, GJS or Vala
 * only do the allocating. */
#include "config.h"

#include "cudaobj-memory-resource.h"
/* Include circle with Buffer, kept: a resource makes Buffers (and checks
 * what an implementation's allocate gave), and a Buffer gives its memory
 * back to its resource when closed. */
#include "cudaobj-buffer.h"
#include "cudaobj-error.h"

/**
 * CudaObjMemoryResource:
 *
 * Something that allocates device-usable memory and hands it out as
 * [class@CudaObj.Buffer] objects: the memory of a buffer goes back to the resource
 * that made it when the buffer is closed ([method@CudaObj.Buffer.close]) or
 * finalized.
 *
 * libcudaobj implements it with [class@CudaObj.DeviceMemoryResource] (a
 * stream-ordered pool, the default: [method@CudaObj.Device.get_memory_resource]),
 * [class@CudaObj.PinnedMemoryResource] (page-locked host memory from a pool),
 * [class@CudaObj.LegacyPinnedMemoryResource] (page-locked host memory, synchronous),
 * [class@CudaObj.ManagedMemoryResource] (unified memory),
 * [class@CudaObj.SyncMemoryResource] (plain synchronous allocations) and
 * [class@CudaObj.VirtualMemoryResource] (mapped address ranges that grow).
 * [class@CudaObj.LegacyPinnedMemoryResource] (page-locked host memory),
 * [class@CudaObj.ManagedMemoryResource] (unified memory) and
 * [class@CudaObj.SyncMemoryResource] (plain synchronous allocations).
 *
 * Applications may implement it too, in C or in any language with
 * introspection, to put their own allocator (a sub-allocator, a tracking or
 * limiting wrapper, memory from another library) behind libcudaobj's
 * buffers. An implementation's [vfunc@CudaObj.MemoryResource.allocate] gets
 * memory, wraps it with [ctor@CudaObj.Buffer.new_for_resource] and returns the
 * buffer; closing that buffer calls the implementation's
 * [vfunc@CudaObj.MemoryResource.deallocate] with the same address and
 * size. A Python implementation:
 *
 * |[<!-- language="plain" -->
 * class Counting(GObject.Object, CudaObj.MemoryResource):
 *     device = GObject.Property(type=CudaObj.Device)
 *     is_device_accessible = GObject.Property(type=bool, default=True)
 *     is_host_accessible = GObject.Property(type=bool, default=False)
 *
 *     def __init__(self, inner):
 *         super().__init__(device=inner.props.device)
 *         self.inner, self.live = inner, {}
 *
 *     def do_allocate(self, size, stream):
 *         block = self.inner.allocate(size, stream)
 *         self.live[block.props.handle] = block
 *         return CudaObj.Buffer.new_for_resource(self, block.props.handle, size)
 *
 *     def do_deallocate(self, handle, size, stream):
 *         self.live.pop(handle).close(stream)
 *         return True
 * ]|
 *
 * Whether an implementation is safe to use from several threads is up to
 * it; libcudaobj's own are.
 *
 * Since: 1.0
 */
G_DEFINE_INTERFACE (CudaObjMemoryResource, cuda_obj_memory_resource, G_TYPE_OBJECT)

static void
cuda_obj_memory_resource_default_init (CudaObjMemoryResourceInterface *iface)
{
  /**
   * CudaObjMemoryResource:device:
   *
   * The device whose memory (or whose context, for host memory) the resource
   * allocates; the buffers it makes report it as [property@CudaObj.Buffer:device].
   * Set once, at construction.
   *
   * Since: 1.0
   */
  g_object_interface_install_property (
      iface, g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /**
   * CudaObjMemoryResource:is-device-accessible:
   *
   * Whether kernels on [property@CudaObj.MemoryResource:device] can address the memory.
   *
   * Since: 1.0
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_boolean ("is-device-accessible", NULL, NULL, FALSE,
                                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * CudaObjMemoryResource:is-host-accessible:
   *
   * Whether the host can read and write the memory directly, at the
   * buffer's [property@CudaObj.Buffer:handle].
   *
   * Since: 1.0
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_boolean ("is-host-accessible", NULL, NULL, FALSE,
                                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

/**
 * cuda_obj_memory_resource_allocate: (virtual allocate)
 * @self: a [iface@CudaObj.MemoryResource]
 * @size: number of bytes, more than 0
 * @stream: (nullable): stream the allocation is ordered on; %NULL for the
 *   legacy default stream of the resource's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Allocates @size bytes. The memory may be used by work on @stream at once,
 * and by other work once @stream has reached this point (synchronize it, or
 * make the other stream wait for an event recorded on it); resources that
 * allocate synchronously make it usable everywhere at once.
 *
 * Close the buffer ([method@CudaObj.Buffer.close]) to give the memory back in
 * stream order; dropping the last reference gives it back too, on the
 * legacy default stream.
 *
 * Returns: (transfer full): a new [class@CudaObj.Buffer] of at least @size bytes,
 *   or %NULL with @error set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero
 *   @size, a %CUDA_OBJ_DRIVER_ERROR such as
 *   %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY when the driver cannot allocate,
 *   %CUDA_OBJ_ERROR_CLOSED when @stream is closed
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_memory_resource_allocate (CudaObjMemoryResource *self, gsize size, CudaObjStream *stream,
                                   GError **error)
{
  CudaObjMemoryResourceInterface *iface;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (self), NULL);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot allocate 0 bytes: a buffer has at least one byte");
      return NULL;
    }
  iface = CUDA_OBJ_MEMORY_RESOURCE_GET_IFACE (self);
  if (iface->allocate == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s does not implement CudaObjMemoryResource.allocate", G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  buffer = iface->allocate (self, size, stream, &local_error);
  if (buffer == NULL)
    {
      if (local_error == NULL)
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                     "%s failed to allocate %" G_GSIZE_FORMAT " bytes without saying why",
                     G_OBJECT_TYPE_NAME (self), size);
      else
        g_propagate_error (error, local_error);
      return NULL;
    }
  g_clear_error (&local_error);

  if (cuda_obj_buffer_get_size (buffer) < size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "%s returned a buffer of %" G_GSIZE_FORMAT " bytes for a request of %" G_GSIZE_FORMAT
                   " bytes",
                   G_OBJECT_TYPE_NAME (self), cuda_obj_buffer_get_size (buffer), size);
      cuda_obj_buffer_close (buffer, stream, NULL);
      return NULL;
    }
  return g_steal_pointer (&buffer);
}

/**
 * cuda_obj_memory_resource_deallocate: (virtual deallocate)
 * @self: a [iface@CudaObj.MemoryResource]
 * @handle: the address of memory this resource allocated
 * @size: the size it was allocated with
 * @stream: (nullable): stream the free is ordered on; %NULL for the legacy
 *   default stream of the resource's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives memory back to the resource once the work queued on @stream so far
 * has finished. Buffers call this when they are closed; call it yourself
 * only for memory you took out of a buffer's hands, never for memory a
 * live buffer still owns.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_memory_resource_deallocate (CudaObjMemoryResource *self, guint64 handle, gsize size,
                                     CudaObjStream *stream, GError **error)
{
  CudaObjMemoryResourceInterface *iface;
  GError *local_error = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = CUDA_OBJ_MEMORY_RESOURCE_GET_IFACE (self);
  if (iface->deallocate == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s does not implement CudaObjMemoryResource.deallocate", G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if (iface->deallocate (self, handle, size, stream, &local_error))
    {
      g_clear_error (&local_error);
      return TRUE;
    }
  if (local_error == NULL)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                 "%s failed to deallocate %" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER "x"
                 " without saying why",
                 G_OBJECT_TYPE_NAME (self), size, handle);
  else
    g_propagate_error (error, local_error);
  return FALSE;
}

/**
 * cuda_obj_memory_resource_get_device:
 * @self: a [iface@CudaObj.MemoryResource]
 *
 * Gives the device whose memory (or whose context, for host memory) the
 * resource allocates; the buffers it makes report it as their
 * [property@CudaObj.Buffer:device]. See
 * [property@CudaObj.MemoryResource:device].
 *
 * Returns: (transfer none) (nullable): the device, or %NULL for a resource
 *   that has none yet
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_memory_resource_get_device (CudaObjMemoryResource *self)
{
  CudaObjDevice *device = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (self), NULL);
  g_object_get (self, "device", &device, NULL);
  /* The resource holds the device for as long as it lives. */
  if (device != NULL)
    g_object_unref (device);
  return device;
}

/**
 * cuda_obj_memory_resource_get_is_device_accessible:
 * @self: a [iface@CudaObj.MemoryResource]
 *
 * Tells whether kernels on the resource's device can address the memory it
 * allocates. See [property@CudaObj.MemoryResource:is-device-accessible].
 *
 * Returns: %TRUE if kernels can read and write the memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_memory_resource_get_is_device_accessible (CudaObjMemoryResource *self)
{
  gboolean value = FALSE;

  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (self), FALSE);
  g_object_get (self, "is-device-accessible", &value, NULL);
  return value;
}

/**
 * cuda_obj_memory_resource_get_is_host_accessible:
 * @self: a [iface@CudaObj.MemoryResource]
 *
 * Tells whether the host can read and write the memory it allocates directly,
 * at the buffer's [property@CudaObj.Buffer:handle] (page-locked and managed
 * memory). See [property@CudaObj.MemoryResource:is-host-accessible].
 *
 * Returns: %TRUE if the host can access the memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_memory_resource_get_is_host_accessible (CudaObjMemoryResource *self)
{
  gboolean value = FALSE;

  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (self), FALSE);
  g_object_get (self, "is-host-accessible", &value, NULL);
  return value;
}
