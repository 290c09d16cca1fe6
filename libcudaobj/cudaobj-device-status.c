/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a device's state as NVML reports it, as properties. */
#include "config.h"

#include <string.h>

#include "cudaobj-device-status.h"
#include "cudaobj-gpu-process.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-loader-private.h"

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_UPDATE_INTERVAL,
  PROP_DRIVER_VERSION,
  PROP_DRIVER_BRANCH,
  /* The numeric readings, kept in values[] by their property id. */
  PROP_CUDA_DRIVER_VERSION,
  PROP_GPU_UTILIZATION,
  PROP_MEMORY_UTILIZATION,
  PROP_MEMORY_USED,
  PROP_MEMORY_TOTAL,
  PROP_MEMORY_FREE,
  PROP_TEMPERATURE,
  PROP_POWER_USAGE,
  PROP_POWER_LIMIT,
  PROP_SM_CLOCK,
  PROP_MEMORY_CLOCK,
  PROP_GRAPHICS_CLOCK,
  PROP_FAN_SPEED,
  N_PROPS
};

#define FIRST_READING PROP_CUDA_DRIVER_VERSION

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_UPDATE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _CudaObjDeviceStatus
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  gpointer nvml_device;  /* nvmlDevice_t; NULL until initialized */
  gboolean initialized;
  char *driver_version;
  char *driver_branch;
  gint64 values[N_PROPS]; /* readings by property id; -1 when unknown */

  guint update_interval;
  GMainContext *context; /* the thread-default one at initialization */
  GSource *update_source;
};

static void cuda_obj_device_status_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjDeviceStatus:
 *
 * What NVML, the management library that comes with the driver, tells
 * about a [class@CudaObj.Device]: the driver's version, the device's
 * utilization, memory use, temperature, power and clocks, as read-only
 * properties, and the processes using it
 * ([method@CudaObj.DeviceStatus.get_processes]).
 *
 * The values are read at construction and again by each
 * [method@CudaObj.DeviceStatus.refresh], which emits
 * [signal@GObject.Object::notify] for those that changed. With
 * [property@CudaObj.DeviceStatus:update-interval] set, the status refreshes
 * itself periodically in the [struct@GLib.MainContext] that was the
 * thread-default one when it was constructed, so that a widget can bind to
 * its properties:
 *
 * ```c
 * g_autoptr (CudaObjDeviceStatus) status = cuda_obj_device_status_new (device, 1000, &error);
 * g_object_bind_property (status, "temperature", temperature_label, "label", G_BINDING_SYNC_CREATE);
 * ```
 *
 * Values a device does not report (the fan speed of a passively cooled
 * data-center GPU such as the H100 or H200, power on some boards) are -1.
 * The device is matched to NVML's by its UUID, else by its PCI bus id.
 *
 * NVML is loaded on first use from the system (`libnvidia-ml.so.1`, which
 * the driver installs; `CUDA_OBJ_NVML_LIBRARY` overrides); without it
 * construction fails with %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND. NVML is
 * initialized for each status and shut down when it is finalized (NVML
 * counts these).
 *
 * Threads: use a status from the thread that runs its main context.
 *
 * A status made with a plain constructor and never initialized has no
 * readings: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjDeviceStatus, cuda_obj_device_status, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_device_status_initable_iface_init))

#if CUDA_OBJ_HAVE_NVML
/* NOT_SUPPORTED and NO_PERMISSION mean the value is unknown, not an error. */
#define NVML_UNKNOWN(r) ((r) == NVML_ERROR_NOT_SUPPORTED || (r) == NVML_ERROR_NO_PERMISSION)

