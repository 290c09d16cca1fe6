/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: records a stream's work into a CUDA graph (stream capture).
 *
 * A builder begins capturing its stream when it is initialized and ends
 * the capture into a CUgraph with end(); complete() (in cudaobj-graph.c)
 * instantiates that graph as many times as wanted. The captured CUgraph
 * lives in a reference-counted template (cudaobj-graph-template.c) shared
 * with the Graphs made from it, so a builder may go away before its graphs.
 * A capture in progress is ended and discarded by abort() or when the
 * builder is disposed, so the stream never stays in capture mode because a
 * builder was dropped. */
#include "config.h"

#include "cudaobj-graph-builder.h"
#include "cudaobj-graph-builder-private.h"
#include "cudaobj-graph-template-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-device-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_CAPTURE_MODE_GLOBAL == (int) CU_STREAM_CAPTURE_MODE_GLOBAL);
G_STATIC_ASSERT ((int) CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL == (int) CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
G_STATIC_ASSERT ((int) CUDA_OBJ_CAPTURE_MODE_RELAXED == (int) CU_STREAM_CAPTURE_MODE_RELAXED);

typedef enum
{
  STATE_NEW, /* not initialized, or its initialization failed */
  STATE_CAPTURING,
  STATE_ENDED,  /* template holds the graph */
  STATE_FAILED, /* the capture was invalidated or failed to end */
  STATE_ABORTED,
} State;

struct _CudaObjGraphBuilder
{
  GObject parent_instance;

  CudaObjStream *stream; /* owned */
  CudaObjCaptureMode mode;
  State state;
  CUstream handle;                /* the captured CUstream */
  GThread *thread;                /* the thread that began the capture; not owned */
  CudaObjGraphTemplate *template; /* owned, once ended */
};

enum
{
  PROP_0,
  PROP_STREAM,
  PROP_DEVICE,
  PROP_MODE,
  PROP_CAPTURING,
  PROP_ENDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_graph_builder_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraphBuilder:
 *
 * Records the work submitted to a stream into a CUDA graph instead of
 * running it (stream capture), so that the whole sequence can later be
 * launched again and again at the cost of a single launch.
 *
 * Creating a builder with [ctor@CudaObj.GraphBuilder.new] (or constructing it,
 * `CudaObj.GraphBuilder(stream=s)`) begins the capture. From then on,
 * everything enqueued on the stream through the ordinary API — kernel
 * launches with [func@CudaObj.launch], [class@CudaObj.Buffer] copies and fills, event
 * records, host callbacks added with [method@CudaObj.Stream.add_callback] — is
 * recorded, not run. Work on other streams joins the capture when they
 * wait for an event recorded on the captured stream, and must be joined
 * back (the captured stream waits for them) before the end.
 * [method@CudaObj.GraphBuilder.end] ends the capture; then
 * [method@CudaObj.GraphBuilder.complete] instantiates the recorded graph as an
 * executable [class@CudaObj.Graph], as often as wanted, and a [class@CudaObj.Graph] built
 * earlier can take the new recording's values with [method@CudaObj.Graph.update].
 * This follows cuda.core's `GraphBuilder` (`end_building()`, then
 * `complete()`).
 *
 * Some calls are not allowed while a stream is being captured: anything
 * that waits for the captured work ([method@CudaObj.Stream.synchronize],
 * [method@CudaObj.Device.synchronize], [method@CudaObj.Buffer.copy_to_bytes]) and, in
 * the default %CUDA_OBJ_CAPTURE_MODE_GLOBAL mode, synchronous allocations
 * from any thread. They fail with a %CUDA_OBJ_DRIVER_ERROR and invalidate
 * the capture; [method@CudaObj.GraphBuilder.end] then reports
 * %CUDA_OBJ_DRIVER_ERROR_STREAM_CAPTURE_INVALIDATED and the stream is back
 * to normal. A capture that is not wanted any more is ended and discarded
 * with [method@CudaObj.GraphBuilder.abort]; dropping the last reference to a
 * builder that still captures does the same.
 *
 * Unless the mode is %CUDA_OBJ_CAPTURE_MODE_RELAXED, the capture must be
 * ended (or aborted) by the thread that began it. A builder is meant to be
 * used from one thread; the graph it ended into may be completed from any.
 * The builder's node count and DOT dump work during the capture too, which
 * helps to see what is being recorded.
 *
 * A builder made with a plain constructor and never initialized does not
 * capture: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED; aborting
 * it does nothing.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphBuilder, cuda_obj_graph_builder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graph_builder_initable_iface_init))

