/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a kernel of an ObjectCode, its attributes and occupancy.
 *
 * A Kernel is a CUkernel of the ObjectCode's context-independent CUlibrary:
 * one object serves every device. Its parameter layout is read once, at
 * creation, so each launch can check arguments without asking the driver;
 * its per-device limits are read on the first launch on each device. */
#include "config.h"

#include <string.h>

#include "cudaobj-kernel.h"
#include "cudaobj-error-private.h"
#include "cudaobj-kernel-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-launch-config-private.h"
#include "cudaobj-object-code-private.h"

typedef struct
{
  gint ready;
  CudaObjKernelLimits limits;
} DeviceLimits;

struct _CudaObjKernel
{
  GObject parent_instance;

  CudaObjObjectCode *code;        /* owned: keeps the library loaded; NULL when wrapped */
  CudaObjDevice *function_device; /* owned: set when handle is a wrapped CUfunction */
  char *name;
  char *mangled_name;
  CUkernel handle;
  guint n_params;
  gsize *param_offsets;
  gsize *param_sizes;

  /* attributes on device 0, for the properties */
  int num_regs, max_threads_per_block, shared_size_bytes, const_size_bytes;
  int local_size_bytes, ptx_version, binary_version;

  GMutex limits_lock;
  guint n_devices;
  DeviceLimits *device_limits;
};