static gboolean
nvml_check (const CudaObjNvml *nvml, nvmlReturn_t result, const char *call, GError **error)
{
  int code;

  if (G_LIKELY (result == NVML_SUCCESS))
    return TRUE;
  switch (result)
    {
    case NVML_ERROR_GPU_IS_LOST: code = CUDA_OBJ_ERROR_DEVICE_LOST; break;
    case NVML_ERROR_NOT_SUPPORTED: code = CUDA_OBJ_ERROR_NOT_SUPPORTED; break;
    case NVML_ERROR_INVALID_ARGUMENT:
    case NVML_ERROR_NOT_FOUND: code = CUDA_OBJ_ERROR_INVALID_ARGUMENT; break;
    default: code = CUDA_OBJ_ERROR_FAILED; break;
    }
  g_set_error (error, CUDA_OBJ_ERROR, code, "%s: %s", call, nvml->nvmlErrorString (result));
  return FALSE;
}

/* A reading that the device may not have: -1 then. */
static gboolean
read_optional (const CudaObjNvml *nvml, nvmlReturn_t result, unsigned int value, gint64 *out,
               const char *call, GError **error)
{
  if (NVML_UNKNOWN (result))
    {
      *out = -1;
      return TRUE;
    }
  if (!nvml_check (nvml, result, call, error))
    return FALSE;
  *out = value;
  return TRUE;
}