/* The builder. */

static const char *
mode_name (CudaObjCaptureMode mode)
{
  switch (mode)
    {
    case CUDA_OBJ_CAPTURE_MODE_GLOBAL: return "global";
    case CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL: return "thread-local";
    case CUDA_OBJ_CAPTURE_MODE_RELAXED: return "relaxed";
    default: return "unknown";
    }
}

/* CUDA_OBJ_ERROR_CLOSED for a builder that does not capture and has no
 * graph, saying why. */
static gboolean
set_no_capture_error (CudaObjGraphBuilder *self, GError **error)
{
  const char *why = "";

  switch (self->state)
    {
    case STATE_NEW:
      why = "it is not initialized: its construction failed or g_initable_init() was not called";
      break;
    case STATE_FAILED: why = "its capture failed"; break;
    case STATE_ABORTED: why = "its capture was aborted"; break;
    default: g_assert_not_reached ();
    }
  g_set_error (error, CUDA_OBJ_ERROR,
               self->state == STATE_NEW ? CUDA_OBJ_ERROR_NOT_INITIALIZED : CUDA_OBJ_ERROR_CLOSED,
               "GraphBuilder has no graph: %s", why);
  return FALSE;
}

static gboolean
check_thread (CudaObjGraphBuilder *self, const char *what, GError **error)
{
  if (self->mode == CUDA_OBJ_CAPTURE_MODE_RELAXED || g_thread_self () == self->thread)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "GraphBuilder: a capture in %s mode must be %s by the thread that began it; "
               "use CUDA_OBJ_CAPTURE_MODE_RELAXED to end it from another thread",
               mode_name (self->mode), what);
  return FALSE;
}

static gboolean
cuda_obj_graph_builder_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (initable);
  CUstream handle;

  if (self->state != STATE_NEW)
    return TRUE;
  if (self->stream == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A graph builder needs a stream to capture: set CudaObjGraphBuilder:stream");
      return FALSE;
    }
  if (!cuda_obj_stream_prepare (self->stream, &handle, error))
    return FALSE;
  if (handle == NULL || handle == CU_STREAM_LEGACY)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "The legacy default stream cannot be captured: capture a stream "
                           "made with cuda_obj_stream_new() or cuda_obj_device_create_stream()");
      return FALSE;
    }
  if (!cuda_obj_check (
          cuda_obj_driver_peek ()->cuStreamBeginCapture (handle, (CUstreamCaptureMode) self->mode),
          "cuStreamBeginCapture", error))
    return FALSE;
  self->handle = handle;
  self->thread = g_thread_self ();
  self->state = STATE_CAPTURING;
  return TRUE;
}

static void
cuda_obj_graph_builder_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_builder_initable_init;
}

/* Ends the capture; the graph, if any, in *graph. The builder leaves the
 * capturing state unless the stream is still capturing afterwards. */
