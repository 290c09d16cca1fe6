/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: device memory mapped into reserved virtual address ranges.
 *
 * Each allocation is a reserved address range (cuMemAddressReserve) with
 * physical chunks (cuMemCreate) mapped into it (cuMemMap) and made
 * accessible (cuMemSetAccess). Growing adds a chunk behind the last one:
 * in the same place when the address range right after the allocation can
 * be reserved, else in a new, larger range where the old chunks are mapped
 * again at the same offsets. Either way no byte is copied. The resource
 * keeps each allocation's ranges and chunks, keyed by the buffer's address. */
#include "config.h"

#include <string.h>

#include "cudaobj-virtual-memory-resource.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-error-private.h"

/* One cuMemCreate allocation, mapped at @offset of its allocation. */
typedef struct
{
  CUmemGenericAllocationHandle handle;
  gsize offset;
  gsize size;
} Chunk;

/* One cuMemAddressReserve range; freed with the same base and size. */
typedef struct
{
  CUdeviceptr base;
  gsize size;
} Range;

/* The ranges are contiguous, in address order, and hold the chunks
 * exactly: the allocation's size is the sum of either. */
typedef struct
{
  guint64 address;
  gsize size;
  GArray *ranges; /* Range */
  GArray *chunks; /* Chunk */
} Allocation;

/* What a device may do; the resource's own device is always first and
 * always has read-write access. */
typedef struct
{
  CudaObjDevice *device; /* owned */
  CudaObjVirtualMemoryAccess access;
} Peer;

struct _CudaObjVirtualMemoryResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  CudaObjVirtualMemoryGranularity granularity_mode;
  CudaObjVirtualMemoryHandleType handle_type;
  gsize granularity; /* 0 until initialized */
  gboolean reset;    /* a reset of the device took every allocation */

  GMutex lock;             /* guards what follows */
  GHashTable *allocations; /* guint64 * address -> Allocation */
  GArray *peers;           /* Peer */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_GRANULARITY_MODE,
  PROP_HANDLE_TYPE,
  PROP_GRANULARITY,
  N_PROPS,
  /* The interface's, overridden. */
  PROP_IS_DEVICE_ACCESSIBLE = N_PROPS,
  PROP_IS_HOST_ACCESSIBLE,
};

static GParamSpec *properties[N_PROPS];

/* The granularity is set by a successful init only. */
#define require_initialized(self, error) \
  (G_LIKELY ((self)->granularity != 0) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

static void cuda_obj_virtual_memory_resource_initable_iface_init (GInitableIface *iface);
static void cuda_obj_virtual_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface);

/**
 * CudaObjVirtualMemoryResource:
 *
 * Device memory managed through CUDA's virtual memory API: each allocation
 * is an address range reserved on its own (`cuMemAddressReserve`) with
 * physical memory (`cuMemCreate`) mapped into it (`cuMemMap`). That gives
 * what the pool-based [class@CudaObj.DeviceMemoryResource] cannot:
 *
 * - a buffer that grows without copying
 *   ([method@CudaObj.VirtualMemoryResource.grow]);
 * - access for other devices set per resource and changed at any time
 *   ([method@CudaObj.VirtualMemoryResource.set_access]);
 * - memory another process can import, as a POSIX file descriptor
 *   ([property@CudaObj.VirtualMemoryResource:handle-type],
 *   [method@CudaObj.VirtualMemoryResource.export_handle]).
 *
 * Sizes are rounded up to [property@CudaObj.VirtualMemoryResource:granularity]
 * (2 MiB on current GPUs): a buffer's [property@CudaObj.Buffer:size] is the
 * rounded size, all of it usable. Allocation and deallocation are
 * synchronous, whatever stream is given: the memory is usable everywhere
 * when [method@CudaObj.MemoryResource.allocate] returns, and closing a
 * buffer waits for its stream before it unmaps the memory (for the whole
 * device when it is closed without a stream or finalized). This resource is
 * for large, long-lived buffers; small, short-lived ones are cheaper from a
 * [class@CudaObj.DeviceMemoryResource].
 *
 * Construction fails with %CUDA_OBJ_ERROR_NOT_SUPPORTED on a device without
 * virtual memory management, or without POSIX file descriptor export when
 * that handle type is asked for.
 *
 * A resource is safe to use from several threads; growing a buffer while
 * another thread uses it is a race of the caller's making.
 *
 * A resource made with a plain constructor and never initialized has no
 * granularity: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjVirtualMemoryResource, cuda_obj_virtual_memory_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_virtual_memory_resource_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                                                          cuda_obj_virtual_memory_resource_iface_init))

static void
allocation_free (gpointer data)
{
  Allocation *allocation = data;

  g_array_unref (allocation->ranges);
  g_array_unref (allocation->chunks);
  g_free (allocation);
}

static CUmemAllocationProp
allocation_prop (CudaObjVirtualMemoryResource *self)
{
  CUmemAllocationProp prop;

  memset (&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.requestedHandleTypes = (CUmemAllocationHandleType) self->handle_type;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = (int) cuda_obj_device_get_handle (self->device);
  return prop;
}

static CUmemAccessDesc
access_desc (CudaObjDevice *device, CudaObjVirtualMemoryAccess access)
{
  CUmemAccessDesc desc;

  memset (&desc, 0, sizeof desc);
  desc.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  desc.location.id = (int) cuda_obj_device_get_handle (device);
  desc.flags = (CUmemAccess_flags) access;
  return desc;
}

/* Grants every device with access its access to @size bytes at @base,
 * freshly mapped. Called with the lock held. */
