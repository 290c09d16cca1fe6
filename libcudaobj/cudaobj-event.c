/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA event, a marker in a stream's work.
 *
 * The "completed" signal costs nothing unless a handler is connected when
 * the event is recorded. If one is, a host function is enqueued right after
 * the record: the driver runs it on one of its own threads once the work
 * before it finished. That function makes no CUDA call and drops no
 * reference (either could deadlock or re-enter the driver): it only attaches
 * an idle source to the main context captured at record time. The source
 * owns a reference on the event and on that context, both released there,
 * after the emission. In the waiter-thread completion mode a waiter thread
 * of ours waits in cuEventSynchronize instead and attaches the same source:
 * a shorter delay, paid with a waiting (and briefly spinning) thread. */
#include "config.h"

#include <string.h>

#include "cudaobj-event.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error-private.h"
#include "cudaobj-event-private.h"
/* Include circle with Stream, kept: see cudaobj-stream.c. */
#include "cudaobj-stream-private.h"
#include "cudaobj-device-private.h"

struct _CudaObjEvent
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  CUevent handle;        /* NULL once disposed */
  gboolean timing;
  gboolean blocking_sync;
  gboolean ipc;
  gboolean initialized;
  gboolean owns_handle; /* FALSE for a handle wrapped by cuda_obj_event_new_from_handle() */
  GObject *owner;       /* keeps a wrapped handle alive; owned, nullable */
  gboolean reset;       /* a reset of the device took the handle */
  int recorded;         /* atomic */
  int completion_mode;  /* atomic: a CudaObjCompletionMode, read at each record */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_HANDLE,
  PROP_TIMING,
  PROP_BLOCKING_SYNC,
  PROP_IPC,
  PROP_RECORDED,
  PROP_COMPLETION_MODE,
  PROP_OWNS_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_COMPLETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cuda_obj_event_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjEvent:
 *
 * A CUDA event: a marker recorded into a stream's work, which completes
 * once all the work submitted to that stream before it has finished.
 *
 * Create one with [ctor@CudaObj.Event.new], [method@CudaObj.Device.create_event] or
 * [method@CudaObj.Stream.record], or construct it with its options as properties
 * (`CudaObj.Event(device=dev, timing=False)`); construction is fallible
 * ([iface@Gio.Initable]). Record it with [method@CudaObj.Event.record], then make other
 * streams wait for it ([method@CudaObj.Stream.wait_event]), wait for it
 * ([method@CudaObj.Event.synchronize], [method@CudaObj.Event.wait_async]), poll it
 * ([method@CudaObj.Event.query]) or time the work between two events
 * ([method@CudaObj.Event.elapsed_time]). Recording again moves the marker.
 *
 * # Completion in the main loop
 *
 * Connect to [signal@CudaObj.Event::completed] to be told, in a main loop, when the
 * work recorded before the event has finished: each [method@CudaObj.Event.record]
 * made while a handler is connected (even a blocked one) produces exactly
 * one emission. The signal is emitted in the [struct@GLib.MainContext] that was the
 * thread-default one of the thread calling [method@CudaObj.Event.record] (the
 * global default context when none was pushed), and only while that context
 * is iterated; never on a CUDA driver thread. A handler connected after the
 * record does not see that record's completion. Until the emission the
 * event and the context are kept alive; if the context is never iterated
 * again, they stay alive. Records made while no handler is connected cost
 * nothing extra. Records into a stream that is being captured into a graph
 * produce no emission. If the stream's work fails, the driver never reports
 * completion and no emission happens.
 *
 * Threads: an event may be recorded, queried and waited for from several
 * threads. It makes its device's primary context current around its own
 * driver calls.
 *
 * An event made by other code (the CUDA runtime, CuPy, PyTorch) is
 * wrapped with [ctor@CudaObj.Event.new_from_handle] without being owned.
 *
 * An event made with a plain constructor and never initialized has no
 * handle: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED and its
 * getters give 0 or %FALSE.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjEvent, cuda_obj_event, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_event_initable_iface_init))

/* Device reset: the CUevent died with the context; never destroy it. */
static void
invalidate (gpointer object)
{
  CudaObjEvent *self = object;

  if (self->handle != NULL)
    {
      self->handle = NULL;
      self->reset = TRUE;
    }
}