static CUresult
end_capture (CudaObjGraphBuilder *self, CUgraph *graph, State failed_state, GError **error)
{
  const CudaObjDriver *drv;
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  CUstream handle;
  CUresult result;

  *graph = NULL;
  if (!cuda_obj_stream_prepare (self->stream, &handle, error))
    {
      /* The stream was closed under the capture: nothing more to do. */
      self->state = failed_state;
      return CUDA_ERROR_INVALID_HANDLE;
    }
  drv = cuda_obj_driver_peek ();
  result = drv->cuStreamEndCapture (self->handle, graph);
  if (result == CUDA_SUCCESS)
    {
      self->state = STATE_ENDED;
      return result;
    }
  if (*graph != NULL)
    drv->cuGraphDestroy (*graph);
  *graph = NULL;
  if (drv->cuStreamIsCapturing (self->handle, &status) != CUDA_SUCCESS
      || status == CU_STREAM_CAPTURE_STATUS_NONE)
    self->state = failed_state;
  return result;
}

static void
notify_state (CudaObjGraphBuilder *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED]);
}

static void
cuda_obj_graph_builder_dispose (GObject *object)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (object);

  /* Never leave the stream in capture mode. From the wrong thread (in a
   * global or thread-local capture) the driver refuses and nothing can be
   * done; the documentation asks for the right thread. */
  if (self->state == STATE_CAPTURING)
    {
      CUgraph graph;

      end_capture (self, &graph, STATE_ABORTED, NULL);
      if (graph != NULL)
        cuda_obj_driver_peek ()->cuGraphDestroy (graph);
      self->state = STATE_ABORTED;
    }
  g_clear_pointer (&self->template, cuda_obj_graph_template_unref);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (cuda_obj_graph_builder_parent_class)->dispose (object);
}