static gboolean
grant_access (CudaObjVirtualMemoryResource *self, CUdeviceptr base, gsize size, GError **error)
{
  g_autofree CUmemAccessDesc *descs = g_new0 (CUmemAccessDesc, self->peers->len);
  gsize n = 0;

  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = &g_array_index (self->peers, Peer, i);

      if (peer->access != CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE)
        descs[n++] = access_desc (peer->device, peer->access);
    }
  return cuda_obj_check (cuda_obj_driver_peek ()->cuMemSetAccess (base, size, descs, n), "cuMemSetAccess",
                         error);
}

/* The three steps of a free, in order: unmap each chunk (one mapping
 * each) from the allocation at @base, release the chunks, free the
 * reserved ranges. Each reports its first error and carries on, so that a
 * failure frees all it can. */
static gboolean
unmap_chunks (GArray *chunks, CUdeviceptr base, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  gboolean ok = TRUE;

  for (guint i = 0; i < chunks->len; i++)
    {
      Chunk *chunk = &g_array_index (chunks, Chunk, i);

      ok = cuda_obj_check (drv->cuMemUnmap (base + chunk->offset, chunk->size), "cuMemUnmap",
                           ok ? error : NULL)
           && ok;
    }
  return ok;
}

static gboolean
release_chunks (GArray *chunks, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  gboolean ok = TRUE;

  for (guint i = 0; i < chunks->len; i++)
    ok = cuda_obj_check (drv->cuMemRelease (g_array_index (chunks, Chunk, i).handle), "cuMemRelease",
                         ok ? error : NULL)
         && ok;
  return ok;
}

static gboolean
free_ranges (GArray *ranges, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  gboolean ok = TRUE;

  for (guint i = 0; i < ranges->len; i++)
    {
      Range *range = &g_array_index (ranges, Range, i);

      ok = cuda_obj_check (drv->cuMemAddressFree (range->base, range->size), "cuMemAddressFree",
                           ok ? error : NULL)
           && ok;
    }
  return ok;
}

/* Device reset: the mappings went with the context; never touch them. */
static void
invalidate (gpointer object)
{
  CudaObjVirtualMemoryResource *self = object;

  self->reset = TRUE;
}

static gboolean
cuda_obj_virtual_memory_resource_initable_init (GInitable *initable, GCancellable *cancellable,
                                                GError **error)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (initable);
  GError *local_error = NULL;
  CUmemAllocationProp prop;
  Peer own;
  size_t granularity = 0;
  int supported = 0;

  if (self->granularity != 0)
    return TRUE;
  if (self->device == NULL && (self->device = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error))
    return FALSE;

  supported = cuda_obj_device_get_attribute (
      self->device, (CudaObjDeviceAttribute) CU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED,
      &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (!supported)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Device %u (%s) does not support virtual memory management",
                   cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
      return FALSE;
    }
  if (self->handle_type == CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD)
    {
      supported = cuda_obj_device_get_attribute (
          self->device,
          (CudaObjDeviceAttribute) CU_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED,
          &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (!supported)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                       "Device %u (%s) cannot export memory as POSIX file descriptors",
                       cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
          return FALSE;
        }
    }

  prop = allocation_prop (self);
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemGetAllocationGranularity (
                              &granularity, &prop, (CUmemAllocationGranularity_flags) self->granularity_mode),
                          "cuMemGetAllocationGranularity", error))
    return FALSE;
  if (granularity == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "cuMemGetAllocationGranularity gave a granularity of 0 for device %u",
                   cuda_obj_device_get_ordinal (self->device));
      return FALSE;
    }

  own.device = g_object_ref (self->device);
  own.access = CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE;
  g_array_append_val (self->peers, own);
  self->granularity = granularity;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_virtual_memory_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_virtual_memory_resource_initable_init;
}