/* Reads every value into @values; FALSE with @error set on a real failure. */
static gboolean
read_values (CudaObjDeviceStatus *self, gint64 *values, GError **error)
{
  const CudaObjNvml *nvml = cuda_obj_nvml_get (NULL);
  nvmlDevice_t device = self->nvml_device;
  nvmlUtilization_t utilization = { 0 };
  nvmlMemory_v2_t memory = { .version = nvmlMemory_v2 };
  nvmlReturn_t result;
  unsigned int value = 0;
  int cuda_version = 0;

  if (!nvml_check (nvml, nvml->nvmlSystemGetCudaDriverVersion_v2 (&cuda_version),
                   "nvmlSystemGetCudaDriverVersion_v2", error))
    return FALSE;
  values[PROP_CUDA_DRIVER_VERSION] = cuda_version;

  result = nvml->nvmlDeviceGetUtilizationRates (device, &utilization);
  if (!read_optional (nvml, result, utilization.gpu, &values[PROP_GPU_UTILIZATION],
                      "nvmlDeviceGetUtilizationRates", error)
      || !read_optional (nvml, result, utilization.memory, &values[PROP_MEMORY_UTILIZATION],
                         "nvmlDeviceGetUtilizationRates", error))
    return FALSE;

  if (!nvml_check (nvml, nvml->nvmlDeviceGetMemoryInfo_v2 (device, &memory), "nvmlDeviceGetMemoryInfo_v2",
                   error))
    return FALSE;
  values[PROP_MEMORY_USED] = (gint64) memory.used;
  values[PROP_MEMORY_TOTAL] = (gint64) memory.total;
  values[PROP_MEMORY_FREE] = (gint64) memory.free;

  if (nvml->nvmlDeviceGetTemperatureV != NULL)
    {
      nvmlTemperature_t temperature = { .version = nvmlTemperature_v1, .sensorType = NVML_TEMPERATURE_GPU };
      result = nvml->nvmlDeviceGetTemperatureV (device, &temperature);
      if (!read_optional (nvml, result, (unsigned int) MAX (temperature.temperature, 0),
                          &values[PROP_TEMPERATURE], "nvmlDeviceGetTemperatureV", error))
        return FALSE;
    }
  else
    values[PROP_TEMPERATURE] = -1;

#define READ(prop, call, ...)                                                                      \
  value = 0;                                                                                       \
  if (!read_optional (nvml, nvml->call (device, __VA_ARGS__), value, &values[prop], #call, error)) \
    return FALSE;
  READ (PROP_POWER_USAGE, nvmlDeviceGetPowerUsage, &value)
  READ (PROP_POWER_LIMIT, nvmlDeviceGetEnforcedPowerLimit, &value)
  READ (PROP_SM_CLOCK, nvmlDeviceGetClockInfo, NVML_CLOCK_SM, &value)
  READ (PROP_MEMORY_CLOCK, nvmlDeviceGetClockInfo, NVML_CLOCK_MEM, &value)
  READ (PROP_GRAPHICS_CLOCK, nvmlDeviceGetClockInfo, NVML_CLOCK_GRAPHICS, &value)
  READ (PROP_FAN_SPEED, nvmlDeviceGetFanSpeed, &value)
#undef READ
  return TRUE;
}

static gboolean
open_nvml (CudaObjDeviceStatus *self, GError **error)
{
  const CudaObjNvml *nvml = cuda_obj_nvml_get (error);
  char version[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = "";
  nvmlDevice_t device = NULL;
  const char *uuid, *bus_id;

  if (nvml == NULL)
    return FALSE;
  if (!nvml_check (nvml, nvml->nvmlInit_v2 (), "nvmlInit_v2", error))
    return FALSE;

  /* From here on finalize shuts NVML down again. */
  self->initialized = TRUE;
  uuid = cuda_obj_device_get_uuid (self->device);
  bus_id = cuda_obj_device_get_pci_bus_id (self->device);
  if ((uuid == NULL || nvml->nvmlDeviceGetHandleByUUID (uuid, &device) != NVML_SUCCESS)
      && (bus_id == NULL || nvml->nvmlDeviceGetHandleByPciBusId_v2 (bus_id, &device) != NVML_SUCCESS))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NO_DEVICE,
                   "NVML knows no device with UUID %s or PCI bus id %s (is it hidden from NVML, "
                   "as in a container that only passes CUDA through?)",
                   uuid, bus_id);
      return FALSE;
    }

  if (!nvml_check (nvml, nvml->nvmlSystemGetDriverVersion (version, sizeof version),
                   "nvmlSystemGetDriverVersion", error))
    return FALSE;
  self->driver_version = g_strdup (version);
  if (nvml->nvmlSystemGetDriverBranch != NULL)
    {
      nvmlSystemDriverBranchInfo_t branch = { .version = nvmlSystemDriverBranchInfo_v1 };
      if (nvml->nvmlSystemGetDriverBranch (&branch, sizeof branch.branch) == NVML_SUCCESS && branch.branch[0])
        self->driver_branch = g_strndup (branch.branch, sizeof branch.branch);
    }
  if (self->driver_branch == NULL)
    {
      /* Older drivers: the branch is the version's first number ("580.95" is r580). */
      g_autofree char *major = g_strndup (version, strcspn (version, "."));
      self->driver_branch = g_strdup_printf ("r%s", major);
    }
  self->nvml_device = device;
  return read_values (self, self->values, error);
}

static void
close_nvml (CudaObjDeviceStatus *self)
{
  cuda_obj_nvml_get (NULL)->nvmlShutdown ();
}

static GPtrArray *
read_processes (CudaObjDeviceStatus *self, GError **error)
{
  const CudaObjNvml *nvml = cuda_obj_nvml_get (NULL);
  g_autofree nvmlProcessInfo_t *infos = NULL;
  GPtrArray *processes;
  unsigned int count = 0;
  nvmlReturn_t result;

  /* The list can grow between the two calls: ask until it fits. */
  result = nvml->nvmlDeviceGetComputeRunningProcesses_v3 (self->nvml_device, &count, NULL);
  while (result == NVML_ERROR_INSUFFICIENT_SIZE)
    {
      count += 8;
      infos = g_renew (nvmlProcessInfo_t, infos, count);
      result = nvml->nvmlDeviceGetComputeRunningProcesses_v3 (self->nvml_device, &count, infos);
    }
  if (!nvml_check (nvml, result, "nvmlDeviceGetComputeRunningProcesses_v3", error))
    return NULL;
  processes = g_ptr_array_new_with_free_func ((GDestroyNotify) cuda_obj_gpu_process_free);
  for (unsigned int i = 0; i < count && infos != NULL; i++)
    {
      CudaObjGpuProcess *process = g_new0 (CudaObjGpuProcess, 1);
      char name[1024] = "";

      process->pid = infos[i].pid;
      process->used_memory = infos[i].usedGpuMemory == (unsigned long long) NVML_VALUE_NOT_AVAILABLE
                                 ? -1
                                 : (gint64) infos[i].usedGpuMemory;
      if (nvml->nvmlSystemGetProcessName (infos[i].pid, name, sizeof name) == NVML_SUCCESS && name[0])
        process->name = g_strdup (name);
      g_ptr_array_add (processes, process);
    }
  return processes;
}
#else
static gboolean
open_nvml (CudaObjDeviceStatus *self, GError **error)
{
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                       "libcudaobj was built without nvml.h, so it cannot read device status: rebuild it "
                       "with NVML's header (-Dnvml_include_dir)");
  return FALSE;
}

