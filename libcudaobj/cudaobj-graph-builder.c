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
#include "cudaobj-graph-condition.h"
#include "cudaobj-graph-condition-private.h"
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
  STATE_JOINED, /* a fork merged back into another builder */
} State;

/* How the builder came to capture. */
typedef enum
{
  ROLE_ORIGIN, /* began the capture of its stream (cuStreamBeginCapture) */
  ROLE_FORK,   /* made by split(): its stream joined another builder's capture */
  ROLE_BODY,   /* made by a conditional: captures into the body graph of a node */
} Role;

struct _CudaObjGraphBuilder
{
  GObject parent_instance;

  CudaObjStream *stream; /* owned */
  CudaObjCaptureMode mode;
  State state;
  CUstream handle;                /* the captured CUstream */
  GThread *thread;                /* the thread that began the capture; not owned */
  CudaObjGraphTemplate *template; /* owned, once ended (never for a body) */
  Role role;
  guint64 capture_id;          /* the driver's id of the capture sequence */
  CudaObjGraphBuilder *parent; /* owned: the builder a fork or body was made from */
  GPtrArray *children;         /* forks and bodies made from this one; not owned (each owns us) */
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
 * A capture can fork into builders that capture other streams in
 * parallel ([method@CudaObj.GraphBuilder.split], merged back with
 * [method@CudaObj.GraphBuilder.join]), take in a graph recorded earlier
 * ([method@CudaObj.GraphBuilder.embed]), and hold conditional nodes whose
 * bodies are captured by builders of their own and whose condition kernels
 * set on the GPU ([method@CudaObj.GraphBuilder.create_condition],
 * [method@CudaObj.GraphBuilder.if_then], [method@CudaObj.GraphBuilder.if_else],
 * [method@CudaObj.GraphBuilder.while_loop],
 * [method@CudaObj.GraphBuilder.switch_cases]). Only the builder that began the
 * capture ends it; forks are joined back, and body builders end before the
 * builder they were made from. See the Graphs guide.
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
    case STATE_JOINED: why = "it was joined into another builder"; break;
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

/* INVALID_ARGUMENT when a body made from @self, or from a fork of it,
 * still captures: its conditional node is part of @self's graph. */
static gboolean
check_bodies_ended (CudaObjGraphBuilder *self, const char *what, GError **error)
{
  for (guint i = 0; i < self->children->len; i++)
    {
      CudaObjGraphBuilder *child = g_ptr_array_index (self->children, i);

      if (child->role == ROLE_FORK && !check_bodies_ended (child, what, error))
        return FALSE;
      if (child->role == ROLE_BODY && child->state == STATE_CAPTURING)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "GraphBuilder.%s: a body builder made from this builder still captures: end "
                       "each body builder first",
                       what);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
cuda_obj_graph_builder_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (initable);
  CUstreamCaptureStatus status;
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
  cuda_obj_driver_peek ()->cuStreamGetCaptureInfo (handle, &status, &self->capture_id, NULL, NULL, NULL,
                                                   NULL);
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

/* Ends the capture; the graph, if any, in *graph (never for a body, whose
 * graph belongs to its conditional node). The builder leaves the
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
  if (self->role == ROLE_BODY)
    *graph = NULL;
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

/* Ends the captures of the bodies made from @self (or its forks) that
 * still run, so that the graph holding their body graphs can go. */
static void
abort_bodies (CudaObjGraphBuilder *self)
{
  for (guint i = 0; self->children != NULL && i < self->children->len; i++)
    {
      CudaObjGraphBuilder *child = g_ptr_array_index (self->children, i);
      CUgraph graph;

      abort_bodies (child);
      if (child->role != ROLE_BODY || child->state != STATE_CAPTURING)
        continue;
      end_capture (child, &graph, STATE_ABORTED, NULL);
      child->state = STATE_ABORTED;
      notify_state (child);
    }
}

static void
cuda_obj_graph_builder_dispose (GObject *object)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (object);

  /* Never leave the stream in capture mode. From the wrong thread (in a
   * global or thread-local capture) the driver refuses and nothing can be
   * done; the documentation asks for the right thread. A fork's stream
   * cannot end a capture it only joined: the capture's end reports it
   * unjoined. */
  if (self->state == STATE_CAPTURING && self->role != ROLE_FORK)
    {
      CUgraph graph;

      end_capture (self, &graph, STATE_ABORTED, NULL);
      if (graph != NULL)
        cuda_obj_driver_peek ()->cuGraphDestroy (graph);
      self->state = STATE_ABORTED;
    }
  if (self->parent != NULL && self->parent->children != NULL)
    g_ptr_array_remove (self->parent->children, self);
  g_clear_object (&self->parent);
  g_clear_pointer (&self->template, cuda_obj_graph_template_unref);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (cuda_obj_graph_builder_parent_class)->dispose (object);
}

static void
cuda_obj_graph_builder_finalize (GObject *object)
{
  CudaObjGraphBuilder *self = CUDA_OBJ_GRAPH_BUILDER (object);

  g_clear_pointer (&self->children, g_ptr_array_unref);
  G_OBJECT_CLASS (cuda_obj_graph_builder_parent_class)->finalize (object);
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
  object_class->finalize = cuda_obj_graph_builder_finalize;
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
  self->children = g_ptr_array_new ();
}

/* Private API. */

CudaObjGraphTemplate *
cuda_obj_graph_builder_get_template (CudaObjGraphBuilder *self, const char *what, GError **error)
{
  if (self->state == STATE_ENDED && self->role == ROLE_BODY)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the GraphBuilder captured the body of a conditional node, which belongs to "
                   "that node: use the builder it was made from",
                   what);
      return NULL;
    }
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

  if (self->state == STATE_ENDED && self->role == ROLE_BODY)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder: an ended body builder has no graph of its own; its body is "
                           "part of the graph of the builder it was made from");
      return NULL;
    }
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
  if (self->role == ROLE_FORK)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder: a builder made by cuda_obj_graph_builder_split() does not end "
                           "the capture: join it back with cuda_obj_graph_builder_join()");
      return FALSE;
    }
  if (!check_thread (self, "ended", error) || !check_bodies_ended (self, "end", error))
    return FALSE;
  result = end_capture (self, &graph, STATE_FAILED, &local_error);
  if (result == CUDA_SUCCESS && self->role == ROLE_ORIGIN)
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
  if (self->role == ROLE_FORK)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder: a builder made by cuda_obj_graph_builder_split() cannot abort "
                           "the capture it joined: abort the builder that began it");
      return FALSE;
    }
  if (!check_thread (self, "aborted", error))
    return FALSE;
  abort_bodies (self);
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

