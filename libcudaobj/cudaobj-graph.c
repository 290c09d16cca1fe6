/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an executable CUDA graph, launched as one unit of work.
 *
 * A Graph owns a CUgraphExec instantiated from a builder's captured graph
 * and keeps a reference to that captured graph (the template) for node
 * counts and DOT dumps. Host callbacks captured into the graph keep their
 * data alive through CUDA user objects (see cudaobj-host-callback.c): the
 * executable graph holds them until it is destroyed and its launches have
 * finished, so nothing here tracks them. */
#include "config.h"

#include <string.h>

#include "cudaobj-graph.h"
#include "cudaobj-graph-builder-private.h"
#include "cudaobj-graph-template-private.h"
#include "cudaobj-graph-private.h"
#include "cudaobj-graph-node-private.h"
#include "cudaobj-kernel-args-private.h"
#include "cudaobj-launch-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH
                 == (int) CUDA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH
                 == (int) CUDA_GRAPH_INSTANTIATE_FLAG_DEVICE_LAUNCH);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_INSTANTIATE_USE_NODE_PRIORITY
                 == (int) CUDA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY);

#define KNOWN_FLAGS                                                                          \
  (CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH | CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH \
   | CUDA_OBJ_GRAPH_INSTANTIATE_USE_NODE_PRIORITY)

struct _CudaObjGraph
{
  GObject parent_instance;

  CudaObjDevice *device;              /* owned */
  CudaObjGraphTemplate *template;     /* owned: the graph last instantiated or updated from */
  CudaObjGraphDefinition *definition; /* owned, or NULL: the definition instantiated from, for
                                       * the buffers, kernels and events its nodes use */
  GHashTable *kernel_resources;       /* CUgraphNode -> GPtrArray of the objects its set parameters use */
  CUgraphExec handle;                 /* owned unless owns_handle is FALSE */
  gboolean owns_handle;               /* FALSE for a handle wrapped by cuda_obj_graph_new_from_handle() */
  GObject *owner;                     /* keeps a wrapped handle alive; owned, nullable */
  CudaObjGraphInstantiateFlags flags;
  GMutex lock;    /* the driver does not synchronize calls on one executable graph */
  gboolean reset; /* a reset of the device took the handle */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_FLAGS,
  PROP_HANDLE,
  PROP_OWNS_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_graph_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraph:
 *
 * An executable CUDA graph: a recorded sequence of work (kernels, copies,
 * fills, event records, host callbacks) that is launched on a stream as
 * one unit, at the cost of a single launch.
 *
 * Record the work with a [class@CudaObj.GraphBuilder], end the capture with
 * [method@CudaObj.GraphBuilder.end], then instantiate it with
 * [method@CudaObj.GraphBuilder.complete]; as with cuda.core's
 * `GraphBuilder.complete()`, the result is ready to launch. Or build the
 * graph node by node with a [class@CudaObj.GraphDefinition] and
 * [method@CudaObj.GraphDefinition.instantiate] it; the kernel nodes of
 * such a graph take new parameters with
 * [method@CudaObj.Graph.set_kernel_node_params]. Graphs are not
 * constructed directly. [method@CudaObj.Graph.launch] runs the graph on any
 * stream of its device; launches of one graph run one after the other even
 * on different streams. [method@CudaObj.Graph.upload] prepares the device ahead
 * of the first launch, which otherwise does it.
 *
 * [method@CudaObj.Graph.update] gives the graph the parameters (addresses,
 * values, kernel arguments) of another capture of the same shape, which is
 * much cheaper than instantiating it anew; a capture of a different shape
 * is refused and the graph stays as it was.
 *
 * Host callbacks recorded into the graph ([method@CudaObj.Stream.add_callback]
 * during the capture) run at every launch, each time delivered in the main
 * context they were added from. Their data lives as long as any graph that
 * can still run them: it is released once the last of the builder, the
 * graphs made from it and their pending launches are gone.
 *
 * An executable graph made by other code (a `CUgraphExec` of the CUDA
 * runtime, CuPy, PyTorch) is wrapped with
 * [ctor@CudaObj.Graph.new_from_handle] without being owned.
 *
 * Dropping the last reference destroys the executable graph; launches in
 * flight finish first. A graph may be used from several threads: its
 * calls are serialized.
 *
 * A graph made with a plain constructor instead of
 * [method@CudaObj.GraphBuilder.complete] has nothing to run: its methods
 * fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED and its getters give 0 or
 * %NULL.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraph, cuda_obj_graph, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_graph_initable_iface_init))