enum
{
  PROP_0,
  PROP_NAME,
  PROP_MANGLED_NAME,
  PROP_OBJECT_CODE,
  PROP_HANDLE,
  PROP_ARGUMENT_COUNT,
  PROP_NUM_REGS,
  PROP_MAX_THREADS_PER_BLOCK,
  PROP_SHARED_SIZE_BYTES,
  PROP_CONST_SIZE_BYTES,
  PROP_LOCAL_SIZE_BYTES,
  PROP_PTX_VERSION,
  PROP_BINARY_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Only cuda_obj_object_code_get_kernel() makes a usable kernel; a plain
 * constructor's has no handle. */
#define require_initialized(self, error) \
  (G_LIKELY ((self)->handle != NULL) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

/**
 * CudaObjKernel:
 *
 * A kernel (a `__global__` function) of a [class@CudaObj.ObjectCode], got with
 * [method@CudaObj.ObjectCode.get_kernel] and launched with [func@CudaObj.launch].
 *
 * The kernel is independent of contexts and devices: the same object
 * launches on a stream of any device. Its attributes on device 0 are
 * read-only properties ([property@CudaObj.Kernel:num-regs],
 * [property@CudaObj.Kernel:max-threads-per-block], ...); [method@CudaObj.Kernel.get_attribute]
 * reads them for any device. The parameter layout reported by the driver
 * ([method@CudaObj.Kernel.get_argument_info]) is what each launch's arguments are
 * checked against. Occupancy queries tell how many blocks fit on a
 * multiprocessor, which block size maximizes occupancy, how much dynamic
 * shared memory is left, and how clusters fit.
 *
 * A kernel loaded by other code (a `CUkernel`, or a `CUfunction` of one
 * context) is wrapped with [ctor@CudaObj.Kernel.new_from_handle], without
 * being owned.
 *
 * A kernel is safe to use from several threads.
 *
 * A kernel made with a plain constructor instead of
 * [method@CudaObj.ObjectCode.get_kernel] has no code: its getters give 0
 * or %NULL, and its other methods and launching it fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjKernel, cuda_obj_kernel, G_TYPE_OBJECT)

static void
cuda_obj_kernel_finalize (GObject *object)
{
  CudaObjKernel *self = CUDA_OBJ_KERNEL (object);

  g_clear_object (&self->code);
  g_clear_object (&self->function_device);
  g_free (self->name);
  g_free (self->mangled_name);
  g_free (self->param_offsets);
  g_free (self->param_sizes);
  g_free (self->device_limits);
  g_mutex_clear (&self->limits_lock);
  G_OBJECT_CLASS (cuda_obj_kernel_parent_class)->finalize (object);
}

static void
cuda_obj_kernel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjKernel *self = CUDA_OBJ_KERNEL (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_MANGLED_NAME: g_value_set_string (value, self->mangled_name); break;
    case PROP_OBJECT_CODE: g_value_set_object (value, self->code); break;
    case PROP_HANDLE: g_value_set_uint64 (value, (guint64) (guintptr) self->handle); break;
    case PROP_ARGUMENT_COUNT: g_value_set_uint (value, self->n_params); break;
    case PROP_NUM_REGS: g_value_set_int (value, self->num_regs); break;
    case PROP_MAX_THREADS_PER_BLOCK: g_value_set_int (value, self->max_threads_per_block); break;
    case PROP_SHARED_SIZE_BYTES: g_value_set_int (value, self->shared_size_bytes); break;
    case PROP_CONST_SIZE_BYTES: g_value_set_int (value, self->const_size_bytes); break;
    case PROP_LOCAL_SIZE_BYTES: g_value_set_int (value, self->local_size_bytes); break;
    case PROP_PTX_VERSION: g_value_set_int (value, self->ptx_version); break;
    case PROP_BINARY_VERSION: g_value_set_int (value, self->binary_version); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_kernel_class_init (CudaObjKernelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_kernel_finalize;
  object_class->get_property = cuda_obj_kernel_get_property;

  /**
   * CudaObjKernel:name:
   *
   * The name the kernel was asked for by: a C name or a name expression.
   *
   * Read it with [method@CudaObj.Kernel.get_name].
   *
   * Since: 1.0
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  /**
   * CudaObjKernel:mangled-name:
   *
   * The symbol in the object code: the lowered name of a name expression,
   * else the name itself.
   *
   * Read it with [method@CudaObj.Kernel.get_mangled_name].
   *
   * Since: 1.0
   */
  properties[PROP_MANGLED_NAME] = g_param_spec_string ("mangled-name", NULL, NULL, NULL, RO);
  /**
   * CudaObjKernel:object-code:
   *
   * The [class@CudaObj.ObjectCode] the kernel belongs to.
   *
   * Read it with [method@CudaObj.Kernel.get_object_code].
   *
   * Since: 1.0
   */
  properties[PROP_OBJECT_CODE]
      = g_param_spec_object ("object-code", NULL, NULL, CUDA_OBJ_TYPE_OBJECT_CODE, RO);
  /**
   * CudaObjKernel:handle:
   *
   * The driver's `CUkernel`, as an integer, for interoperation.
   *
   * Read it with [method@CudaObj.Kernel.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjKernel:argument-count:
   *
   * How many parameters the kernel takes.
   *
   * Read it with [method@CudaObj.Kernel.get_argument_count].
   *
   * Since: 1.0
   */
  properties[PROP_ARGUMENT_COUNT] = g_param_spec_uint ("argument-count", NULL, NULL, 0, G_MAXUINT, 0, RO);
  /**
   * CudaObjKernel:num-regs:
   *
   * Registers per thread (on device 0).
   *
   * Read it with [method@CudaObj.Kernel.get_num_regs].
   *
   * Since: 1.0
   */
  properties[PROP_NUM_REGS] = g_param_spec_int ("num-regs", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:max-threads-per-block:
   *
   * The largest block the kernel can be launched with (on device 0), given
   * its register use.
   *
   * Read it with [method@CudaObj.Kernel.get_max_threads_per_block].
   *
   * Since: 1.0
   */
  properties[PROP_MAX_THREADS_PER_BLOCK]
      = g_param_spec_int ("max-threads-per-block", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:shared-size-bytes:
   *
   * Statically allocated shared memory per block, in bytes.
   *
   * Read it with [method@CudaObj.Kernel.get_shared_size_bytes].
   *
   * Since: 1.0
   */
  properties[PROP_SHARED_SIZE_BYTES] = g_param_spec_int ("shared-size-bytes", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:const-size-bytes:
   *
   * Constant memory the kernel uses, in bytes.
   *
   * Read it with [method@CudaObj.Kernel.get_const_size_bytes].
   *
   * Since: 1.0
   */
  properties[PROP_CONST_SIZE_BYTES] = g_param_spec_int ("const-size-bytes", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:local-size-bytes:
   *
   * Local memory per thread, in bytes.
   *
   * Read it with [method@CudaObj.Kernel.get_local_size_bytes].
   *
   * Since: 1.0
   */
  properties[PROP_LOCAL_SIZE_BYTES] = g_param_spec_int ("local-size-bytes", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:ptx-version:
   *
   * The PTX virtual architecture it was compiled for, as 10 × major + minor (90 for compute_90).
   *
   * Read it with [method@CudaObj.Kernel.get_ptx_version].
   *
   * Since: 1.0
   */
  properties[PROP_PTX_VERSION] = g_param_spec_int ("ptx-version", NULL, NULL, 0, G_MAXINT, 0, RO);
  /**
   * CudaObjKernel:binary-version:
   *
   * The binary architecture it runs as, as 10 × major + minor.
   *
   * Read it with [method@CudaObj.Kernel.get_binary_version].
   *
   * Since: 1.0
   */
  properties[PROP_BINARY_VERSION] = g_param_spec_int ("binary-version", NULL, NULL, 0, G_MAXINT, 0, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_kernel_init (CudaObjKernel *self)
{
  g_mutex_init (&self->limits_lock);
}

/* A wrapped CUfunction has the cuFunc* twins of the cuKernel* calls; its
 * attributes do not depend on a device (it has one). */
#define ATTRIBUTE_CALL(self) ((self)->function_device != NULL ? "cuFuncGetAttribute" : "cuKernelGetAttribute")

static CUresult
get_attribute (CudaObjKernel *self, int *value, CUfunction_attribute attribute, CUdevice device)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self->function_device != NULL)
    return drv->cuFuncGetAttribute (value, attribute, (CUfunction) self->handle);
  return drv->cuKernelGetAttribute (value, attribute, self->handle, device);
}

/* FALSE with INVALID_ARGUMENT when a wrapped CUfunction belongs to another device. */
static gboolean
require_device (CudaObjKernel *self, CudaObjDevice *device, GError **error)
{
  if (self->function_device == NULL || self->function_device == device)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "Kernel %s is a CUfunction of device %u; it cannot run on device %u", self->name,
               cuda_obj_device_get_ordinal (self->function_device), cuda_obj_device_get_ordinal (device));
  return FALSE;
}

/* Reads the parameter layout; the driver answers INVALID_VALUE past the last one. */
static gboolean
read_parameters (CudaObjKernel *self, const CudaObjDriver *drv, GError **error)
{
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0;; i++)
    {
      size_t offset = 0, size = 0;
      CUresult result = self->function_device != NULL
                            ? drv->cuFuncGetParamInfo ((CUfunction) self->handle, i, &offset, &size)
                            : drv->cuKernelGetParamInfo (self->handle, i, &offset, &size);

      if (result == CUDA_ERROR_INVALID_VALUE)
        break;
      if (!cuda_obj_check (
              result, self->function_device != NULL ? "cuFuncGetParamInfo" : "cuKernelGetParamInfo", error))
        {
          g_array_free (offsets, TRUE);
          g_array_free (sizes, TRUE);
          return FALSE;
        }
      g_array_append_val (offsets, offset);
      g_array_append_val (sizes, size);
    }
  self->n_params = offsets->len;
  self->param_offsets = (gsize *) g_array_free (offsets, FALSE);
  self->param_sizes = (gsize *) g_array_free (sizes, FALSE);
  return TRUE;
}

static gboolean
read_attributes (CudaObjKernel *self, const CudaObjDriver *drv, CUdevice device, GError **error)
{
  static const struct
  {
    CUfunction_attribute attribute;
    gsize offset;
  } wanted[] = {
    { CU_FUNC_ATTRIBUTE_NUM_REGS, G_STRUCT_OFFSET (CudaObjKernel, num_regs) },
    { CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, G_STRUCT_OFFSET (CudaObjKernel, max_threads_per_block) },
    { CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, G_STRUCT_OFFSET (CudaObjKernel, shared_size_bytes) },
    { CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES, G_STRUCT_OFFSET (CudaObjKernel, const_size_bytes) },
    { CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, G_STRUCT_OFFSET (CudaObjKernel, local_size_bytes) },
    { CU_FUNC_ATTRIBUTE_PTX_VERSION, G_STRUCT_OFFSET (CudaObjKernel, ptx_version) },
    { CU_FUNC_ATTRIBUTE_BINARY_VERSION, G_STRUCT_OFFSET (CudaObjKernel, binary_version) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if (!cuda_obj_check (
            get_attribute (self, G_STRUCT_MEMBER_P (self, wanted[i].offset), wanted[i].attribute, device),
            ATTRIBUTE_CALL (self), error))
      return FALSE;
  return TRUE;
}

/* A kernel of a CUmodule wrapped as object code: a CUfunction of @device,
 * wrapped as cuda_obj_kernel_new_from_handle() does, that keeps @code. */
static CudaObjKernel *
get_module_kernel (CudaObjObjectCode *code, CUmodule module, CudaObjDevice *device, const char *name,
                   GError **error)
{
  CudaObjKernel *self;
  CUfunction function = NULL;
  CUresult result;

  if (!cuda_obj_device_activate (device, error))
    return NULL;
  result = cuda_obj_driver_peek ()->cuModuleGetFunction (&function, module, name);
  if (result != CUDA_SUCCESS)
    {
      cuda_obj_check (result, "cuModuleGetFunction", error);
      g_prefix_error (error, "No kernel \"%s\": ", name);
      return NULL;
    }
  self = cuda_obj_kernel_new_from_handle (device, (guint64) (guintptr) function,
                                          CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION, error);
  if (self == NULL)
    return NULL;
  self->code = g_object_ref (code);
  g_free (self->name);
  self->name = g_strdup (name);
  return self;
}

/**
 * cuda_obj_object_code_get_kernel:
 * @code: a [class@CudaObj.ObjectCode] holding CUBIN, PTX or a fatbin
 * @name: the kernel's name: its C name (for `extern "C"` kernels), a name
 *   expression given when compiling (such as "saxpy<float>"), or a mangled name
 * @error: return location for a [struct@GLib.Error]
 *
 * Finds a kernel of @code, loading the code into the driver on first use.
 * The kernel works on every device, except one of a `CUmodule` wrapped
 * with [ctor@CudaObj.ObjectCode.new_from_handle]: that is a `CUfunction`
 * of the module's device and context only.
 *
 * Returns: (transfer full): the kernel, or %NULL with @error set: a
 *   %CUDA_OBJ_DRIVER_ERROR_NOT_FOUND error when @code has no such kernel, a
 *   loader error without a driver
 *
 * Since: 1.0
 */
CudaObjKernel *
cuda_obj_object_code_get_kernel (CudaObjObjectCode *code, const char *name, GError **error)
{
  g_autoptr (CudaObjKernel) self = NULL;
  g_autoptr (CudaObjDevice) device0 = NULL;
  const CudaObjDriver *drv;
  CudaObjDevice *module_device;
  const char *lowered;
  CUlibrary library;
  CUmodule module;
  CUresult result;
  guint count;

  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (code), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (!cuda_obj_object_code_require_initialized (code, G_STRFUNC, error))
    return NULL;
  module = cuda_obj_object_code_peek_module (code, &module_device);
  if (module != NULL)
    return get_module_kernel (code, module, module_device, name, error);

  drv = cuda_obj_driver_get (error);
  if (drv == NULL)
    return NULL;
  /* Devices first: the primary context of device 0 reads the attributes. */
  device0 = cuda_obj_device_get (0, error);
  if (device0 == NULL || !cuda_obj_device_activate (device0, error))
    return NULL;
  library = cuda_obj_object_code_get_library (code, error);
  if (library == NULL)
    return NULL;

  self = g_object_new (CUDA_OBJ_TYPE_KERNEL, NULL);
  self->code = g_object_ref (code);
  self->name = g_strdup (name);
  lowered = cuda_obj_object_code_get_lowered_name (code, name);
  self->mangled_name = g_strdup (lowered != NULL ? lowered : name);

  result = drv->cuLibraryGetKernel (&self->handle, library, self->mangled_name);
  if (result != CUDA_SUCCESS)
    {
      cuda_obj_check (result, "cuLibraryGetKernel", error);
      g_prefix_error (error, "No kernel \"%s\"%s%s%s: ", name, lowered != NULL ? " (" : "",
                      lowered != NULL ? lowered : "", lowered != NULL ? ")" : "");
      return NULL;
    }
  if (!read_parameters (self, drv, error)
      || !read_attributes (self, drv, cuda_obj_device_get_handle (device0), error))
    return NULL;

  count = cuda_obj_device_get_count (error);
  if (count == 0)
    return NULL;
  self->n_devices = count;
  self->device_limits = g_new0 (DeviceLimits, count);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_kernel_new_from_handle:
 * @device: for a `CUkernel`, the device whose attributes the properties
 *   give; for a `CUfunction`, the device it belongs to
 * @handle: the `CUkernel` or `CUfunction`, as an integer
 * @type: which of the two @handle is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a kernel that code outside libcudaobj loaded (with `cuLibrary*`,
 * `cuModule*`, or the CUDA runtime's `cudaGetKernel`), without owning it:
 * the library or module it comes from must stay loaded while the kernel is
 * used. Attributes, argument checks, occupancy queries and
 * [func@CudaObj.launch] work as for a kernel of an
 * [class@CudaObj.ObjectCode]; [property@CudaObj.Kernel:object-code] is
 * %NULL and [property@CudaObj.Kernel:name] the driver's name for it.
 *
 * A `CUkernel` runs on every device. A `CUfunction` belongs to one context
 * of @device: launch it on streams of that context only (a stream of the
 * primary context for a function of the primary context); asking for it on
 * another device is a %CUDA_OBJ_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): the kernel, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a 0 handle or an unknown @type)
 *
 * Since: 1.0
 */
CudaObjKernel *
cuda_obj_kernel_new_from_handle (CudaObjDevice *device, guint64 handle, CudaObjKernelHandleType type,
                                 GError **error)
{
  g_autoptr (CudaObjKernel) self = NULL;
  const CudaObjDriver *drv;
  const char *name = NULL;
  CUresult result;
  guint count;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  if (!cuda_obj_device_activate (device, error))
    return NULL;
  if (handle == 0
      || (type != CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL && type != CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot wrap kernel handle 0x%" G_GINT64_MODIFIER "x of type %d: give a CUkernel or a "
                   "CUfunction and its CudaObjKernelHandleType",
                   handle, (int) type);
      return NULL;
    }
  drv = cuda_obj_driver_peek ();
  self = g_object_new (CUDA_OBJ_TYPE_KERNEL, NULL);
  /* A CUkernel stands for its CUfunction at launch; both go in one field. */
  self->handle = (CUkernel) (guintptr) handle;
  if (type == CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION)
    {
      self->function_device = g_object_ref (device);
      result = drv->cuFuncGetName (&name, (CUfunction) self->handle);
    }
  else
    result = drv->cuKernelGetName (&name, self->handle);
  if (!cuda_obj_check (
          result, type == CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION ? "cuFuncGetName" : "cuKernelGetName", error))
    {
      self->handle = NULL;
      return NULL;
    }
  self->name = g_strdup (name);
  self->mangled_name = g_strdup (name);
  if (!read_parameters (self, drv, error)
      || !read_attributes (self, drv, cuda_obj_device_get_handle (device), error))
    {
      self->handle = NULL;
      return NULL;
    }
  count = cuda_obj_device_get_count (error);
  if (count == 0)
    {
      self->handle = NULL;
      return NULL;
    }
  self->n_devices = count;
  self->device_limits = g_new0 (DeviceLimits, count);
  return g_steal_pointer (&self);
}

void
cuda_obj_kernel_peek (CudaObjKernel *self, CudaObjKernelView *view)
{
  view->handle = self->handle;
  view->n_params = self->n_params;
  view->param_offsets = self->param_offsets;
  view->param_sizes = self->param_sizes;
}

const CudaObjKernelLimits *
cuda_obj_kernel_get_limits (CudaObjKernel *self, CudaObjDevice *device, GError **error)
{
  guint ordinal = cuda_obj_device_get_ordinal (device);
  DeviceLimits *entry;

  if (G_UNLIKELY (ordinal >= self->n_devices))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NO_DEVICE,
                   "Device %u did not exist when kernel %s was loaded", ordinal, self->name);
      return NULL;
    }
  entry = &self->device_limits[ordinal];
  if (G_LIKELY (g_atomic_int_get (&entry->ready)))
    return &entry->limits;
  if (!require_device (self, device, error))
    return NULL;

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->limits_lock);
    CUdevice dev = cuda_obj_device_get_handle (device);

    if (!entry->ready)
      {
        if (!cuda_obj_check (get_attribute (self, &entry->limits.max_threads_per_block,
                                            CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, dev),
                             ATTRIBUTE_CALL (self), error)
            || !cuda_obj_check (get_attribute (self, &entry->limits.max_dynamic_shared_memory,
                                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, dev),
                                ATTRIBUTE_CALL (self), error)
            || !cuda_obj_check (get_attribute (self, &entry->limits.static_shared_memory,
                                               CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, dev),
                                ATTRIBUTE_CALL (self), error))
          return NULL;
        g_atomic_int_set (&entry->ready, 1);
      }
  }
  return &entry->limits;
}

/**
 * cuda_obj_kernel_get_name:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the name the kernel was asked for by: a C name, or a name expression
 * such as `saxpy<float>`. See [property@CudaObj.Kernel:name].
 *
 * Returns: the name, owned by the kernel
 *
 * Since: 1.0
 */
const char *
cuda_obj_kernel_get_name (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), NULL);
  return self->name;
}

