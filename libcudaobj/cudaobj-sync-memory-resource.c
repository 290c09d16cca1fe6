/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: synchronous device memory. */
#include "config.h"

#include "cudaobj-sync-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-memory-resource-private.h"

struct _CudaObjSyncMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
};

static void cuda_obj_sync_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_sync_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjSyncMemoryResource:
 *
 * Device memory allocated and freed synchronously, with cuMemAlloc and
 * cuMemFree: the classic allocator, for devices without memory pools
 * ([method@CudaObj.Device.get_memory_resource] falls back to it there) and for
 * code that wants memory usable from every stream at once.
 *
 * Allocation ignores the stream's order: the memory is usable everywhere
 * when allocate returns. Deallocation waits for the stream first, then
 * frees; cuMemFree itself may wait for the whole device. Prefer
 * [class@CudaObj.DeviceMemoryResource] where it is available.
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized has no
 * device: allocating and deallocating fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjSyncMemoryResource, cuda_obj_sync_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_sync_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_sync_memory_resource_iface_init))

static gboolean
cuda_obj_sync_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (initable);

  return cuda_obj_simple_resource_init_device (&self->device, error);
}

static void
cuda_obj_sync_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_sync_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_sync_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                        GError **error)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (resource);
  CUdeviceptr address = 0;

  if (!cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
      || !cuda_obj_stream_check_for_device (stream, self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemAlloc (&address, size), "cuMemAlloc", error))
    return NULL;
  return cuda_obj_buffer_new_owned (resource, self->device, (guint64) (guintptr) address, size, TRUE, FALSE);
}

static gboolean
cuda_obj_sync_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                          CudaObjStream *stream, GError **error)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (resource);

  return cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
         && cuda_obj_stream_synchronize_for_device (stream, self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemFree (address), "cuMemFree", error);
}

static void
cuda_obj_sync_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_sync_memory_resource_allocate;
  iface->deallocate = cuda_obj_sync_memory_resource_deallocate;
}

static void
cuda_obj_sync_memory_resource_dispose (GObject *object)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_sync_memory_resource_parent_class)->dispose (object);
}

static void
cuda_obj_sync_memory_resource_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_get_property (self->device, /* host-accessible */ FALSE, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_sync_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                            GParamSpec *pspec)
{
  CudaObjSyncMemoryResource *self = CUDA_OBJ_SYNC_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_set_property (&self->device, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_sync_memory_resource_class_init (CudaObjSyncMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_sync_memory_resource_dispose;
  object_class->get_property = cuda_obj_sync_memory_resource_get_property;
  object_class->set_property = cuda_obj_sync_memory_resource_set_property;

  /**
   * CudaObjSyncMemoryResource:device:
   *
   * The device whose memory the resource allocates; %NULL at construction
   * means device 0.
   *
   * Since: 1.0
   */
  cuda_obj_simple_resource_install_properties (object_class);
}

static void
cuda_obj_sync_memory_resource_init (CudaObjSyncMemoryResource *self)
{
}

/**
 * cuda_obj_sync_memory_resource_new:
 * @device: (nullable): the device whose memory to allocate; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource of synchronous device memory.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set: a
 *   loader error when there is no driver, %CUDA_OBJ_ERROR_NO_DEVICE when
 *   there is no device
 *
 * Since: 1.0
 */
CudaObjSyncMemoryResource *
cuda_obj_sync_memory_resource_new (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_SYNC_MEMORY_RESOURCE, NULL, error, "device", device, NULL);
}
