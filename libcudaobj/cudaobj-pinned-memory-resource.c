/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: stream-ordered page-locked host memory from a host pool.
 *
 * A pool of CU_MEM_ALLOCATION_TYPE_PINNED memory at a host location (the
 * host, or one of its NUMA nodes), which the host can always reach and the
 * resource's device is given read-write access to. The pool creation and
 * its tuning properties are the shared pool helper's. */
#include "config.h"

#include <string.h>

#include "cudaobj-pinned-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-memory-pool-private.h"

struct _CudaObjPinnedMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  int numa_node;         /* -1: the host, no NUMA node */
  CUmemoryPool pool;     /* set once initialized; destroyed at finalize */
  CudaObjMemoryPoolSettings pool_settings;
  gboolean reset; /* a reset of the device closed the resource */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_NUMA_NODE,
  PROP_FIRST_POOL,
  N_PROPS = PROP_FIRST_POOL + CUDA_OBJ_MEMORY_POOL_N_PROPS,
  /* The interface's, overridden. */
  PROP_IS_DEVICE_ACCESSIBLE = N_PROPS,
  PROP_IS_HOST_ACCESSIBLE,
};

static GParamSpec *properties[N_PROPS];

/* The pool is set by a successful init only. */
#define require_initialized(self, error) \
  (G_LIKELY ((self)->pool != NULL) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

static void cuda_obj_pinned_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_pinned_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjPinnedMemoryResource:
 *
 * Page-locked (pinned) host memory from a memory pool, allocated and freed
 * in stream order (`cuMemAllocFromPoolAsync`, `cuMemFreeAsync`): an
 * allocation costs no synchronization and freed memory is reused by later
 * allocations without going back to the driver, unlike
 * [class@CudaObj.LegacyPinnedMemoryResource], whose every allocation and
 * free is a synchronous system call.
 *
 * The host reads and writes the memory directly at the buffer's
 * [property@CudaObj.Buffer:handle], once the allocation's stream has
 * reached it; kernels and copies of the resource's
 * [property@CudaObj.PinnedMemoryResource:device] use the same address, and
 * copies between it and device memory are truly asynchronous.
 * [property@CudaObj.PinnedMemoryResource:numa-node] places the memory on
 * one NUMA node of the host.
 *
 * ```python
 * pinned = CudaObj.PinnedMemoryResource(device=device)
 * staging = pinned.allocate(1 << 20, stream)
 * ```
 *
 * Host memory pools need a CUDA 12.6 or newer driver: construction fails
 * with %CUDA_OBJ_ERROR_NOT_SUPPORTED on older ones (use
 * [class@CudaObj.LegacyPinnedMemoryResource] there).
 *
 * The pool's tuning and statistics are properties, as on
 * [class@CudaObj.DeviceMemoryResource].
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized has no
 * pool: allocating and deallocating fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjPinnedMemoryResource, cuda_obj_pinned_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_pinned_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_pinned_memory_resource_iface_init))

/* Device reset: the pool's allocations went with the context; never
 * destroy it, and allocate no more from it. */
static void
invalidate (gpointer object)
{
  CudaObjPinnedMemoryResource *self = object;

  self->reset = TRUE;
}

/* Makes the pool and gives the resource's device access to it; a host
 * pool is reachable from the host only until then. */
static gboolean
create_pool (CudaObjPinnedMemoryResource *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CudaObjMemoryPoolConfig config = {
    .allocation_type = CU_MEM_ALLOCATION_TYPE_PINNED,
    .location_type = self->numa_node < 0 ? CU_MEM_LOCATION_TYPE_HOST : CU_MEM_LOCATION_TYPE_HOST_NUMA,
    .location_id = self->numa_node < 0 ? 0 : self->numa_node,
    .handle_types = CU_MEM_HANDLE_TYPE_NONE,
    .max_size = self->pool_settings.max_size,
  };
  g_autoptr (GError) local_error = NULL;
  CUmemAccessDesc access;

  if (drv->version < 12060)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Pools of pinned host memory need a CUDA 12.6 or newer driver; this one supports "
                   "CUDA %d.%d: use a LegacyPinnedMemoryResource",
                   drv->version / 1000, drv->version % 1000 / 10);
      return FALSE;
    }
  if (!cuda_obj_memory_pool_create (&config, &self->pool, &local_error))
    {
      self->pool = NULL;
      if (g_error_matches (local_error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_NOT_SUPPORTED))
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "This driver or system does not support pools of pinned host memory (%s): use a "
                     "LegacyPinnedMemoryResource",
                     local_error->message);
      else if (self->numa_node >= 0
               && g_error_matches (local_error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE))
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "The driver refuses a pinned pool on host NUMA node %d (%s): give a node of this "
                     "host, or -1 for the host as a whole",
                     self->numa_node, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  memset (&access, 0, sizeof access);
  access.location = cuda_obj_device_memory_location (self->device);
  access.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  if (!cuda_obj_check (drv->cuMemPoolSetAccess (self->pool, &access, 1), "cuMemPoolSetAccess", error))
    {
      drv->cuMemPoolDestroy (self->pool);
      self->pool = NULL;
      return FALSE;
    }
  return TRUE;
}

