/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA context.
 *
 * Four kinds behind one class: the device's primary context (owned by the
 * Device, looked up there on every use so that a device reset is followed),
 * a context created here (cuCtxCreate, destroyed by close or dispose), a
 * green context over a share of the device's SMs (cuGreenCtxCreate) and a
 * foreign CUcontext, wrapped and never destroyed. Streams keep a reference
 * on their context and ask it for the CUcontext to make current. */
#include "config.h"

#include "cudaobj-context.h"
#include "cudaobj-context-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-device-resource-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error-private.h"

typedef enum
{
  KIND_NONE, /* a plain constructor's: not initialized */
  KIND_PRIMARY,
  KIND_CREATED,
  KIND_GREEN,
  KIND_FOREIGN,
} ContextKind;

struct _CudaObjContext
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  ContextKind kind;
  CUcontext handle; /* NULL for the primary context (ask the device) and once closed */
  CUgreenCtx green; /* KIND_GREEN only */
  CudaObjContextFlags flags;
  guint sm_count;
  int closed; /* atomic */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_HANDLE,
  PROP_IS_PRIMARY,
  PROP_IS_GREEN,
  PROP_OWNS_HANDLE,
  PROP_FLAGS,
  PROP_SM_COUNT,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ALL_FLAGS 0xFFu
#define SCHED_FLAGS                                                       \
  (CUDA_OBJ_CONTEXT_FLAGS_SCHED_SPIN | CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD \
   | CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC)

/**
 * CudaObjContext:
 *
 * A CUDA context: the device state (memory mappings, loaded code, streams)
 * that work runs in.
 *
 * Most programs never need one: every libcudaobj object uses its device's
 * primary context, the one the CUDA runtime, CuPy and PyTorch share, and
 * makes it current around its own driver calls. A context object is for
 * the other cases:
 *
 * - [method@CudaObj.Device.get_primary_context] names the primary context,
 *   to make it current for foreign code or to pass it where a context is
 *   asked for;
 * - [method@CudaObj.Device.create_context] creates a separate context with
 *   its own scheduling flags ([flags@CudaObj.ContextFlags]);
 * - [ctor@CudaObj.Context.new_green] creates a green context, which runs
 *   its work on a share of the device's streaming multiprocessors only (see
 *   [class@CudaObj.DeviceResource]), so that latency-critical kernels keep
 *   SMs of their own while a long computation fills the rest;
 * - [ctor@CudaObj.Context.new_from_handle] wraps a `CUcontext` made by
 *   other code, without taking it over.
 *
 * Work goes to a context through its streams: construct a
 * [class@CudaObj.Stream] with [property@CudaObj.Stream:context] set (or call
 * [method@CudaObj.Context.create_stream]); launches and copies on that
 * stream then run in the context. Memory from the device's memory
 * resources belongs to the primary context; green contexts share its
 * address space, so buffers work there as they are. A created context has
 * an address space of its own.
 *
 * [method@CudaObj.Context.close] destroys a created or green context after
 * waiting for its work; closing a context whose streams are still in use
 * makes their later calls fail with the driver's error. Dropping the last
 * reference (every stream of the context holds one) destroys it too. The
 * primary and wrapped contexts are never destroyed by this object.
 *
 * A context made with a plain constructor (`CudaObj.Context()`) has no
 * context behind it: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED
 * and its getters give 0, %FALSE or %NULL.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjContext, cuda_obj_context, G_TYPE_OBJECT)

static gboolean
require_open (CudaObjContext *self, const char *func, GError **error)
{
  if (G_UNLIKELY (self->kind == KIND_NONE))
    return cuda_obj_set_not_initialized (error, self, func);
  if (G_UNLIKELY (g_atomic_int_get (&self->closed)))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "Context is closed");
      return FALSE;
    }
  return TRUE;
}

static gboolean
activate (CudaObjContext *self, GError **error)
{
  if (self->kind == KIND_PRIMARY)
    return cuda_obj_device_activate (self->device, error);
  return cuda_obj_context_activate_handle (self->handle, error);
}

/* Destroys what this object owns; the caller marked it closed. */
static gboolean
destroy_handles (CudaObjContext *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  gboolean ok = TRUE;

  if (drv == NULL)
    return TRUE;
  if (self->kind == KIND_CREATED && self->handle != NULL)
    ok = cuda_obj_check (drv->cuCtxDestroy (self->handle), "cuCtxDestroy", error);
  else if (self->kind == KIND_GREEN && self->green != NULL)
    ok = cuda_obj_check (drv->cuGreenCtxDestroy (self->green), "cuGreenCtxDestroy", error);
  self->handle = NULL;
  self->green = NULL;
  return ok;
}

