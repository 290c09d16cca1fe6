/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA device and its primary context.
 *
 * One shared instance per ordinal, for the life of the process. The primary
 * context it retains on first need stays retained until the process exits:
 * releasing it when the last reference went would destroy the context under
 * every thread that still had it current (they would then fail with
 * CUDA_ERROR_CONTEXT_IS_DESTROYED), and re-creating it is costly. Fixed
 * properties are read once, at construction. */
#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "cudaobj-device.h"
#include "cudaobj-device-private.h"
/* Include circle with Error, kept: see cudaobj-error.c. */
#include "cudaobj-error-private.h"

struct _CudaObjDevice
{
  GObject parent_instance;

  guint ordinal;
  CUdevice handle;
  char *name;
  char *uuid;
  char *pci_bus_id;
  char *arch;
  guint64 total_memory;
  int cc_major, cc_minor;
  int multiprocessor_count, warp_size, max_threads_per_block;
  int max_shared_memory_per_block, max_shared_memory_per_block_optin;
  int l2_cache_size, clock_rate, memory_bus_width;
  gboolean integrated, memory_pools_supported, concurrent_managed_access, cooperative_launch;

  CudaObjDeviceLimits limits;

  GMutex context_lock;
  CUcontext context;   /* retained primary context; published atomically */
  CudaObjDevice *next; /* in the list of devices that retained a context */
  gboolean listed;     /* under context_lock */

  /* Loss and reset; see cuda_obj_device_reset(). */
  int lost_result; /* atomic: the first sticky CUresult, 0 while not lost */
  guint epoch;     /* atomic: resets so far */
  GMutex registry_lock;
  GHashTable *registry; /* object -> CudaObjDeviceInvalidateFunc */

  /* Device:memory-resource as set; NULL for the default resource. */
  GMutex resource_lock;
  CudaObjMemoryResource *chosen_resource; /* owned */
};

enum
{
  PROP_0,
  PROP_ORDINAL,
  PROP_NAME,
  PROP_UUID,
  PROP_PCI_BUS_ID,
  PROP_COMPUTE_CAPABILITY_MAJOR,
  PROP_COMPUTE_CAPABILITY_MINOR,
  PROP_ARCH,
  PROP_TOTAL_MEMORY,
  PROP_MULTIPROCESSOR_COUNT,
  PROP_WARP_SIZE,
  PROP_MAX_THREADS_PER_BLOCK,
  PROP_MAX_SHARED_MEMORY_PER_BLOCK,
  PROP_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
  PROP_L2_CACHE_SIZE,
  PROP_CLOCK_RATE,
  PROP_MEMORY_BUS_WIDTH,
  PROP_INTEGRATED,
  PROP_MEMORY_POOLS_SUPPORTED,
  PROP_CONCURRENT_MANAGED_ACCESS,
  PROP_COOPERATIVE_LAUNCH,
  PROP_LOST,
  PROP_MEMORY_RESOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cuda_obj_device_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjDevice:
 *
 * A CUDA device: its identity, its limits and its primary context.
 *
 * Get the shared instance for an ordinal with [func@CudaObj.Device.get]; list
 * them with [func@CudaObj.Device.get_all]. Fixed facts are read-only properties
 * ([property@CudaObj.Device:name], [property@CudaObj.Device:arch],
 * [property@CudaObj.Device:total-memory], ...); any other attribute the driver
 * knows is available through [method@CudaObj.Device.get_attribute].
 *
 * The device retains its primary context (the one the CUDA runtime, CuPy
 * and PyTorch use too) on first need and releases it when the process exits. libcudaobj's objects make their
 * device's context current around their own driver calls, so callers never manage contexts;
 * [method@CudaObj.Device.make_current] is there for code outside libcudaobj that
 * expects a current context.
 *
 * A device is safe to use from several threads.
 *
 * A device made with a plain constructor (`CudaObj.Device()` in Python,
 * `g_object_new()`) is not initialized: its getters give 0 or %NULL and its
 * other methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED; use
 * [func@CudaObj.Device.get].
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjDevice, cuda_obj_device, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_device_initable_iface_init))

static GMutex devices_lock;
static GPtrArray *devices; /* CudaObjDevice per ordinal, or NULL; owned for the process's life */
/* Devices that retained a primary context, pushed once and never removed
 * (devices live as long as the process): cuda_obj_device_mark_lost() walks
 * it without a lock, since it may run under devices_lock. */
static CudaObjDevice *context_devices;

/* arch is set last in a successful init: a device made with a plain
 * constructor has none, and its zero handle must not reach the driver
 * (it would mean device 0). */
#define require_initialized(self, error) \
  (G_LIKELY ((self)->arch != NULL) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

static gboolean
read_attribute (const CudaObjDriver *drv, CUdevice dev, CUdevice_attribute attribute, int *value,
                GError **error)
{
  return cuda_obj_check (drv->cuDeviceGetAttribute (value, attribute, dev), "cuDeviceGetAttribute", error);
}

static gboolean
check_ordinal (const CudaObjDriver *drv, guint ordinal, GError **error)
{
  int count = 0;
  CUresult result = drv->cuInit (0);

  if (result == CUDA_ERROR_NO_DEVICE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NO_DEVICE,
                   "No CUDA device %u: the driver found no CUDA device", ordinal);
      return FALSE;
    }
  if (!cuda_obj_check (result, "cuInit", error)
      || !cuda_obj_check (drv->cuDeviceGetCount (&count), "cuDeviceGetCount", error))
    return FALSE;
  if (ordinal >= (guint) count)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NO_DEVICE, "No CUDA device %u: there %s %d", ordinal,
                   count == 1 ? "is" : "are", count);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cuda_obj_device_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjDevice *self = CUDA_OBJ_DEVICE (initable);
  const CudaObjDriver *drv = cuda_obj_driver_get (error);
  char name[256] = "";
  char bus_id[64] = "";
  CUuuid uuid;
  size_t total = 0;
  int value = 0;
  const guchar *u = (const guchar *) uuid.bytes;

  if (drv == NULL || !check_ordinal (drv, self->ordinal, error))
    return FALSE;
  if (!cuda_obj_check (drv->cuDeviceGet (&self->handle, (int) self->ordinal), "cuDeviceGet", error)
      || !cuda_obj_check (drv->cuDeviceGetName (name, sizeof name - 1, self->handle), "cuDeviceGetName",
                          error)
      || !cuda_obj_check (drv->cuDeviceGetUuid (&uuid, self->handle), "cuDeviceGetUuid", error)
      || !cuda_obj_check (drv->cuDeviceGetPCIBusId (bus_id, sizeof bus_id - 1, self->handle),
                          "cuDeviceGetPCIBusId", error)
      || !cuda_obj_check (drv->cuDeviceTotalMem (&total, self->handle), "cuDeviceTotalMem", error))
    return FALSE;

  self->name = g_strdup (name);
  self->pci_bus_id = g_strdup (bus_id);
  self->total_memory = total;
  /* The form nvidia-smi prints. */
  self->uuid = g_strdup_printf ("GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                                u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
                                u[12], u[13], u[14], u[15]);