/**
 * cuda_obj_kernel_get_mangled_name:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the kernel's symbol in the object code: the lowered (mangled) name of
 * a name expression, else the name itself. See
 * [property@CudaObj.Kernel:mangled-name].
 *
 * Returns: the symbol name, owned by the kernel
 *
 * Since: 1.0
 */
const char *
cuda_obj_kernel_get_mangled_name (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), NULL);
  return self->mangled_name;
}

/**
 * cuda_obj_kernel_get_object_code:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the object code the kernel was taken from; the kernel keeps it alive.
 * See [property@CudaObj.Kernel:object-code].
 *
 * Returns: (transfer none) (nullable): the object code; %NULL for a
 *   kernel wrapped with [ctor@CudaObj.Kernel.new_from_handle]
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_kernel_get_object_code (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), NULL);
  return self->code;
}

/**
 * cuda_obj_kernel_get_handle:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the driver's `CUkernel` as an integer, for interoperation with other
 * CUDA libraries. See [property@CudaObj.Kernel:handle].
 *
 * Returns: the `CUkernel`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_kernel_get_handle (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_kernel_get_handle_type:
 * @self: a [class@CudaObj.Kernel]
 *
 * Tells what [method@CudaObj.Kernel.get_handle] gives: a `CUkernel`, or for
 * a kernel wrapped from a `CUfunction`, that function.
 *
 * Returns: the handle's type
 *
 * Since: 1.0
 */