/* Split, join, embed and conditional nodes. */

/* CUDA_OBJ_ERROR_CLOSED (or NOT_INITIALIZED) unless @self captures. */
static gboolean
check_capturing (CudaObjGraphBuilder *self, const char *what, GError **error)
{
  if (self->state == STATE_CAPTURING)
    return TRUE;
  if (self->state == STATE_ENDED)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                 "GraphBuilder.%s: the builder's capture has ended; add work before "
                 "cuda_obj_graph_builder_end()",
                 what);
  else
    {
      set_no_capture_error (self, error);
      g_prefix_error (error, "GraphBuilder.%s: ", what);
    }
  return FALSE;
}

/* Makes the context current and gives the graph being captured and the
 * nodes the next captured work would depend on. */
static gboolean
capture_info (CudaObjGraphBuilder *self, CUgraph *graph, const CUgraphNode **deps,
              const CUgraphEdgeData **edges, size_t *n_deps, GError **error)
{
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  CUstream handle;

  if (!cuda_obj_stream_prepare (self->stream, &handle, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuStreamGetCaptureInfo (self->handle, &status, NULL, graph,
                                                                           deps, edges, n_deps),
                          "cuStreamGetCaptureInfo", error))
    return FALSE;
  if (status != CU_STREAM_CAPTURE_STATUS_ACTIVE || *graph == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_STREAM_CAPTURE_INVALIDATED,
                           "GraphBuilder: the capture was invalidated by an operation that capture "
                           "does not allow; end or abort the builder");
      return FALSE;
    }
  return TRUE;
}

