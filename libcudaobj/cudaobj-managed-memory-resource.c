/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: unified (managed) memory.
 *
 * Two modes, chosen at construction: synchronous cuMemAllocManaged, or a
 * managed memory pool (CUDA 13 drivers) allocated from in stream order,
 * whose creation and tuning properties are the shared pool helper's. */
#include "config.h"

#include "cudaobj-managed-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-memory-pool-private.h"

struct _CudaObjManagedMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned; set once initialized */
  CudaObjManagedMemoryMode mode;
  CudaObjDevice *preferred_location; /* owned; NULL: none */
  CUmemoryPool pool;                 /* pool mode, once initialized; destroyed at finalize */
  CudaObjMemoryPoolSettings pool_settings;
  gboolean initialized;
  gboolean reset; /* a reset of the device closed the pool */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_MODE,
  PROP_PREFERRED_LOCATION,
  PROP_FIRST_POOL,
  N_PROPS = PROP_FIRST_POOL + CUDA_OBJ_MEMORY_POOL_N_PROPS,
  /* The interface's, overridden. */
  PROP_IS_DEVICE_ACCESSIBLE = N_PROPS,
  PROP_IS_HOST_ACCESSIBLE,
};

static GParamSpec *properties[N_PROPS];

#define require_initialized(self, error) \
  (G_LIKELY ((self)->initialized) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

static void cuda_obj_managed_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_managed_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjManagedMemoryResource:
 *
 * Unified (managed) memory: one address that the host and every device can
 * use, with the driver migrating pages on demand. The host reads and
 * writes it directly at the buffer's [property@CudaObj.Buffer:handle]; on
 * a device without [property@CudaObj.Device:concurrent-managed-access],
 * only while no kernel runs (synchronize first).
 * [method@CudaObj.Buffer.advise], [method@CudaObj.Buffer.prefetch] and
 * [method@CudaObj.Buffer.discard] steer the migration.
 *
 * [property@CudaObj.ManagedMemoryResource:mode] chooses how memory is
 * had, at construction:
 *
 * - %CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY (the default): `cuMemAllocManaged`
 *   (attached globally) and `cuMemFree`. Allocation is synchronous and
 *   ignores the stream's order; deallocation waits for the stream, then
 *   frees. Works with every driver.
 * - %CUDA_OBJ_MANAGED_MEMORY_MODE_POOL: a managed memory pool of the
 *   resource's own, allocated from and freed to in stream order, with an
 *   optional [property@CudaObj.ManagedMemoryResource:preferred-location]
 *   and the pool's tuning properties. It needs a CUDA 13 driver (and
 *   libcudaobj built with CUDA 13 headers) that supports managed pools on
 *   the device: construction fails with %CUDA_OBJ_ERROR_NOT_SUPPORTED
 *   otherwise. The fallback is the legacy mode, which the caller chooses:
 *   the resource never switches modes by itself.
 *
 * ```python
 * try:
 *     managed = CudaObj.ManagedMemoryResource(
 *         device=device, mode=CudaObj.ManagedMemoryMode.POOL,
 *         preferred_location=device)
 * except GLib.Error as e:  # CudaObj.Error.NOT_SUPPORTED: an older driver
 *     managed = CudaObj.ManagedMemoryResource(device=device)
 * ```
 *
 * A resource is safe to use from several threads.
 *
 * A resource made with a plain constructor and never initialized
 * allocates nothing: allocating and deallocating fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjManagedMemoryResource, cuda_obj_managed_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_managed_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_managed_memory_resource_iface_init))

/* Device reset: the pool's allocations went with the context; never
 * destroy it, and allocate no more from it. */
static void
invalidate (gpointer object)
{
  CudaObjManagedMemoryResource *self = object;

  self->reset = TRUE;
}