CudaObjKernelHandleType
cuda_obj_kernel_get_handle_type (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL);
  return self->function_device != NULL ? CUDA_OBJ_KERNEL_HANDLE_TYPE_FUNCTION
                                       : CUDA_OBJ_KERNEL_HANDLE_TYPE_KERNEL;
}

/**
 * cuda_obj_kernel_get_argument_count:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives how many parameters the kernel takes, as the driver reports them;
 * [func@CudaObj.launch] checks a [class@CudaObj.KernelArgs] against it. See
 * [property@CudaObj.Kernel:argument-count].
 *
 * Returns: the number of parameters
 *
 * Since: 1.0
 */
guint
cuda_obj_kernel_get_argument_count (CudaObjKernel *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  return self->n_params;
}

/**
 * cuda_obj_kernel_get_argument_info:
 * @self: a [class@CudaObj.Kernel]
 * @index: a parameter's position
 * @offset: (out) (optional): the parameter's offset in the parameter buffer, in bytes
 * @size: (out) (optional): the parameter's size in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Describes a parameter as the driver lays it out: a pointer or a 64-bit
 * integer is 8 bytes, an `int` or a `float` 4, a struct its `sizeof`.
 *
 * Returns: %TRUE on success; %FALSE with %CUDA_OBJ_ERROR_INVALID_ARGUMENT
 *   when @index is past the last parameter
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_get_argument_info (CudaObjKernel *self, guint index, gsize *offset, gsize *size,
                                   GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  if (index >= self->n_params)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Kernel %s has %u parameter%s; there is no parameter %u", self->name, self->n_params,
                   self->n_params == 1 ? "" : "s", index);
      return FALSE;
    }
  if (offset != NULL)
    *offset = self->param_offsets[index];
  if (size != NULL)
    *size = self->param_sizes[index];
  return TRUE;
}

/**
 * cuda_obj_kernel_get_attribute:
 * @self: a [class@CudaObj.Kernel]
 * @attribute: the attribute
 * @device: (nullable): the device to read it for; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads an attribute of the kernel on a device.
 *
 * Returns: the value; 0 with @error set on failure
 *
 * Since: 1.0
 */