/* @size rounded up to the granularity; FALSE with an error when that
 * overflows. */
static gboolean
round_size (CudaObjVirtualMemoryResource *self, gsize size, gsize *rounded, GError **error)
{
  gsize remainder = size % self->granularity;

  if (remainder == 0)
    {
      *rounded = size;
      return TRUE;
    }
  if (size > G_MAXSIZE - (self->granularity - remainder))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes cannot be rounded up to the granularity of %" G_GSIZE_FORMAT
                   " bytes",
                   size, self->granularity);
      return FALSE;
    }
  *rounded = size + (self->granularity - remainder);
  return TRUE;
}

/* A new physical chunk of @size bytes. */
static gboolean
create_chunk (CudaObjVirtualMemoryResource *self, gsize offset, gsize size, Chunk *chunk, GError **error)
{
  CUmemAllocationProp prop = allocation_prop (self);

  chunk->offset = offset;
  chunk->size = size;
  chunk->handle = 0;
  return cuda_obj_check (cuda_obj_driver_peek ()->cuMemCreate (&chunk->handle, size, &prop, 0), "cuMemCreate",
                         error);
}

static gboolean
map_chunk (CUdeviceptr base, const Chunk *chunk, GError **error)
{
  return cuda_obj_check (
      cuda_obj_driver_peek ()->cuMemMap (base + chunk->offset, chunk->size, 0, chunk->handle, 0), "cuMemMap",
      error);
}

static CudaObjBuffer *
cuda_obj_virtual_memory_resource_allocate (CudaObjMemoryResource *resource, gsize size, CudaObjStream *stream,
                                           GError **error)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (resource);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autoptr (GMutexLocker) locker = NULL;
  Allocation *allocation;
  CUdeviceptr base = 0;
  Range range;
  Chunk chunk;
  gsize rounded;

  if (!require_initialized (self, error))
    return NULL;
  if (G_UNLIKELY (self->reset))
    {
      cuda_obj_device_set_reset_error (self->device, "VirtualMemoryResource", error);
      return NULL;
    }
  if (!round_size (self, size, &rounded, error)
      || !cuda_obj_stream_check_for_device (stream, self->device, error))
    return NULL;

  if (!cuda_obj_check (drv->cuMemAddressReserve (&base, rounded, self->granularity, 0, 0),
                       "cuMemAddressReserve", error))
    return NULL;
  if (!create_chunk (self, 0, rounded, &chunk, error))
    {
      drv->cuMemAddressFree (base, rounded);
      return NULL;
    }
  locker = g_mutex_locker_new (&self->lock);
  if (!map_chunk (base, &chunk, error))
    {
      drv->cuMemRelease (chunk.handle);
      drv->cuMemAddressFree (base, rounded);
      return NULL;
    }
  if (!grant_access (self, base, rounded, error))
    {
      drv->cuMemUnmap (base, rounded);
      drv->cuMemRelease (chunk.handle);
      drv->cuMemAddressFree (base, rounded);
      return NULL;
    }

  allocation = g_new0 (Allocation, 1);
  allocation->address = base;
  allocation->size = rounded;
  allocation->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  allocation->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  range.base = base;
  range.size = rounded;
  g_array_append_val (allocation->ranges, range);
  g_array_append_val (allocation->chunks, chunk);
  g_hash_table_insert (self->allocations, &allocation->address, allocation);
  g_clear_pointer (&locker, g_mutex_locker_free);

  return cuda_obj_buffer_new_owned (resource, self->device, base, rounded, TRUE, FALSE);
}

