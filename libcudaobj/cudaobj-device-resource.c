/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a share of a device's streaming multiprocessors.
 *
 * Immutable: a CUdevResource of type SM as the driver filled it, either the
 * whole device's or one group (or the remainder) of a split. Green contexts
 * are made from them. */
#include "config.h"

#include "cudaobj-device-resource.h"
#include "cudaobj-device-resource-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"

struct _CudaObjDeviceResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned; NULL for a plain constructor's */
  CUdevResource resource;
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_SM_COUNT,
  PROP_MIN_PARTITION_SIZE,
  PROP_ALIGNMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjDeviceResource:
 *
 * A set of a device's streaming multiprocessors (SMs): all of them, from
 * [method@CudaObj.Device.get_sm_resource], or one group of a split, from
 * [method@CudaObj.DeviceResource.split_by_count]. A green context made
 * from it with [ctor@CudaObj.Context.new_green] runs its kernels on those
 * SMs only.
 *
 * The driver splits SMs in units: a group has at least
 * [property@CudaObj.DeviceResource:min-partition-size] SMs and a multiple of
 * [property@CudaObj.DeviceResource:alignment] (the SMs that are scheduled
 * together), so a request for 10 SMs may give 16.
 *
 * A typical use reserves a few SMs for latency-critical work:
 *
 * ```python
 * whole = device.get_sm_resource()
 * groups, rest = whole.split_by_count(16, 1)
 * interactive = CudaObj.Context.new_green(groups[0])
 * background = CudaObj.Context.new_green(rest)
 * ```
 *
 * Work queues (`CU_DEV_RESOURCE_TYPE_WORKQUEUE*`) are not described: the
 * CUDA 13.0 headers have SM resources only.
 *
 * Resources are immutable and safe to share between threads. One made with
 * a plain constructor describes nothing: its getters give 0 and using it
 * fails with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjDeviceResource, cuda_obj_device_resource, G_TYPE_OBJECT)

static void
cuda_obj_device_resource_finalize (GObject *object)
{
  CudaObjDeviceResource *self = CUDA_OBJ_DEVICE_RESOURCE (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_device_resource_parent_class)->finalize (object);
}

static void
cuda_obj_device_resource_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjDeviceResource *self = CUDA_OBJ_DEVICE_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_SM_COUNT: g_value_set_uint (value, self->resource.sm.smCount); break;
    case PROP_MIN_PARTITION_SIZE: g_value_set_uint (value, self->resource.sm.minSmPartitionSize); break;
    case PROP_ALIGNMENT: g_value_set_uint (value, self->resource.sm.smCoscheduledAlignment); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_device_resource_class_init (CudaObjDeviceResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_device_resource_finalize;
  object_class->get_property = cuda_obj_device_resource_get_property;

  /**
   * CudaObjDeviceResource:device:
   *
   * The device whose SMs these are.
   *
   * Read it with [method@CudaObj.DeviceResource.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, RO);
  /**
   * CudaObjDeviceResource:sm-count:
   *
   * How many SMs the resource holds.
   *
   * Read it with [method@CudaObj.DeviceResource.get_sm_count].
   *
   * Since: 1.0
   */
  properties[PROP_SM_COUNT] = g_param_spec_uint ("sm-count", NULL, NULL, 0, G_MAXUINT, 0, RO);
  /**
   * CudaObjDeviceResource:min-partition-size:
   *
   * The fewest SMs a group split from this resource can have.
   *
   * Read it with [method@CudaObj.DeviceResource.get_min_partition_size].
   *
   * Since: 1.0
   */
  properties[PROP_MIN_PARTITION_SIZE]
      = g_param_spec_uint ("min-partition-size", NULL, NULL, 0, G_MAXUINT, 0, RO);
  /**
   * CudaObjDeviceResource:alignment:
   *
   * How many SMs are scheduled together: groups split from this resource
   * have a multiple of it.
   *
   * Read it with [method@CudaObj.DeviceResource.get_alignment].
   *
   * Since: 1.0
   */
  properties[PROP_ALIGNMENT] = g_param_spec_uint ("alignment", NULL, NULL, 0, G_MAXUINT, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_device_resource_init (CudaObjDeviceResource *self)
{
}

static CudaObjDeviceResource *
resource_new (CudaObjDevice *device, const CUdevResource *resource)
{
  CudaObjDeviceResource *self = g_object_new (CUDA_OBJ_TYPE_DEVICE_RESOURCE, NULL);

  self->device = g_object_ref (device);
  self->resource = *resource;
  return self;
}

/* Private helpers. */

const CUdevResource *
cuda_obj_device_resource_peek (CudaObjDeviceResource *self)
{
  return self->device != NULL ? &self->resource : NULL;
}

gboolean
cuda_obj_device_resource_require_green (CudaObjDevice *device, const char *what, GError **error)
{
  if (cuda_obj_device_get_compute_capability_major (device) >= 9)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
               "%s need a device of compute capability 9.0 or newer; device %u (%s) is %d.%d", what,
               cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device),
               cuda_obj_device_get_compute_capability_major (device),
               cuda_obj_device_get_compute_capability_minor (device));
  return FALSE;
}

/* Public API. */

/**
 * cuda_obj_device_get_sm_resource:
 * @device: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Describes all of @device's streaming multiprocessors as a resource to
 * split into groups for green contexts
 * ([method@CudaObj.DeviceResource.split_by_count]).
 *
 * Returns: (transfer full): the device's SMs, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED on devices older than compute
 *   capability 9.0, which have no green contexts)
 *
 * Since: 1.0
 */