int
cuda_obj_kernel_get_attribute (CudaObjKernel *self, CudaObjKernelAttribute attribute, CudaObjDevice *device,
                               GError **error)
{
  g_autoptr (CudaObjDevice) fallback = NULL;
  int value = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), 0);
  if (!require_initialized (self, error))
    return 0;
  if (device == NULL && (device = fallback = cuda_obj_device_get (0, error)) == NULL)
    return 0;
  if (!cuda_obj_device_require (device, G_STRFUNC, "device", error) || !require_device (self, device, error))
    return 0;
  if (!cuda_obj_check (
          get_attribute (self, &value, (CUfunction_attribute) attribute, cuda_obj_device_get_handle (device)),
          ATTRIBUTE_CALL (self), error))
    return 0;
  return value;
}

/**
 * cuda_obj_kernel_set_attribute:
 * @self: a [class@CudaObj.Kernel]
 * @attribute: a settable attribute, such as
 *   %CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES or
 *   %CUDA_OBJ_KERNEL_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT
 * @value: the new value
 * @device: (nullable): the device to set it for; %NULL for device 0
 * @error: return location for a [struct@GLib.Error]
 *
 * Changes an attribute of the kernel on a device, for instance to let
 * launches use more than 48 KiB of dynamic shared memory.
 *
 * Returns: %TRUE on success; %FALSE with @error set (a driver
 *   %CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE for a value over the device's limit)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_set_attribute (CudaObjKernel *self, CudaObjKernelAttribute attribute, int value,
                               CudaObjDevice *device, GError **error)
{
  g_autoptr (CudaObjDevice) fallback = NULL;
  guint ordinal;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), FALSE);
  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  if (device == NULL && (device = fallback = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  if (!cuda_obj_device_require (device, G_STRFUNC, "device", error) || !require_device (self, device, error))
    return FALSE;
  if (self->function_device != NULL
          ? !cuda_obj_check (cuda_obj_driver_peek ()->cuFuncSetAttribute (
                                 (CUfunction) self->handle, (CUfunction_attribute) attribute, value),
                             "cuFuncSetAttribute", error)
          : !cuda_obj_check (
              cuda_obj_driver_peek ()->cuKernelSetAttribute (
                  (CUfunction_attribute) attribute, value, self->handle, cuda_obj_device_get_handle (device)),
              "cuKernelSetAttribute", error))
    return FALSE;
  /* The cached launch limits of that device are stale now. */
  ordinal = cuda_obj_device_get_ordinal (device);
  if (ordinal < self->n_devices)
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->limits_lock);
      g_atomic_int_set (&self->device_limits[ordinal].ready, 0);
    }
  return TRUE;
}