static void
cuda_obj_context_dispose (GObject *object)
{
  CudaObjContext *self = CUDA_OBJ_CONTEXT (object);

  if (!g_atomic_int_exchange (&self->closed, TRUE))
    destroy_handles (self, NULL);
  G_OBJECT_CLASS (cuda_obj_context_parent_class)->dispose (object);
}

static void
cuda_obj_context_finalize (GObject *object)
{
  CudaObjContext *self = CUDA_OBJ_CONTEXT (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_context_parent_class)->finalize (object);
}

static void
cuda_obj_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjContext *self = CUDA_OBJ_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_context_get_handle (self)); break;
    case PROP_IS_PRIMARY: g_value_set_boolean (value, self->kind == KIND_PRIMARY); break;
    case PROP_IS_GREEN: g_value_set_boolean (value, self->kind == KIND_GREEN); break;
    case PROP_OWNS_HANDLE: g_value_set_boolean (value, cuda_obj_context_get_owns_handle (self)); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_SM_COUNT: g_value_set_uint (value, self->sm_count); break;
    case PROP_CLOSED: g_value_set_boolean (value, cuda_obj_context_is_closed (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_context_class_init (CudaObjContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_context_dispose;
  object_class->finalize = cuda_obj_context_finalize;
  object_class->get_property = cuda_obj_context_get_property;

  /**
   * CudaObjContext:device:
   *
   * The device the context belongs to.
   *
   * Read it with [method@CudaObj.Context.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, RO);
  /**
   * CudaObjContext:handle:
   *
   * The `CUcontext` as an integer, for code that calls the driver itself;
   * 0 once closed. A green context reports the `CUcontext` the driver made
   * for it (`cuCtxFromGreenCtx`).
   *
   * Read it with [method@CudaObj.Context.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjContext:is-primary:
   *
   * Whether this is the device's primary context.
   *
   * Read it with [method@CudaObj.Context.get_is_primary].
   *
   * Since: 1.0
   */
  properties[PROP_IS_PRIMARY] = g_param_spec_boolean ("is-primary", NULL, NULL, FALSE, RO);
  /**
   * CudaObjContext:is-green:
   *
   * Whether this is a green context, limited to a share of the device's
   * SMs ([property@CudaObj.Context:sm-count]).
   *
   * Read it with [method@CudaObj.Context.get_is_green].
   *
   * Since: 1.0
   */
  properties[PROP_IS_GREEN] = g_param_spec_boolean ("is-green", NULL, NULL, FALSE, RO);
  /**
   * CudaObjContext:owns-handle:
   *
   * Whether closing this object destroys the context: %TRUE for created
   * and green contexts, %FALSE for the primary and wrapped ones.
   *
   * Read it with [method@CudaObj.Context.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE] = g_param_spec_boolean ("owns-handle", NULL, NULL, FALSE, RO);
  /**
   * CudaObjContext:flags:
   *
   * The context's flags: as given for a created context, as the driver
   * reports them (`cuCtxGetFlags`) for the primary and wrapped ones, and
   * %CUDA_OBJ_CONTEXT_FLAGS_NONE for a green context, which behaves as the
   * primary context does.
   *
   * Read it with [method@CudaObj.Context.get_flags].
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL, CUDA_OBJ_TYPE_CONTEXT_FLAGS,
                                               CUDA_OBJ_CONTEXT_FLAGS_NONE, RO);
  /**
   * CudaObjContext:sm-count:
   *
   * How many streaming multiprocessors the context's kernels may run on:
   * the green context's share, or all of the device's.
   *
   * Read it with [method@CudaObj.Context.get_sm_count].
   *
   * Since: 1.0
   */
  properties[PROP_SM_COUNT] = g_param_spec_uint ("sm-count", NULL, NULL, 0, G_MAXUINT, 0, RO);
  /**
   * CudaObjContext:closed:
   *
   * Whether [method@CudaObj.Context.close] was called (or the context was
   * never initialized).
   *
   * Read it with [method@CudaObj.Context.is_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED] = g_param_spec_boolean ("closed", NULL, NULL, FALSE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_context_init (CudaObjContext *self)
{
}

/* Reads the flags of @self, which must be current. */
static gboolean
read_flags (CudaObjContext *self, GError **error)
{
  unsigned int flags = 0;

  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuCtxGetFlags (&flags), "cuCtxGetFlags", error))
    return FALSE;
  self->flags = flags & ALL_FLAGS;
  return TRUE;
}

static CudaObjContext *
context_new (CudaObjDevice *device, ContextKind kind)
{
  CudaObjContext *self = g_object_new (CUDA_OBJ_TYPE_CONTEXT, NULL);

  self->device = g_object_ref (device);
  self->kind = kind;
  self->sm_count = (guint) cuda_obj_device_get_multiprocessor_count (device);
  return self;
}

/* Private helpers. */

gboolean
cuda_obj_context_peek (CudaObjContext *self, CUcontext *handle, GError **error)
{
  if (G_UNLIKELY (self->kind == KIND_NONE || g_atomic_int_get (&self->closed)))
    return require_open (self, "cuda_obj_context_peek", error);
  *handle = self->handle;
  return TRUE;
}

CUgreenCtx
cuda_obj_context_peek_green (CudaObjContext *self)
{
  return self->green;
}

/* Public API. */

/**
 * cuda_obj_device_get_primary_context:
 * @device: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the device's primary context, the one every libcudaobj object uses
 * unless told otherwise and that the CUDA runtime shares. Retains it if it
 * was not yet. The object does not own the context: closing it does nothing
 * to the context, and after [method@CudaObj.Device.reset] it names the new
 * primary context.
 *
 * Returns: (transfer full): the primary context, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjContext *
cuda_obj_device_get_primary_context (CudaObjDevice *device, GError **error)
{
  g_autoptr (CudaObjContext) self = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  if (!cuda_obj_device_activate (device, error))
    return NULL;
  self = context_new (device, KIND_PRIMARY);
  if (!read_flags (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_device_create_context:
 * @device: a [class@CudaObj.Device]
 * @flags: the scheduling and other flags; at most one `SCHED_*` flag
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a new context on @device (`cuCtxCreate`), separate from the
 * primary context: it has its own address space, loaded code and
 * scheduling flags. Make streams on it with
 * [method@CudaObj.Context.create_stream]. The calling thread's current
 * context is left as it was.
 *
 * Prefer the primary context unless the flags matter: every context costs
 * device memory, and the device time-slices between contexts.
 *
 * Returns: (transfer full): the new context, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for unknown flags or more than one
 *   scheduling flag)
 *
 * Since: 1.0
 */
CudaObjContext *
cuda_obj_device_create_context (CudaObjDevice *device, CudaObjContextFlags flags, GError **error)
{
  g_autoptr (CudaObjContext) self = NULL;
  const CudaObjDriver *drv;
  CUcontext created = NULL, popped = NULL;
  guint sched = flags & SCHED_FLAGS;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  if ((flags & ~ALL_FLAGS) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Context flags 0x%x are unknown: give CudaObjContextFlags values", flags & ~ALL_FLAGS);
      return NULL;
    }
  if ((sched & (sched - 1)) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Context flags give %s scheduling modes; choose at most one of SCHED_SPIN, "
                   "SCHED_YIELD and SCHED_BLOCKING_SYNC",
                   sched == SCHED_FLAGS ? "three" : "two");
      return NULL;
    }
  /* Also retains the primary context: the driver is initialized from here on. */
  if (!cuda_obj_device_activate (device, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (drv->cuCtxCreate (&created, NULL, flags, cuda_obj_device_get_handle (device)),
                       "cuCtxCreate", error))
    return NULL;
  /* cuCtxCreate pushed the new context on this thread: take it off again. */
  drv->cuCtxPopCurrent (&popped);
  self = context_new (device, KIND_CREATED);
  self->handle = created;
  self->flags = flags;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_context_new_green:
 * @resource: the share of SMs the context may use, from
 *   [method@CudaObj.DeviceResource.split_by_count] (or the whole of
 *   [method@CudaObj.Device.get_sm_resource])
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a green context on @resource's device: kernels launched on its
 * streams run only on the SMs of @resource, whatever else the device is
 * doing. Green contexts share the primary context's address space, so
 * buffers from the device's memory resources can be used on their streams.
 *
 * Green contexts need a device of compute capability 9.0 or newer and a
 * driver for CUDA 12.4 or newer.
 *
 * Returns: (transfer full): the green context, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED where the device or driver has no green
 *   contexts)
 *
 * Since: 1.0
 */
CudaObjContext *
cuda_obj_context_new_green (CudaObjDeviceResource *resource, GError **error)
{
  g_autoptr (CudaObjContext) self = NULL;
  const CUdevResource *described;
  const CudaObjDriver *drv;
  CudaObjDevice *device;
  CUdevResourceDesc desc = NULL;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE_RESOURCE (resource), NULL);
  described = cuda_obj_device_resource_peek (resource);
  if (described == NULL)
    {
      cuda_obj_set_not_initialized (error, resource, G_STRFUNC);
      return NULL;
    }
  device = cuda_obj_device_resource_get_device (resource);
  if (!cuda_obj_device_resource_require_green (device, "Green contexts", error)
      || !cuda_obj_device_activate (device, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  self = context_new (device, KIND_GREEN);
  /* The driver takes a non-const array but only reads it. */
  if (!cuda_obj_check (drv->cuDevResourceGenerateDesc (&desc, (CUdevResource *) described, 1),
                       "cuDevResourceGenerateDesc", error))
    return NULL;
  result = drv->cuGreenCtxCreate (&self->green, desc, cuda_obj_device_get_handle (device),
                                  CU_GREEN_CTX_DEFAULT_STREAM);
  if (result == CUDA_ERROR_NOT_SUPPORTED)
    {
      self->green = NULL;
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Device %u (%s) or its driver does not support green contexts",
                   cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device));
      return NULL;
    }
  if (!cuda_obj_check (result, "cuGreenCtxCreate", error))
    {
      self->green = NULL;
      return NULL;
    }
  /* Its flags are the primary context's; not read back (see the property). */
  if (!cuda_obj_check (drv->cuCtxFromGreenCtx (&self->handle, self->green), "cuCtxFromGreenCtx", error))
    return NULL;
  self->sm_count = cuda_obj_device_resource_get_sm_count (resource);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_context_new_from_handle:
 * @device: the [class@CudaObj.Device] the context belongs to
 * @handle: the `CUcontext`, as an integer
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a context made by other code (the driver API called directly, a
 * library with contexts of its own) without taking it over: the object
 * never destroys it, so the context must outlive the object and its
 * streams. The handle is checked to belong to @device; it is made current
 * on the calling thread for that.
 *
 * Wrapping the device's primary context gives the same as
 * [method@CudaObj.Device.get_primary_context].
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for 0 or a context of another device)
 *
 * Since: 1.0
 */
