/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: memory allocated and freed inside captured graphs.
 *
 * cuMemAllocAsync and cuMemFreeAsync on a capturing stream become memory
 * nodes of the graph; the driver keeps the memory of all graphs of a
 * device in one per-device reserve, which the usage queries and the trim
 * act on. */
#include "config.h"

#include "cudaobj-graph-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-memory-resource-private.h"

struct _CudaObjGraphMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
};

static void cuda_obj_graph_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_graph_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjGraphMemoryResource:
 *
 * Device memory that belongs to a graph: allocated and freed while a
 * stream is captured ([class@CudaObj.GraphBuilder]), each allocation and
 * each free becomes a memory node of the captured graph (`cuMemAllocAsync`
 * and `cuMemFreeAsync` during capture). Every launch of the graph then
 * allocates and frees that memory again, from a reserve the driver keeps
 * per device for all graphs, so replaying a graph that allocates, uses and
 * frees its scratch memory costs no allocation after the first launch.
 *
 * ```python
 * resource = CudaObj.GraphMemoryResource(device=device)
 * with stream.capture() as builder:
 *     scratch = resource.allocate(1 << 20, stream)
 *     scratch.fill(0, 1, 0, 1 << 20, stream)
 *     scratch.close(stream)
 * graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)
 * ```
 *
 * [method@CudaObj.MemoryResource.allocate] works only on a stream being
 * captured; elsewhere it fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT. Close
 * the buffer on the capturing stream to put the free into the graph; a
 * buffer closed after the capture ended is freed in stream order on the
 * stream given to [method@CudaObj.Buffer.close], which must then run after
 * a launch of the graph. The memory is device memory only.
 *
 * [method@CudaObj.GraphMemoryResource.get_usage] tells how much memory the
 * graphs of the device use and reserve, and
 * [method@CudaObj.GraphMemoryResource.trim] gives unused reserve back to
 * the system. Both are per device, shared by every graph and every
 * resource of that device.
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized has no
 * device: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphMemoryResource, cuda_obj_graph_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graph_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_graph_memory_resource_iface_init))

static gboolean
cuda_obj_graph_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (initable);

  return cuda_obj_simple_resource_init_device (&self->device, error);
}

static void
cuda_obj_graph_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_graph_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                         GError **error)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (resource);
  const CudaObjDriver *drv;
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  CUdeviceptr address = 0;
  CUstream handle;

  if (!cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error))
    return NULL;
  if (stream == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphMemoryResource allocates only on a stream being captured; none was given");
      return NULL;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (drv->cuStreamIsCapturing (handle, &status), "cuStreamIsCapturing", error))
    return NULL;
  if (status != CU_STREAM_CAPTURE_STATUS_ACTIVE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphMemoryResource allocates only on a stream being captured; this stream is %s",
                   status == CU_STREAM_CAPTURE_STATUS_NONE ? "not capturing" : "in an invalidated capture");
      return NULL;
    }
  if (!cuda_obj_check (drv->cuMemAllocAsync (&address, size, handle), "cuMemAllocAsync", error))
    return NULL;
  return cuda_obj_buffer_new_owned (resource, self->device, address, size, TRUE, FALSE);
}

static gboolean
cuda_obj_graph_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                           CudaObjStream *stream, GError **error)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (resource);
  CUstream handle;

  return cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
         && cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemFreeAsync (address, handle), "cuMemFreeAsync",
                            error);
}

static void
cuda_obj_graph_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_graph_memory_resource_allocate;
  iface->deallocate = cuda_obj_graph_memory_resource_deallocate;
}

static void
cuda_obj_graph_memory_resource_dispose (GObject *object)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_graph_memory_resource_parent_class)->dispose (object);
}