CudaObjDeviceResource *
cuda_obj_device_get_sm_resource (CudaObjDevice *device, GError **error)
{
  CUdevResource resource = { 0 };

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  if (!cuda_obj_device_activate (device, error)
      || !cuda_obj_device_resource_require_green (device, "SM resources", error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuDeviceGetDevResource (
                              cuda_obj_device_get_handle (device), &resource, CU_DEV_RESOURCE_TYPE_SM),
                          "cuDeviceGetDevResource", error))
    return NULL;
  return resource_new (device, &resource);
}

/**
 * cuda_obj_device_resource_split_by_count:
 * @self: the [class@CudaObj.DeviceResource] to split
 * @min_count: the fewest SMs each group should have; the driver rounds it
 *   up to [property@CudaObj.DeviceResource:min-partition-size] and to a
 *   multiple of [property@CudaObj.DeviceResource:alignment]
 * @n_groups: how many groups to make, or 0 for as many as fit
 * @remainder: (out) (optional) (nullable) (transfer full): the SMs left
 *   over, or %NULL when none are
 * @error: return location for a [struct@GLib.Error]
 *
 * Splits the SMs into @n_groups groups of the same size, at least
 * @min_count each (`cuDevSmResourceSplitByCount`), for green contexts made
 * with [ctor@CudaObj.Context.new_green]. The SMs that do not make a whole
 * group go to @remainder, which can make a green context too; the driver
 * gives it fewer guarantees of co-scheduling than the groups.
 *
 * Returns: (transfer container) (element-type CudaObjDeviceResource): the
 *   groups, or %NULL with @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when
 *   @min_count is 0 or the SMs do not make @n_groups groups of @min_count)
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_device_resource_split_by_count (CudaObjDeviceResource *self, guint min_count, guint n_groups,
                                         CudaObjDeviceResource **remainder, GError **error)
{
  g_autoptr (GPtrArray) groups = NULL;
  g_autofree CUdevResource *results = NULL;
  const CudaObjDriver *drv;
  CUdevResource rest = { 0 };
  unsigned int possible = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (self), NULL);
  if (remainder != NULL)
    *remainder = NULL;
  if (self->device == NULL)
    {
      cuda_obj_set_not_initialized (error, self, G_STRFUNC);
      return NULL;
    }
  if (min_count == 0 || min_count > self->resource.sm.smCount)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot split %u SMs into groups of %u: the group size must be 1 to %u",
                   self->resource.sm.smCount, min_count, self->resource.sm.smCount);
      return NULL;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  /* Asking without a result array tells how many groups fit. */
  if (!cuda_obj_check (
          drv->cuDevSmResourceSplitByCount (NULL, &possible, &self->resource, NULL, 0, min_count),
          "cuDevSmResourceSplitByCount", error))
    return NULL;
  if (n_groups == 0)
    n_groups = possible;
  if (possible == 0 || n_groups > possible)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot split %u SMs into %u groups of %u: %u such groups fit (minimum partition %u "
                   "SMs, in steps of %u)",
                   self->resource.sm.smCount, n_groups, min_count, possible,
                   self->resource.sm.minSmPartitionSize, self->resource.sm.smCoscheduledAlignment);
      return NULL;
    }
  results = g_new0 (CUdevResource, n_groups);
  if (!cuda_obj_check (
          drv->cuDevSmResourceSplitByCount (results, &n_groups, &self->resource, &rest, 0, min_count),
          "cuDevSmResourceSplitByCount", error))
    return NULL;
  groups = g_ptr_array_new_full (n_groups, g_object_unref);
  for (guint i = 0; i < n_groups; i++)
    g_ptr_array_add (groups, resource_new (self->device, &results[i]));
  if (remainder != NULL && rest.type == CU_DEV_RESOURCE_TYPE_SM && rest.sm.smCount > 0)
    *remainder = resource_new (self->device, &rest);
  return g_steal_pointer (&groups);
}

/**
 * cuda_obj_device_resource_get_device:
 * @self: a [class@CudaObj.DeviceResource]
 *
 * Gives the device whose SMs these are. See
 * [property@CudaObj.DeviceResource:device].
 *
 * Returns: (transfer none) (nullable): the device; %NULL for a resource
 *   that describes nothing
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_device_resource_get_device (CudaObjDeviceResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (self), NULL);
  return self->device;
}

/**
 * cuda_obj_device_resource_get_sm_count:
 * @self: a [class@CudaObj.DeviceResource]
 *
 * Gives how many SMs the resource holds. See
 * [property@CudaObj.DeviceResource:sm-count].
 *
 * Returns: the number of SMs
 *
 * Since: 1.0
 */
guint
cuda_obj_device_resource_get_sm_count (CudaObjDeviceResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (self), 0);
  return self->resource.sm.smCount;
}

/**
 * cuda_obj_device_resource_get_min_partition_size:
 * @self: a [class@CudaObj.DeviceResource]
 *
 * Gives the fewest SMs a group split from this resource can have. See
 * [property@CudaObj.DeviceResource:min-partition-size].
 *
 * Returns: the minimum group size
 *
 * Since: 1.0
 */
guint
cuda_obj_device_resource_get_min_partition_size (CudaObjDeviceResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (self), 0);
  return self->resource.sm.minSmPartitionSize;
}

/**
 * cuda_obj_device_resource_get_alignment:
 * @self: a [class@CudaObj.DeviceResource]
 *
 * Gives how many SMs are scheduled together; groups have a multiple of
 * it. See [property@CudaObj.DeviceResource:alignment].
 *
 * Returns: the alignment, in SMs
 *
 * Since: 1.0
 */
guint
cuda_obj_device_resource_get_alignment (CudaObjDeviceResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (self), 0);
  return self->resource.sm.smCoscheduledAlignment;
}