static void
close_nvml (CudaObjDeviceStatus *self)
{
}

static gboolean
read_values (CudaObjDeviceStatus *self, gint64 *values, GError **error)
{
  return open_nvml (self, error);
}

static GPtrArray *
read_processes (CudaObjDeviceStatus *self, GError **error)
{
  open_nvml (self, error);
  return NULL;
}
#endif

static gboolean
update_cb (gpointer user_data)
{
  CudaObjDeviceStatus *self = user_data;
  g_autoptr (GError) error = NULL;

  if (cuda_obj_device_status_refresh (self, &error))
    return G_SOURCE_CONTINUE;
  /* Stop: an error now (a lost GPU) would come again at every tick. */
  g_clear_pointer (&self->update_source, g_source_unref);
  self->update_interval = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATE_INTERVAL]);
  g_signal_emit (self, signals[SIGNAL_UPDATE_FAILED], 0, error);
  return G_SOURCE_REMOVE;
}

static void
restart_updates (CudaObjDeviceStatus *self)
{
  if (self->update_source != NULL)
    {
      g_source_destroy (self->update_source);
      g_clear_pointer (&self->update_source, g_source_unref);
    }
  if (self->update_interval == 0 || self->context == NULL)
    return;
  self->update_source = g_timeout_source_new (self->update_interval);
  g_source_set_static_name (self->update_source, "[cudaobj] device status update");
  /* The source is destroyed in dispose, so it need not hold a reference. */
  g_source_set_callback (self->update_source, update_cb, self, NULL);
  g_source_attach (self->update_source, self->context);
}

static gboolean
cuda_obj_device_status_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjDeviceStatus *self = CUDA_OBJ_DEVICE_STATUS (initable);

  if (self->nvml_device != NULL)
    return TRUE;
  if (self->initialized)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                           "An earlier initialization of this DeviceStatus failed: make a new one");
      return FALSE;
    }
#if CUDA_OBJ_HAVE_NVML
  /* First, so that a machine without NVML gets that answer whatever else is wrong. */
  if (cuda_obj_nvml_get (error) == NULL)
    return FALSE;
#endif
  if (self->device == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A DeviceStatus needs a device: set CudaObjDeviceStatus:device");
      return FALSE;
    }
  if (!cuda_obj_device_require (self->device, G_STRFUNC, "device", error))
    return FALSE;
  if (!open_nvml (self, error))
    {
      self->nvml_device = NULL;
      return FALSE;
    }
  self->context = g_main_context_ref_thread_default ();
  restart_updates (self);
  return TRUE;
}

static void
cuda_obj_device_status_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_device_status_initable_init;
}

static gboolean
require_initialized (CudaObjDeviceStatus *self, const char *func, GError **error)
{
  if (G_LIKELY (self->nvml_device != NULL))
    return TRUE;
  return cuda_obj_set_not_initialized (error, self, func);
}

