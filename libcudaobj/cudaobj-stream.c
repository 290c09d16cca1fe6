/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA stream, an ordered queue of work on a device.
 *
 * A stream either owns its CUstream (created here, destroyed by close() or
 * dispose) or wraps one that belongs to someone else (CuPy, PyTorch, the
 * runtime's default stream), keeping a reference on the foreign owner and
 * never destroying the handle. The private prepare/peek helpers are the hot
 * path of launches and copies: no allocation, no lock. */
#include "config.h"

#include "cudaobj-stream.h"
#include "cudaobj-error-private.h"
#include "cudaobj-stream-private.h"
/* Include circle with Event, kept: the API is mutual (record makes an
 * Event and wait_event orders on one; an Event records on a Stream), and
 * each side needs the other's raw handle behind its closed check. */
#include "cudaobj-event.h"
#include "cudaobj-event-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-context.h"
#include "cudaobj-context-private.h"

struct _CudaObjStream
{
  GObject parent_instance;

  CudaObjDevice *device;   /* owned */
  CudaObjContext *context; /* owned, nullable: the device's primary context */
  CUcontext own_context;   /* the CUcontext to make current; NULL for the primary */
  CUstream handle;         /* NULL for the legacy default stream, and once closed */
  int priority;
  gboolean non_blocking;
  gboolean owns_handle;
  gboolean initialized;
  gboolean wrapping; /* made by cuda_obj_stream_new_from_handle() */
  GObject *owner;    /* keeps a wrapped handle alive; owned, nullable */
  int closed;        /* atomic: TRUE, or CLOSED_BY_RESET */
};

/* A reset of the device invalidated the stream. */
#define CLOSED_BY_RESET 2

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_CONTEXT,
  PROP_HANDLE,
  PROP_PRIORITY,
  PROP_NON_BLOCKING,
  PROP_OWNS_HANDLE,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_stream_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjStream:
 *
 * A CUDA stream: work submitted to it (kernel launches, copies, event
 * records) runs in order on its device, concurrently with other streams.
 *
 * Create one with [ctor@CudaObj.Stream.new] or [method@CudaObj.Device.create_stream],
 * or construct it directly (`CudaObj.Stream(device=dev, priority=-1)`):
 * construction is fallible ([iface@Gio.Initable]) and raises in bindings. A stream
 * made by another library (CuPy, PyTorch, the CUDA runtime) is wrapped with
 * [ctor@CudaObj.Stream.new_from_handle] without taking it over.
 *
 * Work is ordered between streams with events: [method@CudaObj.Stream.record]
 * marks a point in a stream's work and [method@CudaObj.Stream.wait_event] makes
 * another stream wait for it; [method@CudaObj.Stream.wait_stream] does both.
 * [method@CudaObj.Stream.synchronize] blocks the calling thread until the work
 * submitted so far finished; [method@CudaObj.Stream.synchronize_async] waits in a
 * worker thread and calls back in the caller's thread-default main context,
 * so a GTK application does not freeze.
 *
 * [method@CudaObj.Stream.close] waits for the stream and destroys the CUstream it
 * owns; a closed stream reports %CUDA_OBJ_ERROR_CLOSED from every method.
 * Dropping the last reference destroys an owned CUstream without waiting
 * (the driver releases it once its work finished).
 *
 * Threads: submitting work to one stream from several threads is safe
 * (CUDA orders it as it arrives); closing a stream while another thread
 * still uses it is not. The stream makes its context current around its
 * own driver calls: the device's primary context, or the
 * [class@CudaObj.Context] given at construction
 * ([property@CudaObj.Stream:context], [method@CudaObj.Context.create_stream]).
 *
 * A stream made with a plain constructor (`CudaObj.Stream()`,
 * `g_object_new()`) and never initialized is closed: its methods fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED, closing it does nothing, and its
 * getters give 0 or %NULL.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjStream, cuda_obj_stream, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_stream_initable_iface_init))

static gboolean
set_closed_error (CudaObjStream *self, GError **error)
{
  /* A stream starts closed and opens once initialized: one flag serves
   * the hot path. */
  if (!self->initialized)
    g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                         "Stream is not initialized: its construction failed or "
                         "g_initable_init() was not called");
  else if (g_atomic_int_get (&self->closed) == CLOSED_BY_RESET)
    cuda_obj_device_set_reset_error (self->device, "Stream", error);
  else
    g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "Stream is closed");
  return FALSE;
}

