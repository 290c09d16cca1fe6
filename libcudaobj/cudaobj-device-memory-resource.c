/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: stream-ordered device memory from a CUDA memory pool.
 *
 * Allocation and free are cuMemAllocFromPoolAsync and cuMemFreeAsync on the
 * caller's stream, from the device's default pool (shared with the CUDA
 * runtime, CuPy and PyTorch) or from a pool of the resource's own. Each
 * device has one shared default resource, kept for the process's life like
 * the devices themselves. */
#include "config.h"

#include <unistd.h>

#include <string.h>

#include "cudaobj-device-memory-resource.h"
#include "cudaobj-sync-memory-resource.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-memory-pool-private.h"

struct _CudaObjDeviceMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  gboolean own_pool;
  gboolean ipc_enabled; /* own pool created with POSIX fd handles */
  gboolean imported;    /* pool imported from another process: no allocations */
  gboolean pool_shared; /* the pool's handle was exported at least once */
  CUmemoryPool pool;    /* set once initialized; destroyed at finalize if own_pool or imported */
  CudaObjMemoryPoolSettings pool_settings;
  gboolean reset; /* a reset of the device closed the resource */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_OWN_POOL,
  PROP_IPC_ENABLED,
  PROP_IS_IMPORTED,
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

static void cuda_obj_device_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_device_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjDeviceMemoryResource:
 *
 * Device memory from a CUDA memory pool, allocated and freed in stream
 * order (cuMemAllocFromPoolAsync, cuMemFreeAsync): an allocation on a
 * stream costs no synchronization, and memory freed on a stream is reused
 * by later allocations without going back to the driver. This is the
 * default resource of a device ([method@CudaObj.Device.get_memory_resource],
 * [method@CudaObj.Device.allocate]).
 *
 * By default it draws from the device's default pool, which the CUDA
 * runtime (cudaMallocAsync), CuPy and PyTorch may share; with
 * [property@CudaObj.DeviceMemoryResource:own-pool] it creates a pool of its own,
 * destroyed with the resource once all its memory was freed.
 *
 * The pool keeps freed memory up to [property@CudaObj.DeviceMemoryResource:release-threshold]
 * bytes across synchronizations; [method@CudaObj.DeviceMemoryResource.trim_to]
 * hands memory back to the system, and
 * [method@CudaObj.DeviceMemoryResource.get_usage] tells how much is reserved
 * and in use.
 *
 * Construction fails with %CUDA_OBJ_ERROR_NOT_SUPPORTED on a device without
 * memory pools ([property@CudaObj.Device:memory-pools-supported]).
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized has no
 * pool: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED, and
 * [method@CudaObj.DeviceMemoryResource.get_release_threshold] gives the
 * value set before initialization.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjDeviceMemoryResource, cuda_obj_device_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_device_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_device_memory_resource_iface_init))

/* Device reset: allocations went with the context and a pool of our own
 * may have too; never destroy it, and allocate no more from it. */
static void
invalidate (gpointer object)
{
  CudaObjDeviceMemoryResource *self = object;

  self->reset = TRUE;
}

static gboolean
cuda_obj_device_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (initable);
  const CudaObjDriver *drv;

  if (self->pool != NULL)
    return TRUE;
  if (self->device == NULL && (self->device = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error))
    return FALSE;
  if (!cuda_obj_device_get_memory_pools_supported (self->device))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Device %u (%s) does not support stream-ordered memory pools",
                   cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
      return FALSE;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  /* Sharing needs handles chosen at the pool's creation: a pool of its own. */
  if (self->ipc_enabled)
    {
      int handle_types = 0;

      self->own_pool = TRUE;
      if (!cuda_obj_check (cuda_obj_driver_peek ()->cuDeviceGetAttribute (
                               &handle_types, CU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES,
                               cuda_obj_device_get_handle (self->device)),
                           "cuDeviceGetAttribute", error))
        return FALSE;
      if (!(handle_types & CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR))
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                       "Device %u (%s) cannot share memory pools through file descriptors",
                       cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
          return FALSE;
        }
    }
  if (self->pool_settings.max_size != 0 && !self->own_pool)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "max-size limits a pool of the resource's own: set own-pool too (the device's "
                           "default pool has a fixed size)");
      return FALSE;
    }
  drv = cuda_obj_driver_peek ();
  if (self->own_pool)
    {
      CudaObjMemoryPoolConfig config = {
        .allocation_type = CU_MEM_ALLOCATION_TYPE_PINNED,
        .location_type = CU_MEM_LOCATION_TYPE_DEVICE,
        .location_id = (int) cuda_obj_device_get_handle (self->device),
        .handle_types
        = self->ipc_enabled ? CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR : CU_MEM_HANDLE_TYPE_NONE,
        .max_size = self->pool_settings.max_size,
      };

      if (!cuda_obj_memory_pool_create (&config, &self->pool, error))
        return FALSE;
    }
  else if (!cuda_obj_check (
               drv->cuDeviceGetDefaultMemPool (&self->pool, cuda_obj_device_get_handle (self->device)),
               "cuDeviceGetDefaultMemPool", error))
    return FALSE;
  cuda_obj_device_register (self->device, self, invalidate);
  /* Settings given as construct-time properties. */
  return cuda_obj_memory_pool_apply_settings (self->pool, &self->pool_settings, error);
}