#define ATTRIBUTE_GETTER(field)                          \
  int cuda_obj_kernel_get_##field (CudaObjKernel *self)  \
  {                                                      \
    g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0); \
    return self->field;                                  \
  }

/**
 * cuda_obj_kernel_get_num_regs:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the registers each thread uses, on device 0; see
 * [method@CudaObj.Kernel.get_attribute] for another device. See
 * [property@CudaObj.Kernel:num-regs].
 *
 * Returns: registers per thread
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (num_regs)
/**
 * cuda_obj_kernel_get_max_threads_per_block:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the largest block the kernel can be launched with on device 0, given
 * its register use. See [property@CudaObj.Kernel:max-threads-per-block].
 *
 * Returns: the maximum number of threads per block
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (max_threads_per_block)
/**
 * cuda_obj_kernel_get_shared_size_bytes:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the statically allocated shared memory per block, in bytes; dynamic
 * shared memory ([property@CudaObj.LaunchConfig:shared-memory-bytes]) comes
 * on top. See [property@CudaObj.Kernel:shared-size-bytes].
 *
 * Returns: static shared memory per block, in bytes
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (shared_size_bytes)
/**
 * cuda_obj_kernel_get_const_size_bytes:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the constant memory the kernel uses, in bytes. See
 * [property@CudaObj.Kernel:const-size-bytes].
 *
 * Returns: constant memory, in bytes
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (const_size_bytes)
/**
 * cuda_obj_kernel_get_local_size_bytes:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the local memory each thread uses, in bytes (register spills and
 * local arrays). See [property@CudaObj.Kernel:local-size-bytes].
 *
 * Returns: local memory per thread, in bytes
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (local_size_bytes)
/**
 * cuda_obj_kernel_get_ptx_version:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the PTX virtual architecture the kernel was compiled for, as 10 ×
 * major + minor (90 for compute_90). See
 * [property@CudaObj.Kernel:ptx-version].
 *
 * Returns: the PTX version
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (ptx_version)
/**
 * cuda_obj_kernel_get_binary_version:
 * @self: a [class@CudaObj.Kernel]
 *
 * Gives the binary architecture the kernel runs as, as 10 × major + minor (90
 * for sm_90). See [property@CudaObj.Kernel:binary-version].
 *
 * Returns: the binary version
 *
 * Since: 1.0
 */
