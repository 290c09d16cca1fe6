/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: host callbacks in a stream's work, delivered in a main context.
 *
 * cuLaunchHostFunc runs a function on a CUDA driver thread once the
 * stream's earlier work finished. That thread must not call CUDA, and
 * user code (Python, GJS) must not run there either, so the function the
 * driver calls only attaches an idle source to the main context that was
 * thread-default when the callback was added; the user's callback runs
 * there.
 *
 * The callback's record is reference counted. On a plain stream the
 * driver runs the host function once and the record's single reference
 * goes with the source it attaches. During a stream capture the host node
 * runs at every launch of every graph instantiated from the capture, long
 * after this call, so the record is handed to the captured graph as a CUDA
 * user object: the driver keeps it alive as long as the captured graph, a
 * graph instantiated or updated from it, or a pending launch of one can
 * still run the node, then calls the user object's destructor on an
 * internal thread. Each replay takes a reference for its source; the
 * destructor attaches a last source that drops the graph's reference. The
 * user's destroy notify thus always runs in the callback's main context
 * (or in the calling thread when the callback could not be enqueued), and
 * this works for captures libcudaobj did not start too. */
#include "config.h"

#include "cudaobj-host-callback.h"
#include "cudaobj-stream-private.h"

typedef struct
{
  gatomicrefcount ref_count;
  CudaObjHostCallback callback;
  gpointer user_data;
  GDestroyNotify notify;
  GMainContext *context; /* owned: where the callback and notify run */
} HostCallback;

static void
host_callback_unref (gpointer data)
{
  HostCallback *hc = data;

  if (!g_atomic_ref_count_dec (&hc->ref_count))
    return;
  if (hc->notify != NULL)
    hc->notify (hc->user_data);
  g_main_context_unref (hc->context);
  g_free (hc);
}