static void
cuda_obj_device_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_device_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_device_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                          GError **error)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUdeviceptr address = 0;
  CUstream handle;

  if (!require_initialized (self, error))
    return NULL;
  if (G_UNLIKELY (self->reset))
    {
      cuda_obj_device_set_reset_error (self->device, "DeviceMemoryResource", error);
      return NULL;
    }
  if (self->imported)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                           "A memory pool imported from another process cannot allocate: import the "
                           "exporter's buffers with cuda_obj_device_memory_resource_import_buffer()");
      return NULL;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
      || !cuda_obj_check (drv->cuMemAllocFromPoolAsync (&address, size, self->pool, handle),
                          "cuMemAllocFromPoolAsync", error))
    return NULL;
  return cuda_obj_buffer_new_owned (resource, self->device, address, size, TRUE, FALSE);
}

static gboolean
cuda_obj_device_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                            CudaObjStream *stream, GError **error)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource);
  CUstream handle;

  if (!require_initialized (self, error))
    return FALSE;
  return cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemFreeAsync (address, handle), "cuMemFreeAsync",
                            error);
}

static void
cuda_obj_device_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_device_memory_resource_allocate;
  iface->deallocate = cuda_obj_device_memory_resource_deallocate;
}

static void
cuda_obj_device_memory_resource_finalize (GObject *object)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (object);

  if (self->pool != NULL)
    cuda_obj_device_unregister (self->device, self);
  /* Buffers hold their resource, so none is open here; frees still queued
   * on streams complete first: the driver destroys the pool after them. */
  if ((self->own_pool || self->imported) && self->pool != NULL && !self->reset
      && cuda_obj_device_activate (self->device, NULL))
    cuda_obj_driver_peek ()->cuMemPoolDestroy (self->pool);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_device_memory_resource_parent_class)->finalize (object);
}