/* Adds a node after the capture's current dependencies and makes it the
 * only one the stream's next work depends on, as if the stream had
 * enqueued it. */
static gboolean
add_node (CudaObjGraphBuilder *self, CUgraphNodeParams *params, const char *what, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  const CUgraphEdgeData *edges = NULL;
  const CUgraphNode *deps = NULL;
  CUgraphNode node = NULL;
  CUgraph graph = NULL;
  size_t n_deps = 0;

  if (!capture_info (self, &graph, &deps, &edges, &n_deps, error))
    return FALSE;
  if (!cuda_obj_check (drv->cuGraphAddNode (&node, graph, deps, edges, n_deps, params), "cuGraphAddNode",
                       error)
      || !cuda_obj_check (drv->cuStreamUpdateCaptureDependencies (self->handle, &node, NULL, 1,
                                                                  CU_STREAM_SET_CAPTURE_DEPENDENCIES),
                          "cuStreamUpdateCaptureDependencies", error))
    {
      g_prefix_error (error, "GraphBuilder.%s: ", what);
      return FALSE;
    }
  return TRUE;
}

/* A builder on a new stream of @self's device, made by @self as a fork or
 * a body; it does not capture yet. */
static CudaObjGraphBuilder *
new_child (CudaObjGraphBuilder *self, Role role, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_RELAXED;
  g_autoptr (CudaObjStream) stream = NULL;
  CudaObjGraphBuilder *child;
  CUstream handle;

  /* Creating a stream does not touch the captured work, but a global
   * capture would refuse it as a potentially synchronizing call. */
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  stream = cuda_obj_stream_new (cuda_obj_stream_peek_device (self->stream), TRUE, 0, error);
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  if (stream == NULL || !cuda_obj_stream_prepare (stream, &handle, error))
    return NULL;
  child = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, "stream", stream, "mode", self->mode, NULL);
  child->role = role;
  child->handle = handle;
  child->thread = self->thread;
  child->capture_id = self->capture_id;
  child->parent = g_object_ref (self);
  g_ptr_array_add (self->children, child);
  return child;
}

/* Makes the stream of @waiter wait for the work captured so far on
 * @signaler, through an event recorded inside the capture. */
static gboolean
capture_wait (CUstream waiter, CUstream signaler, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_RELAXED;
  CUevent event = NULL;
  CUresult result;
  gboolean ok;

  /* Creating and destroying an event touch no captured work. */
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  result = drv->cuEventCreate (&event, CU_EVENT_DISABLE_TIMING);
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  if (!cuda_obj_check (result, "cuEventCreate", error))
    return FALSE;
  ok = cuda_obj_check (drv->cuEventRecord (event, signaler), "cuEventRecord", error)
       && cuda_obj_check (drv->cuStreamWaitEvent (waiter, event, 0), "cuStreamWaitEvent", error);
  /* The wait holds what it needs; the event may go at once. */
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  drv->cuEventDestroy (event);
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  return ok;
}