static void
cuda_obj_device_status_dispose (GObject *object)
{
  CudaObjDeviceStatus *self = CUDA_OBJ_DEVICE_STATUS (object);

  if (self->update_source != NULL)
    {
      g_source_destroy (self->update_source);
      g_clear_pointer (&self->update_source, g_source_unref);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (cuda_obj_device_status_parent_class)->dispose (object);
}

static void
cuda_obj_device_status_finalize (GObject *object)
{
  CudaObjDeviceStatus *self = CUDA_OBJ_DEVICE_STATUS (object);

  if (self->initialized)
    close_nvml (self);
  g_clear_object (&self->device);
  g_free (self->driver_version);
  g_free (self->driver_branch);
  G_OBJECT_CLASS (cuda_obj_device_status_parent_class)->finalize (object);
}

static void
cuda_obj_device_status_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjDeviceStatus *self = CUDA_OBJ_DEVICE_STATUS (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_UPDATE_INTERVAL: g_value_set_uint (value, self->update_interval); break;
    case PROP_DRIVER_VERSION: g_value_set_string (value, self->driver_version); break;
    case PROP_DRIVER_BRANCH: g_value_set_string (value, self->driver_branch); break;
    case PROP_MEMORY_USED:
    case PROP_MEMORY_TOTAL:
    case PROP_MEMORY_FREE: g_value_set_uint64 (value, (guint64) MAX (self->values[prop_id], 0)); break;
    case PROP_CUDA_DRIVER_VERSION:
    case PROP_GPU_UTILIZATION:
    case PROP_MEMORY_UTILIZATION:
    case PROP_TEMPERATURE:
    case PROP_POWER_USAGE:
    case PROP_POWER_LIMIT:
    case PROP_SM_CLOCK:
    case PROP_MEMORY_CLOCK:
    case PROP_GRAPHICS_CLOCK:
    case PROP_FAN_SPEED: g_value_set_int (value, (int) self->values[prop_id]); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_device_status_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjDeviceStatus *self = CUDA_OBJ_DEVICE_STATUS (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_UPDATE_INTERVAL:
      cuda_obj_device_status_set_update_interval (self, g_value_get_uint (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_device_status_class_init (CudaObjDeviceStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags RO = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cuda_obj_device_status_dispose;
  object_class->finalize = cuda_obj_device_status_finalize;
  object_class->get_property = cuda_obj_device_status_get_property;
  object_class->set_property = cuda_obj_device_status_set_property;

  /**
   * CudaObjDeviceStatus:device:
   *
   * The device whose status this is.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                     | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CudaObjDeviceStatus:update-interval:
   *
   * How often, in milliseconds, the status refreshes itself in the main
   * context that was the thread-default one at construction; 0 (the
   * default) never. A failed periodic refresh sets it to 0 and emits
   * [signal@CudaObj.DeviceStatus::update-failed].
   *
   * Read it with [method@CudaObj.DeviceStatus.get_update_interval]; set it
   * with [method@CudaObj.DeviceStatus.set_update_interval].
   *
   * Since: 1.0
   */
  properties[PROP_UPDATE_INTERVAL] = g_param_spec_uint (
      "update-interval", NULL, NULL, 0, G_MAXUINT, 0,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CudaObjDeviceStatus:driver-version:
   *
   * The driver's version, such as `"580.95.05"`.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_driver_version].
   *
   * Since: 1.0
   */
  properties[PROP_DRIVER_VERSION] = g_param_spec_string ("driver-version", NULL, NULL, NULL, RO);

  /**
   * CudaObjDeviceStatus:driver-branch:
   *
   * The driver's branch as NVML gives it (`nvmlSystemGetDriverBranch`),
   * or, for drivers that cannot tell, `"r"` and the version's first number
   * (`"r580"`).
   *
   * Read it with [method@CudaObj.DeviceStatus.get_driver_branch].
   *
   * Since: 1.0
   */
  properties[PROP_DRIVER_BRANCH] = g_param_spec_string ("driver-branch", NULL, NULL, NULL, RO);

  /**
   * CudaObjDeviceStatus:cuda-driver-version:
   *
   * The CUDA version the driver supports, 1000 × major + 10 × minor
   * (13000 for CUDA 13.0).
   *
   * Read it with [method@CudaObj.DeviceStatus.get_cuda_driver_version].
   *
   * Since: 1.0
   */
  properties[PROP_CUDA_DRIVER_VERSION]
      = g_param_spec_int ("cuda-driver-version", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:gpu-utilization:
   *
   * The percentage of the last sample period during which a kernel ran, or
   * -1 when the device does not say.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_gpu_utilization].
   *
   * Since: 1.0
   */
  properties[PROP_GPU_UTILIZATION] = g_param_spec_int ("gpu-utilization", NULL, NULL, -1, 100, -1, RO);

  /**
   * CudaObjDeviceStatus:memory-utilization:
   *
   * The percentage of the last sample period during which device memory was
   * read or written, or -1 when the device does not say.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_memory_utilization].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_UTILIZATION] = g_param_spec_int ("memory-utilization", NULL, NULL, -1, 100, -1, RO);

  /**
   * CudaObjDeviceStatus:memory-used:
   *
   * Device memory in use by all processes, in bytes.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_memory_used].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_USED] = g_param_spec_uint64 ("memory-used", NULL, NULL, 0, G_MAXUINT64, 0, RO);

  /**
   * CudaObjDeviceStatus:memory-total:
   *
   * The device's memory, in bytes.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_memory_total].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_TOTAL] = g_param_spec_uint64 ("memory-total", NULL, NULL, 0, G_MAXUINT64, 0, RO);

  /**
   * CudaObjDeviceStatus:memory-free:
   *
   * Device memory free for allocations, in bytes.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_memory_free].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_FREE] = g_param_spec_uint64 ("memory-free", NULL, NULL, 0, G_MAXUINT64, 0, RO);

  /**
   * CudaObjDeviceStatus:temperature:
   *
   * The GPU's temperature in degrees Celsius, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_temperature].
   *
   * Since: 1.0
   */
  properties[PROP_TEMPERATURE] = g_param_spec_int ("temperature", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:power-usage:
   *
   * The board's power draw in milliwatts, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_power_usage].
   *
   * Since: 1.0
   */
  properties[PROP_POWER_USAGE] = g_param_spec_int ("power-usage", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:power-limit:
   *
   * The power limit the driver enforces, in milliwatts, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_power_limit].
   *
   * Since: 1.0
   */
  properties[PROP_POWER_LIMIT] = g_param_spec_int ("power-limit", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:sm-clock:
   *
   * The streaming multiprocessors' clock in MHz, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_sm_clock].
   *
   * Since: 1.0
   */
  properties[PROP_SM_CLOCK] = g_param_spec_int ("sm-clock", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:memory-clock:
   *
   * The memory clock in MHz, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_memory_clock].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_CLOCK] = g_param_spec_int ("memory-clock", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:graphics-clock:
   *
   * The graphics clock in MHz, or -1 when unknown.
   *
   * Read it with [method@CudaObj.DeviceStatus.get_graphics_clock].
   *
   * Since: 1.0
   */
  properties[PROP_GRAPHICS_CLOCK] = g_param_spec_int ("graphics-clock", NULL, NULL, -1, G_MAXINT, -1, RO);

  /**
   * CudaObjDeviceStatus:fan-speed:
   *
   * The fan speed as a percentage of its maximum, or -1 for boards
   * without a fan of their own (passively cooled data-center GPUs).
   *
   * Read it with [method@CudaObj.DeviceStatus.get_fan_speed].
   *
   * Since: 1.0
   */
  properties[PROP_FAN_SPEED] = g_param_spec_int ("fan-speed", NULL, NULL, -1, G_MAXINT, -1, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CudaObjDeviceStatus::update-failed:
   * @self: the status
   * @error: what went wrong
   *
   * Emitted in the status's main context when a periodic refresh failed;
   * [property@CudaObj.DeviceStatus:update-interval] was set to 0 before.
   *
   * Since: 1.0
   */
  signals[SIGNAL_UPDATE_FAILED] = g_signal_new ("update-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cuda_obj_device_status_init (CudaObjDeviceStatus *self)
{
  for (guint i = FIRST_READING; i < N_PROPS; i++)
    self->values[i] = -1;
  self->values[PROP_MEMORY_USED] = self->values[PROP_MEMORY_TOTAL] = self->values[PROP_MEMORY_FREE] = 0;
}

/**
 * cuda_obj_device_status_new:
 * @device: the [class@CudaObj.Device] to report on
 * @update_interval: how often to refresh, in milliseconds, in the
 *   thread-default main context; 0 never
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads the status of @device through NVML.
 *
 * Returns: (transfer full): the status, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND without NVML,
 *   %CUDA_OBJ_ERROR_NO_DEVICE when NVML does not know the device,
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when libcudaobj was built without
 *   NVML's header)
 *
 * Since: 1.0
 */
CudaObjDeviceStatus *
cuda_obj_device_status_new (CudaObjDevice *device, guint update_interval, GError **error)
{
  if (!cuda_obj_require_argument (device, error))
    return NULL;
  return g_initable_new (CUDA_OBJ_TYPE_DEVICE_STATUS, NULL, error, "device", device, "update-interval",
                         update_interval, NULL);
}

/**
 * cuda_obj_device_status_refresh:
 * @self: a [class@CudaObj.DeviceStatus]
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads every value again and emits [signal@GObject.Object::notify] for
 * each one that changed.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%CUDA_OBJ_ERROR_DEVICE_LOST
 *   when the GPU fell off the bus, or NVML's error); the values are then unchanged
 *
 * Since: 1.0
 */
gboolean
cuda_obj_device_status_refresh (CudaObjDeviceStatus *self, GError **error)
{
  gint64 values[N_PROPS];

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), FALSE);
  if (!require_initialized (self, G_STRFUNC, error))
    return FALSE;
  memcpy (values, self->values, sizeof values);
  if (!read_values (self, values, error))
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = FIRST_READING; i < N_PROPS; i++)
    if (values[i] != self->values[i])
      {
        self->values[i] = values[i];
        g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
      }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * cuda_obj_device_status_get_processes:
 * @self: a [class@CudaObj.DeviceStatus]
 * @error: return location for a [struct@GLib.Error]
 *
 * Lists the processes that have a CUDA context on the device
 * (`nvmlDeviceGetComputeRunningProcesses`). In a container, NVML may list
 * processes of the host under ids that mean nothing here, or none.
 *
 * Returns: (transfer container) (element-type CudaObjGpuProcess): the
 *   processes, or %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_device_status_get_processes (CudaObjDeviceStatus *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), NULL);
  if (!require_initialized (self, G_STRFUNC, error))
    return NULL;
  return read_processes (self, error);
}

/**
 * cuda_obj_device_status_set_update_interval:
 * @self: a [class@CudaObj.DeviceStatus]
 * @update_interval: the interval in milliseconds; 0 stops the updates
 *
 * Sets [property@CudaObj.DeviceStatus:update-interval], restarting the
 * periodic refresh.
 *
 * Since: 1.0
 */
void
cuda_obj_device_status_set_update_interval (CudaObjDeviceStatus *self, guint update_interval)
{
  g_return_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self));
  if (self->update_interval == update_interval)
    return;
  self->update_interval = update_interval;
  restart_updates (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATE_INTERVAL]);
}

/**
 * cuda_obj_device_status_get_device:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:device].
 *
 * Returns: (transfer none) (nullable): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_device_status_get_device (CudaObjDeviceStatus *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), NULL);
  return self->device;
}

/**
 * cuda_obj_device_status_get_update_interval:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:update-interval].
 *
 * Returns: the interval in milliseconds, 0 when off
 *
 * Since: 1.0
 */
guint
cuda_obj_device_status_get_update_interval (CudaObjDeviceStatus *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), 0);
  return self->update_interval;
}

/**
 * cuda_obj_device_status_get_driver_version:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:driver-version].
 *
 * Returns: (nullable): the version, %NULL when not initialized
 *
 * Since: 1.0
 */
const char *
cuda_obj_device_status_get_driver_version (CudaObjDeviceStatus *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), NULL);
  return self->driver_version;
}