#define READ(attribute, field)                                       \
  if (!read_attribute (drv, self->handle, attribute, &value, error)) \
    return FALSE;                                                    \
  self->field = value;
  READ (CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, cc_major)
  READ (CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, cc_minor)
  READ (CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, multiprocessor_count)
  READ (CU_DEVICE_ATTRIBUTE_WARP_SIZE, warp_size)
  READ (CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, max_threads_per_block)
  READ (CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, max_shared_memory_per_block)
  READ (CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, max_shared_memory_per_block_optin)
  READ (CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, l2_cache_size)
  READ (CU_DEVICE_ATTRIBUTE_CLOCK_RATE, clock_rate)
  READ (CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, memory_bus_width)
  READ (CU_DEVICE_ATTRIBUTE_INTEGRATED, integrated)
  READ (CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, memory_pools_supported)
  READ (CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS, concurrent_managed_access)
  READ (CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH, cooperative_launch)
  READ (CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, limits.max_block_dim[0])
  READ (CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, limits.max_block_dim[1])
  READ (CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, limits.max_block_dim[2])
  READ (CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, limits.max_grid_dim[0])
  READ (CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, limits.max_grid_dim[1])
  READ (CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, limits.max_grid_dim[2])
  READ (CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, limits.cluster_launch)
#undef READ

  self->limits.max_threads_per_block = self->max_threads_per_block;
  self->limits.max_shared_memory_per_block_optin = self->max_shared_memory_per_block_optin;
  self->limits.cooperative_launch = self->cooperative_launch;
  self->integrated = !!self->integrated;
  self->memory_pools_supported = !!self->memory_pools_supported;
  self->concurrent_managed_access = !!self->concurrent_managed_access;
  self->cooperative_launch = !!self->cooperative_launch;
  self->arch = g_strdup_printf ("%d%d", self->cc_major, self->cc_minor);
  return TRUE;
}

static void
cuda_obj_device_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_device_initable_init;
}

static void
cuda_obj_device_finalize (GObject *object)
{
  CudaObjDevice *self = CUDA_OBJ_DEVICE (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self->context != NULL && drv != NULL)
    drv->cuDevicePrimaryCtxRelease (self->handle);
  g_mutex_clear (&self->context_lock);
  g_mutex_clear (&self->registry_lock);
  g_clear_pointer (&self->registry, g_hash_table_unref);
  g_mutex_clear (&self->resource_lock);
  g_clear_object (&self->chosen_resource);
  g_free (self->name);
  g_free (self->uuid);
  g_free (self->pci_bus_id);
  g_free (self->arch);
  G_OBJECT_CLASS (cuda_obj_device_parent_class)->finalize (object);
}