/* Device reset: the CUgraphExec died with the context; never destroy it. */
static void
invalidate (gpointer object)
{
  CudaObjGraph *self = object;

  if (self->handle != NULL)
    {
      self->handle = NULL;
      self->reset = TRUE;
    }
}

static gboolean
cuda_obj_graph_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraph *self = CUDA_OBJ_GRAPH (initable);

  if (self->handle != NULL)
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "A CudaObjGraph is made by cuda_obj_graph_builder_complete() or "
                       "cuda_obj_graph_definition_instantiate(), not constructed directly");
  return FALSE;
}

static void
cuda_obj_graph_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_initable_init;
}

static void
cuda_obj_graph_finalize (GObject *object)
{
  CudaObjGraph *self = CUDA_OBJ_GRAPH (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  cuda_obj_device_unregister (self->device, self);
  /* Launches in flight finish first; the driver frees it then. A wrapped
   * one is its owner's. */
  if (self->handle != NULL && self->owns_handle && drv != NULL
      && cuda_obj_device_activate (self->device, NULL))
    drv->cuGraphExecDestroy (self->handle);
  g_clear_object (&self->owner);
  g_clear_pointer (&self->template, cuda_obj_graph_template_unref);
  g_clear_pointer (&self->kernel_resources, g_hash_table_unref);
  g_clear_object (&self->definition);
  g_clear_object (&self->device);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cuda_obj_graph_parent_class)->finalize (object);
}

static void
cuda_obj_graph_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraph *self = CUDA_OBJ_GRAPH (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_HANDLE: g_value_set_uint64 (value, (guint64) (guintptr) self->handle); break;
    case PROP_OWNS_HANDLE: g_value_set_boolean (value, self->owns_handle); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_class_init (CudaObjGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_graph_finalize;
  object_class->get_property = cuda_obj_graph_get_property;

  /**
   * CudaObjGraph:device:
   *
   * The device the graph runs on.
   *
   * Read it with [method@CudaObj.Graph.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraph:flags:
   *
   * The options the graph was instantiated with.
   *
   * Read it with [method@CudaObj.Graph.get_flags].
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS]
      = g_param_spec_flags ("flags", NULL, NULL, CUDA_OBJ_TYPE_GRAPH_INSTANTIATE_FLAGS,
                            CUDA_OBJ_GRAPH_INSTANTIATE_NONE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraph:handle:
   *
   * The `CUgraphExec` as an integer, to hand to other CUDA libraries.
   *
   * Read it with [method@CudaObj.Graph.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraph:owns-handle:
   *
   * Whether the graph instantiated its `CUgraphExec` and destroys it when
   * finalized; %FALSE for a graph wrapped with
   * [ctor@CudaObj.Graph.new_from_handle].
   *
   * Read it with [method@CudaObj.Graph.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE]
      = g_param_spec_boolean ("owns-handle", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graph_init (CudaObjGraph *self)
{
  g_mutex_init (&self->lock);
}

static gboolean
check_instantiated (CudaObjGraph *self, GError **error)
{
  if (G_LIKELY (self->handle != NULL))
    return TRUE;
  if (self->reset)
    {
      cuda_obj_device_set_reset_error (self->device, "Graph", error);
      return FALSE;
    }
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                       "Graph is not initialized: a CudaObjGraph is made by "
                       "cuda_obj_graph_builder_complete() or cuda_obj_graph_definition_instantiate(), "
                       "not constructed directly");
  return FALSE;
}

/* The graph last instantiated or updated from, for node counts and DOT
 * dumps; a wrapped executable graph has none until it is updated. */
static CudaObjGraphTemplate *
ref_template (CudaObjGraph *self, const char *func, GError **error)
{
  CudaObjGraphTemplate *template = NULL;

  if (!check_instantiated (self, error))
    return NULL;
  g_mutex_lock (&self->lock);
  if (self->template != NULL)
    template = cuda_obj_graph_template_ref (self->template);
  g_mutex_unlock (&self->lock);
  if (template == NULL)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                 "%s: a graph wrapped with cuda_obj_graph_new_from_handle() has no graph to describe "
                 "(the driver cannot give an executable graph's source) until it is updated",
                 func);
  return template;
}

/* Prepares @stream (CUDA_OBJ_ERROR_CLOSED when closed) and checks that it
 * belongs to the graph's device. */
static gboolean
prepare_stream (CudaObjGraph *self, CudaObjStream *stream, const char *what, CUstream *handle, GError **error)
{
  CudaObjDevice *stream_device;

  if (!cuda_obj_stream_prepare (stream, handle, error))
    return FALSE;
  stream_device = cuda_obj_stream_peek_device (stream);
  if (G_UNLIKELY (stream_device != self->device))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A graph of device %u cannot be %s on a stream of device %u",
                   cuda_obj_device_get_ordinal (self->device), what,
                   cuda_obj_device_get_ordinal (stream_device));
      return FALSE;
    }
  return TRUE;
}