/* Makes the stream's context current: the device's fast path for the
 * primary context, the context's own otherwise (which may have been
 * closed meanwhile). */
static inline gboolean
activate (CudaObjStream *self, GError **error)
{
  CUcontext context;

  if (G_LIKELY (self->own_context == NULL))
    return cuda_obj_device_activate (self->device, error);
  return cuda_obj_context_peek (self->context, &context, error)
         && cuda_obj_context_activate_handle (self->own_context, error);
}

static gboolean
read_priority_range (const CudaObjDriver *drv, int *lowest, int *highest, GError **error)
{
  /* The driver's "least" priority is the numerically largest one. */
  return cuda_obj_check (drv->cuCtxGetStreamPriorityRange (lowest, highest), "cuCtxGetStreamPriorityRange",
                         error);
}

static gboolean
wrap_handle (CudaObjStream *self, const CudaObjDriver *drv, GError **error)
{
  CUcontext wanted
      = self->own_context != NULL ? self->own_context : cuda_obj_device_get_context (self->device, error);
  CUgreenCtx wanted_green = self->context != NULL ? cuda_obj_context_peek_green (self->context) : NULL;
  CUcontext context = NULL;
  CUgreenCtx green = NULL;
  unsigned int flags = 0;
  CUresult (*get_context) (CUstream, CUcontext *, CUgreenCtx *);

  if (wanted == NULL)
    return FALSE;
  /* Asked at CUDA_VERSION >= 12.5, "cuStreamGetCtx" may resolve to the
   * three-argument cuStreamGetCtx_v2 (which also reports a green context);
   * called with that third pointer, either ABI is served. */
  get_context = (CUresult (*) (CUstream, CUcontext *, CUgreenCtx *)) (void (*) (void)) drv->cuStreamGetCtx;
  /* The special handles (0, CU_STREAM_LEGACY, CU_STREAM_PER_THREAD) answer
   * with the current context, which activate() just made the device's. */
  if (!cuda_obj_check (get_context (self->handle, &context, &green), "cuStreamGetCtx", error))
    return FALSE;
  /* A green context's stream may report its green context only. */
  if (wanted_green != NULL ? green != wanted_green : (context != wanted || green != NULL))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Stream handle 0x%" G_GINT64_MODIFIER "x does not belong to the %s "
                   "context of device %u (%s)",
                   (guint64) (guintptr) self->handle, self->own_context != NULL ? "given" : "primary",
                   cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
      return FALSE;
    }
  if (!cuda_obj_check (drv->cuStreamGetFlags (self->handle, &flags), "cuStreamGetFlags", error)
      || !cuda_obj_check (drv->cuStreamGetPriority (self->handle, &self->priority), "cuStreamGetPriority",
                          error))
    return FALSE;
  self->non_blocking = (flags & CU_STREAM_NON_BLOCKING) != 0;
  self->owns_handle = FALSE;
  return TRUE;
}

static gboolean
create_handle (CudaObjStream *self, const CudaObjDriver *drv, GError **error)
{
  CUgreenCtx green = self->context != NULL ? cuda_obj_context_peek_green (self->context) : NULL;
  int lowest = 0, highest = 0;

  if (!read_priority_range (drv, &lowest, &highest, error))
    return FALSE;
  if (self->priority > lowest || self->priority < highest)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Stream priority %d is out of range for device %u: valid priorities go "
                   "from %d (lowest) to %d (highest)",
                   self->priority, cuda_obj_device_get_ordinal (self->device), lowest, highest);
      return FALSE;
    }
  if (green != NULL)
    {
      /* The driver accepts only non-blocking streams in green contexts. */
      self->non_blocking = TRUE;
      if (!cuda_obj_check (
              drv->cuGreenCtxStreamCreate (&self->handle, green, CU_STREAM_NON_BLOCKING, self->priority),
              "cuGreenCtxStreamCreate", error))
        {
          self->handle = NULL;
          return FALSE;
        }
      self->owns_handle = TRUE;
      return TRUE;
    }
  if (!cuda_obj_check (
          drv->cuStreamCreateWithPriority (
              &self->handle, self->non_blocking ? CU_STREAM_NON_BLOCKING : CU_STREAM_DEFAULT, self->priority),
          "cuStreamCreateWithPriority", error))
    {
      self->handle = NULL;
      return FALSE;
    }
  self->owns_handle = TRUE;
  return TRUE;
}