static gboolean
cuda_obj_event_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjEvent *self = CUDA_OBJ_EVENT (initable);
  const CudaObjDriver *drv;
  unsigned int flags = CU_EVENT_DEFAULT;

  if (self->initialized)
    return TRUE;
  drv = cuda_obj_driver_get (error);
  if (drv == NULL)
    return FALSE;
  if (self->device == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "An event needs a device: set CudaObjEvent:device");
      return FALSE;
    }
  if (self->ipc && self->timing)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "An interprocess (ipc) event cannot record timing: set timing to FALSE");
      return FALSE;
    }
  if (!self->timing)
    flags |= CU_EVENT_DISABLE_TIMING;
  if (self->blocking_sync)
    flags |= CU_EVENT_BLOCKING_SYNC;
  if (self->ipc)
    flags |= CU_EVENT_INTERPROCESS;
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  if (!cuda_obj_check (drv->cuEventCreate (&self->handle, flags), "cuEventCreate", error))
    {
      self->handle = NULL;
      return FALSE;
    }
  self->initialized = TRUE;
  self->owns_handle = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_event_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_event_initable_init;
}

static void
cuda_obj_event_dispose (GObject *object)
{
  CudaObjEvent *self = CUDA_OBJ_EVENT (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUevent handle;

  if (self->initialized)
    cuda_obj_device_unregister (self->device, self);
  handle = g_steal_pointer (&self->handle);
  /* A pending event is released by the driver once it completed; a
   * wrapped one is its owner's. */
  if (handle != NULL && self->owns_handle && drv != NULL && cuda_obj_device_activate (self->device, NULL))
    drv->cuEventDestroy (handle);
  g_clear_object (&self->owner);
  G_OBJECT_CLASS (cuda_obj_event_parent_class)->dispose (object);
}

static void
cuda_obj_event_finalize (GObject *object)
{
  CudaObjEvent *self = CUDA_OBJ_EVENT (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_event_parent_class)->finalize (object);
}

static void
cuda_obj_event_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjEvent *self = CUDA_OBJ_EVENT (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_event_get_handle (self)); break;
    case PROP_TIMING: g_value_set_boolean (value, self->timing); break;
    case PROP_BLOCKING_SYNC: g_value_set_boolean (value, self->blocking_sync); break;
    case PROP_IPC: g_value_set_boolean (value, self->ipc); break;
    case PROP_RECORDED: g_value_set_boolean (value, cuda_obj_event_get_recorded (self)); break;
    case PROP_COMPLETION_MODE: g_value_set_enum (value, cuda_obj_event_get_completion_mode (self)); break;
    case PROP_OWNS_HANDLE: g_value_set_boolean (value, self->owns_handle); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_event_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjEvent *self = CUDA_OBJ_EVENT (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_TIMING: self->timing = g_value_get_boolean (value); break;
    case PROP_BLOCKING_SYNC: self->blocking_sync = g_value_get_boolean (value); break;
    case PROP_IPC: self->ipc = g_value_get_boolean (value); break;
    case PROP_COMPLETION_MODE: cuda_obj_event_set_completion_mode (self, g_value_get_enum (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define CONSTRUCT_ONLY \
  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cuda_obj_event_class_init (CudaObjEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_event_dispose;
  object_class->finalize = cuda_obj_event_finalize;
  object_class->get_property = cuda_obj_event_get_property;
  object_class->set_property = cuda_obj_event_set_property;

  /**
   * CudaObjEvent:device:
   *
   * The device whose streams the event is recorded on. Required at
   * construction.
   *
   * Read it with [method@CudaObj.Event.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, CONSTRUCT_ONLY);
  /**
   * CudaObjEvent:handle:
   *
   * The `CUevent` as an integer, to hand to other CUDA libraries; 0 once
   * the event was disposed.
   *
   * Read it with [method@CudaObj.Event.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjEvent:timing:
   *
   * Whether the event records a timestamp, for
   * [method@CudaObj.Event.elapsed_time]. Events without timing are cheaper to
   * record and wait for.
   *
   * Read it with [method@CudaObj.Event.get_timing].
   *
   * Since: 1.0
   */
  properties[PROP_TIMING] = g_param_spec_boolean ("timing", NULL, NULL, TRUE, CONSTRUCT_ONLY);
  /**
   * CudaObjEvent:blocking-sync:
   *
   * Whether a thread waiting for the event ([method@CudaObj.Event.synchronize],
   * [method@CudaObj.Event.wait_async]) sleeps instead of spinning on a CPU core.
   *
   * Read it with [method@CudaObj.Event.get_blocking_sync].
   *
   * Since: 1.0
   */
  properties[PROP_BLOCKING_SYNC] = g_param_spec_boolean ("blocking-sync", NULL, NULL, FALSE, CONSTRUCT_ONLY);
  /**
   * CudaObjEvent:ipc:
   *
   * Whether the event may be shared with other processes
   * (`CU_EVENT_INTERPROCESS`). Requires [property@CudaObj.Event:timing] off:
   * otherwise construction fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT.
   *
   * Read it with [method@CudaObj.Event.get_ipc].
   *
   * Since: 1.0
   */
  properties[PROP_IPC] = g_param_spec_boolean ("ipc", NULL, NULL, FALSE, CONSTRUCT_ONLY);
  /**
   * CudaObjEvent:recorded:
   *
   * Whether the event was recorded at least once.
   *
   * Read it with [method@CudaObj.Event.get_recorded].
   *
   * Since: 1.0
   */
  properties[PROP_RECORDED]
      = g_param_spec_boolean ("recorded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjEvent:completion-mode:
   *
   * How [signal@CudaObj.Event::completed] learns that the recorded work
   * finished, read at each [method@CudaObj.Event.record]: the driver's host
   * function (the default: cheap on the CPU), or a waiter thread, which
   * tells the main loop sooner (see [enum@CudaObj.CompletionMode] and the
   * performance guide for the measured figures).
   *
   * Read it with [method@CudaObj.Event.get_completion_mode] and change it
   * with [method@CudaObj.Event.set_completion_mode].
   *
   * Since: 1.0
   */
  properties[PROP_COMPLETION_MODE] = g_param_spec_enum (
      "completion-mode", NULL, NULL, CUDA_OBJ_TYPE_COMPLETION_MODE, CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjEvent:owns-handle:
   *
   * Whether the event created (or opened) its `CUevent` and destroys it
   * when disposed; %FALSE for an event wrapped with
   * [ctor@CudaObj.Event.new_from_handle].
   *
   * Read it with [method@CudaObj.Event.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE]
      = g_param_spec_boolean ("owns-handle", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CudaObjEvent::completed:
   * @self: the [class@CudaObj.Event]
   *
   * Emitted once the work recorded before the event has finished, once per
   * [method@CudaObj.Event.record] made while a handler was connected, in the
   * [struct@GLib.MainContext] that was thread-default when [method@CudaObj.Event.record] was
   * called. See the class description for the full contract.
   *
   * Since: 1.0
   */
  signals[SIGNAL_COMPLETED] = g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cuda_obj_event_init (CudaObjEvent *self)
{
  self->timing = TRUE;
}

CUevent
cuda_obj_event_peek_handle (CudaObjEvent *self, GError **error)
{
  if (G_UNLIKELY (self->handle == NULL) && self->reset)
    cuda_obj_device_set_reset_error (self->device, "Event", error);
  else if (G_UNLIKELY (self->handle == NULL))
    {
      if (self->initialized)
        g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "Event is disposed");
      else
        g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                             "Event is not initialized: its construction failed "
                             "or g_initable_init() was not called");
    }
  return self->handle;
}

static gboolean
prepare (CudaObjEvent *self, GError **error)
{
  return cuda_obj_event_peek_handle (self, error) != NULL && cuda_obj_device_activate (self->device, error);
}

/**
 * cuda_obj_event_new:
 * @device: the [class@CudaObj.Device] whose streams will record the event
 * @timing: whether the event records a timestamp (see [property@CudaObj.Event:timing])
 * @blocking_sync: whether waiting threads sleep instead of spinning
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates an event. For the interprocess flag, construct the object with
 * its [property@CudaObj.Event:ipc] property.
 *
 * Returns: (transfer full): the new event, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjEvent *
cuda_obj_event_new (CudaObjDevice *device, gboolean timing, gboolean blocking_sync, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  return g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, error, "device", device, "timing", timing,
                         "blocking-sync", blocking_sync, NULL);
}

/**
 * cuda_obj_device_create_event:
 * @device: a [class@CudaObj.Device]
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates an event with timing on, for [method@CudaObj.Event.elapsed_time].
 *
 * Returns: (transfer full): the new event, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjEvent *
cuda_obj_device_create_event (CudaObjDevice *device, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  return cuda_obj_event_new (device, TRUE, FALSE, error);
}

/**
 * cuda_obj_event_get_device:
 * @self: a [class@CudaObj.Event]
 *
 * Gives the device on whose streams the event is recorded, fixed at
 * construction. See [property@CudaObj.Event:device].
 *
 * Returns: (transfer none): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_event_get_device (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), NULL);
  return self->device;
}

/**
 * cuda_obj_event_get_handle:
 * @self: a [class@CudaObj.Event]
 *
 * Gives the `CUevent` as an integer, to hand to other CUDA libraries; 0 once
 * the event was disposed. See [property@CudaObj.Event:handle].
 *
 * Returns: the `CUevent`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_event_get_handle (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), 0);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_event_get_timing:
 * @self: a [class@CudaObj.Event]
 *
 * Tells whether the event records a timestamp, which
 * [method@CudaObj.Event.elapsed_time] needs; fixed at construction. See
 * [property@CudaObj.Event:timing].
 *
 * Returns: %TRUE if the event records timing
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_get_timing (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return self->timing;
}

/**
 * cuda_obj_event_get_blocking_sync:
 * @self: a [class@CudaObj.Event]
 *
 * Tells whether a thread waiting for the event sleeps instead of spinning on
 * a CPU core; fixed at construction. See
 * [property@CudaObj.Event:blocking-sync].
 *
 * Returns: %TRUE if waiting threads sleep
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_get_blocking_sync (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return self->blocking_sync;
}

/**
 * cuda_obj_event_get_ipc:
 * @self: a [class@CudaObj.Event]
 *
 * Tells whether the event may be shared with other processes
 * (`CU_EVENT_INTERPROCESS`); fixed at construction. See
 * [property@CudaObj.Event:ipc].
 *
 * Returns: %TRUE for an interprocess event
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_get_ipc (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return self->ipc;
}

/**
 * cuda_obj_event_get_completion_mode:
 * @self: a [class@CudaObj.Event]
 *
 * Gives how [signal@CudaObj.Event::completed] learns that the recorded
 * work finished, [property@CudaObj.Event:completion-mode].
 *
 * Returns: the completion mode
 *
 * Since: 1.0
 */
CudaObjCompletionMode
cuda_obj_event_get_completion_mode (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION);
  return g_atomic_int_get (&self->completion_mode);
}

/**
 * cuda_obj_event_set_completion_mode:
 * @self: a [class@CudaObj.Event]
 * @mode: the completion mode for the records from now on
 *
 * Sets how [signal@CudaObj.Event::completed] learns that the recorded work
 * finished, [property@CudaObj.Event:completion-mode]; records made before
 * keep the mode they were made with. A value outside
 * [enum@CudaObj.CompletionMode] is ignored.
 *
 * Since: 1.0
 */
void
cuda_obj_event_set_completion_mode (CudaObjEvent *self, CudaObjCompletionMode mode)
{
  g_return_if_fail (CUDA_OBJ_IS_EVENT (self));
  if (mode != CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION && mode != CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD)
    return;
  if (g_atomic_int_exchange (&self->completion_mode, mode) != (int) mode)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETION_MODE]);
}

/**
 * cuda_obj_event_get_recorded:
 * @self: a [class@CudaObj.Event]
 *
 * Tells whether the event was recorded at least once; it becomes %TRUE at the
 * first [method@CudaObj.Event.record]. See [property@CudaObj.Event:recorded].
 *
 * Returns: %TRUE once the event was recorded
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_get_recorded (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return g_atomic_int_get (&self->recorded);
}

/* What the driver thread hands to the main context. */
typedef struct
{
  CudaObjEvent *event;   /* owned */
  GMainContext *context; /* owned */
} Completion;

static void
completion_free (gpointer data)
{
  Completion *completion = data;

  g_object_unref (completion->event);
  g_main_context_unref (completion->context);
  g_free (completion);
}

static gboolean
completion_dispatch (gpointer data)
{
  Completion *completion = data;

  g_signal_emit (completion->event, signals[SIGNAL_COMPLETED], 0);
  return G_SOURCE_REMOVE;
}

/* Runs on a CUDA driver thread: no CUDA call, no unref, only GLib's
 * thread-safe source attachment. */
static void CUDA_CB
completion_host_func (void *data)
{
  Completion *completion = data;
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[cudaobj] event completed");
  g_source_set_callback (source, completion_dispatch, completion, completion_free);
  g_source_attach (source, completion->context);
  g_source_unref (source);
}

/* The waiter-thread mode's work for one record: waits in the driver, then
 * hands the emission to the main context as the host function does. After
 * a failure (a fault took the context) nothing is emitted, as no host
 * function would run either. */
static void
wait_then_complete (gpointer data)
{
  Completion *completion = data;
  CudaObjEvent *self = completion->event;

  if (cuda_obj_device_activate (self->device, NULL) && self->handle != NULL
      && cuda_obj_driver_peek ()->cuEventSynchronize (self->handle) == CUDA_SUCCESS)
    completion_host_func (completion);
  else
    completion_free (completion);
}

/* The waiter threads: as many as records were ever pending at once, so
 * that a long wait never holds back another event's notice. A waiter that
 * finished spins on the queue for WAITER_SPIN_US before it sleeps: a
 * record that follows soon (the next frame, the next step of a loop) is
 * then taken without a futex wake, one thread hand-over less on the way
 * to the main loop. Idle waiters sleep and cost nothing. */
#define WAITER_SPIN_US 200

static GAsyncQueue *waiter_queue;
static gint waiters_idle;
static gint waiters_started;

static gpointer
waiter_main (gpointer data)
{
  for (;;)
    {
      gint64 until = g_get_monotonic_time () + WAITER_SPIN_US;
      gpointer completion;

      g_atomic_int_inc (&waiters_idle);
      while ((completion = g_async_queue_try_pop (waiter_queue)) == NULL && g_get_monotonic_time () < until)
        ;
      if (completion == NULL)
        completion = g_async_queue_pop (waiter_queue);
      g_atomic_int_add (&waiters_idle, -1);
      wait_then_complete (completion);
    }
  return NULL;
}

/* Queues @completion for a waiter, starting one when none is idle. */
static gboolean
waiter_push (Completion *completion, GError **error)
{
  static gsize once;
  GThread *thread;

  if (g_once_init_enter (&once))
    {
      waiter_queue = g_async_queue_new ();
      g_once_init_leave (&once, 1);
    }
  g_async_queue_push (waiter_queue, completion);
  /* Two records racing for one idle waiter only wait in turn: correct,
   * and the next record starts another. */
  if (g_atomic_int_get (&waiters_idle) > 0)
    return TRUE;
  thread = g_thread_try_new ("cudaobj-waiter", waiter_main, NULL, NULL);
  if (thread != NULL)
    {
      g_atomic_int_inc (&waiters_started);
      g_thread_unref (thread);
      return TRUE;
    }
  /* A waiter that exists takes the record once it is free; with none,
   * the record is taken back (unless one got it meanwhile). */
  if (g_atomic_int_get (&waiters_started) > 0 || !g_async_queue_remove (waiter_queue, completion))
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                       "No event waiter thread could be started");
  return FALSE;
}

static gboolean
watch_completion (CudaObjEvent *self, CUstream stream, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  Completion *completion;

  if (!cuda_obj_check (drv->cuStreamIsCapturing (stream, &status), "cuStreamIsCapturing", error))
    return FALSE;
  /* A host node in a graph would run at every launch, long after this. */
  if (status != CU_STREAM_CAPTURE_STATUS_NONE)
    return TRUE;
  completion = g_new (Completion, 1);
  completion->event = g_object_ref (self);
  completion->context = g_main_context_ref_thread_default ();
  if (g_atomic_int_get (&self->completion_mode) == CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD)
    {
      if (!waiter_push (completion, error))
        {
          completion_free (completion);
          return FALSE;
        }
      return TRUE;
    }
  if (!cuda_obj_check (drv->cuLaunchHostFunc (stream, completion_host_func, completion), "cuLaunchHostFunc",
                       error))
    {
      completion_free (completion);
      return FALSE;
    }
  return TRUE;
}

/**
 * cuda_obj_event_record:
 * @self: a [class@CudaObj.Event]
 * @stream: a [class@CudaObj.Stream] of the event's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Records @self at the current end of @stream's work: the event completes
 * once everything submitted to @stream before this call has finished.
 * Recording again moves the marker. If a [signal@CudaObj.Event::completed] handler
 * is connected now, the signal is emitted once for this record, in the
 * calling thread's thread-default main context.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @stream belongs to another
 *   device, %CUDA_OBJ_ERROR_CLOSED when it is closed)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_record (CudaObjEvent *self, CudaObjStream *stream, GError **error)
{
  CudaObjDevice *stream_device;
  CUstream stream_handle;

  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), FALSE);
  if (cuda_obj_event_peek_handle (self, error) == NULL
      || !cuda_obj_stream_prepare (stream, &stream_handle, error))
    return FALSE;
  stream_device = cuda_obj_stream_peek_device (stream);
  if (stream_device != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "An event of device %u cannot be recorded on a stream of device %u",
                   cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_ordinal (stream_device));
      return FALSE;
    }
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuEventRecord (self->handle, stream_handle), "cuEventRecord",
                       error))
    return FALSE;
  if (!g_atomic_int_exchange (&self->recorded, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDED]);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_COMPLETED], 0, TRUE))
    return watch_completion (self, stream_handle, error);
  return TRUE;
}

/**
 * cuda_obj_event_synchronize:
 * @self: a [class@CudaObj.Event]
 * @error: return location for a [struct@GLib.Error]
 *
 * Blocks the calling thread until the work recorded before the event's
 * latest record has finished (at once when it was never recorded).
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_synchronize (CudaObjEvent *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return prepare (self, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuEventSynchronize (self->handle), "cuEventSynchronize",
                            error);
}

/**
 * cuda_obj_event_query:
 * @self: a [class@CudaObj.Event]
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells, without waiting, whether the work recorded before the event has
 * finished. Not finished yet is not an error. An event that was never
 * recorded counts as complete.
 *
 * Returns: %TRUE when complete; %FALSE while pending, or with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_query (CudaObjEvent *self, GError **error)
{
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  if (!prepare (self, error))
    return FALSE;
  result = cuda_obj_driver_peek ()->cuEventQuery (self->handle);
  if (result == CUDA_ERROR_NOT_READY)
    return FALSE;
  return cuda_obj_check (result, "cuEventQuery", error);
}

static gboolean
check_timing (CudaObjEvent *event, const char *which, GError **error)
{
  /* A wrapped event's flags and records are its owner's: the driver
   * tells. */
  if (event->initialized && !event->owns_handle)
    return cuda_obj_event_peek_handle (event, error) != NULL;
  if (!event->timing)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Elapsed time needs two timing events: the %s event was created with "
                   "timing off",
                   which);
      return FALSE;
    }
  if (!g_atomic_int_get (&event->recorded))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Elapsed time needs two recorded events: the %s event was never recorded", which);
      return FALSE;
    }
  return cuda_obj_event_peek_handle (event, error) != NULL;
}