static void
cuda_obj_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjDevice *self = CUDA_OBJ_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ORDINAL: g_value_set_uint (value, self->ordinal); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_PCI_BUS_ID: g_value_set_string (value, self->pci_bus_id); break;
    case PROP_COMPUTE_CAPABILITY_MAJOR: g_value_set_int (value, self->cc_major); break;
    case PROP_COMPUTE_CAPABILITY_MINOR: g_value_set_int (value, self->cc_minor); break;
    case PROP_ARCH: g_value_set_string (value, self->arch); break;
    case PROP_TOTAL_MEMORY: g_value_set_uint64 (value, self->total_memory); break;
    case PROP_MULTIPROCESSOR_COUNT: g_value_set_int (value, self->multiprocessor_count); break;
    case PROP_WARP_SIZE: g_value_set_int (value, self->warp_size); break;
    case PROP_MAX_THREADS_PER_BLOCK: g_value_set_int (value, self->max_threads_per_block); break;
    case PROP_MAX_SHARED_MEMORY_PER_BLOCK: g_value_set_int (value, self->max_shared_memory_per_block); break;
    case PROP_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
      g_value_set_int (value, self->max_shared_memory_per_block_optin);
      break;
    case PROP_L2_CACHE_SIZE: g_value_set_int (value, self->l2_cache_size); break;
    case PROP_CLOCK_RATE: g_value_set_int (value, self->clock_rate); break;
    case PROP_MEMORY_BUS_WIDTH: g_value_set_int (value, self->memory_bus_width); break;
    case PROP_INTEGRATED: g_value_set_boolean (value, self->integrated); break;
    case PROP_MEMORY_POOLS_SUPPORTED: g_value_set_boolean (value, self->memory_pools_supported); break;
    case PROP_CONCURRENT_MANAGED_ACCESS: g_value_set_boolean (value, self->concurrent_managed_access); break;
    case PROP_COOPERATIVE_LAUNCH: g_value_set_boolean (value, self->cooperative_launch); break;
    case PROP_LOST: g_value_set_boolean (value, cuda_obj_device_get_lost (self)); break;
    case PROP_MEMORY_RESOURCE: g_value_take_object (value, cuda_obj_device_get_memory_resource (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_device_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjDevice *self = CUDA_OBJ_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ORDINAL: self->ordinal = g_value_get_uint (value); break;
    case PROP_MEMORY_RESOURCE:
      /* Unchecked here, where no error can be returned: allocating reports
       * a resource that does not fit (see cuda_obj_device_allocate()). */
      cuda_obj_device_store_memory_resource (self, g_value_get_object (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_device_class_init (CudaObjDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_device_finalize;
  object_class->get_property = cuda_obj_device_get_property;
  object_class->set_property = cuda_obj_device_set_property;

  /**
   * CudaObjDevice:ordinal:
   *
   * The device's ordinal, from 0 to the device count minus one.
   *
   * Read it with [method@CudaObj.Device.get_ordinal].
   *
   * Since: 1.0
   */
  properties[PROP_ORDINAL]
      = g_param_spec_uint ("ordinal", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjDevice:name:
   *
   * The device's marketing name, such as "NVIDIA H200".
   *
   * Read it with [method@CudaObj.Device.get_name].
   *
   * Since: 1.0
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * CudaObjDevice:uuid:
   *
   * The device's UUID in nvidia-smi's form, "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
   *
   * Read it with [method@CudaObj.Device.get_uuid].
   *
   * Since: 1.0
   */
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, RO);
  /**
   * CudaObjDevice:pci-bus-id:
   *
   * The device's PCI address, "domain:bus:device.function".
   *
   * Read it with [method@CudaObj.Device.get_pci_bus_id].
   *
   * Since: 1.0
   */
  properties[PROP_PCI_BUS_ID] = g_param_spec_string ("pci-bus-id", NULL, NULL, NULL, RO);
  /**
   * CudaObjDevice:compute-capability-major:
   *
   * The major compute capability (9 for Hopper).
   *
   * Read it with
   * [method@CudaObj.Device.get_compute_capability_major].
   *
   * Since: 1.0
   */
  properties[PROP_COMPUTE_CAPABILITY_MAJOR]
      = g_param_spec_int ("compute-capability-major", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:compute-capability-minor:
   *
   * The minor compute capability.
   *
   * Read it with
   * [method@CudaObj.Device.get_compute_capability_minor].
   *
   * Since: 1.0
   */
  properties[PROP_COMPUTE_CAPABILITY_MINOR]
      = g_param_spec_int ("compute-capability-minor", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:arch:
   *
   * The compute capability as compilers spell it, "90" for 9.0: `sm_` plus
   * this is the device's native target.
   *
   * Read it with [method@CudaObj.Device.get_arch].
   *
   * Since: 1.0
   */
  properties[PROP_ARCH] = g_param_spec_string ("arch", NULL, NULL, NULL, RO);
  /**
   * CudaObjDevice:total-memory:
   *
   * The device's global memory, in bytes.
   *
   * Read it with [method@CudaObj.Device.get_total_memory].
   *
   * Since: 1.0
   */
  properties[PROP_TOTAL_MEMORY] = g_param_spec_uint64 ("total-memory", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjDevice:multiprocessor-count:
   *
   * The number of streaming multiprocessors.
   *
   * Read it with [method@CudaObj.Device.get_multiprocessor_count].
   *
   * Since: 1.0
   */
  properties[PROP_MULTIPROCESSOR_COUNT]
      = g_param_spec_int ("multiprocessor-count", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:warp-size:
   *
   * Threads per warp.
   *
   * Read it with [method@CudaObj.Device.get_warp_size].
   *
   * Since: 1.0
   */
  properties[PROP_WARP_SIZE] = g_param_spec_int ("warp-size", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:max-threads-per-block:
   *
   * The most threads a block may have.
   *
   * Read it with [method@CudaObj.Device.get_max_threads_per_block].
   *
   * Since: 1.0
   */
  properties[PROP_MAX_THREADS_PER_BLOCK]
      = g_param_spec_int ("max-threads-per-block", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:max-shared-memory-per-block:
   *
   * Shared memory a block may use without opting in, in bytes.
   *
   * Read it with
   * [method@CudaObj.Device.get_max_shared_memory_per_block].
   *
   * Since: 1.0
   */
  properties[PROP_MAX_SHARED_MEMORY_PER_BLOCK]
      = g_param_spec_int ("max-shared-memory-per-block", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:max-shared-memory-per-block-optin:
   *
   * Shared memory a block may use when its kernel opts in, in bytes.
   *
   * Read it with
   * [method@CudaObj.Device.get_max_shared_memory_per_block_optin].
   *
   * Since: 1.0
   */
  properties[PROP_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN]
      = g_param_spec_int ("max-shared-memory-per-block-optin", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:l2-cache-size:
   *
   * The L2 cache's size, in bytes.
   *
   * Read it with [method@CudaObj.Device.get_l2_cache_size].
   *
   * Since: 1.0
   */
  properties[PROP_L2_CACHE_SIZE] = g_param_spec_int ("l2-cache-size", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:clock-rate:
   *
   * The typical clock frequency, in kHz.
   *
   * Read it with [method@CudaObj.Device.get_clock_rate].
   *
   * Since: 1.0
   */
  properties[PROP_CLOCK_RATE] = g_param_spec_int ("clock-rate", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:memory-bus-width:
   *
   * The global memory bus width, in bits.
   *
   * Read it with [method@CudaObj.Device.get_memory_bus_width].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_BUS_WIDTH] = g_param_spec_int ("memory-bus-width", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjDevice:integrated:
   *
   * Whether the device shares its memory with the host.
   *
   * Read it with [method@CudaObj.Device.get_integrated].
   *
   * Since: 1.0
   */
  properties[PROP_INTEGRATED] = g_param_spec_boolean ("integrated", NULL, NULL, FALSE, RO);
  /**
   * CudaObjDevice:memory-pools-supported:
   *
   * Whether the device supports stream-ordered memory pools.
   *
   * Read it with [method@CudaObj.Device.get_memory_pools_supported].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_POOLS_SUPPORTED]
      = g_param_spec_boolean ("memory-pools-supported", NULL, NULL, FALSE, RO);
  /**
   * CudaObjDevice:concurrent-managed-access:
   *
   * Whether host and device may access managed memory at the same time.
   *
   * Read it with
   * [method@CudaObj.Device.get_concurrent_managed_access].
   *
   * Since: 1.0
   */
  properties[PROP_CONCURRENT_MANAGED_ACCESS]
      = g_param_spec_boolean ("concurrent-managed-access", NULL, NULL, FALSE, RO);
  /**
   * CudaObjDevice:cooperative-launch:
   *
   * Whether the device supports cooperative launches.
   *
   * Read it with [method@CudaObj.Device.get_cooperative_launch].
   *
   * Since: 1.0
   */
  properties[PROP_COOPERATIVE_LAUNCH] = g_param_spec_boolean ("cooperative-launch", NULL, NULL, FALSE, RO);
  /**
   * CudaObjDevice:lost:
   *
   * Whether a fault (an illegal address, a `__trap()`, a failed device
   * `assert()`, ...) destroyed the device's context. It becomes %TRUE as
   * soon as a call sees the fault; its notification comes with
   * [signal@CudaObj.Device::lost], in the main context. It goes back to
   * %FALSE once [method@CudaObj.Device.reset] succeeded.
   *
   * Read it with [method@CudaObj.Device.get_lost].
   *
   * Since: 1.0
   */
  properties[PROP_LOST] = g_param_spec_boolean ("lost", NULL, NULL, FALSE, RO | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjDevice:memory-resource:
   *
   * The resource [method@CudaObj.Device.allocate] allocates from: the
   * device's default [class@CudaObj.DeviceMemoryResource] until another is
   * set, and again once %NULL is set. Reading it never gives %NULL on an
   * initialized device.
   *
   * Setting the property stores the resource unchecked (a property cannot
   * fail); a resource that serves another device is then reported by
   * [method@CudaObj.Device.allocate]. Prefer
   * [method@CudaObj.Device.set_memory_resource], which checks it and gives
   * a [struct@GLib.Error]. Read it with
   * [method@CudaObj.Device.get_memory_resource].
   *
   * The device is shared by the whole process: the resource set here is
   * what every caller of [method@CudaObj.Device.allocate] gets.
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_RESOURCE]
      = g_param_spec_object ("memory-resource", NULL, NULL, CUDA_OBJ_TYPE_MEMORY_RESOURCE,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CudaObjDevice::lost:
   * @self: the device
   *
   * Emitted once when a call first sees a fault that destroyed the device's
   * context (a "sticky" driver error: %CUDA_OBJ_DRIVER_ERROR_ILLEGAL_ADDRESS,
   * %CUDA_OBJ_DRIVER_ERROR_LAUNCH_FAILED, %CUDA_OBJ_DRIVER_ERROR_ASSERT,
   * ...). From then on every call on the device fails until
   * [method@CudaObj.Device.reset] recovers it; a handler typically tells the
   * user, drops its objects of the device and resets it.
   *
   * The signal is emitted in the global-default [struct@GLib.MainContext]
   * (where GTK and [class@Gio.Application] run), whichever thread saw the
   * fault, and only while that context is iterated. A reset before the
   * emission cancels it. After a reset, a new fault emits it again.
   *
   * Since: 1.0
   */
  signals[SIGNAL_LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 0);
}

static void
cuda_obj_device_init (CudaObjDevice *self)
{
  g_mutex_init (&self->context_lock);
  g_mutex_init (&self->registry_lock);
  g_mutex_init (&self->resource_lock);
}

/**
 * cuda_obj_device_get:
 * @ordinal: the device's ordinal, from 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the shared [class@CudaObj.Device] for @ordinal, creating it on first use.
 * Every call returns the same object, which lives as long as the process.
 *
 * Returns: (transfer full): the device, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NO_DEVICE for an ordinal past the last device, a
 *   loader error when there is no driver
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_device_get (guint ordinal, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&devices_lock);
  CudaObjDevice *device;

  if (devices == NULL)
    devices = g_ptr_array_new ();
  device = ordinal < devices->len ? devices->pdata[ordinal] : NULL;
  if (device == NULL)
    {
      /* Grown only for a device that exists: any guint can come from a binding. */
      device = g_initable_new (CUDA_OBJ_TYPE_DEVICE, NULL, error, "ordinal", ordinal, NULL);
      if (device == NULL)
        return NULL;
      if (devices->len <= ordinal)
        g_ptr_array_set_size (devices, ordinal + 1);
      devices->pdata[ordinal] = device;
    }
  return g_object_ref (device);
}

/* At exit, give back the primary contexts the devices retained. */
static void
release_primary_contexts (void)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  g_mutex_lock (&devices_lock);
  for (guint i = 0; devices != NULL && drv != NULL && i < devices->len; i++)
    {
      CudaObjDevice *device = devices->pdata[i];
      if (device != NULL && device->context != NULL)
        {
          drv->cuDevicePrimaryCtxRelease (device->handle);
          device->context = NULL;
        }
    }
  g_mutex_unlock (&devices_lock);
}

/**
 * cuda_obj_device_get_count:
 * @error: return location for a [struct@GLib.Error]
 *
 * Counts the CUDA devices. A driver that finds no device gives 0.
 *
 * Returns: the number of devices; 0 with @error set when there is no usable driver
 *
 * Since: 1.0
 */
guint
cuda_obj_device_get_count (GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_get (error);
  CUresult result;
  int count = 0;

  if (drv == NULL)
    return 0;
  result = drv->cuInit (0);
  if (result == CUDA_ERROR_NO_DEVICE)
    return 0;
  if (!cuda_obj_check (result, "cuInit", error)
      || !cuda_obj_check (drv->cuDeviceGetCount (&count), "cuDeviceGetCount", error))
    return 0;
  return (guint) count;
}

/**
 * cuda_obj_device_get_all:
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives every CUDA device, in ordinal order.
 *
 * Returns: (transfer container) (element-type CudaObjDevice): the devices
 *   (empty when there are none), or %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_device_get_all (GError **error)
{
  GError *local_error = NULL;
  guint count = cuda_obj_device_get_count (&local_error);
  g_autoptr (GPtrArray) all = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  all = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    {
      CudaObjDevice *device = cuda_obj_device_get (i, error);
      if (device == NULL)
        return NULL;
      g_ptr_array_add (all, device);
    }
  return g_steal_pointer (&all);
}

gboolean
cuda_obj_device_require (CudaObjDevice *device, const char *func, const char *argument, GError **error)
{
  if (device == NULL)
    return cuda_obj_set_null_argument (error, func, argument);
  if (G_UNLIKELY (device->arch == NULL))
    return cuda_obj_set_not_initialized (error, device, func);
  return TRUE;
}

CUdevice
cuda_obj_device_get_handle (CudaObjDevice *self)
{
  return self->handle;
}

void
cuda_obj_device_store_memory_resource (CudaObjDevice *self, CudaObjMemoryResource *resource)
{
  gboolean changed;

  g_mutex_lock (&self->resource_lock);
  changed = g_set_object (&self->chosen_resource, resource);
  g_mutex_unlock (&self->resource_lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_RESOURCE]);
}

CudaObjMemoryResource *
cuda_obj_device_dup_chosen_memory_resource (CudaObjDevice *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->resource_lock);

  return self->chosen_resource != NULL ? g_object_ref (self->chosen_resource) : NULL;
}

CUmemLocation
cuda_obj_device_memory_location (CudaObjDevice *device)
{
  CUmemLocation location;

  memset (&location, 0, sizeof location);
  location.type = device != NULL ? CU_MEM_LOCATION_TYPE_DEVICE : CU_MEM_LOCATION_TYPE_HOST;
  location.id = device != NULL ? (int) device->handle : 0;
  return location;
}

const CudaObjDeviceLimits *
cuda_obj_device_peek_limits (CudaObjDevice *self)
{
  return &self->limits;
}

/* After a sticky fault the drivers we know refuse every new context in
 * the process (see cuda_obj_device_reset()). */
static void
set_no_new_context_error (CudaObjDevice *self, CUresult fault, CUresult result, GError **error)
{
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST,
               "Device %u (%s) cannot be used again in this process: after %s the driver gives it no "
               "new context (cuDevicePrimaryCtxRetain: %s); restart the process, or run GPU work in "
               "a child process",
               self->ordinal, self->name, cuda_obj_driver_error_get_name (fault),
               cuda_obj_driver_error_get_name (result));
}

CUcontext
cuda_obj_device_get_context (CudaObjDevice *self, GError **error)
{
  CUcontext context = g_atomic_pointer_get (&self->context);

  if (G_LIKELY (context != NULL))
    return context;

  if (!require_initialized (self, error))
    return NULL;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->context_lock);
    const CudaObjDriver *drv = cuda_obj_driver_get (error);

    if (drv == NULL)
      return NULL;
    if (self->context == NULL)
      {
        static gsize exit_hook = 0;

        CUresult result = drv->cuDevicePrimaryCtxRetain (&context, self->handle);
        int fault = g_atomic_int_get (&self->lost_result);

        if (result != CUDA_SUCCESS && fault != 0 && cuda_obj_result_is_sticky (result))
          {
            /* No context is current here, so the check below could not
             * tell which device the sticky error belongs to. */
            set_no_new_context_error (self, (CUresult) fault, result, error);
            return NULL;
          }
        if (!cuda_obj_check (result, "cuDevicePrimaryCtxRetain", error))
          return NULL;
        if (g_once_init_enter (&exit_hook))
          {
            atexit (release_primary_contexts);
            g_once_init_leave (&exit_hook, 1);
          }
        g_atomic_pointer_set (&self->context, context);
        if (!self->listed)
          {
            self->listed = TRUE;
            do
              self->next = g_atomic_pointer_get (&context_devices);
            while (!g_atomic_pointer_compare_and_exchange (&context_devices, self->next, self));
          }
      }
    return self->context;
  }
}

gboolean
cuda_obj_device_activate (CudaObjDevice *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUcontext wanted = cuda_obj_device_get_context (self, error);
  CUcontext current = NULL;

  if (wanted == NULL)
    return FALSE;
  /* A device exists only once the driver was loaded, so drv is set here. */
  if (drv->cuCtxGetCurrent (&current) == CUDA_SUCCESS && current == wanted)
    return TRUE;
  return cuda_obj_check (drv->cuCtxSetCurrent (wanted), "cuCtxSetCurrent", error);
}

/**
 * cuda_obj_device_get_ordinal:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's ordinal, from 0 to [func@CudaObj.Device.get_count]
 * minus one: the number [func@CudaObj.Device.get] takes. Ordinals follow
 * `CUDA_VISIBLE_DEVICES`; [property@CudaObj.Device:uuid] identifies a device
 * across processes. See [property@CudaObj.Device:ordinal].
 *
 * Returns: the device's ordinal
 *
 * Since: 1.0
 */
guint
cuda_obj_device_get_ordinal (CudaObjDevice *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), 0);
  return self->ordinal;
}

#define DEVICE_GETTER(type, name, field, fallback, doc)         \
  type cuda_obj_device_get_##name (CudaObjDevice *self)         \
  {                                                             \
    g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), fallback); \
    return self->field;                                         \
  }

/**
 * cuda_obj_device_get_name:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's marketing name, such as "NVIDIA H200". See
 * [property@CudaObj.Device:name].
 *
 * Returns: the name, owned by the device
 *
 * Since: 1.0
 */
DEVICE_GETTER (const char *, name, name, NULL, )
/**
 * cuda_obj_device_get_uuid:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's UUID in nvidia-smi's form,
 * "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; it identifies the device across
 * processes, unlike the ordinal. See [property@CudaObj.Device:uuid].
 *
 * Returns: the UUID, owned by the device
 *
 * Since: 1.0
 */
DEVICE_GETTER (const char *, uuid, uuid, NULL, )
/**
 * cuda_obj_device_get_pci_bus_id:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's PCI address, "domain:bus:device.function", as `lspci`
 * and nvidia-smi show it. See [property@CudaObj.Device:pci-bus-id].
 *
 * Returns: the PCI bus id, owned by the device
 *
 * Since: 1.0
 */
DEVICE_GETTER (const char *, pci_bus_id, pci_bus_id, NULL, )
/**
 * cuda_obj_device_get_compute_capability_major:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the major compute capability: 9 for Hopper, 10 for Blackwell. See
 * [property@CudaObj.Device:compute-capability-major].
 *
 * Returns: the major compute capability
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, compute_capability_major, cc_major, 0, )
/**
 * cuda_obj_device_get_compute_capability_minor:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the minor compute capability: 0 for a 9.0 device. See
 * [property@CudaObj.Device:compute-capability-minor].
 *
 * Returns: the minor compute capability
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, compute_capability_minor, cc_minor, 0, )
/**
 * cuda_obj_device_get_arch:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the compute capability as compilers spell it, such as "90" for 9.0:
 * `sm_` plus this is the device's native target. See
 * [property@CudaObj.Device:arch].
 *
 * Returns: the architecture, such as "90", owned by the device
 *
 * Since: 1.0
 */
DEVICE_GETTER (const char *, arch, arch, NULL, )
/**
 * cuda_obj_device_get_total_memory:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's global memory in bytes. For what is free now, use
 * [method@CudaObj.Device.get_memory_info]. See
 * [property@CudaObj.Device:total-memory].
 *
 * Returns: the global memory, in bytes
 *
 * Since: 1.0
 */
DEVICE_GETTER (guint64, total_memory, total_memory, 0, )
/**
 * cuda_obj_device_get_multiprocessor_count:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the number of streaming multiprocessors, the unit that occupancy
 * figures such as
 * [method@CudaObj.Kernel.get_max_active_blocks_per_multiprocessor] count in.
 * See [property@CudaObj.Device:multiprocessor-count].
 *
 * Returns: the number of multiprocessors
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, multiprocessor_count, multiprocessor_count, 0, )
/**
 * cuda_obj_device_get_warp_size:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the number of threads per warp (32 on every device so far). See
 * [property@CudaObj.Device:warp-size].
 *
 * Returns: threads per warp
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, warp_size, warp_size, 0, )
/**
 * cuda_obj_device_get_max_threads_per_block:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the most threads a block may have on this device (1024 so far); a
 * kernel's own limit, [property@CudaObj.Kernel:max-threads-per-block], can be
 * lower. See [property@CudaObj.Device:max-threads-per-block].
 *
 * Returns: the maximum number of threads per block
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, max_threads_per_block, max_threads_per_block, 0, )
/**
 * cuda_obj_device_get_max_shared_memory_per_block:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the shared memory a block may use without opting in, in bytes (48 KiB
 * so far). See [property@CudaObj.Device:max-shared-memory-per-block].
 *
 * Returns: shared memory per block, in bytes
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, max_shared_memory_per_block, max_shared_memory_per_block, 0, )
/**
 * cuda_obj_device_get_max_shared_memory_per_block_optin:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the shared memory a block may use when its kernel opts in, in bytes:
 * raise the kernel's %CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
 * to use more than [property@CudaObj.Device:max-shared-memory-per-block]. See
 * [property@CudaObj.Device:max-shared-memory-per-block-optin].
 *
 * Returns: opt-in shared memory per block, in bytes
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, max_shared_memory_per_block_optin, max_shared_memory_per_block_optin, 0, )
/**
 * cuda_obj_device_get_l2_cache_size:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the size of the device's L2 cache, in bytes. See
 * [property@CudaObj.Device:l2-cache-size].
 *
 * Returns: the L2 cache size, in bytes
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, l2_cache_size, l2_cache_size, 0, )
/**
 * cuda_obj_device_get_clock_rate:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the device's typical clock frequency, in kHz. See
 * [property@CudaObj.Device:clock-rate].
 *
 * Returns: the clock rate, in kHz
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, clock_rate, clock_rate, 0, )
/**
 * cuda_obj_device_get_memory_bus_width:
 * @self: a [class@CudaObj.Device]
 *
 * Gives the width of the global memory bus, in bits. See
 * [property@CudaObj.Device:memory-bus-width].
 *
 * Returns: the memory bus width, in bits
 *
 * Since: 1.0
 */
DEVICE_GETTER (int, memory_bus_width, memory_bus_width, 0, )
/**
 * cuda_obj_device_get_integrated:
 * @self: a [class@CudaObj.Device]
 *
 * Tells whether the device is an integrated GPU that shares its memory with
 * the host (as on Jetson), rather than a discrete one. See
 * [property@CudaObj.Device:integrated].
 *
 * Returns: %TRUE for an integrated device
 *
 * Since: 1.0
 */
DEVICE_GETTER (gboolean, integrated, integrated, FALSE, )
/**
 * cuda_obj_device_get_memory_pools_supported:
 * @self: a [class@CudaObj.Device]
 *
 * Tells whether the device supports stream-ordered memory pools, which
 * [class@CudaObj.DeviceMemoryResource] needs. See
 * [property@CudaObj.Device:memory-pools-supported].
 *
 * Returns: %TRUE if memory pools are supported
 *
 * Since: 1.0
 */
DEVICE_GETTER (gboolean, memory_pools_supported, memory_pools_supported, FALSE, )
/**
 * cuda_obj_device_get_concurrent_managed_access:
 * @self: a [class@CudaObj.Device]
 *
 * Tells whether the host and the device may access managed memory at the same
 * time; without it, the host must not touch managed memory while kernels run.
 * See [property@CudaObj.Device:concurrent-managed-access].
 *
 * Returns: %TRUE if concurrent access is supported
 *
 * Since: 1.0
 */
DEVICE_GETTER (gboolean, concurrent_managed_access, concurrent_managed_access, FALSE, )
/**
 * cuda_obj_device_get_cooperative_launch:
 * @self: a [class@CudaObj.Device]
 *
 * Tells whether the device supports cooperative launches
 * ([property@CudaObj.LaunchConfig:cooperative]). See
 * [property@CudaObj.Device:cooperative-launch].
 *
 * Returns: %TRUE if cooperative launches are supported
 *
 * Since: 1.0
 */
DEVICE_GETTER (gboolean, cooperative_launch, cooperative_launch, FALSE, )

/**
 * cuda_obj_device_get_attribute:
 * @self: a [class@CudaObj.Device]
 * @attribute: the attribute to read
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads any attribute the driver knows of the device.
 *
 * Returns: the attribute's value; 0 with @error set when the driver rejects
 *   @attribute (%CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE)
 *
 * Since: 1.0
 */
int
cuda_obj_device_get_attribute (CudaObjDevice *self, CudaObjDeviceAttribute attribute, GError **error)
{
  int value = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), 0);
  if (!require_initialized (self, error)
      || !read_attribute (cuda_obj_driver_peek (), self->handle, (CUdevice_attribute) attribute, &value,
                          error))
    return 0;
  return value;
}

/**
 * cuda_obj_device_get_memory_info:
 * @self: a [class@CudaObj.Device]
 * @free_bytes: (out) (optional): free device memory, in bytes
 * @total_bytes: (out) (optional): total device memory, in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Asks the driver how much of the device's memory is free now.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_get_memory_info (CudaObjDevice *self, guint64 *free_bytes, guint64 *total_bytes,
                                 GError **error)
{
  size_t free_size = 0, total_size = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  if (!cuda_obj_device_activate (self, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuMemGetInfo (&free_size, &total_size), "cuMemGetInfo",
                          error))
    return FALSE;
  if (free_bytes != NULL)
    *free_bytes = free_size;
  if (total_bytes != NULL)
    *total_bytes = total_size;
  return TRUE;
}

/**
 * cuda_obj_device_can_access_peer:
 * @self: a [class@CudaObj.Device]
 * @peer: another (or the same) [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells whether kernels and copies on @self can address @peer's memory
 * directly once [method@CudaObj.Device.enable_peer_access] was called. A device
 * can always access itself.
 *
 * Returns: %TRUE when peer access is possible; %FALSE when not, or with
 *   @error set when the driver fails
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_can_access_peer (CudaObjDevice *self, CudaObjDevice *peer, GError **error)
{
  int can = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (peer, G_STRFUNC, "peer", error))
    return FALSE;
  if (self->handle == peer->handle)
    return TRUE;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuDeviceCanAccessPeer (&can, self->handle, peer->handle),
                       "cuDeviceCanAccessPeer", error))
    return FALSE;
  return can != 0;
}

/**
 * cuda_obj_device_enable_peer_access:
 * @self: a [class@CudaObj.Device]
 * @peer: the [class@CudaObj.Device] whose memory @self should reach
 * @error: return location for a [struct@GLib.Error]
 *
 * Lets @self's kernels and copies address @peer's memory directly. Calling
 * it again, or with @peer the same device, does nothing and succeeds.
 *
 * Returns: %TRUE on success; %FALSE with @error set, with
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the two devices cannot be peers
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_enable_peer_access (CudaObjDevice *self, CudaObjDevice *peer, GError **error)
{
  GError *local_error = NULL;
  CUcontext peer_context;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (peer, G_STRFUNC, "peer", error))
    return FALSE;
  if (self->handle == peer->handle)
    return TRUE;
  if (!cuda_obj_device_can_access_peer (self, peer, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "Device %u (%s) cannot access the memory of device %u (%s) as a peer", self->ordinal,
                     self->name, peer->ordinal, peer->name);
      return FALSE;
    }
  peer_context = cuda_obj_device_get_context (peer, error);
  if (peer_context == NULL || !cuda_obj_device_activate (self, error))
    return FALSE;
  result = cuda_obj_driver_peek ()->cuCtxEnablePeerAccess (peer_context, 0);
  if (result == CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED)
    return TRUE;
  return cuda_obj_check (result, "cuCtxEnablePeerAccess", error);
}

/**
 * cuda_obj_device_synchronize:
 * @self: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Waits until all work submitted to the device's primary context has
 * finished. An error from earlier asynchronous work is reported here.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_synchronize (CudaObjDevice *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  return cuda_obj_device_activate (self, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuCtxSynchronize (), "cuCtxSynchronize", error);
}

/**
 * cuda_obj_device_make_current:
 * @self: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes the device's primary context current on the calling thread, for
 * code outside libcudaobj (the CUDA runtime, other libraries) that works on
 * whatever context is current. libcudaobj's own objects do not need it.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_make_current (CudaObjDevice *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  return cuda_obj_device_activate (self, error);
}

/* Loss and reset. */

gboolean
cuda_obj_result_is_sticky (CUresult result)
{
  /* The codes cuda.h documents as leaving the context (or the process)
   * unusable: "any further CUDA work will return the same error". */
  switch (result)
    {
    case CUDA_ERROR_ILLEGAL_ADDRESS:
    case CUDA_ERROR_LAUNCH_TIMEOUT:
    case CUDA_ERROR_ASSERT:
    case CUDA_ERROR_HARDWARE_STACK_ERROR:
    case CUDA_ERROR_ILLEGAL_INSTRUCTION:
    case CUDA_ERROR_MISALIGNED_ADDRESS:
    case CUDA_ERROR_INVALID_ADDRESS_SPACE:
    case CUDA_ERROR_INVALID_PC:
    case CUDA_ERROR_LAUNCH_FAILED:
    case CUDA_ERROR_TENSOR_MEMORY_LEAK:
    case CUDA_ERROR_CONTAINED:
    case CUDA_ERROR_EXTERNAL_DEVICE: return TRUE;
    default: return FALSE;
    }
}

typedef struct
{
  CudaObjDevice *device; /* owned */
  guint epoch;
} LostEmission;

static void
lost_emission_free (gpointer data)
{
  LostEmission *emission = data;

  g_object_unref (emission->device);
  g_free (emission);
}

static gboolean
emit_lost (gpointer data)
{
  LostEmission *emission = data;
  CudaObjDevice *self = emission->device;

  /* A reset since the fault answered it already. */
  if (g_atomic_int_get (&self->lost_result) != 0
      && (guint) g_atomic_int_get (&self->epoch) == emission->epoch)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOST]);
      g_signal_emit (self, signals[SIGNAL_LOST], 0);
    }
  return G_SOURCE_REMOVE;
}