/* Device reset: the CUstream died with the context; never destroy it. */
static void
invalidate (gpointer object)
{
  CudaObjStream *self = object;

  /* One closed already (or disposed) has no handle left. */
  if (g_atomic_int_compare_and_exchange (&self->closed, FALSE, CLOSED_BY_RESET))
    self->handle = NULL;
}

/* Takes the device from the context, or checks that they agree. */
static gboolean
set_up_context (CudaObjStream *self, GError **error)
{
  CudaObjDevice *device = cuda_obj_context_get_device (self->context);

  if (!cuda_obj_context_peek (self->context, &self->own_context, error))
    return FALSE;
  if (self->device == NULL)
    self->device = g_object_ref (device);
  else if (self->device != device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Stream device %u (%s) is not the device of its context, %u (%s)",
                   cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device),
                   cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device));
      return FALSE;
    }
  return TRUE;
}

static gboolean
cuda_obj_stream_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjStream *self = CUDA_OBJ_STREAM (initable);
  const CudaObjDriver *drv;

  if (self->initialized)
    return TRUE;
  if (self->context != NULL && !set_up_context (self, error))
    return FALSE;
  drv = cuda_obj_driver_get (error);
  if (drv == NULL)
    return FALSE;
  if (self->device == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A stream needs a device or a context: set CudaObjStream:device or "
                           "CudaObjStream:context");
      return FALSE;
    }
  if (!activate (self, error))
    return FALSE;
  if (!(self->wrapping ? wrap_handle (self, drv, error) : create_handle (self, drv, error)))
    return FALSE;
  self->initialized = TRUE;
  g_atomic_int_set (&self->closed, FALSE);
  /* A device reset destroys the primary context only. */
  if (self->own_context == NULL)
    cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_stream_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_stream_initable_init;
}

static void
cuda_obj_stream_dispose (GObject *object)
{
  CudaObjStream *self = CUDA_OBJ_STREAM (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self->initialized && self->own_context == NULL)
    cuda_obj_device_unregister (self->device, self);
  if (!g_atomic_int_exchange (&self->closed, TRUE) && self->owns_handle && drv != NULL
      && activate (self, NULL))
    /* Returns at once; the driver frees the stream when its work is done. */
    drv->cuStreamDestroy (self->handle);
  self->handle = NULL;
  g_clear_object (&self->owner);
  G_OBJECT_CLASS (cuda_obj_stream_parent_class)->dispose (object);
}

static void
cuda_obj_stream_finalize (GObject *object)
{
  CudaObjStream *self = CUDA_OBJ_STREAM (object);

  g_clear_object (&self->device);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (cuda_obj_stream_parent_class)->finalize (object);
}