static void
cuda_obj_device_memory_resource_get_property (GObject *object, guint prop_id, GValue *value,
                                              GParamSpec *pspec)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (object);

  if (cuda_obj_memory_pool_get_property (self->pool, &self->pool_settings, prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_OWN_POOL: g_value_set_boolean (value, self->own_pool); break;
    case PROP_IPC_ENABLED: g_value_set_boolean (value, self->ipc_enabled); break;
    case PROP_IS_IMPORTED: g_value_set_boolean (value, self->imported); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, FALSE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_device_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                              GParamSpec *pspec)
{
  CudaObjDeviceMemoryResource *self = CUDA_OBJ_DEVICE_MEMORY_RESOURCE (object);

  /* Before initialization the pool's values are kept and applied by init. */
  if (cuda_obj_memory_pool_set_property (object, self->pool, &self->pool_settings,
                                         &properties[PROP_FIRST_POOL], prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_OWN_POOL: self->own_pool = g_value_get_boolean (value); break;
    case PROP_IPC_ENABLED: self->ipc_enabled = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_device_memory_resource_class_init (CudaObjDeviceMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_device_memory_resource_finalize;
  object_class->get_property = cuda_obj_device_memory_resource_get_property;
  object_class->set_property = cuda_obj_device_memory_resource_set_property;

  /**
   * CudaObjDeviceMemoryResource:device:
   *
   * The device whose memory the resource allocates; %NULL at construction
   * means device 0.
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE]
      = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjDeviceMemoryResource:own-pool:
   *
   * Whether the resource creates a memory pool of its own (cuMemPoolCreate)
   * instead of drawing from the device's default pool. An own pool keeps
   * its settings and reserved memory apart from other users of the device.
   *
   * Read it with [method@CudaObj.DeviceMemoryResource.get_own_pool].
   *
   * Since: 1.0
   */
  properties[PROP_OWN_POOL] = g_param_spec_boolean (
      "own-pool", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjDeviceMemoryResource:ipc-enabled:
   *
   * Whether the resource's memory can be shared with other processes: the
   * resource creates a pool of its own (so
   * [property@CudaObj.DeviceMemoryResource:own-pool] reads %TRUE once
   * initialized) whose handle is a POSIX file descriptor
   * (`CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR`). Export the pool with
   * [method@CudaObj.DeviceMemoryResource.export_pool_fd] and its buffers
   * with [method@CudaObj.DeviceMemoryResource.export_buffer]. Construction
   * fails with %CUDA_OBJ_ERROR_NOT_SUPPORTED on a device that cannot share
   * pools that way.
   *
   * Read it with [method@CudaObj.DeviceMemoryResource.get_ipc_enabled].
   *
   * Since: 1.0
   */
  properties[PROP_IPC_ENABLED] = g_param_spec_boolean (
      "ipc-enabled", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjDeviceMemoryResource:is-imported:
   *
   * Whether the resource is a pool imported from another process
   * ([ctor@CudaObj.DeviceMemoryResource.new_from_pool_fd]). Such a resource
   * cannot allocate; it imports the exporter's buffers
   * ([method@CudaObj.DeviceMemoryResource.import_buffer]).
   *
   * Read it with [method@CudaObj.DeviceMemoryResource.get_is_imported].
   *
   * Since: 1.0
   */
  properties[PROP_IS_IMPORTED]
      = g_param_spec_boolean ("is-imported", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjDeviceMemoryResource:release-threshold:
   *
   * How many bytes of freed memory the pool keeps reserved across
   * synchronizations instead of releasing them to the system
   * (`CU_MEMPOOL_ATTR_RELEASE_THRESHOLD`): 0 releases everything at each
   * synchronization, G_MAXUINT64 keeps everything. Read from and written to
   * the pool, so a default-pool resource shares it with every other user of
   * that pool. It may be given at construction
   * (`CudaObj.DeviceMemoryResource(own_pool=True, release_threshold=1 << 30)`).
   * Setting it through the property warns on failure; use
   * [method@CudaObj.DeviceMemoryResource.set_release_threshold] for a [struct@GLib.Error].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:reuse-follow-event-dependencies:
   *
   * Whether the pool may reuse memory freed on one stream for an allocation
   * on another stream that already waits, through events, for the free
   * (`CU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES`; on by default). Like
   * every pool setting it may be given at construction and is shared by
   * every user of a default pool; setting it through the property warns on
   * failure. Accessors:
   * [method@CudaObj.DeviceMemoryResource.get_reuse_follow_event_dependencies],
   * [method@CudaObj.DeviceMemoryResource.set_reuse_follow_event_dependencies].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:reuse-allow-opportunistic:
   *
   * Whether the pool may reuse memory whose free on another stream is seen
   * to have completed, without any dependency between the streams
   * (`CU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC`; on by default). Accessors:
   * [method@CudaObj.DeviceMemoryResource.get_reuse_allow_opportunistic],
   * [method@CudaObj.DeviceMemoryResource.set_reuse_allow_opportunistic].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:reuse-allow-internal-dependencies:
   *
   * Whether the driver may make an allocation's stream wait on a pending
   * free of another stream, inserting the dependency itself, rather than
   * reserve more memory (`CU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES`;
   * on by default). Accessors:
   * [method@CudaObj.DeviceMemoryResource.get_reuse_allow_internal_dependencies],
   * [method@CudaObj.DeviceMemoryResource.set_reuse_allow_internal_dependencies].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:reserved-memory-current:
   *
   * Bytes the pool holds from the system now
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT`); 0 before initialization. Read
   * from the driver at each read and never notified. Accessor:
   * [method@CudaObj.DeviceMemoryResource.get_reserved_memory_current].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:reserved-memory-high:
   *
   * The most bytes the pool held from the system since its creation or the
   * last [method@CudaObj.DeviceMemoryResource.reset_high_watermarks]
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_HIGH`). Accessor:
   * [method@CudaObj.DeviceMemoryResource.get_reserved_memory_high].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:used-memory-current:
   *
   * Bytes of the pool handed out to allocations and not yet freed
   * (`CU_MEMPOOL_ATTR_USED_MEM_CURRENT`); frees still queued on a stream may
   * count as used. Read from the driver at each read and never notified.
   * Accessor: [method@CudaObj.DeviceMemoryResource.get_used_memory_current].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:used-memory-high:
   *
   * The most bytes in use at once since the pool's creation or the last
   * [method@CudaObj.DeviceMemoryResource.reset_high_watermarks]
   * (`CU_MEMPOOL_ATTR_USED_MEM_HIGH`). Accessor:
   * [method@CudaObj.DeviceMemoryResource.get_used_memory_high].
   *
   * Since: 1.0
   */
  /**
   * CudaObjDeviceMemoryResource:max-size:
   *
   * The most bytes a pool of the resource's own may reserve
   * (`CUmemPoolProps.maxSize`); 0, the default, leaves the limit to the
   * driver. Only with [property@CudaObj.DeviceMemoryResource:own-pool]:
   * construction fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT otherwise.
   * An allocation past the limit fails with
   * %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY. Accessor:
   * [method@CudaObj.DeviceMemoryResource.get_max_size].
   *
   * Since: 1.0
   */
  cuda_obj_memory_pool_install_properties (properties, PROP_FIRST_POOL);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

static void
cuda_obj_device_memory_resource_init (CudaObjDeviceMemoryResource *self)
{
  cuda_obj_memory_pool_settings_init (&self->pool_settings);
}

/**
 * cuda_obj_device_memory_resource_new:
 * @device: (nullable): the device; %NULL for device 0
 * @own_pool: whether to create a pool of its own instead of using the
 *   device's default pool (see [property@CudaObj.DeviceMemoryResource:own-pool])
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a stream-ordered resource over @device's memory. The device's
 * shared default resource is [method@CudaObj.Device.get_memory_resource].
 *
 * Returns: (transfer full): the resource, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the device has no memory pools, a
 *   loader error when there is no driver
 *
 * Since: 1.0
 */
CudaObjDeviceMemoryResource *
cuda_obj_device_memory_resource_new (CudaObjDevice *device, gboolean own_pool, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, error, "device", device, "own-pool",
                         own_pool, NULL);
}

/**
 * cuda_obj_device_memory_resource_get_own_pool:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Tells whether the resource created a memory pool of its own
 * (`cuMemPoolCreate`) instead of drawing from the device's default pool;
 * fixed at construction. See
 * [property@CudaObj.DeviceMemoryResource:own-pool].
 *
 * Returns: %TRUE for a pool of its own
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_own_pool (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return self->own_pool;
}

/**
 * cuda_obj_device_memory_resource_get_release_threshold:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads the pool's release threshold from the driver.
 *
 * Returns: the value of [property@CudaObj.DeviceMemoryResource:release-threshold], in
 *   bytes; 0 if the driver cannot tell
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_release_threshold (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return cuda_obj_memory_pool_get_uint64 (self->pool, &self->pool_settings,
                                          CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD);
}

/**
 * cuda_obj_device_memory_resource_set_release_threshold:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @threshold: bytes of freed memory to keep reserved; G_MAXUINT64 for all
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets [property@CudaObj.DeviceMemoryResource:release-threshold] on the pool.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_set_release_threshold (CudaObjDeviceMemoryResource *self, guint64 threshold,
                                                       GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cuda_obj_memory_pool_set_uint64 (
      self->pool, &self->pool_settings, CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD, threshold,
      G_OBJECT (self), properties[PROP_FIRST_POOL + CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD], error);
}

static gboolean
set_reuse (CudaObjDeviceMemoryResource *self, CudaObjMemoryPoolProp prop, gboolean enabled, GError **error)
{
  return cuda_obj_memory_pool_set_boolean (self->pool, &self->pool_settings, prop, enabled, G_OBJECT (self),
                                           properties[PROP_FIRST_POOL + prop], error);
}

/**
 * cuda_obj_device_memory_resource_get_reuse_follow_event_dependencies:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:reuse-follow-event-dependencies]
 * from the pool (before initialization, the value set so far).
 *
 * Returns: whether the pool reuses memory across streams that wait on each other
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_reuse_follow_event_dependencies (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return cuda_obj_memory_pool_get_boolean (self->pool, &self->pool_settings,
                                           CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES);
}

/**
 * cuda_obj_device_memory_resource_set_reuse_follow_event_dependencies:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @enabled: whether to allow that reuse
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets [property@CudaObj.DeviceMemoryResource:reuse-follow-event-dependencies]
 * on the pool.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_set_reuse_follow_event_dependencies (CudaObjDeviceMemoryResource *self,
                                                                     gboolean enabled, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  return set_reuse (self, CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES, enabled, error);
}

/**
 * cuda_obj_device_memory_resource_get_reuse_allow_opportunistic:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:reuse-allow-opportunistic]
 * from the pool (before initialization, the value set so far).
 *
 * Returns: whether the pool reuses memory whose free was seen to complete
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_reuse_allow_opportunistic (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return cuda_obj_memory_pool_get_boolean (self->pool, &self->pool_settings,
                                           CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_OPPORTUNISTIC);
}

/**
 * cuda_obj_device_memory_resource_set_reuse_allow_opportunistic:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @enabled: whether to allow that reuse
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets [property@CudaObj.DeviceMemoryResource:reuse-allow-opportunistic] on
 * the pool.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_set_reuse_allow_opportunistic (CudaObjDeviceMemoryResource *self,
                                                               gboolean enabled, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  return set_reuse (self, CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_OPPORTUNISTIC, enabled, error);
}

/**
 * cuda_obj_device_memory_resource_get_reuse_allow_internal_dependencies:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:reuse-allow-internal-dependencies]
 * from the pool (before initialization, the value set so far).
 *
 * Returns: whether the driver may add dependencies between streams to reuse memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_reuse_allow_internal_dependencies (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return cuda_obj_memory_pool_get_boolean (self->pool, &self->pool_settings,
                                           CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES);
}

/**
 * cuda_obj_device_memory_resource_set_reuse_allow_internal_dependencies:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @enabled: whether to allow those dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets [property@CudaObj.DeviceMemoryResource:reuse-allow-internal-dependencies]
 * on the pool.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_set_reuse_allow_internal_dependencies (CudaObjDeviceMemoryResource *self,
                                                                       gboolean enabled, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  return set_reuse (self, CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES, enabled, error);
}

/**
 * cuda_obj_device_memory_resource_get_reserved_memory_current:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:reserved-memory-current].
 *
 * Returns: bytes the pool holds now; 0 before initialization or if the
 *   driver cannot tell
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_reserved_memory_current (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return cuda_obj_memory_pool_get_uint64 (self->pool, &self->pool_settings,
                                          CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_CURRENT);
}

/**
 * cuda_obj_device_memory_resource_get_reserved_memory_high:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:reserved-memory-high].
 *
 * Returns: the most bytes the pool held; 0 before initialization or if the
 *   driver cannot tell
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_reserved_memory_high (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return cuda_obj_memory_pool_get_uint64 (self->pool, &self->pool_settings,
                                          CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_HIGH);
}

/**
 * cuda_obj_device_memory_resource_get_used_memory_current:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:used-memory-current].
 *
 * Returns: bytes in use now; 0 before initialization or if the driver
 *   cannot tell
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_used_memory_current (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return cuda_obj_memory_pool_get_uint64 (self->pool, &self->pool_settings,
                                          CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_CURRENT);
}

/**
 * cuda_obj_device_memory_resource_get_used_memory_high:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Reads [property@CudaObj.DeviceMemoryResource:used-memory-high].
 *
 * Returns: the most bytes in use at once; 0 before initialization or if
 *   the driver cannot tell
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_used_memory_high (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return cuda_obj_memory_pool_get_uint64 (self->pool, &self->pool_settings,
                                          CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_HIGH);
}

/**
 * cuda_obj_device_memory_resource_get_max_size:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Gives [property@CudaObj.DeviceMemoryResource:max-size], fixed at construction.
 *
 * Returns: the pool's size limit in bytes; 0 for the driver's default
 *
 * Since: 1.0
 */
guint64
cuda_obj_device_memory_resource_get_max_size (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), 0);
  return self->pool_settings.max_size;
}

/**
 * cuda_obj_device_memory_resource_reset_high_watermarks:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @error: return location for a [struct@GLib.Error]
 *
 * Resets [property@CudaObj.DeviceMemoryResource:reserved-memory-high] and
 * [property@CudaObj.DeviceMemoryResource:used-memory-high] to the current
 * values, to measure the peak of what comes next. On a default pool this
 * resets them for every user of the pool.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_reset_high_watermarks (CudaObjDeviceMemoryResource *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  return cuda_obj_memory_pool_reset_high_watermarks (self->pool, G_OBJECT (self),
                                                     &properties[PROP_FIRST_POOL], error);
}

/**
 * cuda_obj_device_memory_resource_get_usage:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @reserved_bytes: (out) (optional): memory the pool holds from the system
 *   now, in bytes
 * @used_bytes: (out) (optional): memory handed out and not yet freed, in
 *   bytes (frees still queued on a stream may count as used)
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how much memory the pool holds and how much of it is in use. For
 * the default pool this counts every user of the pool, not only this
 * resource.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_usage (CudaObjDeviceMemoryResource *self, guint64 *reserved_bytes,
                                           guint64 *used_bytes, GError **error)
{
  const CudaObjDriver *drv;
  cuuint64_t reserved = 0, used = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (
          drv->cuMemPoolGetAttribute (self->pool, CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, &reserved),
          "cuMemPoolGetAttribute", error)
      || !cuda_obj_check (drv->cuMemPoolGetAttribute (self->pool, CU_MEMPOOL_ATTR_USED_MEM_CURRENT, &used),
                          "cuMemPoolGetAttribute", error))
    return FALSE;
  if (reserved_bytes != NULL)
    *reserved_bytes = reserved;
  if (used_bytes != NULL)
    *used_bytes = used;
  return TRUE;
}

/**
 * cuda_obj_device_memory_resource_trim_to:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @min_bytes_to_keep: how much reserved memory the pool may keep, in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Releases the pool's unused memory to the system until it holds at most
 * about @min_bytes_to_keep bytes (cuMemPoolTrimTo). Memory in use stays,
 * and so may memory whose stream-ordered free has not been observed yet:
 * synchronize the streams first.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_trim_to (CudaObjDeviceMemoryResource *self, gsize min_bytes_to_keep,
                                         GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cuda_obj_device_activate (self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolTrimTo (self->pool, min_bytes_to_keep),
                            "cuMemPoolTrimTo", error);
}

static CUmemAccessDesc
access_for (CudaObjDevice *peer, gboolean enabled)
{
  CUmemAccessDesc access;

  memset (&access, 0, sizeof access);
  access.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  access.location.id = (int) cuda_obj_device_get_handle (peer);
  access.flags = enabled ? CU_MEM_ACCESS_FLAGS_PROT_READWRITE : CU_MEM_ACCESS_FLAGS_PROT_NONE;
  return access;
}

/**
 * cuda_obj_device_memory_resource_set_peer_access:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @peer: another device
 * @enabled: whether kernels and copies on @peer may read and write the pool's memory
 * @error: return location for a [struct@GLib.Error]
 *
 * Lets @peer's kernels address memory of this pool directly, or stops it
 * (cuMemPoolSetAccess). Stream-ordered pools ignore
 * [method@CudaObj.Device.enable_peer_access]: their memory is shared with another
 * device only through this call. It applies to the pool's existing and
 * future allocations. Copies between devices work without it; they may be
 * staged. The pool's own device always has access: asking for it succeeds
 * and changes nothing.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the devices cannot be peers
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_set_peer_access (CudaObjDeviceMemoryResource *self, CudaObjDevice *peer,
                                                 gboolean enabled, GError **error)
{
  GError *local_error = NULL;
  CUmemAccessDesc access;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (peer, G_STRFUNC, "peer", error))
    return FALSE;

  if (cuda_obj_device_get_handle (peer) == cuda_obj_device_get_handle (self->device))
    return TRUE;
  if (enabled && !cuda_obj_device_can_access_peer (peer, self->device, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "Device %u cannot access the memory of device %u as a peer",
                     cuda_obj_device_get_ordinal (peer), cuda_obj_device_get_ordinal (self->device));
      return FALSE;
    }
  access = access_for (peer, enabled);
  return cuda_obj_device_activate (self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolSetAccess (self->pool, &access, 1),
                            "cuMemPoolSetAccess", error);
}

/**
 * cuda_obj_device_memory_resource_get_peer_access:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 * @peer: a device
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells whether @peer may read and write the pool's memory (see
 * [method@CudaObj.DeviceMemoryResource.set_peer_access]). The pool's own device
 * always may.
 *
 * Returns: %TRUE when @peer has read-write access; %FALSE when not, or with
 *   @error set when the driver fails
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_peer_access (CudaObjDeviceMemoryResource *self, CudaObjDevice *peer,
                                                 GError **error)
{
  CUmemAccess_flags flags = CU_MEM_ACCESS_FLAGS_PROT_NONE;
  CUmemLocation location;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (peer, G_STRFUNC, "peer", error))
    return FALSE;

  memset (&location, 0, sizeof location);
  location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  location.id = (int) cuda_obj_device_get_handle (peer);
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolGetAccess (&flags, self->pool, &location),
                       "cuMemPoolGetAccess", error))
    return FALSE;
  return flags == CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
}

/* Sharing between processes. */

/* A buffer descriptor: what cuMemPoolExportPointer gives, with the size,
 * behind a magic and a version so that a stray or truncated message is an
 * error rather than an address. Integers are little-endian. */
#define BUFFER_DESCRIPTOR_MAGIC "CudaObjB"
#define BUFFER_DESCRIPTOR_VERSION 1

typedef struct
{
  char magic[8];
  guint32 version;
  guint32 reserved;
  guint64 size;
  CUmemPoolPtrExportData data;
} BufferDescriptor;

G_STATIC_ASSERT (sizeof (BufferDescriptor) == 88);

/**
 * cuda_obj_device_memory_resource_new_from_pool_fd:
 * @device: (nullable): the device whose memory the pool holds, in this
 *   process; %NULL for device 0
 * @fd: a file descriptor from [method@CudaObj.DeviceMemoryResource.export_pool_fd]
 *   in the exporting process, received here (over a Unix socket as
 *   `SCM_RIGHTS`, see [func@CudaObj.ipc_receive_pool])
 * @error: return location for a [struct@GLib.Error]
 *
 * Imports a memory pool that another process shares
 * (`cuMemPoolImportFromShareableHandle`). The resulting resource
 * ([property@CudaObj.DeviceMemoryResource:is-imported]) cannot allocate: it
 * imports the exporter's buffers with
 * [method@CudaObj.DeviceMemoryResource.import_buffer]. @fd stays the
 * caller's: close it once this returns.
 *
 * @device must be the same physical GPU as the exporter's, as this process
 * numbers it (compare [property@CudaObj.Device:uuid]).
 *
 * Returns: (transfer full): the imported resource, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a negative @fd, the driver's error
 *   when @fd is not a pool
 *
 * Since: 1.0
 */
CudaObjDeviceMemoryResource *
cuda_obj_device_memory_resource_new_from_pool_fd (CudaObjDevice *device, int fd, GError **error)
{
  g_autoptr (CudaObjDeviceMemoryResource) self = NULL;
  g_autoptr (CudaObjDevice) default_device = NULL;
  CUmemoryPool pool = NULL;

  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (fd < 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A memory pool's file descriptor is expected, not %d", fd);
      return NULL;
    }
  if (device == NULL && (device = default_device = cuda_obj_device_get (0, error)) == NULL)
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, "device", device, NULL);
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (self->device, error))
    return NULL;
  /* For a POSIX fd the handle is the descriptor's value, not a pointer to it. */
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolImportFromShareableHandle (
                           &pool, (void *) (gintptr) fd, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, 0),
                       "cuMemPoolImportFromShareableHandle", error))
    return NULL;
  self->imported = TRUE;
  self->pool = pool;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_device_memory_resource_get_ipc_enabled:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Tells whether the resource's pool can be shared with other processes;
 * see [property@CudaObj.DeviceMemoryResource:ipc-enabled].
 *
 * Returns: %TRUE for a shareable pool
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_ipc_enabled (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return self->ipc_enabled;
}

/**
 * cuda_obj_device_memory_resource_get_is_imported:
 * @self: a [class@CudaObj.DeviceMemoryResource]
 *
 * Tells whether the resource is a pool imported from another process; see
 * [property@CudaObj.DeviceMemoryResource:is-imported].
 *
 * Returns: %TRUE for an imported pool
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_memory_resource_get_is_imported (CudaObjDeviceMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), FALSE);
  return self->imported;
}

static gboolean
require_shareable (CudaObjDeviceMemoryResource *self, const char *func, gboolean imported_ok, GError **error)
{
  if (!require_initialized (self, error))
    return FALSE;
  if (G_UNLIKELY (self->reset))
    {
      cuda_obj_device_set_reset_error (self->device, "DeviceMemoryResource", error);
      return FALSE;
    }
  if (self->ipc_enabled || (imported_ok && self->imported))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the resource's pool is not shared between processes: %s", func,
               self->imported ? "an imported pool cannot be exported again"
                              : "construct the resource with ipc-enabled set");
  return FALSE;
}

/**
 * cuda_obj_device_memory_resource_export_pool_fd:
 * @self: a [class@CudaObj.DeviceMemoryResource] with
 *   [property@CudaObj.DeviceMemoryResource:ipc-enabled]
 * @error: return location for a [struct@GLib.Error]
 *
 * Exports the pool as a new file descriptor
 * (`cuMemPoolExportToShareableHandle`), for another process to import with
 * [ctor@CudaObj.DeviceMemoryResource.new_from_pool_fd]. A file descriptor
 * travels between processes only as `SCM_RIGHTS` over a Unix socket
 * ([func@CudaObj.ipc_send_pool]), or as a D-Bus handle
 * ([func@CudaObj.ipc_pool_to_dbus]); its number means nothing elsewhere.
 *
 * Returns: a new file descriptor the caller owns and closes, or -1 with
 *   @error set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a pool that is not
 *   shared
 *
 * Since: 1.0
 */
int
cuda_obj_device_memory_resource_export_pool_fd (CudaObjDeviceMemoryResource *self, GError **error)
{
  int fd = -1;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), -1);
  if (!require_shareable (self, G_STRFUNC, FALSE, error))
    return -1;
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolExportToShareableHandle (
                              &fd, self->pool, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, 0),
                          "cuMemPoolExportToShareableHandle", error))
    return -1;
  self->pool_shared = TRUE;
  return fd;
}

