/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: page-locked host memory. */
#include "config.h"

#include "cudaobj-legacy-pinned-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-memory-resource-private.h"

struct _CudaObjLegacyPinnedMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
};

static void cuda_obj_legacy_pinned_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_legacy_pinned_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjLegacyPinnedMemoryResource:
 *
 * Page-locked (pinned) host memory, from cuMemHostAlloc (portable to all
 * contexts) and cuMemFreeHost. The host reads and writes it directly at the
 * buffer's [property@CudaObj.Buffer:handle], which is also its device address (CUDA's
 * unified addressing), so kernels can use it too, over the bus; copies
 * between it and device memory are truly asynchronous and run at full
 * speed. Use it to stage data for copies that overlap with computation.
 *
 * Page-locked memory is taken from the system's RAM and cannot be swapped:
 * allocate it sparingly. Allocation is synchronous and ignores the stream's
 * order; deallocation waits for the stream, then frees. Where the driver
 * has host memory pools (CUDA 12.6 and newer),
 * [class@CudaObj.PinnedMemoryResource] allocates and frees the same kind of
 * memory in stream order, without a system call each time.
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized has no
 * device: allocating and deallocating fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (
    CudaObjLegacyPinnedMemoryResource, cuda_obj_legacy_pinned_memory_resource, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_legacy_pinned_memory_resource_initable_iface_init)
        G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                               cuda_obj_legacy_pinned_memory_resource_iface_init))

static gboolean
cuda_obj_legacy_pinned_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable,
                                                      GError **error)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (initable);

  return cuda_obj_simple_resource_init_device (&self->device, error);
}

static void
cuda_obj_legacy_pinned_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_legacy_pinned_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_legacy_pinned_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size,
                                                 CudaObjStream *stream, GError **error)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (resource);
  void *address = NULL;

  if (!cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
      || !cuda_obj_stream_check_for_device (stream, self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemHostAlloc (&address, size, CU_MEMHOSTALLOC_PORTABLE),
                          "cuMemHostAlloc", error))
    return NULL;
  return cuda_obj_buffer_new_owned (resource, self->device, (guint64) (guintptr) address, size, TRUE, TRUE);
}

static gboolean
cuda_obj_legacy_pinned_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address,
                                                   gsize size, CudaObjStream *stream, GError **error)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (resource);

  return cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
         && cuda_obj_stream_synchronize_for_device (stream, self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemFreeHost ((void *) (guintptr) address),
                            "cuMemFreeHost", error);
}

static void
cuda_obj_legacy_pinned_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_legacy_pinned_memory_resource_allocate;
  iface->deallocate = cuda_obj_legacy_pinned_memory_resource_deallocate;
}

static void
cuda_obj_legacy_pinned_memory_resource_dispose (GObject *object)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_legacy_pinned_memory_resource_parent_class)->dispose (object);
}

static void
cuda_obj_legacy_pinned_memory_resource_get_property (GObject *object, guint prop_id, GValue *value,
                                                     GParamSpec *pspec)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_get_property (self->device, /* host-accessible */ TRUE, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_legacy_pinned_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                                     GParamSpec *pspec)
{
  CudaObjLegacyPinnedMemoryResource *self = CUDA_OBJ_LEGACY_PINNED_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_set_property (&self->device, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_legacy_pinned_memory_resource_class_init (CudaObjLegacyPinnedMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_legacy_pinned_memory_resource_dispose;
  object_class->get_property = cuda_obj_legacy_pinned_memory_resource_get_property;
  object_class->set_property = cuda_obj_legacy_pinned_memory_resource_set_property;

  /**
   * CudaObjLegacyPinnedMemoryResource:device:
   *
   * The device whose context allocates the memory (every device can use
   * it); %NULL at construction means device 0.
   *
   * Since: 1.0
   */
  cuda_obj_simple_resource_install_properties (object_class);
}

static void
cuda_obj_legacy_pinned_memory_resource_init (CudaObjLegacyPinnedMemoryResource *self)
{
}

/**
 * cuda_obj_legacy_pinned_memory_resource_new:
 * @device: (nullable): the device whose context allocates; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource of page-locked host memory.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set: a
 *   loader error when there is no driver, %CUDA_OBJ_ERROR_NO_DEVICE when
 *   there is no device
 *
 * Since: 1.0
 */
CudaObjLegacyPinnedMemoryResource *
cuda_obj_legacy_pinned_memory_resource_new (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_LEGACY_PINNED_MEMORY_RESOURCE, NULL, error, "device", device, NULL);
}