static void
cuda_obj_stream_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjStream *self = CUDA_OBJ_STREAM (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_CONTEXT: g_value_set_object (value, self->context); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_stream_get_handle (self)); break;
    case PROP_PRIORITY: g_value_set_int (value, self->priority); break;
    case PROP_NON_BLOCKING: g_value_set_boolean (value, self->non_blocking); break;
    case PROP_OWNS_HANDLE: g_value_set_boolean (value, self->owns_handle); break;
    case PROP_CLOSED: g_value_set_boolean (value, cuda_obj_stream_is_closed (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_stream_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjStream *self = CUDA_OBJ_STREAM (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_CONTEXT: self->context = g_value_dup_object (value); break;
    case PROP_PRIORITY: self->priority = g_value_get_int (value); break;
    case PROP_NON_BLOCKING: self->non_blocking = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_stream_class_init (CudaObjStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_stream_dispose;
  object_class->finalize = cuda_obj_stream_finalize;
  object_class->get_property = cuda_obj_stream_get_property;
  object_class->set_property = cuda_obj_stream_set_property;

  /**
   * CudaObjStream:device:
   *
   * The device the stream runs its work on. Required at construction.
   *
   * Read it with [method@CudaObj.Stream.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                     | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjStream:context:
   *
   * The context the stream's work runs in; %NULL (the default) for the
   * device's primary context. With a context set,
   * [property@CudaObj.Stream:device] may be left unset: it is the
   * context's. A stream of a green context runs its kernels on the green
   * context's SMs only, and is always non-blocking.
   *
   * Read it with [method@CudaObj.Stream.get_context].
   *
   * Since: 1.0
   */
  properties[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, CUDA_OBJ_TYPE_CONTEXT,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                      | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjStream:handle:
   *
   * The `CUstream` as an integer, to hand to other CUDA libraries; 0 is the
   * legacy default stream, and a closed stream reports 0 too.
   *
   * Read it with [method@CudaObj.Stream.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjStream:priority:
   *
   * The stream's scheduling priority: lower numbers are higher priorities.
   * 0 is the default (and lowest); [func@CudaObj.Stream.get_priority_range]
   * tells which values the device accepts, others fail construction with
   * %CUDA_OBJ_ERROR_INVALID_ARGUMENT. A wrapped stream reports its own.
   *
   * Read it with [method@CudaObj.Stream.get_priority].
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                    | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjStream:non-blocking:
   *
   * Whether the stream's work may run concurrently with the legacy default
   * stream (`CU_STREAM_NON_BLOCKING`) instead of synchronizing with it.
   *
   * Read it with [method@CudaObj.Stream.get_non_blocking].
   *
   * Since: 1.0
   */
  properties[PROP_NON_BLOCKING] = g_param_spec_boolean (
      "non-blocking", NULL, NULL, FALSE,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjStream:owns-handle:
   *
   * Whether the stream created its `CUstream` and destroys it when closed;
   * %FALSE for a stream wrapped with [ctor@CudaObj.Stream.new_from_handle].
   *
   * Read it with [method@CudaObj.Stream.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE]
      = g_param_spec_boolean ("owns-handle", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjStream:closed:
   *
   * Whether [method@CudaObj.Stream.close] was called; a closed stream can no
   * longer be used.
   *
   * Read it with [method@CudaObj.Stream.is_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED]
      = g_param_spec_boolean ("closed", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_stream_init (CudaObjStream *self)
{
  self->closed = TRUE; /* until initialized */
}

/* Private helpers: the hot path of launches and copies. */

gboolean
cuda_obj_stream_prepare (CudaObjStream *self, CUstream *handle, GError **error)
{
  if (G_UNLIKELY (g_atomic_int_get (&self->closed)))
    return set_closed_error (self, error);
  if (!activate (self, error))
    return FALSE;
  *handle = self->handle;
  return TRUE;
}

gboolean
cuda_obj_stream_check_open (CudaObjStream *self, GError **error)
{
  if (G_UNLIKELY (g_atomic_int_get (&self->closed)))
    return set_closed_error (self, error);
  return TRUE;
}

CudaObjDevice *
cuda_obj_stream_peek_device (CudaObjStream *self)
{
  return self->device;
}

CUstream
cuda_obj_stream_peek_handle (CudaObjStream *self)
{
  return self->handle;
}

gboolean
cuda_obj_stream_prepare_for_device (CudaObjStream *stream, CudaObjDevice *device, CUstream *handle,
                                    GError **error)
{
  if (stream != NULL)
    return cuda_obj_stream_prepare (stream, handle, error);
  *handle = NULL;
  return cuda_obj_device_activate (device, error);
}

gboolean
cuda_obj_stream_check_for_device (CudaObjStream *stream, CudaObjDevice *device, GError **error)
{
  CUstream handle;

  if (stream != NULL && !cuda_obj_stream_prepare (stream, &handle, error))
    return FALSE;
  return cuda_obj_device_activate (device, error);
}

gboolean
cuda_obj_stream_synchronize_for_device (CudaObjStream *stream, CudaObjDevice *device, GError **error)
{
  CUstream handle;

  return cuda_obj_stream_prepare_for_device (stream, device, &handle, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuStreamSynchronize (handle), "cuStreamSynchronize",
                            error)
         && cuda_obj_device_activate (device, error);
}

/* Public API. */

/**
 * cuda_obj_stream_new:
 * @device: the [class@CudaObj.Device] to run work on
 * @non_blocking: whether the stream may run concurrently with the legacy
 *   default stream
 * @priority: the scheduling priority; 0 is the default, lower numbers run
 *   first (see [func@CudaObj.Stream.get_priority_range])
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a stream on @device's primary context.
 *
 * Returns: (transfer full): the new stream, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @priority is out of the device's
 *   range)
 *
 * Since: 1.0
 */
CudaObjStream *
cuda_obj_stream_new (CudaObjDevice *device, gboolean non_blocking, int priority, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  return g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, error, "device", device, "non-blocking", non_blocking,
                         "priority", priority, NULL);
}

/**
 * cuda_obj_device_create_stream:
 * @device: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a non-blocking stream at the default priority on @device: the
 * usual kind, which does not synchronize with the legacy default stream.
 *
 * Returns: (transfer full): the new stream, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjStream *
cuda_obj_device_create_stream (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  return cuda_obj_stream_new (device, TRUE, 0, error);
}

/**
 * cuda_obj_context_create_stream:
 * @context: the [class@CudaObj.Context] to run work in
 * @non_blocking: whether the stream may run concurrently with the legacy
 *   default stream; streams of a green context are non-blocking whatever
 *   this says
 * @priority: the scheduling priority; 0 is the default, lower numbers run
 *   first (see [func@CudaObj.Stream.get_priority_range])
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates a stream whose work runs in @context (for a green context,
 * `cuGreenCtxStreamCreate`): kernels launched on it run with the
 * context's flags and, for a green context, on its SMs only. The same as
 * constructing a [class@CudaObj.Stream] with [property@CudaObj.Stream:context]
 * set.
 *
 * Returns: (transfer full): the new stream, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_CLOSED when @context is closed)
 *
 * Since: 1.0
 */
CudaObjStream *
cuda_obj_context_create_stream (CudaObjContext *context, gboolean non_blocking, int priority, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_CONTEXT (context), NULL);
  return g_initable_new (CUDA_OBJ_TYPE_STREAM, NULL, error, "context", context, "non-blocking", non_blocking,
                         "priority", priority, NULL);
}

/**
 * cuda_obj_stream_new_from_handle:
 * @device: the [class@CudaObj.Device] the stream belongs to
 * @handle: a `CUstream` (or `cudaStream_t`) as an integer; 0 is the legacy
 *   default stream, 1 and 2 are `CU_STREAM_LEGACY` and `CU_STREAM_PER_THREAD`
 * @owner: (nullable): the object that owns @handle (a CuPy or PyTorch
 *   stream, say); kept alive as long as the wrapper is open
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a stream created by someone else so that libcudaobj can launch,
 * copy and record on it. The wrapper never destroys @handle: closing it
 * only stops using it. Its [property@CudaObj.Stream:priority] and
 * [property@CudaObj.Stream:non-blocking] are read from the driver.
 *
 * @handle must be a valid stream of @device's primary context (the one the
 * CUDA runtime, CuPy and PyTorch use); one of another context fails with
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT. The driver cannot check that an
 * arbitrary integer is a stream: passing garbage is undefined behaviour.
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjStream *
cuda_obj_stream_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner, GError **error)
{
  g_autoptr (CudaObjStream) self = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  self = g_object_new (CUDA_OBJ_TYPE_STREAM, "device", device, NULL);
  self->wrapping = TRUE;
  self->handle = (CUstream) (guintptr) handle;
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  if (!g_initable_init (G_INITABLE (self), NULL, error))
    {
      /* Not ours: dispose must not touch it. */
      self->handle = NULL;
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_stream_get_priority_range:
 * @device: a [class@CudaObj.Device]
 * @lowest: (out) (optional): the lowest priority, which is the default (0)
 * @highest: (out) (optional): the highest priority, numerically the smallest
 *   (such as -5)
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells which stream priorities @device accepts: every integer from
 * @highest to @lowest. Lower numbers run first.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_get_priority_range (CudaObjDevice *device, int *lowest, int *highest, GError **error)
{
  int least = 0, greatest = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), FALSE);
  if (!cuda_obj_device_activate (device, error)
      || !read_priority_range (cuda_obj_driver_peek (), &least, &greatest, error))
    return FALSE;
  if (lowest != NULL)
    *lowest = least;
  if (highest != NULL)
    *highest = greatest;
  return TRUE;
}

/**
 * cuda_obj_stream_get_device:
 * @self: a [class@CudaObj.Stream]
 *
 * Gives the device the stream runs its work on, fixed at construction. See
 * [property@CudaObj.Stream:device].
 *
 * Returns: (transfer none): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_stream_get_device (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), NULL);
  return self->device;
}

/**
 * cuda_obj_stream_get_context:
 * @self: a [class@CudaObj.Stream]
 *
 * Gives the context the stream's work runs in, as given at construction.
 * See [property@CudaObj.Stream:context].
 *
 * Returns: (transfer none) (nullable): the context, or %NULL for the
 *   device's primary context
 *
 * Since: 1.0
 */
CudaObjContext *
cuda_obj_stream_get_context (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), NULL);
  return self->context;
}

/**
 * cuda_obj_stream_get_handle:
 * @self: a [class@CudaObj.Stream]
 *
 * Gives the `CUstream` as an integer, to hand to other CUDA libraries; 0 is
 * the legacy default stream, and a closed stream reports 0 too. See
 * [property@CudaObj.Stream:handle].
 *
 * Returns: the `CUstream`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_stream_get_handle (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), 0);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_stream_get_priority:
 * @self: a [class@CudaObj.Stream]
 *
 * Gives the stream's scheduling priority: lower numbers are higher
 * priorities, 0 the default and lowest. See
 * [property@CudaObj.Stream:priority].
 *
 * Returns: the priority
 *
 * Since: 1.0
 */
int
cuda_obj_stream_get_priority (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), 0);
  return self->priority;
}

/**
 * cuda_obj_stream_get_non_blocking:
 * @self: a [class@CudaObj.Stream]
 *
 * Tells whether the stream's work may run concurrently with the legacy
 * default stream (`CU_STREAM_NON_BLOCKING`) instead of synchronizing with it.
 * See [property@CudaObj.Stream:non-blocking].
 *
 * Returns: %TRUE for a non-blocking stream
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_get_non_blocking (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  return self->non_blocking;
}

/**
 * cuda_obj_stream_get_owns_handle:
 * @self: a [class@CudaObj.Stream]
 *
 * Tells whether the stream created its `CUstream` and destroys it when
 * closed: %FALSE for a stream wrapped with
 * [ctor@CudaObj.Stream.new_from_handle]. See
 * [property@CudaObj.Stream:owns-handle].
 *
 * Returns: %TRUE if the stream owns its handle
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_get_owns_handle (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  return self->owns_handle;
}

/**
 * cuda_obj_stream_is_closed:
 * @self: a [class@CudaObj.Stream]
 *
 * Tells whether [method@CudaObj.Stream.close] was called (or the stream was
 * never initialized); such a stream can no longer be used. See
 * [property@CudaObj.Stream:closed].
 *
 * Returns: %TRUE once the stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_is_closed (CudaObjStream *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), TRUE);
  return g_atomic_int_get (&self->closed);
}

/**
 * cuda_obj_stream_synchronize:
 * @self: a [class@CudaObj.Stream]
 * @error: return location for a [struct@GLib.Error]
 *
 * Blocks the calling thread until all work submitted to @self so far has
 * finished. An error from that work (a faulting kernel) is reported here.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_synchronize (CudaObjStream *self, GError **error)
{
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  return cuda_obj_stream_prepare (self, &handle, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuStreamSynchronize (handle), "cuStreamSynchronize",
                            error);
}

typedef struct
{
  CudaObjDevice *device;   /* owned */
  CudaObjContext *context; /* owned; NULL for the primary context */
  CUevent marker;          /* blocking-sync event recorded at the end of the work */
} SyncData;