CudaObjDevice *
cuda_obj_device_mark_lost (CUresult result, gboolean *already_lost, CUresult *first_result)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUcontext current = NULL;
  CudaObjDevice *self;

  if (drv == NULL || drv->cuCtxGetCurrent (&current) != CUDA_SUCCESS || current == NULL)
    return NULL;
  for (self = g_atomic_pointer_get (&context_devices); self != NULL; self = self->next)
    if (g_atomic_pointer_get (&self->context) == current)
      break;
  if (self == NULL)
    return NULL;

  *already_lost = !g_atomic_int_compare_and_exchange (&self->lost_result, 0, (int) result);
  *first_result = *already_lost ? (CUresult) g_atomic_int_get (&self->lost_result) : result;
  if (!*already_lost)
    {
      /* Not on the faulting thread: that may be a worker, or hold locks. */
      LostEmission *emission = g_new (LostEmission, 1);
      GSource *source = g_idle_source_new ();

      emission->device = g_object_ref (self);
      emission->epoch = g_atomic_int_get (&self->epoch);
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (source, "[cudaobj] CudaObjDevice::lost");
      g_source_set_callback (source, emit_lost, emission, lost_emission_free);
      g_source_attach (source, NULL);
      g_source_unref (source);
    }
  return self;
}