CudaObjContext *
cuda_obj_context_new_from_handle (CudaObjDevice *device, guint64 handle, GError **error)
{
  g_autoptr (CudaObjContext) self = NULL;
  CUcontext primary;
  CUdevice owner = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  primary = cuda_obj_device_get_context (device, error);
  if (primary == NULL)
    return NULL;
  if (handle == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Context handle is 0: give a CUcontext");
      return NULL;
    }
  if ((CUcontext) (guintptr) handle == primary)
    return cuda_obj_device_get_primary_context (device, error);
  self = context_new (device, KIND_FOREIGN);
  self->handle = (CUcontext) (guintptr) handle;
  if (!activate (self, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuCtxGetDevice (&owner), "cuCtxGetDevice", error))
    {
      self->handle = NULL;
      return NULL;
    }
  if (owner != cuda_obj_device_get_handle (device))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Context 0x%" G_GINT64_MODIFIER "x belongs to another device than device %u (%s)", handle,
                   cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device));
      self->handle = NULL;
      return NULL;
    }
  if (!read_flags (self, error))
    {
      self->handle = NULL;
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_context_get_device:
 * @self: a [class@CudaObj.Context]
 *
 * Gives the device the context belongs to. See
 * [property@CudaObj.Context:device].
 *
 * Returns: (transfer none) (nullable): the device; %NULL for a context
 *   that was never initialized
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_context_get_device (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), NULL);
  return self->device;
}