static void
cuda_obj_graph_builder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (object);

  switch (prop_id)
    {
    case PROP_STREAM: g_value_set_object (value, self->stream); break;
    case PROP_DEVICE: g_value_set_object (value, cuda_obj_graph_builder_get_device (self)); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_CAPTURING: g_value_set_boolean (value, self->state == STATE_CAPTURING); break;
    case PROP_ENDED: g_value_set_boolean (value, self->state == STATE_ENDED); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_builder_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (object);

  switch (prop_id)
    {
    case PROP_STREAM: self->stream = g_value_dup_object (value); break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_builder_class_init (CudaObjGraphBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_graph_builder_dispose;
  object_class->get_property = cuda_obj_graph_builder_get_property;
  object_class->set_property = cuda_obj_graph_builder_set_property;

  /**
   * CudaObjGraphBuilder:stream:
   *
   * The stream whose work is captured. Required at construction; it must
   * not be the legacy default stream.
   *
   * Read it with [method@CudaObj.GraphBuilder.get_stream].
   *
   * Since: 1.0
   */
  properties[PROP_STREAM] = g_param_spec_object ("stream", NULL, NULL, CUDA_OBJ_TYPE_STREAM,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                     | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjGraphBuilder:device:
   *
   * The device of [property@CudaObj.GraphBuilder:stream], which graphs completed from
   * the builder run on.
   *
   * Read it with [method@CudaObj.GraphBuilder.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphBuilder:mode:
   *
   * How strictly the capture guards against calls that could synchronize
   * with the captured work.
   *
   * Read it with [method@CudaObj.GraphBuilder.get_mode].
   *
   * Since: 1.0
   */
  properties[PROP_MODE] = g_param_spec_enum (
      "mode", NULL, NULL, CUDA_OBJ_TYPE_CAPTURE_MODE, CUDA_OBJ_CAPTURE_MODE_GLOBAL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjGraphBuilder:capturing:
   *
   * Whether the stream is being captured: from construction until
   * [method@CudaObj.GraphBuilder.end] or [method@CudaObj.GraphBuilder.abort].
   *
   * Read it with [method@CudaObj.GraphBuilder.get_capturing].
   *
   * Since: 1.0
   */
  properties[PROP_CAPTURING]
      = g_param_spec_boolean ("capturing", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphBuilder:ended:
   *
   * Whether the capture ended into a graph, which
   * [method@CudaObj.GraphBuilder.complete] can now instantiate.
   *
   * Read it with [method@CudaObj.GraphBuilder.get_ended].
   *
   * Since: 1.0
   */
  properties[PROP_ENDED]
      = g_param_spec_boolean ("ended", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graph_builder_init (CudaObjGraphBuilder *self)
{
  self->state = STATE_NEW;
}

/* Private API. */

CudaObjGraphTemplate *
cuda_obj_graph_builder_get_template (CudaObjGraphBuilder *self, const char *what, GError **error)
{
  if (self->state == STATE_ENDED)
    return cuda_obj_graph_template_ref (self->template);
  if (self->state == STATE_CAPTURING)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the GraphBuilder is still capturing; call cuda_obj_graph_builder_end() first", what);
      return NULL;
    }
  set_no_capture_error (self, error);
  g_prefix_error (error, "%s: ", what);
  return NULL;
}

/* The graph to inspect: the ended one, or the one being captured. */
static CUgraph
peek_graph (CudaObjGraphBuilder *self, GError **error)
{
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  CUgraph graph = NULL;
  CUstream handle;

  if (self->state == STATE_ENDED)
    return self->template->handle;
  if (self->state != STATE_CAPTURING)
    {
      set_no_capture_error (self, error);
      return NULL;
    }
  if (!cuda_obj_stream_prepare (self->stream, &handle, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuStreamGetCaptureInfo (self->handle, &status, NULL,
                                                                           &graph, NULL, NULL, NULL),
                          "cuStreamGetCaptureInfo", error))
    return NULL;
  if (status != CU_STREAM_CAPTURE_STATUS_ACTIVE || graph == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_STREAM_CAPTURE_INVALIDATED,
                           "GraphBuilder: the capture was invalidated by an operation that capture "
                           "does not allow; end or abort the builder");
      return NULL;
    }
  return graph;
}

/* Public API. */

/**
 * cuda_obj_graph_builder_new:
 * @stream: the [class@CudaObj.Stream] to capture; not the legacy default stream
 * @mode: how strictly the capture guards against synchronizing calls
 * @error: return location for a [struct@GLib.Error]
 *
 * Begins capturing @stream: work enqueued on it from now on is recorded
 * into a graph instead of running, until [method@CudaObj.GraphBuilder.end].
 *
 * Returns: (transfer full): the builder, capturing, or %NULL with @error
 *   set: %CUDA_OBJ_ERROR_CLOSED when @stream is closed,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for the legacy default stream, a
 *   %CUDA_OBJ_DRIVER_ERROR when the stream is already being captured
 *
 * Since: 1.0
 */
CudaObjGraphBuilder *
cuda_obj_graph_builder_new (CudaObjStream *stream, CudaObjCaptureMode mode, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), NULL);
  return g_initable_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, NULL, error, "stream", stream, "mode", mode, NULL);
}

/**
 * cuda_obj_graph_builder_get_stream:
 * @self: a [class@CudaObj.GraphBuilder]
 *
 * Gives the stream whose work the builder captures, fixed at construction.
 * See [property@CudaObj.GraphBuilder:stream].
 *
 * Returns: (transfer none) (nullable): the captured stream; %NULL for a
 *   builder that was never initialized
 *
 * Since: 1.0
 */
CudaObjStream *
cuda_obj_graph_builder_get_stream (CudaObjGraphBuilder *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  return self->stream;
}

/**
 * cuda_obj_graph_builder_get_device:
 * @self: a [class@CudaObj.GraphBuilder]
 *
 * Gives the device of the captured stream, which graphs completed from the
 * builder run on. See [property@CudaObj.GraphBuilder:device].
 *
 * Returns: (transfer none) (nullable): the device; %NULL for a builder that
 *   was never initialized
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_graph_builder_get_device (CudaObjGraphBuilder *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  return self->stream != NULL ? cuda_obj_stream_peek_device (self->stream) : NULL;
}

/**
 * cuda_obj_graph_builder_get_mode:
 * @self: a [class@CudaObj.GraphBuilder]
 *
 * Gives how strictly the capture guards against calls that could synchronize
 * with the captured work; fixed at construction. See
 * [property@CudaObj.GraphBuilder:mode].
 *
 * Returns: the capture mode
 *
 * Since: 1.0
 */
CudaObjCaptureMode
cuda_obj_graph_builder_get_mode (CudaObjGraphBuilder *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), CUDA_OBJ_CAPTURE_MODE_GLOBAL);
  return self->mode;
}

/**
 * cuda_obj_graph_builder_get_capturing:
 * @self: a [class@CudaObj.GraphBuilder]
 *
 * Tells whether the stream is being captured: %TRUE from construction until
 * [method@CudaObj.GraphBuilder.end] or [method@CudaObj.GraphBuilder.abort].
 * See [property@CudaObj.GraphBuilder:capturing].
 *
 * Returns: %TRUE while the capture runs
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_get_capturing (CudaObjGraphBuilder *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  return self->state == STATE_CAPTURING;
}

/**
 * cuda_obj_graph_builder_get_ended:
 * @self: a [class@CudaObj.GraphBuilder]
 *
 * Tells whether the capture ended into a graph, which
 * [method@CudaObj.GraphBuilder.complete] can now instantiate. See
 * [property@CudaObj.GraphBuilder:ended].
 *
 * Returns: %TRUE once the capture ended into a graph
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_get_ended (CudaObjGraphBuilder *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  return self->state == STATE_ENDED;
}

/**
 * cuda_obj_graph_builder_end:
 * @self: a [class@CudaObj.GraphBuilder]
 * @error: return location for a [struct@GLib.Error]
 *
 * Ends the capture: the stream runs its work normally again, and the
 * recorded graph is ready for [method@CudaObj.GraphBuilder.complete] and
 * [method@CudaObj.Graph.update]. Ending a builder that already ended does
 * nothing and succeeds.
 *
 * When the capture was invalidated (by a synchronize or another call that
 * capture does not allow), or work forked to other streams was not joined
 * back, the capture ends all the same, without a graph: the error says
 * why, the stream is usable again and the builder reports
 * %CUDA_OBJ_ERROR_CLOSED from then on.
 *
 * Returns: %TRUE when the capture ended into a graph; %FALSE with @error
 *   set: a %CUDA_OBJ_DRIVER_ERROR such as
 *   %CUDA_OBJ_DRIVER_ERROR_STREAM_CAPTURE_INVALIDATED, %CUDA_OBJ_ERROR_CLOSED
 *   when the builder was aborted, its capture failed earlier, or its stream
 *   was closed, %CUDA_OBJ_ERROR_INVALID_ARGUMENT when called from another
 *   thread than the one that began a capture that is not in
 *   %CUDA_OBJ_CAPTURE_MODE_RELAXED mode (the capture goes on)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_end (CudaObjGraphBuilder *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  CUgraph graph = NULL;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  if (self->state == STATE_ENDED)
    return TRUE;
  if (self->state != STATE_CAPTURING)
    return set_no_capture_error (self, error);
  if (!check_thread (self, "ended", error))
    return FALSE;
  result = end_capture (self, &graph, STATE_FAILED, &local_error);
  if (result == CUDA_SUCCESS)
    self->template = cuda_obj_graph_template_new (cuda_obj_stream_peek_device (self->stream), graph);
  if (self->state != STATE_CAPTURING)
    notify_state (self);
  if (result == CUDA_SUCCESS)
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  cuda_obj_check (result, "cuStreamEndCapture", error);
  if (result == CUDA_ERROR_STREAM_CAPTURE_INVALIDATED)
    g_prefix_error (error, "GraphBuilder: the capture was invalidated by an operation that capture "
                           "does not allow (a synchronize, or a synchronous allocation or copy): ");
  else if (result == CUDA_ERROR_STREAM_CAPTURE_UNJOINED)
    g_prefix_error (error, "GraphBuilder: work forked from the captured stream to another stream "
                           "was not joined back: ");
  else
    g_prefix_error (error, "GraphBuilder: ");
  return FALSE;
}

/**
 * cuda_obj_graph_builder_abort:
 * @self: a [class@CudaObj.GraphBuilder]
 * @error: return location for a [struct@GLib.Error]
 *
 * Ends a capture in progress and discards what it recorded; the stream is
 * usable again. Does nothing when the builder does not capture. Dropping
 * the last reference to a capturing builder aborts it too.
 *
 * Returns: %TRUE when the stream is no longer captured; %FALSE with @error
 *   set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when called from another thread
 *   than the one that began a capture that is not in
 *   %CUDA_OBJ_CAPTURE_MODE_RELAXED mode)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_abort (CudaObjGraphBuilder *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  CUgraph graph = NULL;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  if (self->state != STATE_CAPTURING)
    return TRUE;
  if (!check_thread (self, "aborted", error))
    return FALSE;
  result = end_capture (self, &graph, STATE_ABORTED, &local_error);
  if (graph != NULL)
    cuda_obj_driver_peek ()->cuGraphDestroy (graph);
  if (self->state == STATE_CAPTURING)
    {
      /* The driver refused to end it. */
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        cuda_obj_check (result, "cuStreamEndCapture", error);
      return FALSE;
    }
  /* Whatever the capture's fate (an invalidated one ends with an error),
   * it is over. */
  self->state = STATE_ABORTED;
  notify_state (self);
  return TRUE;
}