static gboolean
cuda_obj_virtual_memory_resource_deallocate (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                             CudaObjStream *stream, GError **error)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (resource);
  g_autoptr (GMutexLocker) locker = NULL;
  Allocation *allocation;
  gboolean ok;

  if (!require_initialized (self, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->lock);
  allocation = g_hash_table_lookup (self->allocations, &address);
  if (allocation == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "VirtualMemoryResource did not allocate the memory at 0x%" G_GINT64_MODIFIER "x", address);
      return FALSE;
    }
  if (self->reset)
    {
      g_hash_table_remove (self->allocations, &address);
      return TRUE;
    }
  g_hash_table_steal (self->allocations, &address);
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* Unmapping under running work would fault it: wait for the stream, or
   * without one (a finalized buffer) for the whole device, since the legacy
   * default stream does not wait for non-blocking streams. */
  if (stream != NULL)
    ok = cuda_obj_stream_synchronize_for_device (stream, self->device, error);
  else
    ok = cuda_obj_device_activate (self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuCtxSynchronize (), "cuCtxSynchronize", error);
  ok = unmap_chunks (allocation->chunks, allocation->address, ok ? error : NULL) && ok;
  ok = release_chunks (allocation->chunks, ok ? error : NULL) && ok;
  ok = free_ranges (allocation->ranges, ok ? error : NULL) && ok;
  allocation_free (allocation);
  return ok;
}

static void
cuda_obj_virtual_memory_resource_iface_init (CudaObjMemoryResourceInterface *iface)
{
  iface->allocate = cuda_obj_virtual_memory_resource_allocate;
  iface->deallocate = cuda_obj_virtual_memory_resource_deallocate;
}

static void
cuda_obj_virtual_memory_resource_finalize (GObject *object)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (object);

  /* Buffers hold their resource: no allocation is left here. */
  if (self->granularity != 0)
    cuda_obj_device_unregister (self->device, self);
  for (guint i = 0; i < self->peers->len; i++)
    g_object_unref (g_array_index (self->peers, Peer, i).device);
  g_array_unref (self->peers);
  g_hash_table_unref (self->allocations);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_virtual_memory_resource_parent_class)->finalize (object);
}

static void
cuda_obj_virtual_memory_resource_get_property (GObject *object, guint prop_id, GValue *value,
                                               GParamSpec *pspec)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_GRANULARITY_MODE: g_value_set_enum (value, self->granularity_mode); break;
    case PROP_HANDLE_TYPE: g_value_set_enum (value, self->handle_type); break;
    case PROP_GRANULARITY: g_value_set_uint64 (value, self->granularity); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, FALSE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_virtual_memory_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                               GParamSpec *pspec)
{
  CudaObjVirtualMemoryResource *self = CUDA_OBJ_VIRTUAL_MEMORY_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_GRANULARITY_MODE: self->granularity_mode = g_value_get_enum (value); break;
    case PROP_HANDLE_TYPE: self->handle_type = g_value_get_enum (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_virtual_memory_resource_class_init (CudaObjVirtualMemoryResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_virtual_memory_resource_finalize;
  object_class->get_property = cuda_obj_virtual_memory_resource_get_property;
  object_class->set_property = cuda_obj_virtual_memory_resource_set_property;

  /**
   * CudaObjVirtualMemoryResource:device:
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
   * CudaObjVirtualMemoryResource:granularity-mode:
   *
   * Whether sizes are rounded up to the driver's minimum or its
   * recommended granularity; the resulting unit is
   * [property@CudaObj.VirtualMemoryResource:granularity].
   *
   * Read it with [method@CudaObj.VirtualMemoryResource.get_granularity_mode].
   *
   * Since: 1.0
   */
  properties[PROP_GRANULARITY_MODE]
      = g_param_spec_enum ("granularity-mode", NULL, NULL, CUDA_OBJ_TYPE_VIRTUAL_MEMORY_GRANULARITY,
                           CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjVirtualMemoryResource:handle-type:
   *
   * The shareable handle the memory can be exported as. With
   * %CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_POSIX_FD,
   * [method@CudaObj.VirtualMemoryResource.export_handle] gives a file
   * descriptor that another process receives (over a Unix socket) and
   * imports with `cuMemImportFromShareableHandle`, to map the same memory.
   *
   * Read it with [method@CudaObj.VirtualMemoryResource.get_handle_type].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE_TYPE]
      = g_param_spec_enum ("handle-type", NULL, NULL, CUDA_OBJ_TYPE_VIRTUAL_MEMORY_HANDLE_TYPE,
                           CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjVirtualMemoryResource:granularity:
   *
   * The unit, in bytes, that allocation and growth sizes are rounded up
   * to, as the driver gives it for
   * [property@CudaObj.VirtualMemoryResource:granularity-mode]; 0 until the
   * resource is initialized.
   *
   * Read it with [method@CudaObj.VirtualMemoryResource.get_granularity].
   *
   * Since: 1.0
   */
  properties[PROP_GRANULARITY] = g_param_spec_uint64 ("granularity", NULL, NULL, 0, G_MAXUINT64, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

static void
cuda_obj_virtual_memory_resource_init (CudaObjVirtualMemoryResource *self)
{
  g_mutex_init (&self->lock);
  self->allocations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, allocation_free);
  self->peers = g_array_new (FALSE, FALSE, sizeof (Peer));
}

/**
 * cuda_obj_virtual_memory_resource_new:
 * @device: (nullable): the device; %NULL for device 0
 * @granularity_mode: which granularity sizes are rounded up to
 * @handle_type: which shareable handle the memory can be exported as
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a resource of device memory mapped into virtual address ranges
 * of its own. Only @device has access to the memory at first; see
 * [method@CudaObj.VirtualMemoryResource.set_access].
 *
 * Returns: (transfer full): the resource, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the device has no virtual memory
 *   management or cannot export @handle_type, %CUDA_OBJ_ERROR_INVALID_ARGUMENT
 *   for a value outside the enumerations, a loader error when there is no
 *   driver
 *
 * Since: 1.0
 */
CudaObjVirtualMemoryResource *
cuda_obj_virtual_memory_resource_new (CudaObjDevice *device, CudaObjVirtualMemoryGranularity granularity_mode,
                                      CudaObjVirtualMemoryHandleType handle_type, GError **error)
{
  g_autoptr (GEnumClass) modes = g_type_class_ref (CUDA_OBJ_TYPE_VIRTUAL_MEMORY_GRANULARITY);
  g_autoptr (GEnumClass) types = g_type_class_ref (CUDA_OBJ_TYPE_VIRTUAL_MEMORY_HANDLE_TYPE);

  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* GObject would only warn about a bad enum value. */
  if (g_enum_get_value (modes, (int) granularity_mode) == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a CudaObjVirtualMemoryGranularity: expected MINIMUM or RECOMMENDED",
                   (int) granularity_mode);
      return NULL;
    }
  if (g_enum_get_value (types, (int) handle_type) == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a CudaObjVirtualMemoryHandleType: expected NONE or POSIX_FD",
                   (int) handle_type);
      return NULL;
    }
  return g_initable_new (CUDA_OBJ_TYPE_VIRTUAL_MEMORY_RESOURCE, NULL, error, "device", device,
                         "granularity-mode", granularity_mode, "handle-type", handle_type, NULL);
}

/**
 * cuda_obj_virtual_memory_resource_get_granularity:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 *
 * Gives the unit that sizes are rounded up to. See
 * [property@CudaObj.VirtualMemoryResource:granularity].
 *
 * Returns: the granularity in bytes; 0 for a resource that was not
 *   initialized
 *
 * Since: 1.0
 */
guint64
cuda_obj_virtual_memory_resource_get_granularity (CudaObjVirtualMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), 0);
  return self->granularity;
}