/**
 * cuda_obj_device_memory_resource_export_buffer:
 * @self: a [class@CudaObj.DeviceMemoryResource] with
 *   [property@CudaObj.DeviceMemoryResource:ipc-enabled]
 * @buffer: an open buffer that @self allocated
 * @error: return location for a [struct@GLib.Error]
 *
 * Describes @buffer for a process that imported this pool
 * (`cuMemPoolExportPointer`): the descriptor is a small block of bytes, no
 * handle, and may travel by any means. The importer gets the memory back
 * with [method@CudaObj.DeviceMemoryResource.import_buffer].
 *
 * The importer may use the memory only once the allocation and the work
 * that fills it are done: share an interprocess [class@CudaObj.Event]
 * recorded after that work ([method@CudaObj.Event.export_ipc]). The
 * driver's rule for the end: every importer frees its import before the
 * exporter frees the buffer (see the IPC guide).
 *
 * Returns: (transfer full): the descriptor, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a pool that is not shared or a
 *   buffer of another resource, %CUDA_OBJ_ERROR_CLOSED for a closed buffer
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_device_memory_resource_export_buffer (CudaObjDeviceMemoryResource *self, CudaObjBuffer *buffer,
                                               GError **error)
{
  BufferDescriptor descriptor;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), NULL);
  if (!require_shareable (self, G_STRFUNC, FALSE, error) || !cuda_obj_require_argument (buffer, error))
    return NULL;
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cuda_obj_buffer_get_memory_resource (buffer) != CUDA_OBJ_MEMORY_RESOURCE (self))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Only a buffer allocated from this resource can be exported through its pool");
      return NULL;
    }
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                           "The buffer is closed: there is no memory left to export");
      return NULL;
    }
  /* The driver describes pointers only of a pool whose handle it has
   * exported (measured on the H200, driver 580): export one first. */
  if (!self->pool_shared)
    {
      int fd = cuda_obj_device_memory_resource_export_pool_fd (self, error);

      if (fd < 0)
        return NULL;
      close (fd);
    }
  memset (&descriptor, 0, sizeof descriptor);
  memcpy (descriptor.magic, BUFFER_DESCRIPTOR_MAGIC, sizeof descriptor.magic);
  descriptor.version = GUINT32_TO_LE (BUFFER_DESCRIPTOR_VERSION);
  descriptor.size = GUINT64_TO_LE (cuda_obj_buffer_get_size (buffer));
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolExportPointer (
                              &descriptor.data, cuda_obj_buffer_get_handle (buffer)),
                          "cuMemPoolExportPointer", error))
    return NULL;
  return g_bytes_new (&descriptor, sizeof descriptor);
}