/**
 * cuda_obj_graph_builder_split:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @n: how many builders to give, at least 1
 * @error: return location for a [struct@GLib.Error]
 *
 * Forks the capture into @n builders that capture in parallel from the
 * current point, as cuda.core's `GraphBuilder.split()` does: the first is
 * @self, each other one captures a new stream of the same device (its
 * [property@CudaObj.GraphBuilder:stream]) whose work depends on everything
 * captured on @self so far. Work enqueued on the builders' streams after
 * the split may run concurrently in the graph.
 *
 * The new builders capture into the same graph; they do not end the
 * capture: merge them back with [method@CudaObj.GraphBuilder.join] before
 * the builder that began the capture ends (otherwise
 * [method@CudaObj.GraphBuilder.end] fails with
 * %CUDA_OBJ_DRIVER_ERROR_STREAM_CAPTURE_UNJOINED). Keep each of them until
 * it is joined: its stream goes with it.
 *
 * Returns: (transfer container) (element-type CudaObjGraphBuilder): the @n
 *   builders, @self first; %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @n is 0, %CUDA_OBJ_ERROR_CLOSED
 *   when @self does not capture (any more)
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_builder_split (CudaObjGraphBuilder *self, guint n, GError **error)
{
  g_autoptr (GPtrArray) builders = NULL;
  CUgraph graph = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  if (!check_capturing (self, "split", error))
    return NULL;
  if (n == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder.split: the number of builders is 0; it must be at least 1");
      return NULL;
    }
  if (!capture_info (self, &graph, NULL, NULL, NULL, error))
    return NULL;
  builders = g_ptr_array_new_full (n, g_object_unref);
  g_ptr_array_add (builders, g_object_ref (self));
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (CudaObjGraphBuilder) fork = new_child (self, ROLE_FORK, error);

      if (fork == NULL || !capture_wait (fork->handle, self->handle, error))
        return NULL;
      fork->state = STATE_CAPTURING;
      g_ptr_array_add (builders, g_steal_pointer (&fork));
    }
  return g_steal_pointer (&builders);
}

/**
 * cuda_obj_graph_builder_join:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @builders: (array length=n_builders): builders made by
 *   [method@CudaObj.GraphBuilder.split] in the same capture; @self, if
 *   among them, is skipped
 * @n_builders: the number of @builders
 * @error: return location for a [struct@GLib.Error]
 *
 * Merges forked builders back into @self: work captured on @self from now
 * on depends on everything captured on each of @builders so far. The
 * joined builders are done: they report %CUDA_OBJ_ERROR_CLOSED from then
 * on, and their streams run work normally once the capture has ended.
 * Body builders made from a fork (by [method@CudaObj.GraphBuilder.if_then]
 * and the like) must have ended before the fork is joined.
 *
 * Returns: %TRUE on success; %FALSE with @error set and nothing joined:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when a builder was not made by
 *   [method@CudaObj.GraphBuilder.split], belongs to another capture or has
 *   a body builder still capturing, %CUDA_OBJ_ERROR_CLOSED when @self or a
 *   builder does not capture any more
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_join (CudaObjGraphBuilder *self, CudaObjGraphBuilder **builders, guint n_builders,
                             GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  if (!check_capturing (self, "join", error))
    return FALSE;
  if (builders == NULL && n_builders > 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder.join: builders is NULL");
      return FALSE;
    }
  /* Check them all before touching any. */
  for (guint i = 0; i < n_builders; i++)
    {
      CudaObjGraphBuilder *b = builders[i];

      if (!CUDA_OBJ_IS_GRAPH_BUILDER (b))
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "GraphBuilder.join: builder %u is not a CudaObjGraphBuilder", i);
          return FALSE;
        }
      if (b == self)
        continue;
      if (!check_capturing (b, "join", error))
        return FALSE;
      if (b->role != ROLE_FORK)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "GraphBuilder.join: builder %u began its capture (it was not made by "
                       "cuda_obj_graph_builder_split()): join the others into it instead",
                       i);
          return FALSE;
        }
      if (b->capture_id != self->capture_id)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "GraphBuilder.join: builder %u belongs to another capture; only builders split "
                       "from the same capture can be joined",
                       i);
          return FALSE;
        }
      if (!check_bodies_ended (b, "join", error))
        return FALSE;
    }
  for (guint i = 0; i < n_builders; i++)
    {
      CudaObjGraphBuilder *b = builders[i];
      CUstream handle;

      if (b == self)
        continue;
      if (!cuda_obj_stream_prepare (self->stream, &handle, error)
          || !capture_wait (self->handle, b->handle, error))
        return FALSE;
      b->state = STATE_JOINED;
      notify_state (b);
    }
  return TRUE;
}