/**
 * cuda_obj_virtual_memory_resource_get_granularity_mode:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 *
 * Tells which granularity the resource rounds to. See
 * [property@CudaObj.VirtualMemoryResource:granularity-mode].
 *
 * Returns: the granularity mode
 *
 * Since: 1.0
 */
CudaObjVirtualMemoryGranularity
cuda_obj_virtual_memory_resource_get_granularity_mode (CudaObjVirtualMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self),
                        CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED);
  return self->granularity_mode;
}

/**
 * cuda_obj_virtual_memory_resource_get_handle_type:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 *
 * Tells which shareable handle the memory can be exported as. See
 * [property@CudaObj.VirtualMemoryResource:handle-type].
 *
 * Returns: the handle type
 *
 * Since: 1.0
 */
CudaObjVirtualMemoryHandleType
cuda_obj_virtual_memory_resource_get_handle_type (CudaObjVirtualMemoryResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE);
  return self->handle_type;
}

/* The bookkeeping of @buffer, an open buffer of this resource; called with
 * the lock held. */
static Allocation *
lookup_buffer (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer, const char *func, GError **error)
{
  Allocation *allocation;
  guint64 address;

  if (!cuda_obj_require_argument (buffer, error))
    return NULL;
  if (cuda_obj_buffer_get_memory_resource (buffer) != CUDA_OBJ_MEMORY_RESOURCE (self))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the buffer was not allocated by this VirtualMemoryResource", func);
      return NULL;
    }
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the buffer is closed", func);
      return NULL;
    }
  address = cuda_obj_buffer_get_handle (buffer);
  allocation = g_hash_table_lookup (self->allocations, &address);
  if (allocation == NULL)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                 "%s: this VirtualMemoryResource has no memory at 0x%" G_GINT64_MODIFIER "x", func, address);
  return allocation;
}