/**
 * cuda_obj_device_status_get_driver_branch:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:driver-branch].
 *
 * Returns: (nullable): the branch, %NULL when not initialized
 *
 * Since: 1.0
 */
const char *
cuda_obj_device_status_get_driver_branch (CudaObjDeviceStatus *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), NULL);
  return self->driver_branch;
}

#define INT_GETTER(name, PROP)                                      \
  int cuda_obj_device_status_get_##name (CudaObjDeviceStatus *self) \
  {                                                                 \
    g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), -1);    \
    return (int) self->values[PROP];                                \
  }
#define UINT64_GETTER(name, PROP)                                       \
  guint64 cuda_obj_device_status_get_##name (CudaObjDeviceStatus *self) \
  {                                                                     \
    g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_STATUS (self), 0);         \
    return (guint64) MAX (self->values[PROP], 0);                       \
  }

/**
 * cuda_obj_device_status_get_cuda_driver_version:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:cuda-driver-version].
 *
 * Returns: the version, such as 13000; -1 when not initialized
 *
 * Since: 1.0
 */
INT_GETTER (cuda_driver_version, PROP_CUDA_DRIVER_VERSION)

/**
 * cuda_obj_device_status_get_gpu_utilization:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:gpu-utilization].
 *
 * Returns: the percentage, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (gpu_utilization, PROP_GPU_UTILIZATION)

/**
 * cuda_obj_device_status_get_memory_utilization:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:memory-utilization].
 *
 * Returns: the percentage, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (memory_utilization, PROP_MEMORY_UTILIZATION)

/**
 * cuda_obj_device_status_get_memory_used:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:memory-used].
 *
 * Returns: the bytes in use
 *
 * Since: 1.0
 */