/**
 * cuda_obj_graph_builder_embed:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @child: an ended [class@CudaObj.GraphBuilder] of the same device
 * @error: return location for a [struct@GLib.Error]
 *
 * Inserts a copy of the graph @child captured into @self's capture as one
 * child-graph node, ordered after the work captured on @self so far and
 * before what follows. @child stays as it was: it can be completed on its
 * own, embedded again, or dropped; a graph can thus be recorded once and
 * used as a building block of others.
 *
 * A graph with conditional nodes cannot be embedded (the driver refuses
 * child graphs that hold them); capture those directly into the parent.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @child still captures, is a body
 *   builder, or is of another device, %CUDA_OBJ_ERROR_CLOSED when @self
 *   does not capture or @child has no graph, a %CUDA_OBJ_DRIVER_ERROR when
 *   the driver refuses the graph
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_builder_embed (CudaObjGraphBuilder *self, CudaObjGraphBuilder *child, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;
  CUgraphNodeParams params = { 0 };

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), FALSE);
  if (!CUDA_OBJ_IS_GRAPH_BUILDER (child))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "GraphBuilder.embed: the child must be a CudaObjGraphBuilder");
      return FALSE;
    }
  if (!check_capturing (self, "embed", error)
      || (template = cuda_obj_graph_builder_get_template (child, "GraphBuilder.embed", error)) == NULL)
    return FALSE;
  if (template->device != cuda_obj_stream_peek_device (self->stream))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphBuilder.embed: the child graph is of device %u, the capture of device %u",
                   cuda_obj_device_get_ordinal (template->device),
                   cuda_obj_device_get_ordinal (cuda_obj_stream_peek_device (self->stream)));
      return FALSE;
    }
  params.type = CU_GRAPH_NODE_TYPE_GRAPH;
  params.graph.graph = template->handle;
  params.graph.ownership = CU_GRAPH_CHILD_GRAPH_OWNERSHIP_CLONE;
  return add_node (self, &params, "embed", error);
}

/* Driver versions (cuDriverGetVersion) that brought each conditional. */
#define CONDITIONAL_MIN_VERSION 12030
#define CONDITIONAL_ELSE_SWITCH_MIN_VERSION 12080

gboolean
cuda_obj_graph_builder_check_conditional (int driver_version, CUgraphConditionalNodeType type, guint size,
                                          GError **error)
{
  int needed = CONDITIONAL_MIN_VERSION;
  const char *what = "conditional graph nodes";

  if (type == CU_GRAPH_COND_TYPE_SWITCH)
    {
      needed = CONDITIONAL_ELSE_SWITCH_MIN_VERSION;
      what = "switch nodes";
    }
  else if (type == CU_GRAPH_COND_TYPE_IF && size == 2)
    {
      needed = CONDITIONAL_ELSE_SWITCH_MIN_VERSION;
      what = "if/else nodes";
    }
  if (driver_version >= needed)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
               "GraphBuilder: %s need a CUDA driver for CUDA %d.%d or newer; this driver supports CUDA %d.%d",
               what, needed / 1000, needed % 1000 / 10, driver_version / 1000, driver_version % 1000 / 10);
  return FALSE;
}

/**
 * cuda_obj_graph_builder_create_condition:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @default_value: the condition's value when the graph starts
 * @flags: whether the default value is assigned at every launch
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes a condition in the graph being captured, for the conditional
 * nodes that [method@CudaObj.GraphBuilder.if_then],
 * [method@CudaObj.GraphBuilder.if_else],
 * [method@CudaObj.GraphBuilder.while_loop] and
 * [method@CudaObj.GraphBuilder.switch_cases] add, and for the kernels that set
 * it with `cudaGraphSetConditional()` (see [class@CudaObj.GraphCondition]).
 *
 * Conditional nodes need a driver for CUDA 12.3 or newer.
 *
 * Returns: (transfer full): the condition, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for unknown flags,
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the driver lacks conditional nodes,
 *   %CUDA_OBJ_ERROR_CLOSED when @self does not capture
 *
 * Since: 1.0
 */