static const char *
update_result_text (CUgraphExecUpdateResult result)
{
  switch (result)
    {
    case CU_GRAPH_EXEC_UPDATE_ERROR_TOPOLOGY_CHANGED:
      return "topology changed (the new capture has other nodes or other dependencies)";
    case CU_GRAPH_EXEC_UPDATE_ERROR_NODE_TYPE_CHANGED: return "node type changed";
    case CU_GRAPH_EXEC_UPDATE_ERROR_FUNCTION_CHANGED: return "kernel function changed";
    case CU_GRAPH_EXEC_UPDATE_ERROR_PARAMETERS_CHANGED:
      return "node parameters changed in a way an update cannot apply";
    case CU_GRAPH_EXEC_UPDATE_ERROR_NOT_SUPPORTED: return "a node does not support updates";
    case CU_GRAPH_EXEC_UPDATE_ERROR_UNSUPPORTED_FUNCTION_CHANGE:
      return "kernel function changed in a way an update cannot apply";
    case CU_GRAPH_EXEC_UPDATE_ERROR_ATTRIBUTES_CHANGED:
      return "node attributes changed in a way an update cannot apply";
    case CU_GRAPH_EXEC_UPDATE_SUCCESS:
    case CU_GRAPH_EXEC_UPDATE_ERROR:
    default: return "the driver refused the update";
    }
}