/**
 * cuda_obj_context_get_handle:
 * @self: a [class@CudaObj.Context]
 *
 * Gives the `CUcontext` as an integer; 0 once closed. See
 * [property@CudaObj.Context:handle].
 *
 * Returns: the `CUcontext`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_context_get_handle (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), 0);
  if (g_atomic_int_get (&self->closed))
    return 0;
  if (self->kind == KIND_PRIMARY)
    return (guint64) (guintptr) cuda_obj_device_get_context (self->device, NULL);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_context_get_is_primary:
 * @self: a [class@CudaObj.Context]
 *
 * Tells whether this is the device's primary context. See
 * [property@CudaObj.Context:is-primary].
 *
 * Returns: %TRUE for the primary context
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_get_is_primary (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  return self->kind == KIND_PRIMARY;
}

/**
 * cuda_obj_context_get_is_green:
 * @self: a [class@CudaObj.Context]
 *
 * Tells whether this is a green context. See
 * [property@CudaObj.Context:is-green].
 *
 * Returns: %TRUE for a green context
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_get_is_green (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  return self->kind == KIND_GREEN;
}

/**
 * cuda_obj_context_get_owns_handle:
 * @self: a [class@CudaObj.Context]
 *
 * Tells whether closing the object destroys the context. See
 * [property@CudaObj.Context:owns-handle].
 *
 * Returns: %TRUE for created and green contexts
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_get_owns_handle (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  return self->kind == KIND_CREATED || self->kind == KIND_GREEN;
}

/**
 * cuda_obj_context_get_flags:
 * @self: a [class@CudaObj.Context]
 *
 * Gives the context's flags. See [property@CudaObj.Context:flags].
 *
 * Returns: the flags
 *
 * Since: 1.0
 */