static gboolean
deliver (gpointer data)
{
  HostCallback *hc = data;

  hc->callback (hc->user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
release (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Hands one reference to hc to a source in hc's context that runs @func
 * and then drops it. Safe on any thread; no CUDA call. */
static void
schedule (HostCallback *hc, GSourceFunc func, const char *name)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, name);
  g_source_set_callback (source, func, hc, host_callback_unref);
  g_source_attach (source, hc->context);
  g_source_unref (source);
}

/* Driver thread, plain stream: the only run; the enqueue's reference goes
 * with the source. */
static void CUDA_CB
deliver_once (void *data)
{
  schedule (data, deliver, "[cudaobj] host callback");
}

/* Driver thread, a graph's host node at each launch: the graph's user
 * object keeps hc alive while it can run, so taking a reference is safe. */
static void CUDA_CB
deliver_replay (void *data)
{
  HostCallback *hc = data;

  g_atomic_ref_count_inc (&hc->ref_count);
  schedule (hc, deliver, "[cudaobj] graph host callback");
}

/* The driver's internal thread: no graph can run the node any more. */
static void CUDA_CB
release_from_graphs (void *data)
{
  schedule (data, release, "[cudaobj] graph host callback release");
}

/* Makes @graph own @data through a user object whose destructor, @release,
 * runs on a driver thread once the last graph holding it is gone. On
 * failure @data is released too: by @free_data when the user object could
 * not be made, else by the destructor. */
static gboolean
graph_take_data (const CudaObjDriver *drv, CUgraph graph, void *data, CUhostFn release,
                 GDestroyNotify free_data, GError **error)
{
  CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_RELAXED;
  CUuserObject object = NULL;
  CUresult result;

  /* No stream operation: a global capture need not guard against it. */
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  result = drv->cuUserObjectCreate (&object, data, release, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC);
  if (result != CUDA_SUCCESS)
    {
      drv->cuThreadExchangeStreamCaptureMode (&mode);
      free_data (data);
      return cuda_obj_check (result, "cuUserObjectCreate", error);
    }
  result = drv->cuGraphRetainUserObject (graph, object, 1, CU_GRAPH_USER_OBJECT_MOVE);
  if (result != CUDA_SUCCESS)
    drv->cuUserObjectRelease (object, 1);
  drv->cuThreadExchangeStreamCaptureMode (&mode);
  return cuda_obj_check (result, "cuGraphRetainUserObject", error);
}

/* Gives hc's reference to the graph being captured, then records the host
 * node. */
static gboolean
add_to_capture (const CudaObjDriver *drv, CUstream handle, CUgraph graph, HostCallback *hc, GError **error)
{
  if (!graph_take_data (drv, graph, hc, release_from_graphs, (GDestroyNotify) host_callback_unref, error))
    return FALSE;
  /* On failure the graph still owns hc and releases it with itself. */
  return cuda_obj_check (drv->cuLaunchHostFunc (handle, deliver_replay, hc), "cuLaunchHostFunc", error);
}

/**
 * cuda_obj_stream_add_callback:
 * @self: a [class@CudaObj.Stream]
 * @callback: (scope notified) (closure user_data) (destroy notify): the
 *   function to call once the work submitted to @self before it finished
 * @user_data: data for @callback
 * @notify: (nullable): frees @user_data once @callback will not be called
 *   any more
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a host callback to @self's work: once everything submitted to
 * @self before it has finished, @callback is called in the main context
 * that is thread-default for the calling thread now (the global default
 * one unless [method@GLib.MainContext.push_thread_default] was used), never on a
 * CUDA driver thread, so it may use CUDA, libcudaobj and the caller's
 * language freely. Work submitted to @self after the callback waits until
 * the callback has been scheduled, not until it has run: the stream does
 * not wait for the main loop.
 *
 * During a stream capture (see [class@CudaObj.GraphBuilder]) the callback is
 * recorded instead: it is called once for every launch of a graph made
 * from the capture, each time in the same main context. The graph then
 * owns @user_data, and keeps it as long as it may still call @callback:
 * until the builder, every [class@CudaObj.Graph] instantiated or updated from the
 * capture and their launches are gone.
 *
 * @notify runs in that main context after the last call, so the main
 * context must keep being iterated until then. When the callback cannot be
 * added, @notify runs before this function returns (or, for a failure
 * during a capture, once the capture's graph is destroyed).
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_CLOSED when @self is closed)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_add_callback (CudaObjStream *self, CudaObjHostCallback callback, gpointer user_data,
                              GDestroyNotify notify, GError **error)
{
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  const CudaObjDriver *drv;
  CUgraph graph = NULL;
  HostCallback *hc;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);
  g_return_val_if_fail (callback != NULL, FALSE);

  hc = g_new0 (HostCallback, 1);
  g_atomic_ref_count_init (&hc->ref_count);
  hc->callback = callback;
  hc->user_data = user_data;
  hc->notify = notify;
  hc->context = g_main_context_ref_thread_default ();

  if (!cuda_obj_stream_prepare (self, &handle, error))
    {
      host_callback_unref (hc);
      return FALSE;
    }
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (drv->cuStreamGetCaptureInfo (handle, &status, NULL, &graph, NULL, NULL, NULL),
                       "cuStreamGetCaptureInfo", error))
    {
      host_callback_unref (hc);
      return FALSE;
    }
  if (status == CU_STREAM_CAPTURE_STATUS_ACTIVE && graph != NULL)
    return add_to_capture (drv, handle, graph, hc, error);
  /* An invalidated capture makes the driver refuse with its reason. */
  if (!cuda_obj_check (drv->cuLaunchHostFunc (handle, deliver_once, hc), "cuLaunchHostFunc", error))
    {
      host_callback_unref (hc);
      return FALSE;
    }
  return TRUE;
}

/* Host functions in stream order: the user's function runs on the driver
 * thread itself, and the stream waits for it. */

typedef struct
{
  CudaObjHostFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} HostFunc;

static void
host_func_free (HostFunc *hf)
{
  if (hf->destroy != NULL)
    hf->destroy (hf->user_data);
  g_free (hf);
}

/* Driver thread, plain stream: the only run, then the data goes. */
static void CUDA_CB
host_func_run_once (void *data)
{
  HostFunc *hf = data;

  hf->func (hf->user_data);
  host_func_free (hf);
}