static gboolean
check_flags (CudaObjGraphInstantiateFlags flags, const char *what, GError **error)
{
  if ((flags & ~KNOWN_FLAGS) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: unknown instantiation flags 0x%x", what, (guint) (flags & ~KNOWN_FLAGS));
      return FALSE;
    }
  if ((flags & CUDA_OBJ_GRAPH_INSTANTIATE_DEVICE_LAUNCH)
      && (flags & CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: DEVICE_LAUNCH cannot be combined with AUTO_FREE_ON_LAUNCH", what);
      return FALSE;
    }
  return TRUE;
}

/* Instantiates @template (taken over) into a new graph; @definition, when
 * the template is a definition's, is kept for the resources its nodes use. */
static CudaObjGraph *
instantiate (CudaObjGraphTemplate *template, CudaObjGraphDefinition *definition,
             CudaObjGraphInstantiateFlags flags, CudaObjStream *upload_stream, GError **error)
{
  g_autoptr (CudaObjGraph) self = g_object_new (CUDA_OBJ_TYPE_GRAPH, NULL);
  const CudaObjDriver *drv;
  CUstream upload_handle = NULL;

  self->device = g_object_ref (template->device);
  self->template = template;
  self->flags = flags;
  if (upload_stream != NULL && !prepare_stream (self, upload_stream, "uploaded", &upload_handle, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (
          drv->cuGraphInstantiateWithFlags (&self->handle, template->handle, (unsigned long long) flags),
          "cuGraphInstantiateWithFlags", error))
    {
      self->handle = NULL;
      return NULL;
    }
  self->owns_handle = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  if (definition != NULL)
    self->definition = g_object_ref (definition);
  if (upload_stream != NULL
      && !cuda_obj_check (drv->cuGraphUpload (self->handle, upload_handle), "cuGraphUpload", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_graph_builder_complete:
 * @builder: a [class@CudaObj.GraphBuilder] whose capture ended
 * @flags: instantiation options
 * @upload_stream: (nullable): a stream of the builder's device to upload
 *   the graph on right away (see [method@CudaObj.Graph.upload]), or %NULL to
 *   leave that to the first launch
 * @error: return location for a [struct@GLib.Error]
 *
 * Instantiates the graph that @builder recorded as an executable
 * [class@CudaObj.Graph], ready to launch. A builder can be completed several
 * times, each time into an independent graph (except for a graph that
 * allocates memory, of which the driver allows one at a time).
 *
 * Returns: (transfer full): the graph, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT while @builder still captures, for
 *   unknown or conflicting @flags, or for an @upload_stream of another
 *   device; %CUDA_OBJ_ERROR_CLOSED when @builder's capture failed or was
 *   aborted; a %CUDA_OBJ_DRIVER_ERROR when the driver cannot instantiate
 *   the graph
 *
 * Since: 1.0
 */
CudaObjGraph *
cuda_obj_graph_builder_complete (CudaObjGraphBuilder *builder, CudaObjGraphInstantiateFlags flags,
                                 CudaObjStream *upload_stream, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (builder), NULL);
  g_return_val_if_fail (upload_stream == NULL || CUDA_OBJ_IS_STREAM (upload_stream), NULL);

  if (!check_flags (flags, "complete", error))
    return NULL;
  template = cuda_obj_graph_builder_get_template (builder, "complete", error);
  if (template == NULL)
    return NULL;
  return instantiate (g_steal_pointer (&template), NULL, flags, upload_stream, error);
}

CudaObjGraph *
cuda_obj_graph_new_from_definition (CudaObjGraphDefinition *definition, CudaObjGraphTemplate *template,
                                    CudaObjGraphInstantiateFlags flags, CudaObjStream *upload_stream,
                                    GError **error)
{
  if (!check_flags (flags, "instantiate", error))
    return NULL;
  return instantiate (cuda_obj_graph_template_ref (template), definition, flags, upload_stream, error);
}

/**
 * cuda_obj_graph_new_from_handle:
 * @device: the [class@CudaObj.Device] whose primary context @handle belongs to
 * @handle: a `CUgraphExec` (or `cudaGraphExec_t`) as an integer
 * @owner: (nullable): the object that owns @handle (the
 *   [class@CudaObj.Graph] it was read from, say); kept alive as long as
 *   the wrapper is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps an executable graph instantiated by someone else so that
 * libcudaobj can [method@CudaObj.Graph.launch] and
 * [method@CudaObj.Graph.upload] it on its streams, and
 * [method@CudaObj.Graph.update] it from a capture. The wrapper never
 * destroys @handle: dropping it only stops using it and releases @owner
 * ([property@CudaObj.Graph:owns-handle] is %FALSE).
 *
 * [property@CudaObj.Graph:flags] are read from the driver
 * (`cuGraphExecGetFlags`; flags libcudaobj has no name for are left out).
 * The driver cannot give an executable graph's source graph, so
 * [method@CudaObj.Graph.get_node_count], [method@CudaObj.Graph.to_dot] and
 * [method@CudaObj.Graph.dump_dot] fail with %CUDA_OBJ_ERROR_NOT_SUPPORTED
 * until the wrapper is updated, and
 * [method@CudaObj.Graph.set_kernel_node_params] needs a graph instantiated
 * from a [class@CudaObj.GraphDefinition]. What the graph's nodes use
 * (memory, kernels, host functions' data) is the owner's to keep alive.
 *
 * @handle must be an executable graph of @device's primary context. The
 * driver cannot tell an executable graph's context: launching one of
 * another device's context fails in the driver, or is undefined. The
 * wrapper asks `cuGraphExecGetFlags`, whose refusal is a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT, but garbage the driver does not catch
 * is undefined behaviour. So is every use of the wrapper once the owner
 * destroyed @handle.
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a 0 handle, a loader error
 *   without a CUDA driver
 *
 * Since: 1.0
 */
CudaObjGraph *
cuda_obj_graph_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner, GError **error)
{
  g_autoptr (CudaObjGraph) self = NULL;
  const CudaObjDriver *drv;
  cuuint64_t flags = 0;

  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  if (handle == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Cannot wrap executable graph handle 0: give a CUgraphExec (a "
                           "cudaGraphExec_t) that other code instantiated");
      return NULL;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (device, error)
      || !cuda_obj_check_foreign_handle (drv->cuGraphExecGetFlags ((CUgraphExec) (guintptr) handle, &flags),
                                         "cuGraphExecGetFlags", "executable graph", handle, error))
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_GRAPH, NULL);
  self->device = g_object_ref (device);
  self->handle = (CUgraphExec) (guintptr) handle;
  self->flags = (CudaObjGraphInstantiateFlags) (flags & KNOWN_FLAGS);
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_graph_get_owns_handle:
 * @self: a [class@CudaObj.Graph]
 *
 * Tells whether the graph instantiated its `CUgraphExec` and destroys it
 * when finalized: %FALSE for a graph wrapped with
 * [ctor@CudaObj.Graph.new_from_handle]. See
 * [property@CudaObj.Graph:owns-handle].
 *
 * Returns: %TRUE if the graph owns its handle
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_get_owns_handle (CudaObjGraph *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  return self->owns_handle;
}

/**
 * cuda_obj_graph_get_device:
 * @self: a [class@CudaObj.Graph]
 *
 * Gives the device the graph runs on: the device of the stream it was
 * captured from. See [property@CudaObj.Graph:device].
 *
 * Returns: (transfer none) (nullable): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_graph_get_device (CudaObjGraph *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), NULL);
  return self->device;
}

/**
 * cuda_obj_graph_get_flags:
 * @self: a [class@CudaObj.Graph]
 *
 * Gives the options the graph was instantiated with. See
 * [property@CudaObj.Graph:flags].
 *
 * Returns: the instantiation flags
 *
 * Since: 1.0
 */
CudaObjGraphInstantiateFlags
cuda_obj_graph_get_flags (CudaObjGraph *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), CUDA_OBJ_GRAPH_INSTANTIATE_NONE);
  return self->flags;
}

/**
 * cuda_obj_graph_get_handle:
 * @self: a [class@CudaObj.Graph]
 *
 * Gives the `CUgraphExec` as an integer, to hand to other CUDA libraries. See
 * [property@CudaObj.Graph:handle].
 *
 * Returns: the `CUgraphExec`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_graph_get_handle (CudaObjGraph *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), 0);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_graph_upload:
 * @self: a [class@CudaObj.Graph]
 * @stream: a [class@CudaObj.Stream] of the graph's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Prepares the device to run the graph, ordered on @stream, without
 * running it, so that the first [method@CudaObj.Graph.launch] is as fast as the
 * following ones.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a stream of another device,
 *   %CUDA_OBJ_ERROR_CLOSED for a closed stream)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_upload (CudaObjGraph *self, CudaObjStream *stream, GError **error)
{
  CUstream handle;
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), FALSE);
  if (!check_instantiated (self, error) || !prepare_stream (self, stream, "uploaded", &handle, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  ok = cuda_obj_check (cuda_obj_driver_peek ()->cuGraphUpload (self->handle, handle), "cuGraphUpload", error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * cuda_obj_graph_launch:
 * @self: a [class@CudaObj.Graph]
 * @stream: a [class@CudaObj.Stream] of the graph's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Runs the whole graph on @stream, after the work submitted to @stream
 * before and after the graph's previous launches (launches of one graph
 * never overlap). Does not wait for it. Host callbacks in the graph are
 * delivered again, once per launch.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a stream of another device,
 *   %CUDA_OBJ_ERROR_CLOSED for a closed stream)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_launch (CudaObjGraph *self, CudaObjStream *stream, GError **error)
{
  CUstream handle;
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), FALSE);
  if (!check_instantiated (self, error) || !prepare_stream (self, stream, "launched", &handle, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  ok = cuda_obj_check (cuda_obj_driver_peek ()->cuGraphLaunch (self->handle, handle), "cuGraphLaunch", error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * cuda_obj_graph_update:
 * @self: a [class@CudaObj.Graph]
 * @builder: a [class@CudaObj.GraphBuilder] whose capture ended, recorded on the
 *   graph's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives @self the parameters of the graph @builder recorded: buffer
 * addresses, fill values, copy sizes within limits, kernel arguments and
 * launch shapes. The new capture must have the same shape — the same
 * operations in the same order with the same dependencies, and the same
 * kernels. Launches already enqueued are not affected; the next launch runs
 * the new parameters. This is much cheaper than completing a new graph.
 *
 * When the shapes differ, nothing changes and @self still launches as
 * before.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the update cannot be applied (the
 *   message names the driver's reason, such as "topology changed"), when
 *   @builder still captures or recorded on another device;
 *   %CUDA_OBJ_ERROR_CLOSED when @builder's capture failed or was aborted
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_update (CudaObjGraph *self, CudaObjGraphBuilder *builder, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;
  CUgraphExecUpdateResultInfo info = { 0 };
  CudaObjGraphTemplate *old;
  CUresult result;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_BUILDER (builder), FALSE);
  if (!check_instantiated (self, error))
    return FALSE;
  template = cuda_obj_graph_builder_get_template (builder, "update", error);
  if (template == NULL)
    return FALSE;
  if (template->device != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "update: a graph of device %u cannot be updated from a capture on device %u",
                   cuda_obj_device_get_ordinal (self->device),
                   cuda_obj_device_get_ordinal (template->device));
      return FALSE;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  result = cuda_obj_driver_peek ()->cuGraphExecUpdate (self->handle, template->handle, &info);
  if (result == CUDA_SUCCESS)
    {
      old = self->template;
      self->template = g_steal_pointer (&template);
      template = old;
    }
  g_mutex_unlock (&self->lock);
  if (result == CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot update the graph from this capture: %s; the graph is unchanged "
                   "(complete a new graph for a capture of another shape)",
                   update_result_text (info.result));
      return FALSE;
    }
  return cuda_obj_check (result, "cuGraphExecUpdate", error);
}

/**
 * cuda_obj_graph_get_node_count:
 * @self: a [class@CudaObj.Graph]
 * @error: return location for a [struct@GLib.Error]
 *
 * Counts the nodes of the graph the executable graph was last instantiated
 * or updated from.
 *
 * Returns: the number of nodes; 0 with @error set
 *
 * Since: 1.0
 */
gsize
cuda_obj_graph_get_node_count (CudaObjGraph *self, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;
  gsize count = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), 0);
  template = ref_template (self, G_STRFUNC, error);
  if (template == NULL)
    return 0;
  if (!cuda_obj_graph_count_nodes (self->device, template->handle, &count, error))
    return 0;
  return count;
}