ATTRIBUTE_GETTER (binary_version)

/* The CUfunction of the kernel in @device's primary context, made current. */
static CUfunction
function_on (CudaObjKernel *self, CudaObjDevice *device, GError **error)
{
  CUfunction function = NULL;

  if (!require_device (self, device, error) || !cuda_obj_device_activate (device, error))
    return NULL;
  if (self->function_device != NULL)
    return (CUfunction) self->handle;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuKernelGetFunction (&function, self->handle),
                       "cuKernelGetFunction", error))
    return NULL;
  return function;
}

/**
 * cuda_obj_kernel_get_max_active_blocks_per_multiprocessor:
 * @self: a [class@CudaObj.Kernel]
 * @device: the device
 * @block_size: threads per block
 * @dynamic_shared_memory: dynamic shared memory per block, in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how many blocks of @block_size threads can be resident on one
 * multiprocessor at once: the kernel's occupancy.
 *
 * Returns: the number of blocks; 0 with @error set on failure
 *
 * Since: 1.0
 */
int
cuda_obj_kernel_get_max_active_blocks_per_multiprocessor (CudaObjKernel *self, CudaObjDevice *device,
                                                          guint block_size, gsize dynamic_shared_memory,
                                                          GError **error)
{
  CUfunction function;
  int blocks = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return 0;
  if ((function = function_on (self, device, error)) == NULL
      || !cuda_obj_check (
          cuda_obj_driver_peek ()->cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags (
              &blocks, function, (int) block_size, dynamic_shared_memory, CU_OCCUPANCY_DEFAULT),
          "cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags", error))
    return 0;
  return blocks;
}