/* Driver thread, a graph's host node at each launch; the graph's user
 * object keeps hf alive. */
static void CUDA_CB
host_func_run (void *data)
{
  HostFunc *hf = data;

  hf->func (hf->user_data);
}

/* The driver's internal thread, once no graph can run the node any more. */
static void CUDA_CB
host_func_release (void *data)
{
  host_func_free (data);
}

/**
 * cuda_obj_stream_launch_host_func:
 * @self: a [class@CudaObj.Stream]
 * @func: (scope notified) (closure user_data) (destroy destroy): the function
 *   to run once the work submitted to @self before it has finished
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once @func will not run any more
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a host function in @self's work, as `cuLaunchHostFunc` (and
 * cuda.core's `Stream.launch_host_func`) does: once everything submitted to
 * @self before it has finished, the driver calls @func on one of its own
 * threads, and work submitted to @self afterwards waits until @func has
 * returned. That makes it the tool for host work that must happen in
 * stream order: setting a flag, recording a timestamp, handing a result
 * to another thread.
 *
 * @func runs on a CUDA driver thread: it must not call CUDA or libcudaobj
 * (the driver is waiting for it; such a call can deadlock or fail), nor
 * block for long, since it holds up the stream. In Python the function
 * takes the GIL on that thread, so the stream also waits for the GIL;
 * GJS cannot run JavaScript on a foreign thread at all: there, and
 * whenever the host work needs CUDA or the application's main loop, use
 * [method@CudaObj.Stream.add_callback], which delivers in a main context
 * instead and does not hold the stream.
 *
 * During a stream capture (see [class@CudaObj.GraphBuilder]) the function is
 * recorded as a host node: it runs at every launch of every graph made
 * from the capture, in that graph's stream order. The graph then owns
 * the user data, which stays alive as long as the capture's graph, any
 * [class@CudaObj.Graph] instantiated or updated from it, or a pending launch
 * can still run the node.
 *
 * @destroy runs exactly once, after the last call of @func: on the driver
 * thread right after the call for a plain stream; on an internal driver
 * thread once the last graph that holds the node is gone for a capture;
 * in the calling thread before this function returns when @func could not
 * be enqueued. The same rule applies to it as to @func: no CUDA calls.
 * Conditional bodies cannot hold host nodes: the driver refuses them there.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_CLOSED when @self is closed, a %CUDA_OBJ_DRIVER_ERROR
 *   when the driver refuses the function)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_stream_launch_host_func (CudaObjStream *self, CudaObjHostFunc func, gpointer user_data,
                                  GDestroyNotify destroy, GError **error)
{
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  const CudaObjDriver *drv;
  CUgraph graph = NULL;
  HostFunc *hf;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (self), FALSE);

  hf = g_new0 (HostFunc, 1);
  hf->func = func;
  hf->user_data = user_data;
  hf->destroy = destroy;
  if (func == NULL)
    {
      host_func_free (hf);
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Stream.launch_host_func: the function is NULL");
      return FALSE;
    }
  if (!cuda_obj_stream_prepare (self, &handle, error))
    {
      host_func_free (hf);
      return FALSE;
    }
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_check (drv->cuStreamGetCaptureInfo (handle, &status, NULL, &graph, NULL, NULL, NULL),
                       "cuStreamGetCaptureInfo", error))
    {
      host_func_free (hf);
      return FALSE;
    }
  if (status != CU_STREAM_CAPTURE_STATUS_ACTIVE || graph == NULL)
    {
      /* An invalidated capture makes the driver refuse with its reason. */
      if (!cuda_obj_check (drv->cuLaunchHostFunc (handle, host_func_run_once, hf), "cuLaunchHostFunc", error))
        {
          host_func_free (hf);
          return FALSE;
        }
      return TRUE;
    }

  /* Captured: the graph owns hf through a user object, whatever happens
   * to the node. */
  if (!graph_take_data (drv, graph, hf, host_func_release, (GDestroyNotify) host_func_free, error))
    return FALSE;
  return cuda_obj_check (drv->cuLaunchHostFunc (handle, host_func_run, hf), "cuLaunchHostFunc", error);
}