/**
 * cuda_obj_graph_dump_dot:
 * @self: a [class@CudaObj.Graph]
 * @path: (type filename): the file to write
 * @verbose: whether to include every detail the driver knows of each node
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes the graph the executable graph was last instantiated or updated
 * from to @path in Graphviz's DOT language, for debugging.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%CUDA_OBJ_ERROR_IO
 *   when @path cannot be written)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_dump_dot (CudaObjGraph *self, const char *path, gboolean verbose, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  template = ref_template (self, G_STRFUNC, error);
  if (template == NULL)
    return FALSE;
  return cuda_obj_graph_write_dot (self->device, template->handle, path, verbose, error);
}

/**
 * cuda_obj_graph_to_dot:
 * @self: a [class@CudaObj.Graph]
 * @verbose: whether to include every detail the driver knows of each node
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the graph the executable graph was last instantiated or updated
 * from in Graphviz's DOT language, for debugging.
 *
 * Returns: (transfer full): the DOT text, a `digraph`, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
char *
cuda_obj_graph_to_dot (CudaObjGraph *self, gboolean verbose, GError **error)
{
  g_autoptr (CudaObjGraphTemplate) template = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), NULL);
  template = ref_template (self, G_STRFUNC, error);
  if (template == NULL)
    return NULL;
  return cuda_obj_graph_read_dot (self->device, template->handle, verbose, error);
}

/**
 * cuda_obj_graph_set_kernel_node_params:
 * @self: a [class@CudaObj.Graph] instantiated from a
 *   [class@CudaObj.GraphDefinition]
 * @node: a kernel node of that definition
 * @config: the new grid, block and shared memory settings
 * @kernel: the [class@CudaObj.Kernel] to run, the node's or another
 * @args: (nullable): the new arguments; %NULL for a kernel without parameters
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives a kernel node of the executable graph new parameters, without
 * instantiating the graph again and without touching the definition:
 * the next launch runs them, launches already enqueued keep the old ones.
 * @config and @args are checked as [func@CudaObj.launch] checks them. The
 * values of @args are copied now; changing @args later changes nothing.
 * The graph keeps @kernel and the buffers in @args until the node's
 * parameters are set again or the graph is gone.
 *
 * The node's cluster and cooperative settings are fixed when it is added:
 * @config must have the same. The driver refuses a kernel of another
 * context or one that changes how the node was laid out.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @node is not a kernel node of the
 *   definition @self was instantiated from (or @self was updated from a
 *   capture since), for a configuration over the limits or with other
 *   cluster or cooperative settings, for arguments that do not fit @kernel;
 *   %CUDA_OBJ_ERROR_CLOSED for a closed buffer in @args
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_set_kernel_node_params (CudaObjGraph *self, CudaObjGraphNode *node,
                                       CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                                       CudaObjKernelArgs *args, GError **error)
{
  CudaObjKernelArgsView args_view = { 0, NULL, NULL, NULL };
  const CudaObjLaunchShape *shape;
  CUDA_KERNEL_NODE_PARAMS params;
  GPtrArray *resources;
  CUgraphNode handle;
  CUgraph graph;
  guint cluster[3];
  gboolean cooperative;
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH (self), FALSE);
  if (!check_instantiated (self, error))
    return FALSE;
  if (!cuda_obj_require_argument (node, error) || !cuda_obj_require_argument (config, error)
      || !cuda_obj_require_argument (kernel, error))
    return FALSE;
  graph = cuda_obj_graph_node_peek_graph (node, &handle);
  g_mutex_lock (&self->lock);
  ok = graph != NULL && self->definition != NULL && graph == self->template->handle;
  g_mutex_unlock (&self->lock);
  if (!ok)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "set_kernel_node_params: the node is not a node of the graph definition this "
                           "graph was instantiated from");
      return FALSE;
    }
  if (cuda_obj_graph_node_get_node_type (node) != CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL)
    {
      g_set_error (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
          "set_kernel_node_params: the node is a %s node, not a kernel node",
          g_enum_to_string (CUDA_OBJ_TYPE_GRAPH_NODE_TYPE, cuda_obj_graph_node_get_node_type (node)));
      return FALSE;
    }
  if (!cuda_obj_launch_fill_node_params (self->device, config, kernel, args, &params, &shape, error))
    return FALSE;
  cuda_obj_graph_node_get_kernel_attributes (node, cluster, &cooperative);
  if (memcmp (cluster, shape->cluster, sizeof cluster) != 0 || !cooperative != !shape->cooperative)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "set_kernel_node_params: the node was added with cluster %u x %u x %u%s; the new "
                   "configuration must keep them",
                   cluster[0], cluster[1], cluster[2], cooperative ? " and a cooperative launch" : "");
      return FALSE;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;

  resources = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (resources, g_object_ref (kernel));
  if (args != NULL)
    {
      cuda_obj_kernel_args_peek (args, &args_view);
      for (guint i = 0; i < args_view.n_args; i++)
        if (args_view.slots[i].buffer != NULL)
          g_ptr_array_add (resources, g_object_ref (args_view.slots[i].buffer));
    }
  g_mutex_lock (&self->lock);
  ok = cuda_obj_check (
      cuda_obj_driver_peek ()->cuGraphExecKernelNodeSetParams (self->handle, handle, &params),
      "cuGraphExecKernelNodeSetParams", error);
  if (ok)
    {
      if (self->kernel_resources == NULL)
        self->kernel_resources = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
      g_hash_table_insert (self->kernel_resources, handle, g_steal_pointer (&resources));
    }
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&resources, g_ptr_array_unref);
  return ok;
}