CudaObjGraphCondition *
cuda_obj_graph_builder_create_condition (CudaObjGraphBuilder *self, guint default_value,
                                         CudaObjGraphConditionFlags flags, GError **error)
{
  const CudaObjDriver *drv;
  CUgraphConditionalHandle handle = 0;
  CUgraph graph = NULL;
  CUcontext context;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  if (!check_capturing (self, "create_condition", error))
    return NULL;
  if ((flags & ~CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphBuilder.create_condition: unknown flags 0x%x; the only flag is "
                   "CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT",
                   (guint) flags & ~CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT);
      return NULL;
    }
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_graph_builder_check_conditional (drv->version, CU_GRAPH_COND_TYPE_IF, 1, error)
      || !capture_info (self, &graph, NULL, NULL, NULL, error)
      || (context = cuda_obj_device_get_context (cuda_obj_stream_peek_device (self->stream), error)) == NULL
      || !cuda_obj_check (drv->cuGraphConditionalHandleCreate (&handle, graph, context, default_value, flags),
                          "cuGraphConditionalHandleCreate", error))
    return NULL;
  return cuda_obj_graph_condition_new (handle, default_value, flags);
}

/* Adds a conditional node of @type with @size bodies and gives a body
 * builder capturing into each. */
static GPtrArray *
add_conditional (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition, CUgraphConditionalNodeType type,
                 guint size, const char *what, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autoptr (GPtrArray) builders = NULL;
  CUgraphNodeParams params = { 0 };
  CUgraphConditionalHandle handle;
  g_autofree CUgraph *bodies = NULL;
  CUstreamCaptureStatus status;
  CUcontext context;

  if (!check_capturing (self, what, error))
    return NULL;
  if (condition == NULL || !CUDA_OBJ_IS_GRAPH_CONDITION (condition))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphBuilder.%s: a CudaObjGraphCondition is needed", what);
      return NULL;
    }
  if (!cuda_obj_graph_condition_peek_handle (condition, what, &handle, error)
      || !cuda_obj_graph_condition_check_unattached (condition, what, error))
    return NULL;
  if (size == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphBuilder.%s: the number of cases is 0; it must be at least 1", what);
      return NULL;
    }
  if (!cuda_obj_graph_builder_check_conditional (drv->version, type, size, error)
      || (context = cuda_obj_device_get_context (cuda_obj_stream_peek_device (self->stream), error)) == NULL)
    return NULL;
  params.type = CU_GRAPH_NODE_TYPE_CONDITIONAL;
  params.conditional.handle = handle;
  params.conditional.type = type;
  params.conditional.size = size;
  params.conditional.ctx = context;
  if (!add_node (self, &params, what, error))
    return NULL;
  cuda_obj_graph_condition_mark_attached (condition);
  /* The driver's array of body graphs lives with the node; keep a copy of
   * the handles. */
  bodies = g_memdup2 (params.conditional.phGraph_out, size * sizeof (CUgraph));
  builders = g_ptr_array_new_full (size, g_object_unref);
  for (guint i = 0; i < size; i++)
    {
      g_autoptr (CudaObjGraphBuilder) body = new_child (self, ROLE_BODY, error);

      if (body == NULL
          || !cuda_obj_check (drv->cuStreamBeginCaptureToGraph (body->handle, bodies[i], NULL, NULL, 0,
                                                                (CUstreamCaptureMode) self->mode),
                              "cuStreamBeginCaptureToGraph", error))
        {
          /* The bodies already begun are ended, empty. */
          for (guint j = 0; j < builders->len; j++)
            cuda_obj_graph_builder_abort (g_ptr_array_index (builders, j), NULL);
          return NULL;
        }
      drv->cuStreamGetCaptureInfo (body->handle, &status, &body->capture_id, NULL, NULL, NULL, NULL);
      body->state = STATE_CAPTURING;
      g_ptr_array_add (builders, g_steal_pointer (&body));
    }
  return g_steal_pointer (&builders);
}