static gboolean
cuda_obj_pinned_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (initable);

  if (self->pool != NULL)
    return TRUE;
  if (self->numa_node < -1)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "NUMA node %d: give a node number, or -1 for the host as a whole", self->numa_node);
      return FALSE;
    }
  if (self->device == NULL && (self->device = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (self->device, error) || !create_pool (self, error))
    return FALSE;
  cuda_obj_device_register (self->device, self, invalidate);
  /* Settings given as construct-time properties. */
  return cuda_obj_memory_pool_apply_settings (self->pool, &self->pool_settings, error);
}

static void
cuda_obj_pinned_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_pinned_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_pinned_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                          GError **error)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (resource);
  CUdeviceptr address = 0;
  CUstream handle;

  if (!require_initialized (self, error))
    return NULL;
  if (G_UNLIKELY (self->reset))
    {
      cuda_obj_device_set_reset_error (self->device, "PinnedMemoryResource", error);
      return NULL;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
      || !cuda_obj_check (
          cuda_obj_driver_peek ()->cuMemAllocFromPoolAsync (&address, size, self->pool, handle),
          "cuMemAllocFromPoolAsync", error))
    return NULL;
  return cuda_obj_buffer_new_owned (resource, self->device, address, size, TRUE, TRUE);
}

static gboolean
cuda_obj_pinned_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                            CudaObjStream *stream, GError **error)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (resource);
  CUstream handle;

  if (!require_initialized (self, error))
    return FALSE;
  return cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemFreeAsync (address, handle), "cuMemFreeAsync",
                            error);
}

static void
cuda_obj_pinned_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_pinned_memory_resource_allocate;
  iface->deallocate = cuda_obj_pinned_memory_resource_deallocate;
}

static void
cuda_obj_pinned_memory_resource_finalize (GObject *object)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (object);

  if (self->pool != NULL)
    cuda_obj_device_unregister (self->device, self);
  /* Buffers hold their resource, so none is open here; frees still queued
   * on streams complete first: the driver destroys the pool after them. */
  if (self->pool != NULL && !self->reset && cuda_obj_device_activate (self->device, NULL))
    cuda_obj_driver_peek ()->cuMemPoolDestroy (self->pool);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_pinned_memory_resource_parent_class)->finalize (object);
}