/* Maps @chunk behind @allocation: reserves the address range right after
 * it. FALSE with no error when the driver gave another address there. */
static gboolean
grow_in_place (CudaObjVirtualMemoryResource *self, Allocation *allocation, const Chunk *chunk, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUdeviceptr end = allocation->address + allocation->size, base = 0;
  Range range;

  /* The address is a hint: the driver may place the range elsewhere. */
  if (drv->cuMemAddressReserve (&base, chunk->size, self->granularity, end, 0) != CUDA_SUCCESS)
    return FALSE;
  if (base != end)
    {
      drv->cuMemAddressFree (base, chunk->size);
      return FALSE;
    }
  if (!map_chunk (allocation->address, chunk, error))
    {
      drv->cuMemAddressFree (base, chunk->size);
      return FALSE;
    }
  if (!grant_access (self, end, chunk->size, error))
    {
      drv->cuMemUnmap (end, chunk->size);
      drv->cuMemAddressFree (base, chunk->size);
      return FALSE;
    }
  range.base = base;
  range.size = chunk->size;
  g_array_append_val (allocation->ranges, range);
  return TRUE;
}

/* Maps every chunk of @allocation and then @chunk into one new range of
 * @new_size bytes and drops the old ranges. */
static gboolean
grow_relocated (CudaObjVirtualMemoryResource *self, Allocation *allocation, const Chunk *chunk,
                gsize new_size, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autoptr (GArray) chunks = g_array_copy (allocation->chunks);
  CUdeviceptr base = 0;
  Range range;
  guint mapped;

  if (!cuda_obj_check (drv->cuMemAddressReserve (&base, new_size, self->granularity, 0, 0),
                       "cuMemAddressReserve", error))
    return FALSE;
  g_array_append_val (chunks, *chunk);
  for (mapped = 0; mapped < chunks->len; mapped++)
    if (!map_chunk (base, &g_array_index (chunks, Chunk, mapped), error))
      break;
  for (guint i = 0; mapped == chunks->len && i < chunks->len; i++)
    {
      Chunk *piece = &g_array_index (chunks, Chunk, i);

      if (!grant_access (self, base + piece->offset, piece->size, error))
        {
          unmap_chunks (chunks, base, NULL);
          drv->cuMemAddressFree (base, new_size);
          return FALSE;
        }
    }
  if (mapped < chunks->len)
    {
      g_array_set_size (chunks, mapped);
      unmap_chunks (chunks, base, NULL);
      drv->cuMemAddressFree (base, new_size);
      return FALSE;
    }

  /* Work queued on the old addresses must not meet unmapped pages. */
  if (!cuda_obj_check (drv->cuCtxSynchronize (), "cuCtxSynchronize", error))
    {
      unmap_chunks (chunks, base, NULL);
      drv->cuMemAddressFree (base, new_size);
      return FALSE;
    }
  unmap_chunks (allocation->chunks, allocation->address, NULL);
  free_ranges (allocation->ranges, NULL);
  g_array_set_size (allocation->ranges, 0);
  range.base = base;
  range.size = new_size;
  g_array_append_val (allocation->ranges, range);
  allocation->address = base;
  return TRUE;
}

/**
 * cuda_obj_virtual_memory_resource_grow:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 * @buffer: an open buffer that @self allocated
 * @new_size: the size wanted, in bytes, at least the buffer's size
 * @error: return location for a [struct@GLib.Error]
 *
 * Grows @buffer to @new_size bytes (rounded up to
 * [property@CudaObj.VirtualMemoryResource:granularity]) without copying
 * its contents: new physical memory is mapped behind the old.
 *
 * When the address range right after the buffer is free, the buffer grows
 * in place and its [property@CudaObj.Buffer:handle] stays the same. Else
 * the resource reserves a new range, maps the old memory into it at the
 * same offsets (still without copying) and the buffer's handle changes to
 * the new address, notified on [property@CudaObj.Buffer:handle]: read the
 * handle again after growing. In that case the call waits for all work on
 * the device first, since the old addresses stop being valid; work queued
 * afterwards must use the new address (kernel arguments set from the
 * buffer before growing, graphs captured before, views made before).
 *
 * The new bytes are not initialized. Growing to the current size does
 * nothing.
 *
 * Returns: %TRUE on success, with [property@CudaObj.Buffer:size] updated;
 *   %FALSE with @error set and the buffer unchanged:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a buffer of another resource or a
 *   @new_size smaller than the buffer, %CUDA_OBJ_ERROR_CLOSED for a closed
 *   buffer, %CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY when the device is full
 *
 * Since: 1.0
 */