/* The marker lives in the stream's context. */
static gboolean
sync_data_activate (SyncData *data, GError **error)
{
  CUcontext context = NULL;

  if (data->context == NULL)
    return cuda_obj_device_activate (data->device, error);
  return cuda_obj_context_peek (data->context, &context, error)
         && cuda_obj_context_activate_handle (context, error);
}

static void
sync_data_free (SyncData *data)
{
  if (data->marker != NULL && sync_data_activate (data, NULL))
    cuda_obj_driver_peek ()->cuEventDestroy (data->marker);
  g_object_unref (data->device);
  g_clear_object (&data->context);
  g_free (data);
}

static void
synchronize_in_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SyncData *data = task_data;
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  GError *error = NULL;

  /* A blocking-sync event lets this thread sleep instead of spinning. */
  if (!sync_data_activate (data, &error)
      || !cuda_obj_check (drv->cuEventSynchronize (data->marker), "cuEventSynchronize", &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cuda_obj_stream_synchronize_async:
 * @self: a [class@CudaObj.Stream]
 * @cancellable: (nullable): a [class@Gio.Cancellable]; cancelling stops the waiting,
 *   not the stream's work
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once the work submitted so far has finished
 * @user_data: data for @callback
 *
 * Waits for the work submitted to @self so far without blocking the
 * calling thread: a worker thread sleeps until it finished, then @callback
 * runs in the caller's thread-default main context. Work submitted after
 * this call is not waited for. Get the result with
 * [method@CudaObj.Stream.synchronize_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_stream_synchronize_async (CudaObjStream *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  const CudaObjDriver *drv;
  GError *error = NULL;
  SyncData *data;
  CUstream handle;

  g_return_if_fail (CUDA_OBJ_IS_STREAM (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cuda_obj_stream_synchronize_async);
  g_task_set_name (task, "[cudaobj] stream synchronize");
  if (!cuda_obj_stream_prepare (self, &handle, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  drv = cuda_obj_driver_peek ();
  data = g_new0 (SyncData, 1);
  data->device = g_object_ref (self->device);
  data->context = self->own_context != NULL ? g_object_ref (self->context) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) sync_data_free);
  /* Mark the end of the work now, in this thread: the worker then waits
   * on the marker and never touches the stream, which may be closed
   * meanwhile. */
  if (!cuda_obj_check (drv->cuEventCreate (&data->marker, CU_EVENT_DISABLE_TIMING | CU_EVENT_BLOCKING_SYNC),
                       "cuEventCreate", &error))
    {
      data->marker = NULL;
      g_task_return_error (task, error);
      return;
    }
  if (!cuda_obj_check (drv->cuEventRecord (data->marker, handle), "cuEventRecord", &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, synchronize_in_thread);
}

/**
 * cuda_obj_stream_synchronize_finish:
 * @self: a [class@CudaObj.Stream]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [method@CudaObj.Stream.synchronize_async].
 *
 * Returns: %TRUE when the work finished; %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled, %CUDA_OBJ_ERROR_CLOSED when the
 *   stream was closed, or the driver's error from the work)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_synchronize_finish (CudaObjStream *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  if (!cuda_obj_check_task (result, self, cuda_obj_stream_synchronize_async, G_STRFUNC, error))
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cuda_obj_stream_query:
 * @self: a [class@CudaObj.Stream]
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells, without waiting, whether all work submitted to @self has
 * finished. Busy is not an error.
 *
 * Returns: %TRUE when the stream is idle; %FALSE while work is pending, or
 *   with @error set when the stream is closed or its work failed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_query (CudaObjStream *self, GError **error)
{
  CUstream handle;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  if (!cuda_obj_stream_prepare (self, &handle, error))
    return FALSE;
  result = cuda_obj_driver_peek ()->cuStreamQuery (handle);
  if (result == CUDA_ERROR_NOT_READY)
    return FALSE;
  return cuda_obj_check (result, "cuStreamQuery", error);
}

/**
 * cuda_obj_stream_wait_event:
 * @self: a [class@CudaObj.Stream]
 * @event: the [class@CudaObj.Event] to wait for; it may belong to another device
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes work submitted to @self from now on wait until the work recorded
 * before @event's latest record has finished. Does not block the calling
 * thread. An event that was never recorded is already complete.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_wait_event (CudaObjStream *self, CudaObjEvent *event, GError **error)
{
  CUstream handle;
  CUevent event_handle;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (event), FALSE);
  event_handle = cuda_obj_event_peek_handle (event, error);
  if (event_handle == NULL || !cuda_obj_stream_prepare (self, &handle, error))
    return FALSE;
  return cuda_obj_check (cuda_obj_driver_peek ()->cuStreamWaitEvent (handle, event_handle, 0),
                         "cuStreamWaitEvent", error);
}

/**
 * cuda_obj_stream_wait_stream:
 * @self: a [class@CudaObj.Stream]
 * @other: the [class@CudaObj.Stream] to wait for; it may belong to another device
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes work submitted to @self from now on wait until the work submitted
 * to @other so far has finished, by recording an internal event on @other.
 * Does not block the calling thread. Waiting for itself does nothing.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_wait_stream (CudaObjStream *self, CudaObjStream *other, GError **error)
{
  const CudaObjDriver *drv;
  CUstream handle, other_handle;
  CUevent marker = NULL;
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (other), FALSE);
  if (g_atomic_int_get (&self->closed))
    return set_closed_error (self, error);
  if (other == self)
    return TRUE;
  /* The marker lives in other's context, where it is recorded. */
  if (!cuda_obj_stream_prepare (other, &other_handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (drv->cuEventCreate (&marker, CU_EVENT_DISABLE_TIMING), "cuEventCreate", error))
    return FALSE;
  ok = cuda_obj_check (drv->cuEventRecord (marker, other_handle), "cuEventRecord", error)
       && cuda_obj_stream_prepare (self, &handle, error)
       && cuda_obj_check (drv->cuStreamWaitEvent (handle, marker, 0), "cuStreamWaitEvent", error);
  /* Destroying a pending event is fine: the driver frees it once complete,
   * and the wait already holds on to what it needs. */
  if (activate (other, NULL))
    drv->cuEventDestroy (marker);
  return ok;
}

/**
 * cuda_obj_stream_record:
 * @self: a [class@CudaObj.Stream]
 * @event: (nullable): the [class@CudaObj.Event] to record, or %NULL for a new
 *   timing event
 * @error: return location for a [struct@GLib.Error]
 *
 * Records @event at the current end of @self's work (see
 * [method@CudaObj.Event.record]); with %NULL, creates a new event with timing on
 * (usable with [method@CudaObj.Event.elapsed_time]) and records that.
 *
 * Returns: (transfer full): the recorded event (a new reference to @event
 *   when given), or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjEvent *
cuda_obj_stream_record (CudaObjStream *self, CudaObjEvent *event, GError **error)
{
  g_autoptr (CudaObjEvent) recorded = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), NULL);
  g_return_val_if_fail (event == NULL || CUDA_OBJ_IS_EVENT (event), NULL);
  if (g_atomic_int_get (&self->closed))
    {
      set_closed_error (self, error);
      return NULL;
    }
  if (event != NULL)
    recorded = g_object_ref (event);
  else
    recorded = cuda_obj_event_new (self->device, TRUE, FALSE, error);
  if (recorded == NULL || !cuda_obj_event_record (recorded, self, error))
    return NULL;
  return g_steal_pointer (&recorded);
}

/**
 * cuda_obj_stream_close:
 * @self: a [class@CudaObj.Stream]
 * @error: return location for a [struct@GLib.Error]
 *
 * Waits for the stream's work and destroys the `CUstream` it owns; a
 * wrapped stream's handle is left alone (and its owner released). Every
 * later use of @self fails with %CUDA_OBJ_ERROR_CLOSED. Closing again does
 * nothing and succeeds.
 *
 * Returns: %TRUE on success; %FALSE with @error set when the stream's work
 *   failed (the stream is closed all the same)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_close (CudaObjStream *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  gboolean ok = TRUE;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  if (g_atomic_int_exchange (&self->closed, TRUE))
    return TRUE;
  if (self->owns_handle && drv != NULL)
    {
      ok = activate (self, error);
      if (ok)
        {
          ok = cuda_obj_check (drv->cuStreamSynchronize (self->handle), "cuStreamSynchronize", error);
          /* Destroyed even when its work failed; report the first error. */
          ok = cuda_obj_check (drv->cuStreamDestroy (self->handle), "cuStreamDestroy", ok ? error : NULL)
               && ok;
        }
    }
  self->handle = NULL;
  g_clear_object (&self->owner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return ok;
}