static void
cuda_obj_pinned_memory_resource_get_property (GObject *object, guint prop_id, GValue *value,
                                              GParamSpec *pspec)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (object);

  if (cuda_obj_memory_pool_get_property (self->pool, &self->pool_settings, prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_NUMA_NODE: g_value_set_int (value, self->numa_node); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_pinned_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                              GParamSpec *pspec)
{
  CudaObjPinnedMemoryResource *self = CUDA_OBJ_PINNED_MEMORY_RESOURCE (object);

  /* Before initialization the pool's values are kept and applied by init. */
  if (cuda_obj_memory_pool_set_property (object, self->pool, &self->pool_settings,
                                         &properties[PROP_FIRST_POOL], prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_NUMA_NODE: self->numa_node = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_pinned_memory_resource_class_init (CudaObjPinnedMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_pinned_memory_resource_finalize;
  object_class->get_property = cuda_obj_pinned_memory_resource_get_property;
  object_class->set_property = cuda_obj_pinned_memory_resource_set_property;

  /**
   * CudaObjPinnedMemoryResource:device:
   *
   * The device whose streams allocate from the pool and whose kernels and
   * copies may use its memory; %NULL at construction means device 0.
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE]
      = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjPinnedMemoryResource:numa-node:
   *
   * The host NUMA node the memory is placed on
   * (`CU_MEM_LOCATION_TYPE_HOST_NUMA`), or -1, the default, for the host
   * as a whole (`CU_MEM_LOCATION_TYPE_HOST`). A value below -1, or a node
   * the driver does not know, makes construction fail with
   * %CUDA_OBJ_ERROR_INVALID_ARGUMENT.
   *
   * Read it with [method@CudaObj.PinnedMemoryResource.get_numa_node].
   *
   * Since: 1.0
   */
  properties[PROP_NUMA_NODE]
      = g_param_spec_int ("numa-node", NULL, NULL, G_MININT, G_MAXINT, -1,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjPinnedMemoryResource:release-threshold:
   *
   * How many bytes of freed memory the pool keeps reserved across
   * synchronizations instead of giving them back to the system
   * (`CU_MEMPOOL_ATTR_RELEASE_THRESHOLD`): 0 releases everything at each
   * synchronization, G_MAXUINT64 keeps everything. Like every pool setting
   * it may be given at construction; setting it later through the property
   * warns on failure.
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:reuse-follow-event-dependencies:
   *
   * Whether the pool may reuse memory freed on one stream for an allocation
   * on another stream that already waits, through events, for the free
   * (`CU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES`; on by default).
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:reuse-allow-opportunistic:
   *
   * Whether the pool may reuse memory whose free on another stream is seen
   * to have completed (`CU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC`; on by
   * default).
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:reuse-allow-internal-dependencies:
   *
   * Whether the driver may make an allocation's stream wait on a pending
   * free of another stream rather than reserve more memory
   * (`CU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES`; on by default).
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:reserved-memory-current:
   *
   * Bytes the pool holds from the system now
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT`); 0 without a pool. Read from
   * the driver at each read and never notified.
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:reserved-memory-high:
   *
   * The most bytes the pool held from the system since its creation
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_HIGH`); 0 without a pool.
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:used-memory-current:
   *
   * Bytes of the pool handed out and not yet freed
   * (`CU_MEMPOOL_ATTR_USED_MEM_CURRENT`); frees still queued on a stream
   * may count as used. 0 without a pool.
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:used-memory-high:
   *
   * The most bytes in use at once since the pool's creation
   * (`CU_MEMPOOL_ATTR_USED_MEM_HIGH`); 0 without a pool.
   *
   * Since: 1.0
   */
  /**
   * CudaObjPinnedMemoryResource:max-size:
   *
   * The most bytes the pool may reserve (`CUmemPoolProps.maxSize`); 0, the
   * default, leaves the limit to the driver. An allocation past the limit
   * fails with %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY.
   *
   * Since: 1.0
   */
  cuda_obj_memory_pool_install_properties (properties, PROP_FIRST_POOL);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

static void
cuda_obj_pinned_memory_resource_init (CudaObjPinnedMemoryResource *self)
{
  self->numa_node = -1;
  cuda_obj_memory_pool_settings_init (&self->pool_settings);
}

/**
 * cuda_obj_pinned_memory_resource_new:
 * @device: (nullable): the device whose streams allocate; %NULL for device 0
 * @numa_node: the host NUMA node to place the memory on, or -1 for the host
 *   as a whole
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a stream-ordered resource of page-locked host memory over a pool
 * of its own.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the driver has no host memory pools
 *   (before CUDA 12.6), %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a NUMA node the
 *   driver refuses, a loader error when there is no driver
 *
 * Since: 1.0
 */
CudaObjPinnedMemoryResource *
cuda_obj_pinned_memory_resource_new (CudaObjDevice *device, int numa_node, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_PINNED_MEMORY_RESOURCE, NULL, error, "device", device, "numa-node",
                         numa_node, NULL);
}

/**
 * cuda_obj_pinned_memory_resource_get_numa_node:
 * @self: a [class@CudaObj.PinnedMemoryResource]
 *
 * Tells where the memory is placed; see
 * [property@CudaObj.PinnedMemoryResource:numa-node].
 *
 * Returns: the host NUMA node, or -1 for the host as a whole
 *
 * Since: 1.0
 */
int
cuda_obj_pinned_memory_resource_get_numa_node (CudaObjPinnedMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_PINNED_MEMORY_RESOURCE (self), -1);
  return self->numa_node;
}