gboolean
cuda_obj_virtual_memory_resource_grow (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer,
                                       gsize new_size, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GError *local_error = NULL;
  Allocation *allocation;
  gsize rounded;
  Chunk chunk;

  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  if (G_UNLIKELY (self->reset))
    {
      cuda_obj_device_set_reset_error (self->device, "VirtualMemoryResource", error);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if ((allocation = lookup_buffer (self, buffer, G_STRFUNC, error)) == NULL)
    return FALSE;
  if (new_size < cuda_obj_buffer_get_size (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot grow a buffer of %" G_GSIZE_FORMAT " bytes to %" G_GSIZE_FORMAT
                   " bytes: a buffer only grows",
                   cuda_obj_buffer_get_size (buffer), new_size);
      return FALSE;
    }
  if (!round_size (self, new_size, &rounded, error))
    return FALSE;
  if (rounded == allocation->size)
    return TRUE;

  if (!cuda_obj_device_activate (self->device, error)
      || !create_chunk (self, allocation->size, rounded - allocation->size, &chunk, error))
    return FALSE;
  /* The table's key is the allocation's address, which may change. */
  g_hash_table_steal (self->allocations, &allocation->address);
  if (!grow_in_place (self, allocation, &chunk, &local_error))
    {
      if (local_error != NULL || !grow_relocated (self, allocation, &chunk, rounded, &local_error))
        {
          g_hash_table_insert (self->allocations, &allocation->address, allocation);
          cuda_obj_driver_peek ()->cuMemRelease (chunk.handle);
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  g_array_append_val (allocation->chunks, chunk);
  allocation->size = rounded;
  g_hash_table_insert (self->allocations, &allocation->address, allocation);
  g_clear_pointer (&locker, g_mutex_locker_free);

  cuda_obj_buffer_set_span (buffer, allocation->address, rounded);
  return TRUE;
}

/**
 * cuda_obj_virtual_memory_resource_set_access:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 * @device: a device
 * @access: what @device may do with the memory
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets what kernels and copies on @device may do with the resource's
 * memory (`cuMemSetAccess`), for the buffers it has allocated and those it
 * will allocate or grow. Another device reaches the memory directly, as a
 * peer, without [method@CudaObj.Device.enable_peer_access]. The resource's
 * own device always has read-write access.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when @device cannot access the memory of
 *   the resource's device as a peer, %CUDA_OBJ_ERROR_INVALID_ARGUMENT for
 *   less than read-write access on the resource's own device or a value
 *   outside the enumeration
 *
 * Since: 1.0
 */
gboolean
cuda_obj_virtual_memory_resource_set_access (CudaObjVirtualMemoryResource *self, CudaObjDevice *device,
                                             CudaObjVirtualMemoryAccess access, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GError *local_error = NULL;
  GHashTableIter iter;
  gpointer value;
  Peer *found = NULL;
  CUmemAccessDesc desc;

  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return FALSE;
  if (access != CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE && access != CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ
      && access != CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a CudaObjVirtualMemoryAccess: expected NONE, READ or READ_WRITE", (int) access);
      return FALSE;
    }
  if (cuda_obj_device_get_handle (device) == cuda_obj_device_get_handle (self->device))
    {
      if (access == CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE)
        return TRUE;
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Device %u is the VirtualMemoryResource's own device, which always has read-write access",
                   cuda_obj_device_get_ordinal (device));
      return FALSE;
    }
  if (access != CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE
      && !cuda_obj_device_can_access_peer (device, self->device, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "Device %u cannot access the memory of device %u as a peer",
                     cuda_obj_device_get_ordinal (device), cuda_obj_device_get_ordinal (self->device));
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->peers->len; i++)
    if (cuda_obj_device_get_handle (g_array_index (self->peers, Peer, i).device)
        == cuda_obj_device_get_handle (device))
      found = &g_array_index (self->peers, Peer, i);
  if ((found != NULL ? found->access : CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE) == access)
    return TRUE;

  /* Existing buffers first: after a failure, later buffers are not given
   * an access that some existing ones lack. Each chunk is one mapping in
   * one reserved range, so each gets a call of its own. */
  desc = access_desc (device, access);
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  g_hash_table_iter_init (&iter, self->allocations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Allocation *allocation = value;

      for (guint i = 0; i < allocation->chunks->len; i++)
        {
          Chunk *piece = &g_array_index (allocation->chunks, Chunk, i);

          if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemSetAccess (allocation->address + piece->offset,
                                                                        piece->size, &desc, 1),
                               "cuMemSetAccess", error))
            return FALSE;
        }
    }
  if (found != NULL)
    found->access = access;
  else
    {
      Peer peer = { g_object_ref (device), access };

      g_array_append_val (self->peers, peer);
    }
  return TRUE;
}