static gboolean
create_pool (CudaObjManagedMemoryResource *self, GError **error)
{
#if CUDA_VERSION >= 13000
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CudaObjMemoryPoolConfig config = {
    .allocation_type = CU_MEM_ALLOCATION_TYPE_MANAGED,
    /* No preferred location is CU_MEM_LOCATION_TYPE_NONE. */
    .location_type
    = self->preferred_location != NULL ? CU_MEM_LOCATION_TYPE_DEVICE : CU_MEM_LOCATION_TYPE_NONE,
    .location_id
    = self->preferred_location != NULL ? (int) cuda_obj_device_get_handle (self->preferred_location) : 0,
    .handle_types = CU_MEM_HANDLE_TYPE_NONE,
    .max_size = self->pool_settings.max_size,
  };
  g_autoptr (GError) local_error = NULL;

  if (drv->version < 13000)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Managed memory pools need a CUDA 13 driver; this one supports CUDA %d.%d: use "
                   "the legacy mode",
                   drv->version / 1000, drv->version % 1000 / 10);
      return FALSE;
    }
  if (cuda_obj_memory_pool_create (&config, &self->pool, &local_error))
    return TRUE;
  self->pool = NULL;
  if (g_error_matches (local_error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_NOT_SUPPORTED)
      || g_error_matches (local_error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE))
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                 "The driver does not support managed memory pools on device %u (%s): use the legacy "
                 "mode",
                 cuda_obj_device_get_ordinal (self->device), local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
#else
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
               "Managed memory pools need libcudaobj built with CUDA 13 headers and a CUDA 13 driver: "
               "use the legacy mode");
  return FALSE;
#endif
}

static gboolean
cuda_obj_managed_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable,
                                                GError **error)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (initable);

  if (self->initialized)
    return TRUE;
  if (self->device == NULL && (self->device = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error)
      || (self->preferred_location != NULL
          && !cuda_obj_device_require (self->preferred_location, G_STRFUNC, "preferred-location", error)))
    return FALSE;
  if (self->mode == CUDA_OBJ_MANAGED_MEMORY_MODE_POOL)
    {
      if (!cuda_obj_device_activate (self->device, error) || !create_pool (self, error))
        return FALSE;
      cuda_obj_device_register (self->device, self, invalidate);
      if (!cuda_obj_memory_pool_apply_settings (self->pool, &self->pool_settings, error))
        return FALSE;
    }
  self->initialized = TRUE;
  return TRUE;
}

static void
cuda_obj_managed_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_managed_memory_resource_initable_init;
}

static CudaObjBuffer *
cuda_obj_managed_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                           GError **error)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (resource);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUdeviceptr address = 0;
  CUstream handle;

  if (!require_initialized (self, error))
    return NULL;
  if (self->pool == NULL)
    {
      if (!cuda_obj_stream_check_for_device (stream, self->device, error)
          || !cuda_obj_check (drv->cuMemAllocManaged (&address, size, CU_MEM_ATTACH_GLOBAL),
                              "cuMemAllocManaged", error))
        return NULL;
    }
  else
    {
      if (G_UNLIKELY (self->reset))
        {
          cuda_obj_device_set_reset_error (self->device, "ManagedMemoryResource", error);
          return NULL;
        }
      if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
          || !cuda_obj_check (drv->cuMemAllocFromPoolAsync (&address, size, self->pool, handle),
                              "cuMemAllocFromPoolAsync", error))
        return NULL;
    }
  return cuda_obj_buffer_new_owned (resource, self->device, address, size, TRUE, TRUE);
}

static gboolean
cuda_obj_managed_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                             CudaObjStream *stream, GError **error)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (resource);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUstream handle;

  if (!require_initialized (self, error))
    return FALSE;
  if (self->pool == NULL)
    return cuda_obj_stream_synchronize_for_device (stream, self->device, error)
           && cuda_obj_check (drv->cuMemFree (address), "cuMemFree", error);
  return cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && cuda_obj_check (drv->cuMemFreeAsync (address, handle), "cuMemFreeAsync", error);
}

static void
cuda_obj_managed_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_managed_memory_resource_allocate;
  iface->deallocate = cuda_obj_managed_memory_resource_deallocate;
}