/**
 * cuda_obj_kernel_get_max_potential_block_size:
 * @self: a [class@CudaObj.Kernel]
 * @device: the device
 * @dynamic_shared_memory: dynamic shared memory per block, in bytes
 * @block_size_limit: the largest block size to consider; 0 for no limit
 * @min_grid_size: (out) (optional): the smallest grid that reaches full occupancy
 * @block_size: (out) (optional): the block size that maximizes occupancy
 * @error: return location for a [struct@GLib.Error]
 *
 * Suggests a block size that maximizes the kernel's occupancy.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_get_max_potential_block_size (CudaObjKernel *self, CudaObjDevice *device,
                                              gsize dynamic_shared_memory, guint block_size_limit,
                                              int *min_grid_size, int *block_size, GError **error)
{
  CUfunction function;
  int grid = 0, block = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), FALSE);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return FALSE;
  if ((function = function_on (self, device, error)) == NULL
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuOccupancyMaxPotentialBlockSize (
                              &grid, &block, function, NULL, dynamic_shared_memory, (int) block_size_limit),
                          "cuOccupancyMaxPotentialBlockSize", error))
    return FALSE;
  if (min_grid_size != NULL)
    *min_grid_size = grid;
  if (block_size != NULL)
    *block_size = block;
  return TRUE;
}

/**
 * cuda_obj_kernel_get_available_dynamic_shared_memory:
 * @self: a [class@CudaObj.Kernel]
 * @device: the device
 * @num_blocks: blocks that should be resident per multiprocessor
 * @block_size: threads per block
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how much dynamic shared memory each block may use while @num_blocks
 * blocks of @block_size threads stay resident on a multiprocessor.
 *
 * Returns: bytes per block; 0 with @error set on failure
 *
 * Since: 1.0
 */
gsize
cuda_obj_kernel_get_available_dynamic_shared_memory (CudaObjKernel *self, CudaObjDevice *device,
                                                     guint num_blocks, guint block_size, GError **error)
{
  CUfunction function;
  size_t bytes = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return 0;
  if ((function = function_on (self, device, error)) == NULL
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuOccupancyAvailableDynamicSMemPerBlock (
                              &bytes, function, (int) num_blocks, (int) block_size),
                          "cuOccupancyAvailableDynamicSMemPerBlock", error))
    return 0;
  return bytes;
}

static void
fill_cluster_config (CudaObjLaunchConfig *config, CUlaunchConfig *out, CUlaunchAttribute *attribute)
{
  const CudaObjLaunchShape *shape = cuda_obj_launch_config_peek_shape (config);

  memset (out, 0, sizeof *out);
  out->gridDimX = shape->grid[0];
  out->gridDimY = shape->grid[1];
  out->gridDimZ = shape->grid[2];
  out->blockDimX = shape->block[0];
  out->blockDimY = shape->block[1];
  out->blockDimZ = shape->block[2];
  out->sharedMemBytes = shape->shared_memory_bytes;
  attribute->id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute->value.clusterDim.x = shape->cluster[0];
  attribute->value.clusterDim.y = shape->cluster[1];
  attribute->value.clusterDim.z = shape->cluster[2];
  out->attrs = attribute;
  out->numAttrs = 1;
}

/**
 * cuda_obj_kernel_get_max_potential_cluster_size:
 * @self: a [class@CudaObj.Kernel]
 * @device: the device
 * @config: the launch's configuration (its cluster shape is ignored)
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells the largest thread-block cluster the kernel can be launched with
 * under @config (compute capability 9.0 and newer).
 *
 * Returns: the cluster size in blocks; 0 with @error set on failure
 *
 * Since: 1.0
 */
int
cuda_obj_kernel_get_max_potential_cluster_size (CudaObjKernel *self, CudaObjDevice *device,
                                                CudaObjLaunchConfig *config, GError **error)
{
  CUfunction function;
  CUlaunchConfig launch;
  CUlaunchAttribute attribute;
  int size = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return 0;
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (config), 0);
  fill_cluster_config (config, &launch, &attribute);
  launch.numAttrs = 0;
  if ((function = function_on (self, device, error)) == NULL
      || !cuda_obj_check (
          cuda_obj_driver_peek ()->cuOccupancyMaxPotentialClusterSize (&size, function, &launch),
          "cuOccupancyMaxPotentialClusterSize", error))
    return 0;
  return size;
}

/**
 * cuda_obj_kernel_get_max_active_clusters:
 * @self: a [class@CudaObj.Kernel]
 * @device: the device
 * @config: the launch's configuration, with its cluster shape
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells how many clusters of @config's shape can be resident on the device
 * at once.
 *
 * Returns: the number of clusters; 0 with @error set on failure
 *
 * Since: 1.0
 */
int
cuda_obj_kernel_get_max_active_clusters (CudaObjKernel *self, CudaObjDevice *device,
                                         CudaObjLaunchConfig *config, GError **error)
{
  CUfunction function;
  CUlaunchConfig launch;
  CUlaunchAttribute attribute;
  int clusters = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (self), 0);
  if (!require_initialized (self, error) || !cuda_obj_device_require (device, G_STRFUNC, "device", error))
    return 0;
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (config), 0);
  fill_cluster_config (config, &launch, &attribute);
  if ((function = function_on (self, device, error)) == NULL
      || !cuda_obj_check (
          cuda_obj_driver_peek ()->cuOccupancyMaxActiveClusters (&clusters, function, &launch),
          "cuOccupancyMaxActiveClusters", error))
    return 0;
  return clusters;
}