/**
 * cuda_obj_virtual_memory_resource_get_access:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 * @device: a device
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells what kernels and copies on @device may do with the resource's
 * memory, as set with [method@CudaObj.VirtualMemoryResource.set_access].
 *
 * Returns: the access of @device; %CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE with
 *   @error set for a resource or device that was not initialized
 *
 * Since: 1.0
 */
CudaObjVirtualMemoryAccess
cuda_obj_virtual_memory_resource_get_access (CudaObjVirtualMemoryResource *self, CudaObjDevice *device,
                                             GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE);
  g_return_val_if_fail (error == NULL || *error == NULL, CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE;

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = &g_array_index (self->peers, Peer, i);

      if (cuda_obj_device_get_handle (peer->device) == cuda_obj_device_get_handle (device))
        return peer->access;
    }
  return CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_NONE;
}

/**
 * cuda_obj_virtual_memory_resource_get_n_chunks:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 * @buffer: an open buffer that @self allocated
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how many pieces of physical memory back @buffer: one when it was
 * allocated, one more each time it grew. Each can be exported with
 * [method@CudaObj.VirtualMemoryResource.export_handle].
 *
 * Returns: the number of chunks; 0 with @error set for a buffer of another
 *   resource or a closed one
 *
 * Since: 1.0
 */
guint
cuda_obj_virtual_memory_resource_get_n_chunks (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer,
                                               GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  Allocation *allocation;

  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);
  if (!require_initialized (self, error))
    return 0;
  locker = g_mutex_locker_new (&self->lock);
  allocation = lookup_buffer (self, buffer, G_STRFUNC, error);
  return allocation != NULL ? allocation->chunks->len : 0;
}

/**
 * cuda_obj_virtual_memory_resource_export_handle:
 * @self: a [class@CudaObj.VirtualMemoryResource]
 * @buffer: an open buffer that @self allocated
 * @chunk: which piece of @buffer's memory, from 0 to
 *   [method@CudaObj.VirtualMemoryResource.get_n_chunks] - 1
 * @offset: (out) (optional): where the chunk starts in the buffer, in bytes
 * @size: (out) (optional): the chunk's size in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Exports a chunk of @buffer's physical memory as a POSIX file descriptor
 * (`cuMemExportToShareableHandle`). Another process that receives it (over
 * a Unix socket, [class@Gio.UnixFDList]) imports it with
 * `cuMemImportFromShareableHandle` and maps @size bytes of it into its own
 * address space. The memory lives until both sides have released it.
 *
 * Returns: a new file descriptor, which the caller closes; -1 with @error
 *   set: %CUDA_OBJ_ERROR_NOT_SUPPORTED when
 *   [property@CudaObj.VirtualMemoryResource:handle-type] is
 *   %CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a buffer of another resource or a
 *   @chunk out of range
 *
 * Since: 1.0
 */
int
cuda_obj_virtual_memory_resource_export_handle (CudaObjVirtualMemoryResource *self, CudaObjBuffer *buffer,
                                                guint chunk, guint64 *offset, guint64 *size, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  Allocation *allocation;
  Chunk *piece;
  int fd = -1;

  g_return_val_if_fail (CUDA_OBJ_IS_VIRTUAL_MEMORY_RESOURCE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);
  if (!require_initialized (self, error))
    return -1;
  if (self->handle_type == CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                           "This VirtualMemoryResource's memory cannot be exported: its handle-type is NONE; "
                           "create it with the POSIX_FD handle type");
      return -1;
    }
  locker = g_mutex_locker_new (&self->lock);
  if ((allocation = lookup_buffer (self, buffer, G_STRFUNC, error)) == NULL)
    return -1;
  if (chunk >= allocation->chunks->len)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The buffer has %u chunks: chunk %u does not exist", allocation->chunks->len, chunk);
      return -1;
    }
  piece = &g_array_index (allocation->chunks, Chunk, chunk);
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemExportToShareableHandle (
                              &fd, piece->handle, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, 0),
                          "cuMemExportToShareableHandle", error))
    return -1;
  if (offset != NULL)
    *offset = piece->offset;
  if (size != NULL)
    *size = piece->size;
  return fd;
}