void
cuda_obj_device_register (CudaObjDevice *self, gpointer object, CudaObjDeviceInvalidateFunc invalidate)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->registry_lock);

  if (self->registry == NULL)
    self->registry = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (self->registry, object, (gpointer) invalidate);
}

void
cuda_obj_device_unregister (CudaObjDevice *self, gpointer object)
{
  g_autoptr (GMutexLocker) locker = NULL;

  if (self == NULL)
    return;
  locker = g_mutex_locker_new (&self->registry_lock);
  if (self->registry != NULL)
    g_hash_table_remove (self->registry, object);
}

void
cuda_obj_device_set_reset_error (CudaObjDevice *self, const char *what, GError **error)
{
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
               "%s was closed by the reset of device %u (%s): make a new one", what, self->ordinal,
               self->name);
}

/**
 * cuda_obj_device_get_lost:
 * @self: a device
 *
 * Gives the value of [property@CudaObj.Device:lost]: whether a fault
 * destroyed the device's context and it waits for
 * [method@CudaObj.Device.reset].
 *
 * Returns: the value of [property@CudaObj.Device:lost]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_get_lost (CudaObjDevice *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  return g_atomic_int_get (&self->lost_result) != 0;
}

/**
 * cuda_obj_device_reset:
 * @self: a device
 * @error: return location for an error
 *
 * Destroys the device's primary context and everything in it, and makes a
 * new one: like `cudaDeviceReset()`, it frees all of the process's memory
 * and work on the device.
 *
 * Every libcudaobj object that holds memory or handles of the context
 * ([class@CudaObj.Stream], [class@CudaObj.Event], [class@CudaObj.Buffer],
 * [class@CudaObj.DeviceMemoryResource], [class@CudaObj.Graph],
 * [class@CudaObj.GraphBuilder] while capturing) is closed first, without
 * calls to the driver: from then on its methods fail with
 * %CUDA_OBJ_ERROR_CLOSED and a message that names the reset. Make new ones;
 * [method@CudaObj.Device.get_memory_resource] gives a new default resource.
 * Compiled code survives: an [class@CudaObj.ObjectCode] and its
 * [class@CudaObj.Kernel]s are context-independent (`cuLibrary`), and the
 * driver loads them into the new context on their next use. Host callbacks
 * and [signal@CudaObj.Event::completed] emissions still pending from the
 * lost work never run. Context state goes with the old context: peer access
 * enabled with [method@CudaObj.Device.enable_peer_access] must be enabled
 * again. Foreign code that shares the primary context (the CUDA runtime,
 * CuPy, PyTorch) loses its work and memory too.
 *
 * After a fault ([signal@CudaObj.Device::lost]) the reset still closes the
 * objects and frees the old context, but whether the process gets a new
 * context is the driver's decision. The CUDA driver documents sticky errors
 * (an illegal address, a trap, a failed device assertion) as lasting for the
 * life of the process, and the drivers we tested (580 on an H200) refuse
 * every new context, primary or not, after one: then this function fails
 * with %CUDA_OBJ_ERROR_DEVICE_LOST, [property@CudaObj.Device:lost] stays
 * %TRUE, and the GPU can only be used again from a new process. An
 * application that must survive faulting kernels runs its GPU work in a
 * child process (see the "When a kernel faults" guide). Where a driver
 * gives a new context, [property@CudaObj.Device:lost] goes back to %FALSE
 * and the device works again.
 *
 * No other thread may use the device's objects during the reset.
 *
 * Returns: %TRUE when the device can be used again; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED for a device not made by
 *   [func@CudaObj.Device.get], %CUDA_OBJ_ERROR_DEVICE_LOST when the driver
 *   gives this process no new context after a fault, or the driver's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_reset (CudaObjDevice *self, GError **error)
{
  const CudaObjDriver *drv;
  CUresult result = CUDA_SUCCESS;
  CUcontext current = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (self), FALSE);
  drv = cuda_obj_driver_peek ();
  if (self->name == NULL || drv == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                           "Device is not initialized: get devices with cuda_obj_device_get()");
      return FALSE;
    }

  g_mutex_lock (&self->context_lock);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->registry_lock);
    GHashTableIter iter;
    gpointer object, invalidate;

    if (self->registry != NULL)
      {
        g_hash_table_iter_init (&iter, self->registry);
        while (g_hash_table_iter_next (&iter, &object, &invalidate))
          ((CudaObjDeviceInvalidateFunc) invalidate) (object);
        g_hash_table_remove_all (self->registry);
      }
    /* Cancels ::lost emissions still pending. */
    g_atomic_int_inc (&self->epoch);
  }
  if (self->context != NULL)
    {
      /* This thread at least keeps no handle of the old context current. */
      if (drv->cuCtxGetCurrent (&current) == CUDA_SUCCESS && current == self->context)
        drv->cuCtxSetCurrent (NULL);
      result = drv->cuDevicePrimaryCtxReset (self->handle);
      /* A reset context stays retained: give our reference back, so that
       * the retain below starts the new context at one reference. */
      drv->cuDevicePrimaryCtxRelease (self->handle);
      g_atomic_pointer_set (&self->context, NULL);
    }
  g_mutex_unlock (&self->context_lock);

  if (!cuda_obj_check (result, "cuDevicePrimaryCtxReset", error))
    return FALSE;
  if (cuda_obj_device_get_context (self, error) == NULL)
    return FALSE;
  if (g_atomic_int_exchange (&self->lost_result, 0) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOST]);
  return TRUE;
}