/**
 * cuda_obj_device_memory_resource_import_buffer:
 * @self: an imported [class@CudaObj.DeviceMemoryResource]
 *   ([ctor@CudaObj.DeviceMemoryResource.new_from_pool_fd])
 * @descriptor: a descriptor from
 *   [method@CudaObj.DeviceMemoryResource.export_buffer] in the process that
 *   shared the pool
 * @error: return location for a [struct@GLib.Error]
 *
 * Maps the exporter's buffer into this process
 * (`cuMemPoolImportPointer`). The buffer's memory resource is @self;
 * closing it (or dropping it) frees the import with `cuMemFreeAsync`, as
 * the driver requires, without touching the exporter's allocation. The
 * driver's rules: use the memory only after the exporter's work on it is
 * done (wait on a shared [class@CudaObj.Event]), and close the import
 * before the exporter closes its buffer.
 *
 * Returns: (transfer full): the imported buffer, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a descriptor of the wrong size,
 *   magic or version, or a resource whose pool is not shared
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_device_memory_resource_import_buffer (CudaObjDeviceMemoryResource *self, GBytes *descriptor,
                                               GError **error)
{
  BufferDescriptor copy;
  const BufferDescriptor *data;
  gsize length = 0;
  CUdeviceptr address = 0;
  guint64 size;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  /* The descriptor first: what came from another process is checked
   * whatever state this resource is in. */
  if (!cuda_obj_require_argument (descriptor, error))
    return NULL;

  data = g_bytes_get_data (descriptor, &length);
  if (length != sizeof (BufferDescriptor)
      || memcmp (data->magic, BUFFER_DESCRIPTOR_MAGIC, sizeof data->magic) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Not a buffer descriptor: expected the %zu bytes that "
                   "cuda_obj_device_memory_resource_export_buffer() makes, got %zu bytes%s",
                   sizeof (BufferDescriptor), length,
                   length == sizeof (BufferDescriptor) ? " with another magic" : "");
      return NULL;
    }
  /* A copy: GBytes data need not be aligned for the integers. */
  memcpy (&copy, data, sizeof copy);
  if (GUINT32_FROM_LE (copy.version) != BUFFER_DESCRIPTOR_VERSION)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Buffer descriptor version %u is not supported: this library reads version %u",
                   GUINT32_FROM_LE (copy.version), BUFFER_DESCRIPTOR_VERSION);
      return NULL;
    }
  size = GUINT64_FROM_LE (copy.size);
  if (size == 0 || size > G_MAXSIZE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Buffer descriptor gives an invalid size (%" G_GUINT64_FORMAT " bytes)", size);
      return NULL;
    }
  if (!require_shareable (self, G_STRFUNC, TRUE, error))
    return NULL;
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolImportPointer (&address, self->pool, &copy.data),
                          "cuMemPoolImportPointer", error))
    return NULL;
  return cuda_obj_buffer_new_owned (CUDA_OBJ_MEMORY_RESOURCE (self), self->device, address, (gsize) size,
                                    TRUE, FALSE);
}