static void
cuda_obj_managed_memory_resource_finalize (GObject *object)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (object);

  if (self->pool != NULL)
    cuda_obj_device_unregister (self->device, self);
  /* Buffers hold their resource, so none is open here; frees still queued
   * on streams complete first: the driver destroys the pool after them. */
  if (self->pool != NULL && !self->reset && cuda_obj_device_activate (self->device, NULL))
    cuda_obj_driver_peek ()->cuMemPoolDestroy (self->pool);
  g_clear_object (&self->device);
  g_clear_object (&self->preferred_location);
  G_OBJECT_CLASS (cuda_obj_managed_memory_resource_parent_class)->finalize (object);
}

static void
cuda_obj_managed_memory_resource_get_property (GObject *object, guint prop_id, GValue *value,
                                               GParamSpec *pspec)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (object);

  if (cuda_obj_memory_pool_get_property (self->pool, &self->pool_settings, prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_PREFERRED_LOCATION: g_value_set_object (value, self->preferred_location); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_managed_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                               GParamSpec *pspec)
{
  CudaObjManagedMemoryResource *self = CUDA_OBJ_MANAGED_MEMORY_RESOURCE (object);

  /* Before initialization the pool's values are kept and applied by init. */
  if (cuda_obj_memory_pool_set_property (object, self->pool, &self->pool_settings,
                                         &properties[PROP_FIRST_POOL], prop_id - PROP_FIRST_POOL, value))
    return;
  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    case PROP_PREFERRED_LOCATION: self->preferred_location = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_managed_memory_resource_class_init (CudaObjManagedMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cuda_obj_managed_memory_resource_finalize;
  object_class->get_property = cuda_obj_managed_memory_resource_get_property;
  object_class->set_property = cuda_obj_managed_memory_resource_set_property;

  /**
   * CudaObjManagedMemoryResource:device:
   *
   * The device whose context and streams allocate the memory (every device
   * can use it); %NULL at construction means device 0.
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, construct_only);
  /**
   * CudaObjManagedMemoryResource:mode:
   *
   * How memory is had: synchronous `cuMemAllocManaged`, or a managed pool
   * in stream order (CUDA 13 drivers); see [enum@CudaObj.ManagedMemoryMode].
   * Read it with [method@CudaObj.ManagedMemoryResource.get_mode].
   *
   * Since: 1.0
   */
  properties[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, CUDA_OBJ_TYPE_MANAGED_MEMORY_MODE,
                                             CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY, construct_only);
  /**
   * CudaObjManagedMemoryResource:preferred-location:
   *
   * In pool mode, the device the pool's memory prefers to live on (the
   * pool's `CUmemPoolProps.location`); %NULL, the default, for no
   * preference. Ignored in legacy mode, where
   * [method@CudaObj.Buffer.advise] sets a preferred location per buffer.
   * Read it with [method@CudaObj.ManagedMemoryResource.get_preferred_location].
   *
   * Since: 1.0
   */
  properties[PROP_PREFERRED_LOCATION]
      = g_param_spec_object ("preferred-location", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, construct_only);
  /**
   * CudaObjManagedMemoryResource:release-threshold:
   *
   * How many bytes of freed memory the pool keeps reserved across
   * synchronizations instead of giving them back to the system
   * (`CU_MEMPOOL_ATTR_RELEASE_THRESHOLD`): 0 releases everything at each
   * synchronization, G_MAXUINT64 keeps everything. Like every pool setting
   * it may be given at construction; setting it later through the property
   * warns on failure.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:reuse-follow-event-dependencies:
   *
   * Whether the pool may reuse memory freed on one stream for an allocation
   * on another stream that already waits, through events, for the free
   * (`CU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES`; on by default).
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:reuse-allow-opportunistic:
   *
   * Whether the pool may reuse memory whose free on another stream is seen
   * to have completed (`CU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC`; on by
   * default).
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:reuse-allow-internal-dependencies:
   *
   * Whether the driver may make an allocation's stream wait on a pending
   * free of another stream rather than reserve more memory
   * (`CU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES`; on by default).
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:reserved-memory-current:
   *
   * Bytes the pool holds from the system now
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT`); 0 without a pool. Read from
   * the driver at each read and never notified.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:reserved-memory-high:
   *
   * The most bytes the pool held from the system since its creation
   * (`CU_MEMPOOL_ATTR_RESERVED_MEM_HIGH`); 0 without a pool.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:used-memory-current:
   *
   * Bytes of the pool handed out and not yet freed
   * (`CU_MEMPOOL_ATTR_USED_MEM_CURRENT`); frees still queued on a stream
   * may count as used. 0 without a pool.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:used-memory-high:
   *
   * The most bytes in use at once since the pool's creation
   * (`CU_MEMPOOL_ATTR_USED_MEM_HIGH`); 0 without a pool.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  /**
   * CudaObjManagedMemoryResource:max-size:
   *
   * The most bytes the pool may reserve (`CUmemPoolProps.maxSize`); 0, the
   * default, leaves the limit to the driver. An allocation past the limit
   * fails with %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY.
   *
   * Pool mode only: in legacy mode there is no pool and the value is kept
   * unused (statistics read 0).
   *
   * Since: 1.0
   */
  cuda_obj_memory_pool_install_properties (properties, PROP_FIRST_POOL);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

static void
cuda_obj_managed_memory_resource_init (CudaObjManagedMemoryResource *self)
{
  cuda_obj_memory_pool_settings_init (&self->pool_settings);
}

/**
 * cuda_obj_managed_memory_resource_new:
 * @device: (nullable): the device whose context allocates; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource of unified (managed) memory in legacy mode
 * (`cuMemAllocManaged`).
 *
 * Returns: (transfer full): the resource, or %NULL with @error set: a
 *   loader error when there is no driver, %CUDA_OBJ_ERROR_NO_DEVICE when
 *   there is no device
 *
 * Since: 1.0
 */
CudaObjManagedMemoryResource *
cuda_obj_managed_memory_resource_new (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE, NULL, error, "device", device, NULL);
}

/**
 * cuda_obj_managed_memory_resource_new_pool:
 * @device: (nullable): the device whose streams allocate; %NULL for device 0
 * @preferred_location: (nullable): the device the memory prefers to live
 *   on; %NULL for no preference
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource of unified (managed) memory over a managed memory
 * pool of its own, allocated from in stream order
 * (%CUDA_OBJ_MANAGED_MEMORY_MODE_POOL).
 *
 * Returns: (transfer full): the resource, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the driver or device has no managed
 *   pools (use [ctor@CudaObj.ManagedMemoryResource.new] then), a loader
 *   error when there is no driver
 *
 * Since: 1.0
 */
CudaObjManagedMemoryResource *
cuda_obj_managed_memory_resource_new_pool (CudaObjDevice *device, CudaObjDevice *preferred_location,
                                           GError **error)
{
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (preferred_location == NULL || CUDA_OBJ_IS_DEVICE (preferred_location), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE, NULL, error, "device", device, "mode",
                         CUDA_OBJ_MANAGED_MEMORY_MODE_POOL, "preferred-location", preferred_location, NULL);
}

/**
 * cuda_obj_managed_memory_resource_get_mode:
 * @self: a [class@CudaObj.ManagedMemoryResource]
 *
 * Tells how the resource gets its memory; see
 * [property@CudaObj.ManagedMemoryResource:mode].
 *
 * Returns: the mode
 *
 * Since: 1.0
 */
CudaObjManagedMemoryMode
cuda_obj_managed_memory_resource_get_mode (CudaObjManagedMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_MANAGED_MEMORY_RESOURCE (self), CUDA_OBJ_MANAGED_MEMORY_MODE_LEGACY);
  return self->mode;
}

/**
 * cuda_obj_managed_memory_resource_get_preferred_location:
 * @self: a [class@CudaObj.ManagedMemoryResource]
 *
 * Tells where a pool-mode resource's memory prefers to live; see
 * [property@CudaObj.ManagedMemoryResource:preferred-location].
 *
 * Returns: (transfer none) (nullable): the device, or %NULL for no preference
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_managed_memory_resource_get_preferred_location (CudaObjManagedMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_MANAGED_MEMORY_RESOURCE (self), NULL);
  return self->preferred_location;
}