/**
 * cuda_obj_event_elapsed_time:
 * @start: the [class@CudaObj.Event] recorded first
 * @end: the [class@CudaObj.Event] recorded last
 * @error: return location for a [struct@GLib.Error]
 *
 * Measures the time between two recorded timing events, with a resolution
 * of about half a microsecond. Both must have completed: synchronize @end
 * first (otherwise the driver reports %CUDA_OBJ_DRIVER_ERROR_NOT_READY).
 *
 * Returns: the elapsed time in milliseconds; 0 with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when either event has timing off or
 *   was never recorded)
 *
 * Since: 1.0
 */
double
cuda_obj_event_elapsed_time (CudaObjEvent *start, CudaObjEvent *end, GError **error)
{
  float ms = 0.f;

  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (start), 0.);
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (end), 0.);
  if (!check_timing (start, "start", error) || !check_timing (end, "end", error)
      || !cuda_obj_device_activate (start->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuEventElapsedTime (&ms, start->handle, end->handle),
                          "cuEventElapsedTime", error))
    return 0.;
  return ms;
}

static void
wait_in_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (!cuda_obj_event_synchronize (CUDA_OBJ_EVENT (source_object), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cuda_obj_event_wait_async:
 * @self: a [class@CudaObj.Event]
 * @cancellable: (nullable): a [class@Gio.Cancellable]; cancelling stops the waiting,
 *   not the work
 * @callback: (scope async): called in the thread-default main context of
 *   the caller once the event completed
 * @user_data: data for @callback
 *
 * Waits for the work recorded before the event's latest record without
 * blocking the calling thread: a worker thread waits (sleeping when the
 * event has [property@CudaObj.Event:blocking-sync], spinning otherwise), then
 * @callback runs in the caller's thread-default main context. Get the
 * result with [method@CudaObj.Event.wait_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_event_wait_async (CudaObjEvent *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  CUresult result;

  g_return_if_fail (CUDA_OBJ_IS_EVENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cuda_obj_event_wait_async);
  g_task_set_name (task, "[cudaobj] event wait");
  if (!prepare (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Complete already: no thread needed. */
  result = cuda_obj_driver_peek ()->cuEventQuery (self->handle);
  if (result != CUDA_ERROR_NOT_READY)
    {
      if (cuda_obj_check (result, "cuEventQuery", &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, wait_in_thread);
}

/**
 * cuda_obj_event_wait_finish:
 * @self: a [class@CudaObj.Event]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [method@CudaObj.Event.wait_async].
 *
 * Returns: %TRUE when the event completed; %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled, or the driver's error)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_wait_finish (CudaObjEvent *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  if (!cuda_obj_check_task (result, self, cuda_obj_event_wait_async, G_STRFUNC, error))
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* An event descriptor: cuIpcGetEventHandle's bytes behind a magic and a
 * version (little-endian), so that a stray message is an error. */
#define EVENT_DESCRIPTOR_MAGIC "CudaObjE"
#define EVENT_DESCRIPTOR_VERSION 1

typedef struct
{
  char magic[8];
  guint32 version;
  guint32 reserved;
  CUipcEventHandle handle;
} EventDescriptor;

G_STATIC_ASSERT (sizeof (EventDescriptor) == 16 + CU_IPC_HANDLE_SIZE);

/**
 * cuda_obj_event_export_ipc:
 * @self: a [class@CudaObj.Event] made with [property@CudaObj.Event:ipc]
 * @error: return location for a [struct@GLib.Error]
 *
 * Describes the event for another process (`cuIpcGetEventHandle`), which
 * opens it with [ctor@CudaObj.Event.new_from_ipc]. The descriptor is a
 * small block of bytes, no handle, and may travel by any means. Once
 * opened, the other process's streams can wait for what this process
 * records into the event ([method@CudaObj.Stream.wait_event],
 * [method@CudaObj.Event.synchronize]).
 *
 * Returns: (transfer full): the descriptor, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for an event without
 *   [property@CudaObj.Event:ipc], %CUDA_OBJ_ERROR_NOT_SUPPORTED on a device
 *   that cannot share events (`CU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED`)
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_event_export_ipc (CudaObjEvent *self, GError **error)
{
  EventDescriptor descriptor;

  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), NULL);
  if (!prepare (self, error))
    return NULL;
  /* A wrapped event's flags are unknown: the driver tells. */
  if (!self->ipc && self->owns_handle)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Only an interprocess event can be shared: construct it with ipc set "
                           "and timing off");
      return NULL;
    }
  {
    int supported = 0;

    if (!cuda_obj_check (cuda_obj_driver_peek ()->cuDeviceGetAttribute (
                             &supported, CU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED,
                             cuda_obj_device_get_handle (self->device)),
                         "cuDeviceGetAttribute", error))
      return NULL;
    if (!supported)
      {
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "Device %u (%s) cannot share events between processes",
                     cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_name (self->device));
        return NULL;
      }
  }
  memset (&descriptor, 0, sizeof descriptor);
  memcpy (descriptor.magic, EVENT_DESCRIPTOR_MAGIC, sizeof descriptor.magic);
  descriptor.version = GUINT32_TO_LE (EVENT_DESCRIPTOR_VERSION);
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuIpcGetEventHandle (&descriptor.handle, self->handle),
                       "cuIpcGetEventHandle", error))
    return NULL;
  return g_bytes_new (&descriptor, sizeof descriptor);
}

/**
 * cuda_obj_event_new_from_ipc:
 * @device: (nullable): the device, in this process, of the exporter's
 *   event; %NULL for device 0
 * @descriptor: a descriptor from [method@CudaObj.Event.export_ipc] in
 *   another process
 * @error: return location for a [struct@GLib.Error]
 *
 * Opens an event that another process shares (`cuIpcOpenEventHandle`).
 * The event has [property@CudaObj.Event:ipc] and no timing; waiting on it
 * ([method@CudaObj.Stream.wait_event], [method@CudaObj.Event.synchronize])
 * waits for the work the exporter recorded into it. The driver's rule: the
 * exporter keeps its event until every importer is done with it; using an
 * opened event after the exporter destroyed its own is undefined.
 *
 * Returns: (transfer full): the event, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a descriptor of the wrong size,
 *   magic or version
 *
 * Since: 1.0
 */
CudaObjEvent *
cuda_obj_event_new_from_ipc (CudaObjDevice *device, GBytes *descriptor, GError **error)
{
  g_autoptr (CudaObjDevice) default_device = NULL;
  g_autoptr (CudaObjEvent) self = NULL;
  EventDescriptor copy;
  const char *data;
  gsize length = 0;
  CUevent handle = NULL;

  g_return_val_if_fail (device == NULL || CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cuda_obj_require_argument (descriptor, error))
    return NULL;
  data = g_bytes_get_data (descriptor, &length);
  if (length != sizeof (EventDescriptor) || memcmp (data, EVENT_DESCRIPTOR_MAGIC, 8) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Not an event descriptor: expected the %zu bytes that cuda_obj_event_export_ipc() "
                   "makes, got %zu bytes%s",
                   sizeof (EventDescriptor), length,
                   length == sizeof (EventDescriptor) ? " with another magic" : "");
      return NULL;
    }
  memcpy (&copy, data, sizeof copy);
  if (GUINT32_FROM_LE (copy.version) != EVENT_DESCRIPTOR_VERSION)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Event descriptor version %u is not supported: this library reads version %u",
                   GUINT32_FROM_LE (copy.version), EVENT_DESCRIPTOR_VERSION);
      return NULL;
    }
  if (device == NULL && (device = default_device = cuda_obj_device_get (0, error)) == NULL)
    return NULL;
  if (!cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuIpcOpenEventHandle (&handle, copy.handle),
                          "cuIpcOpenEventHandle", error))
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_EVENT, "device", device, "timing", FALSE, "ipc", TRUE, NULL);
  self->handle = handle;
  self->initialized = TRUE;
  self->owns_handle = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_event_new_from_handle:
 * @device: the [class@CudaObj.Device] whose primary context @handle belongs to
 * @handle: a `CUevent` (or `cudaEvent_t`) as an integer
 * @owner: (nullable): the object that owns @handle (a CuPy or PyTorch
 *   event, say, or the [class@CudaObj.Event] it was read from); kept alive
 *   as long as the wrapper is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps an event created by someone else so that libcudaobj can record,
 * wait for, query and time it like its own:
 * [method@CudaObj.Event.record], [method@CudaObj.Event.synchronize],
 * [method@CudaObj.Event.query], [method@CudaObj.Event.elapsed_time],
 * [method@CudaObj.Event.wait_async], [method@CudaObj.Stream.wait_event]
 * and [signal@CudaObj.Event::completed] all work. The wrapper never
 * destroys @handle: dropping it only stops using it and releases @owner
 * ([property@CudaObj.Event:owns-handle] is %FALSE).
 *
 * The driver cannot read an event's flags, so the wrapper's
 * [property@CudaObj.Event:timing] (%TRUE), [property@CudaObj.Event:blocking-sync]
 * and [property@CudaObj.Event:ipc] (%FALSE) are the defaults, not the
 * event's; and [property@CudaObj.Event:recorded] says only whether the
 * wrapper recorded it. [method@CudaObj.Event.elapsed_time] and
 * [method@CudaObj.Event.export_ipc] therefore leave the checks of those
 * flags to the driver: on an event without timing, or one never recorded,
 * the elapsed time is a %CUDA_OBJ_DRIVER_ERROR (invalid handle, not
 * ready), as exporting an event that is not interprocess is.
 *
 * @handle must be an event of @device's primary context (the one the CUDA
 * runtime, CuPy and PyTorch use). The driver can tell neither an event's
 * context nor whether an integer is an event at all: the wrapper asks
 * `cuEventQuery`, whose refusal is a %CUDA_OBJ_ERROR_INVALID_ARGUMENT,
 * but an event of another context, or garbage the driver does not catch,
 * is undefined behaviour. So is every use of the wrapper once the owner
 * destroyed @handle.
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a 0 handle, a loader error
 *   without a CUDA driver
 *
 * Since: 1.0
 */