static void
cuda_obj_graph_memory_resource_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_get_property (self->device, /* host-accessible */ FALSE, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_graph_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                             GParamSpec *pspec)
{
  CudaObjGraphMemoryResource *self = CUDA_OBJ_GRAPH_MEMORY_RESOURCE (object);

  if (!cuda_obj_simple_resource_set_property (&self->device, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cuda_obj_graph_memory_resource_class_init (CudaObjGraphMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_graph_memory_resource_dispose;
  object_class->get_property = cuda_obj_graph_memory_resource_get_property;
  object_class->set_property = cuda_obj_graph_memory_resource_set_property;

  /**
   * CudaObjGraphMemoryResource:device:
   *
   * The device whose graphs get the memory; %NULL at construction means
   * device 0.
   *
   * Since: 1.0
   */
  cuda_obj_simple_resource_install_properties (object_class);
}

static void
cuda_obj_graph_memory_resource_init (CudaObjGraphMemoryResource *self)
{
}

/**
 * cuda_obj_graph_memory_resource_new:
 * @device: (nullable): the device; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource that allocates graph memory on @device during stream
 * capture.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set: a
 *   loader error when there is no driver, %CUDA_OBJ_ERROR_NO_DEVICE when
 *   there is no device
 *
 * Since: 1.0
 */
CudaObjGraphMemoryResource *
cuda_obj_graph_memory_resource_new (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_GRAPH_MEMORY_RESOURCE, NULL, error, "device", device, NULL);
}

/**
 * cuda_obj_graph_memory_resource_get_usage:
 * @self: a [class@CudaObj.GraphMemoryResource]
 * @used_current: (out) (optional): bytes of graph memory in use now
 * @used_high: (out) (optional): the most bytes in use at once since the
 *   last [method@CudaObj.GraphMemoryResource.reset_peaks]
 * @reserved_current: (out) (optional): bytes the device holds for graphs now
 * @reserved_high: (out) (optional): the most bytes held at once since the
 *   last [method@CudaObj.GraphMemoryResource.reset_peaks]
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how much graph memory the device uses and holds
 * (`cuDeviceGetGraphMemAttribute`), for all graphs of the device. A graph
 * that frees what it allocates lets its memory be reused by its next
 * launch: replaying it does not raise @reserved_high.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_memory_resource_get_usage (CudaObjGraphMemoryResource *self, guint64 *used_current,
                                          guint64 *used_high, guint64 *reserved_current,
                                          guint64 *reserved_high, GError **error)
{
  static const CUgraphMem_attribute attributes[] = {
    CU_GRAPH_MEM_ATTR_USED_MEM_CURRENT,
    CU_GRAPH_MEM_ATTR_USED_MEM_HIGH,
    CU_GRAPH_MEM_ATTR_RESERVED_MEM_CURRENT,
    CU_GRAPH_MEM_ATTR_RESERVED_MEM_HIGH,
  };
  guint64 *outs[] = { used_current, used_high, reserved_current, reserved_high };
  const CudaObjDriver *drv;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
      || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    {
      cuuint64_t value = 0;

      if (!cuda_obj_check (drv->cuDeviceGetGraphMemAttribute (cuda_obj_device_get_handle (self->device),
                                                              attributes[i], &value),
                           "cuDeviceGetGraphMemAttribute", error))
        return FALSE;
      if (outs[i] != NULL)
        *outs[i] = value;
    }
  return TRUE;
}

/**
 * cuda_obj_graph_memory_resource_reset_peaks:
 * @self: a [class@CudaObj.GraphMemoryResource]
 * @error: return location for a [struct@GLib.Error]
 *
 * Starts the high-water marks of
 * [method@CudaObj.GraphMemoryResource.get_usage] again from 0 (for the
 * whole device).
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_memory_resource_reset_peaks (CudaObjGraphMemoryResource *self, GError **error)
{
  static const CUgraphMem_attribute attributes[] = {
    CU_GRAPH_MEM_ATTR_USED_MEM_HIGH,
    CU_GRAPH_MEM_ATTR_RESERVED_MEM_HIGH,
  };
  const CudaObjDriver *drv;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
      || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    {
      /* The driver takes only 0 for these. */
      cuuint64_t zero = 0;

      if (!cuda_obj_check (drv->cuDeviceSetGraphMemAttribute (cuda_obj_device_get_handle (self->device),
                                                              attributes[i], &zero),
                           "cuDeviceSetGraphMemAttribute", error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cuda_obj_graph_memory_resource_trim:
 * @self: a [class@CudaObj.GraphMemoryResource]
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the device's graph memory that no graph uses back to the system
 * (`cuDeviceGraphMemTrim`). Memory of graphs that are launched or
 * uploaded stays; the next launch of a graph whose memory went back
 * allocates it again.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_memory_resource_trim (CudaObjGraphMemoryResource *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cuda_obj_simple_resource_require (self, self->device, G_STRFUNC, error)
         && cuda_obj_device_activate (self->device, error)
         && cuda_obj_check (
             cuda_obj_driver_peek ()->cuDeviceGraphMemTrim (cuda_obj_device_get_handle (self->device)),
             "cuDeviceGraphMemTrim", error);
}