/* TRUE when @resource (named @what in the message) allocates for @device. */
static gboolean
check_serves (CudaObjDevice *device, CudaObjMemoryResource *resource, const char *what, const char *func,
              GError **error)
{
  CudaObjDevice *served = cuda_obj_memory_resource_get_device (resource);

  if (served == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                   "The %s %s of device %u has no device: it was never initialized", what,
                   G_OBJECT_TYPE_NAME (resource), cuda_obj_device_get_ordinal (device));
      return FALSE;
    }
  if (!cuda_obj_device_require (served, func, what, error))
    return FALSE;
  if (served != device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The %s %s allocates for device %u, not for device %u: give device %u a "
                   "resource of its own",
                   what, G_OBJECT_TYPE_NAME (resource), cuda_obj_device_get_ordinal (served),
                   cuda_obj_device_get_ordinal (device), cuda_obj_device_get_ordinal (device));
      return FALSE;
    }
  return TRUE;
}

/* The shared default resource of each device, by ordinal; like the devices
 * themselves, kept for the process's life. */
static GMutex defaults_lock;
static GPtrArray *defaults; /* CudaObjMemoryResource per ordinal, or NULL */

/**
 * cuda_obj_device_get_memory_resource:
 * @device: a [class@CudaObj.Device]
 *
 * Gives the resource [method@CudaObj.Device.allocate] uses
 * ([property@CudaObj.Device:memory-resource]): the one set with
 * [method@CudaObj.Device.set_memory_resource], or else the device's
 * default memory resource: a [class@CudaObj.DeviceMemoryResource] over the
 * device's default pool, or a [class@CudaObj.SyncMemoryResource] on a
 * device without memory pools. The default resource is created on the
 * first call; every call returns the same object.
 *
 * So that repeated allocations do not go back to the system, the default
 * resource raises a default pool's release threshold from 0 to keep freed
 * memory (as cuda.core does); lower it with
 * [property@CudaObj.DeviceMemoryResource:release-threshold], or release memory with
 * [method@CudaObj.DeviceMemoryResource.trim_to].
 *
 * Returns: (transfer full) (nullable): the device's default resource;
 *   %NULL for a device that was not initialized
 *
 * Since: 1.0
 */