CudaObjContextFlags
cuda_obj_context_get_flags (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), CUDA_OBJ_CONTEXT_FLAGS_NONE);
  return self->flags;
}

/**
 * cuda_obj_context_get_sm_count:
 * @self: a [class@CudaObj.Context]
 *
 * Gives how many streaming multiprocessors the context's kernels may run
 * on. See [property@CudaObj.Context:sm-count].
 *
 * Returns: the number of SMs; 0 for a context that was never initialized
 *
 * Since: 1.0
 */
guint
cuda_obj_context_get_sm_count (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), 0);
  return self->sm_count;
}

/**
 * cuda_obj_context_is_closed:
 * @self: a [class@CudaObj.Context]
 *
 * Tells whether [method@CudaObj.Context.close] was called or the context
 * was never initialized. See [property@CudaObj.Context:closed].
 *
 * Returns: %TRUE when the context can no longer be used
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_is_closed (CudaObjContext *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), TRUE);
  return self->kind == KIND_NONE || g_atomic_int_get (&self->closed);
}

/**
 * cuda_obj_context_make_current:
 * @self: a [class@CudaObj.Context]
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes the context current on the calling thread, for code outside
 * libcudaobj that works on whatever context is current (the CUDA runtime,
 * driver calls through [func@CudaObj.driver_get_proc]). libcudaobj's own
 * objects do not need it.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_make_current (CudaObjContext *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  return require_open (self, G_STRFUNC, error) && activate (self, error);
}

/**
 * cuda_obj_context_synchronize:
 * @self: a [class@CudaObj.Context]
 * @error: return location for a [struct@GLib.Error]
 *
 * Blocks the calling thread until all work submitted to the context's
 * streams has finished. The wait is spent as the context's scheduling
 * flags say.
 *
 * Returns: %TRUE on success; %FALSE with @error set, such as the error of
 *   a kernel that failed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_synchronize (CudaObjContext *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  return require_open (self, G_STRFUNC, error) && activate (self, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuCtxSynchronize (), "cuCtxSynchronize", error);
}

/**
 * cuda_obj_context_close:
 * @self: a [class@CudaObj.Context]
 * @error: return location for a [struct@GLib.Error]
 *
 * Waits for the context's work and destroys a created or green context;
 * the primary and wrapped contexts are left alone. Later uses of @self, and
 * of streams made on a destroyed context, fail. Closing again does
 * nothing and succeeds.
 *
 * Returns: %TRUE on success; %FALSE with @error set when the context's
 *   work failed (it is destroyed all the same)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_context_close (CudaObjContext *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (self), FALSE);
  if (self->kind == KIND_NONE || g_atomic_int_exchange (&self->closed, TRUE))
    return TRUE;
  ok = !cuda_obj_context_get_owns_handle (self)
       || (activate (self, error)
           && cuda_obj_check (cuda_obj_driver_peek ()->cuCtxSynchronize (), "cuCtxSynchronize", error));
  ok = destroy_handles (self, ok ? error : NULL) && ok;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return ok;
}