/**
 * cuda_obj_graph_builder_get_node_count:
 * @self: a [class@CudaObj.GraphBuilder]
 * @error: return location for a [struct@GLib.Error]
 *
 * Counts the nodes (kernels, copies, fills, event records, host callbacks,
 * ...) of the graph recorded so far, during the capture or after it ended.
 *
 * Returns: the number of nodes; 0 with @error set when there is no graph
 *   (%CUDA_OBJ_ERROR_CLOSED) or the capture was invalidated
 *   (%CUDA_OBJ_DRIVER_ERROR_STREAM_CAPTURE_INVALIDATED)
 *
 * Since: 1.0
 */
gsize
cuda_obj_graph_builder_get_node_count (CudaObjGraphBuilder *self, GError **error)
{
  CUgraph graph;
  gsize count = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), 0);
  graph = peek_graph (self, error);
  if (graph == NULL
      || !cuda_obj_graph_count_nodes (cuda_obj_stream_peek_device (self->stream), graph, &count, error))
    return 0;
  return count;
}

/**
 * cuda_obj_graph_builder_dump_dot:
 * @self: a [class@CudaObj.GraphBuilder]
 * @path: (type filename): the file to write
 * @verbose: whether to include every detail the driver knows of each node
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes the graph recorded so far (during the capture or after it ended)
 * to @path in Graphviz's DOT language, for debugging.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%CUDA_OBJ_ERROR_IO
 *   when @path cannot be written, %CUDA_OBJ_ERROR_CLOSED when there is no
 *   graph)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_dump_dot (CudaObjGraphBuilder *self, const char *path, gboolean verbose,
                                 GError **error)
{
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  graph = peek_graph (self, error);
  return graph != NULL
         && cuda_obj_graph_write_dot (cuda_obj_stream_peek_device (self->stream), graph, path, verbose,
                                      error);
}

/**
 * cuda_obj_graph_builder_to_dot:
 * @self: a [class@CudaObj.GraphBuilder]
 * @verbose: whether to include every detail the driver knows of each node
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the graph recorded so far (during the capture or after it ended)
 * in Graphviz's DOT language, for debugging; the driver writes it through
 * a temporary file.
 *
 * Returns: (transfer full): the DOT text, a `digraph`, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
char *
cuda_obj_graph_builder_to_dot (CudaObjGraphBuilder *self, gboolean verbose, GError **error)
{
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  graph = peek_graph (self, error);
  if (graph == NULL)
    return NULL;
  return cuda_obj_graph_read_dot (cuda_obj_stream_peek_device (self->stream), graph, verbose, error);
}