/**
 * cuda_obj_graph_builder_if_then:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @condition: a [class@CudaObj.GraphCondition] made in this capture and
 *   tested by no other node (each condition drives one node)
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a conditional node whose body runs when @condition is not 0 at the
 * node's turn, and gives a builder that captures that body: enqueue the
 * body's work on its [property@CudaObj.GraphBuilder:stream], then end it with
 * [method@CudaObj.GraphBuilder.end] before @self ends. Work captured on @self
 * afterwards follows the whole node.
 *
 * Bodies may hold kernels, copies, fills, child graphs and further
 * conditional nodes; host callbacks and event records are refused by the
 * driver there.
 *
 * Returns: (transfer full): the body's builder, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when another node tests @condition,
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED for a condition that was not made by
 *   [method@CudaObj.GraphBuilder.create_condition],
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when the driver lacks conditional nodes,
 *   %CUDA_OBJ_ERROR_CLOSED when @self does not capture
 *
 * Since: 1.0
 */
CudaObjGraphBuilder *
cuda_obj_graph_builder_if_then (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition, GError **error)
{
  g_autoptr (GPtrArray) bodies = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  bodies = add_conditional (self, condition, CU_GRAPH_COND_TYPE_IF, 1, "if_then", error);
  return bodies != NULL ? g_object_ref (g_ptr_array_index (bodies, 0)) : NULL;
}

/**
 * cuda_obj_graph_builder_if_else:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @condition: a [class@CudaObj.GraphCondition] made in this capture and
 *   tested by no other node (each condition drives one node)
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a conditional node with two bodies: the first runs when @condition
 * is not 0 at the node's turn, the second when it is 0. Each comes with a
 * builder to capture it, to be ended as for
 * [method@CudaObj.GraphBuilder.if_then].
 *
 * If/else nodes need a driver for CUDA 12.8 or newer.
 *
 * Returns: (transfer container) (element-type CudaObjGraphBuilder): the "then"
 *   and the "else" builders, or %NULL with @error set as for
 *   [method@CudaObj.GraphBuilder.if_then]
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_builder_if_else (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  return add_conditional (self, condition, CU_GRAPH_COND_TYPE_IF, 2, "if_else", error);
}

/**
 * cuda_obj_graph_builder_while_loop:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @condition: a [class@CudaObj.GraphCondition] made in this capture and
 *   tested by no other node (each condition drives one node)
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a conditional node whose body runs again and again as long as
 * @condition is not 0: it is tested when the node's turn comes and after
 * each run of the body, so a kernel of the body decides whether another
 * iteration follows. Gives the builder that captures the body, to be ended
 * as for [method@CudaObj.GraphBuilder.if_then].
 *
 * Returns: (transfer full): the body's builder, or %NULL with @error set
 *   as for [method@CudaObj.GraphBuilder.if_then]
 *
 * Since: 1.0
 */
CudaObjGraphBuilder *
cuda_obj_graph_builder_while_loop (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition,
                                   GError **error)
{
  g_autoptr (GPtrArray) bodies = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  bodies = add_conditional (self, condition, CU_GRAPH_COND_TYPE_WHILE, 1, "while_loop", error);
  return bodies != NULL ? g_object_ref (g_ptr_array_index (bodies, 0)) : NULL;
}

/**
 * cuda_obj_graph_builder_switch_cases:
 * @self: a capturing [class@CudaObj.GraphBuilder]
 * @condition: a [class@CudaObj.GraphCondition] made in this capture and
 *   tested by no other node (each condition drives one node)
 * @n: the number of cases, at least 1
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a switch node with @n bodies: when the node's turn comes, body
 * number @condition runs, or none when @condition is @n or more. Gives a
 * builder to capture each body, to be ended as for
 * [method@CudaObj.GraphBuilder.if_then]. This is cuda.core's
 * `GraphBuilder.switch()`.
 *
 * Switch nodes need a driver for CUDA 12.8 or newer.
 *
 * Returns: (transfer container) (element-type CudaObjGraphBuilder): the @n
 *   builders, case 0 first, or %NULL with @error set as for
 *   [method@CudaObj.GraphBuilder.if_then], or
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @n is 0
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_builder_switch_cases (CudaObjGraphBuilder *self, CudaObjGraphCondition *condition, guint n,
                                     GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (self), NULL);
  return add_conditional (self, condition, CU_GRAPH_COND_TYPE_SWITCH, n, "switch_cases", error);
}