UINT64_GETTER (memory_used, PROP_MEMORY_USED)

/**
 * cuda_obj_device_status_get_memory_total:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:memory-total].
 *
 * Returns: the device's memory in bytes
 *
 * Since: 1.0
 */
UINT64_GETTER (memory_total, PROP_MEMORY_TOTAL)

/**
 * cuda_obj_device_status_get_memory_free:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:memory-free].
 *
 * Returns: the free bytes
 *
 * Since: 1.0
 */
UINT64_GETTER (memory_free, PROP_MEMORY_FREE)

/**
 * cuda_obj_device_status_get_temperature:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:temperature].
 *
 * Returns: degrees Celsius, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (temperature, PROP_TEMPERATURE)

/**
 * cuda_obj_device_status_get_power_usage:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:power-usage].
 *
 * Returns: milliwatts, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (power_usage, PROP_POWER_USAGE)

/**
 * cuda_obj_device_status_get_power_limit:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:power-limit].
 *
 * Returns: milliwatts, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (power_limit, PROP_POWER_LIMIT)

/**
 * cuda_obj_device_status_get_sm_clock:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:sm-clock].
 *
 * Returns: MHz, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (sm_clock, PROP_SM_CLOCK)

/**
 * cuda_obj_device_status_get_memory_clock:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:memory-clock].
 *
 * Returns: MHz, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (memory_clock, PROP_MEMORY_CLOCK)

/**
 * cuda_obj_device_status_get_graphics_clock:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:graphics-clock].
 *
 * Returns: MHz, or -1 when unknown
 *
 * Since: 1.0
 */
INT_GETTER (graphics_clock, PROP_GRAPHICS_CLOCK)

/**
 * cuda_obj_device_status_get_fan_speed:
 * @self: a [class@CudaObj.DeviceStatus]
 *
 * Gives [property@CudaObj.DeviceStatus:fan-speed].
 *
 * Returns: the percentage, or -1 when the board has no fan of its own
 *
 * Since: 1.0
 */
INT_GETTER (fan_speed, PROP_FAN_SPEED)