CudaObjMemoryResource *
cuda_obj_device_get_memory_resource (CudaObjDevice *device)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) error = NULL;
  guint ordinal;
  gpointer resource = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  /* A device that was never initialized must not take device 0's slot. */
  if (!cuda_obj_device_require (device, G_STRFUNC, "device", NULL))
    return NULL;
  if ((resource = cuda_obj_device_dup_chosen_memory_resource (device)) != NULL)
    return resource;

  ordinal = cuda_obj_device_get_ordinal (device);
  locker = g_mutex_locker_new (&defaults_lock);
  if (defaults == NULL)
    defaults = g_ptr_array_new ();
  if (defaults->len <= ordinal)
    g_ptr_array_set_size (defaults, ordinal + 1);
  if (defaults->pdata[ordinal] != NULL && CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (defaults->pdata[ordinal])
      && CUDA_OBJ_DEVICE_MEMORY_RESOURCE (defaults->pdata[ordinal])->reset)
    /* A reset of the device closed it: make a new one. */
    g_clear_object (&defaults->pdata[ordinal]);
  if (defaults->pdata[ordinal] != NULL)
    return g_object_ref (defaults->pdata[ordinal]);

  if (cuda_obj_device_get_memory_pools_supported (device))
    {
      resource = cuda_obj_device_memory_resource_new (device, FALSE, &error);
      if (resource != NULL && cuda_obj_device_memory_resource_get_release_threshold (resource) == 0
          && !cuda_obj_device_memory_resource_set_release_threshold (resource, G_MAXUINT64, &error))
        {
          g_debug ("Keeping the default pool's release threshold of device %u: %s", ordinal, error->message);
          g_clear_error (&error);
        }
      if (resource == NULL)
        {
          g_debug ("Device %u: no pool resource (%s), falling back to synchronous allocations", ordinal,
                   error->message);
          g_clear_error (&error);
        }
    }
  if (resource == NULL)
    resource = cuda_obj_sync_memory_resource_new (device, NULL);
  defaults->pdata[ordinal] = resource;
  return g_object_ref (resource);
}