CudaObjEvent *
cuda_obj_event_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner, GError **error)
{
  g_autoptr (CudaObjEvent) self = NULL;
  const CudaObjDriver *drv;
  CUresult result;

  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  if (handle == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Cannot wrap event handle 0: give a CUevent (a cudaEvent_t) that other code "
                           "created");
      return NULL;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (device, error))
    return NULL;
  /* Not ready is an answer too: the event is known. */
  result = drv->cuEventQuery ((CUevent) (guintptr) handle);
  if (result != CUDA_ERROR_NOT_READY
      && !cuda_obj_check_foreign_handle (result, "cuEventQuery", "event", handle, error))
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_EVENT, "device", device, NULL);
  self->handle = (CUevent) (guintptr) handle;
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_event_get_owns_handle:
 * @self: a [class@CudaObj.Event]
 *
 * Tells whether the event created (or opened) its `CUevent` and destroys
 * it when disposed: %FALSE for an event wrapped with
 * [ctor@CudaObj.Event.new_from_handle]. See
 * [property@CudaObj.Event:owns-handle].
 *
 * Returns: %TRUE if the event owns its handle
 *
 * Since: 1.0
 */
gboolean
cuda_obj_event_get_owns_handle (CudaObjEvent *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_EVENT (self), FALSE);
  return self->owns_handle;
}