/**
 * cuda_obj_device_allocate:
 * @device: a [class@CudaObj.Device]
 * @size: number of bytes, more than 0
 * @stream: (nullable): stream the allocation is ordered on; %NULL for the
 *   legacy default stream of @device
 * @error: return location for a [struct@GLib.Error]
 *
 * Allocates @size bytes of device memory from the device's default memory
 * resource ([method@CudaObj.Device.get_memory_resource]), in stream order; see
 * [method@CudaObj.MemoryResource.allocate].
 *
 * Returns: (transfer full): a new [class@CudaObj.Buffer], or %NULL with @error
 *   set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @size,
 *   %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY when the device is full
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_device_allocate (CudaObjDevice *device, gsize size, CudaObjStream *stream, GError **error)
{
  g_autoptr (CudaObjMemoryResource) resource = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return NULL;
  resource = cuda_obj_device_get_memory_resource (device);
  /* Device:memory-resource may have been set to anything, unchecked. */
  if (!check_serves (device, resource, "memory-resource", G_STRFUNC, error))
    return NULL;
  return cuda_obj_memory_resource_allocate (resource, size, stream, error);
}

/**
 * cuda_obj_device_set_memory_resource:
 * @device: a [class@CudaObj.Device]
 * @resource: (nullable): the resource [method@CudaObj.Device.allocate]
 *   will use; %NULL for the device's default one
 * @error: return location for a [struct@GLib.Error]
 *
 * Replaces the resource [method@CudaObj.Device.allocate] allocates from,
 * for every caller in the process, from now on; buffers already allocated
 * keep their own resource. Unlike setting
 * [property@CudaObj.Device:memory-resource], it checks @resource first.
 *
 * ```python
 * device.set_memory_resource(CudaObj.ManagedMemoryResource(device=device))
 * buffer = device.allocate(1 << 20, stream)   # managed memory now
 * device.set_memory_resource(None)             # back to the default pool
 * ```
 *
 * Returns: %TRUE on success; %FALSE with @error set and nothing changed:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @resource allocates for another
 *   device, %CUDA_OBJ_ERROR_NOT_INITIALIZED when @resource or @device was
 *   never initialized
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_set_memory_resource (CudaObjDevice *device, CudaObjMemoryResource *resource, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (resource == NULL || CUDA_OBJ_IS_MEMORY_RESOURCE (resource), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || (resource != NULL && !check_serves (device, resource, "resource", G_STRFUNC, error)))
    return FALSE;
  cuda_obj_device_store_memory_resource (device, resource);
  return TRUE;
}
