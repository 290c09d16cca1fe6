/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA graph built node by node.
 *
 * A definition owns an empty-at-first CUgraph (as a graph template, the
 * structure Graph already shares with GraphBuilder) and the GraphNode
 * objects of its nodes (cudaobj-graph-node.c). What the nodes use lives as
 * long as the definition and every Graph instantiated from it (a Graph
 * keeps its definition):
 * - buffers, kernels and events: references in the definition's resource
 *   list, which only grows (nodes are never removed); a child graph's list
 *   is copied into its parent's, because the driver copies the child graph;
 * - host functions' data: a CUDA user object retained by the CUgraph, so
 *   that the driver releases it once no graph (the definition's, a copy
 *   in a parent, an executable one or a launch in flight) can run the node.
 *
 * The driver copies every node's parameters when the node is added
 * (kernel argument values included), so later changes to a KernelArgs, a
 * LaunchConfig or a child definition do not reach the node. */
#include "config.h"

#include <string.h>

#include "cudaobj-graph-definition.h"
#include "cudaobj-buffer.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-event-private.h"
#include "cudaobj-graph-node-private.h"
#include "cudaobj-graph-private.h"
#include "cudaobj-graph-template-private.h"
#include "cudaobj-kernel-args-private.h"
#include "cudaobj-launch-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_VERBOSE == (int) CU_GRAPH_DEBUG_DOT_FLAGS_VERBOSE);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_RUNTIME_TYPES == (int) CU_GRAPH_DEBUG_DOT_FLAGS_RUNTIME_TYPES);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_KERNEL_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_MEMCPY_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_MEMCPY_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_MEMSET_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_MEMSET_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_HOST_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_HOST_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_EVENT_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_EVENT_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_SIGNAL_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_EXT_SEMAS_SIGNAL_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_EXTERNAL_SEMAPHORES_WAIT_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_EXT_SEMAS_WAIT_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_KERNEL_NODE_ATTRIBUTES
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_KERNEL_NODE_ATTRIBUTES);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_HANDLES == (int) CU_GRAPH_DEBUG_DOT_FLAGS_HANDLES);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_MEMORY_ALLOCATE_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_MEM_ALLOC_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_MEMORY_FREE_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_MEM_FREE_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_BATCH_MEMORY_OPERATION_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_BATCH_MEM_OP_NODE_PARAMS);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_EXTRA_TOPOLOGY_INFO
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_EXTRA_TOPO_INFO);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_DOT_CONDITIONAL_NODE_PARAMS
                 == (int) CU_GRAPH_DEBUG_DOT_FLAGS_CONDITIONAL_NODE_PARAMS);

#define KNOWN_DOT_FLAGS ((guint) ((CUDA_OBJ_GRAPH_DOT_CONDITIONAL_NODE_PARAMS << 1) - 1))

struct _CudaObjGraphDefinition
{
  GObject parent_instance;

  CudaObjDevice *device;          /* owned */
  CudaObjGraphTemplate *template; /* owned: the CUgraph, shared with the Graphs made from it */
  CudaObjGraphNodeSet *nodes;     /* owned */
  GPtrArray *resources;           /* the buffers, kernels and events the nodes use */
  GObject *owner;                 /* keeps a wrapped CUgraph alive; owned, nullable */
  gboolean reset;                 /* a reset of the device took the CUgraph */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_HANDLE,
  PROP_OWNS_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_graph_definition_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraphDefinition:
 *
 * A CUDA graph built node by node: kernels, copies, fills, host functions,
 * event records and waits, memory allocations and frees, child graphs and
 * empty nodes, with dependencies as edges. Where a
 * [class@CudaObj.GraphBuilder] records what a stream does, a definition
 * states the work and its order directly, and can express any shape of
 * dependencies (forks, joins, diamonds) without extra streams and events.
 *
 * ```c
 * g_autoptr (CudaObjGraphDefinition) def = cuda_obj_graph_definition_new (device, &error);
 * CudaObjGraphNode *fill = cuda_obj_graph_definition_add_memset (def, buffer, 0, 4, 0, n, NULL, 0, &error);
 * CudaObjGraphNode *deps[] = { fill };
 * cuda_obj_graph_definition_add_kernel (def, config, kernel, args, deps, 1, &error);
 * g_autoptr (CudaObjGraph) graph = cuda_obj_graph_definition_instantiate (def, 0, NULL, &error);
 * cuda_obj_graph_launch (graph, stream, &error);
 * ```
 *
 * Each `add_` method takes the nodes the new node depends on and returns
 * the new [class@CudaObj.GraphNode], which the definition owns;
 * [method@CudaObj.GraphDefinition.add_dependency] adds an edge between
 * existing nodes. [method@CudaObj.GraphDefinition.instantiate] makes an
 * executable [class@CudaObj.Graph]; the definition can be changed and
 * instantiated again afterwards without affecting graphs made before.
 *
 * The driver copies each node's parameters when the node is added: later
 * changes to the [class@CudaObj.KernelArgs], the
 * [class@CudaObj.LaunchConfig] or a child definition do not change the
 * node. The buffers, kernels and events the nodes use are kept alive by
 * the definition and by every graph instantiated from it; closing such a
 * buffer is the caller's choice, and its memory must then not be used by
 * a launch of the graph.
 *
 * A `CUgraph` made by other code (the CUDA runtime, CuPy, PyTorch) is
 * wrapped with [ctor@CudaObj.GraphDefinition.new_from_handle] without
 * being owned; nodes are added to it and it is instantiated as a
 * definition's own.
 *
 * A definition must not be changed from several threads at once.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphDefinition, cuda_obj_graph_definition, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graph_definition_initable_iface_init))

/* Device reset: the CUgraph died with the context; never destroy it. */
static void
invalidate (gpointer object)
{
  CudaObjGraphDefinition *self = object;

  if (self->template != NULL && self->template->handle != NULL)
    {
      self->template->handle = NULL;
      self->reset = TRUE;
    }
}

static gboolean
cuda_obj_graph_definition_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphDefinition *self = CUDA_OBJ_GRAPH_DEFINITION (initable);
  const CudaObjDriver *drv;
  CUgraph graph = NULL;

  if (self->template != NULL)
    return TRUE;
  if (self->device == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A graph definition needs a device: set CudaObjGraphDefinition:device");
      return FALSE;
    }
  if (!cuda_obj_device_require (self->device, "cuda_obj_graph_definition_new", "device", error))
    return FALSE;
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (drv->cuGraphCreate (&graph, 0), "cuGraphCreate", error))
    return FALSE;
  self->template = cuda_obj_graph_template_new (self->device, graph);
  self->nodes = cuda_obj_graph_node_set_new (self, self->device, graph);
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_graph_definition_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_definition_initable_init;
}

static void
cuda_obj_graph_definition_finalize (GObject *object)
{
  CudaObjGraphDefinition *self = CUDA_OBJ_GRAPH_DEFINITION (object);

  if (self->device != NULL)
    cuda_obj_device_unregister (self->device, self);
  g_clear_pointer (&self->nodes, cuda_obj_graph_node_set_free);
  /* Graphs instantiated from the definition hold the template too. */
  g_clear_pointer (&self->template, cuda_obj_graph_template_unref);
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_clear_object (&self->owner);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_graph_definition_parent_class)->finalize (object);
}

static void
cuda_obj_graph_definition_set_property (GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
  CudaObjGraphDefinition *self = CUDA_OBJ_GRAPH_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_definition_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphDefinition *self = CUDA_OBJ_GRAPH_DEFINITION (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_graph_definition_get_handle (self)); break;
    case PROP_OWNS_HANDLE:
      g_value_set_boolean (value, cuda_obj_graph_definition_get_owns_handle (self));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_definition_class_init (CudaObjGraphDefinitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_graph_definition_finalize;
  object_class->set_property = cuda_obj_graph_definition_set_property;
  object_class->get_property = cuda_obj_graph_definition_get_property;

  /**
   * CudaObjGraphDefinition:device:
   *
   * The device the graph's work runs on. Required at construction.
   *
   * Read it with [method@CudaObj.GraphDefinition.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                     | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjGraphDefinition:handle:
   *
   * The `CUgraph` as an integer, to hand to other CUDA libraries.
   *
   * Read it with [method@CudaObj.GraphDefinition.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphDefinition:owns-handle:
   *
   * Whether the definition created its `CUgraph` and destroys it once it
   * and the graphs instantiated from it are gone; %FALSE for a definition
   * wrapped with [ctor@CudaObj.GraphDefinition.new_from_handle].
   *
   * Read it with [method@CudaObj.GraphDefinition.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE]
      = g_param_spec_boolean ("owns-handle", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graph_definition_init (CudaObjGraphDefinition *self)
{
  self->resources = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The CUgraph, with the device's context current; else NULL with
 * CUDA_OBJ_ERROR_NOT_INITIALIZED, or CUDA_OBJ_ERROR_CLOSED after a reset. */
static CUgraph
prepare (CudaObjGraphDefinition *self, const char *func, GError **error)
{
  if (G_UNLIKELY (self->template == NULL))
    {
      cuda_obj_set_not_initialized (error, self, func);
      return NULL;
    }
  if (G_UNLIKELY (self->template->handle == NULL))
    {
      cuda_obj_device_set_reset_error (self->device, "GraphDefinition", error);
      return NULL;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return NULL;
  return self->template->handle;
}

/* The handles of @dependencies, all nodes of @self, in a new array (NULL
 * when there are none). */
static gboolean
dependency_handles (CudaObjGraphDefinition *self, CudaObjGraphNode **dependencies, guint n_dependencies,
                    CUgraphNode **handles, GError **error)
{
  g_autofree CUgraphNode *result = NULL;

  *handles = NULL;
  if (n_dependencies == 0)
    return TRUE;
  if (dependencies == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%u dependencies announced, but no array given", n_dependencies);
      return FALSE;
    }
  result = g_new (CUgraphNode, n_dependencies);
  for (guint i = 0; i < n_dependencies; i++)
    {
      g_autofree char *what = g_strdup_printf ("Dependency %u", i);

      result[i] = cuda_obj_graph_node_peek_in_set (dependencies[i], self->nodes, what, error);
      if (result[i] == NULL)
        return FALSE;
    }
  *handles = g_steal_pointer (&result);
  return TRUE;
}

/* Checks that [@offset, @offset + @size) lies within open @buffer. */
static gboolean
check_range (CudaObjBuffer *buffer, const char *what, gsize offset, gsize size, GError **error)
{
  gsize buffer_size;

  if (buffer == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "The %s buffer is NULL", what);
      return FALSE;
    }
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "The %s buffer is closed", what);
      return FALSE;
    }
  buffer_size = cuda_obj_buffer_get_size (buffer);
  if (offset > buffer_size || size > buffer_size - offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT " do not fit in the %s buffer "
                   "of %" G_GSIZE_FORMAT " bytes",
                   size, offset, what, buffer_size);
      return FALSE;
    }
  return TRUE;
}

/* Device-only memory as device memory (graph allocations included, which
 * are not mapped yet); pinned and managed memory by its unified address,
 * so that the driver tells where it lives. */
static CUmemorytype
memory_type (CudaObjBuffer *buffer)
{
  return cuda_obj_buffer_get_is_host_accessible (buffer) ? CU_MEMORYTYPE_UNIFIED : CU_MEMORYTYPE_DEVICE;
}

/* Records a node the driver added and what it uses; the node is borrowed. */
static CudaObjGraphNode *
add_node (CudaObjGraphDefinition *self, CUgraphNode handle, CudaObjGraphNodeType type, gpointer resource)
{
  if (resource != NULL)
    g_ptr_array_add (self->resources, g_object_ref (resource));
  return cuda_obj_graph_node_set_add (self->nodes, handle, type);
}

/**
 * cuda_obj_graph_definition_new:
 * @device: the [class@CudaObj.Device] the graph's work runs on
 * @error: return location for a [struct@GLib.Error]
 *
 * Creates an empty graph definition.
 *
 * Returns: (transfer full): the definition, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjGraphDefinition *
cuda_obj_graph_definition_new (CudaObjDevice *device, GError **error)
{
  return g_initable_new (CUDA_OBJ_TYPE_GRAPH_DEFINITION, NULL, error, "device", device, NULL);
}

/**
 * cuda_obj_graph_definition_new_from_handle:
 * @device: the [class@CudaObj.Device] the graph's work runs on
 * @handle: a `CUgraph` (or `cudaGraph_t`) as an integer
 * @owner: (nullable): the object that owns @handle (the
 *   [class@CudaObj.GraphDefinition] it was read from, say); kept alive as
 *   long as the wrapper or a [class@CudaObj.Graph] instantiated from it is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a graph created by someone else so that libcudaobj can add nodes
 * to it (the `add_` methods), list its nodes and edges, describe it in DOT
 * and [method@CudaObj.GraphDefinition.instantiate] it. The wrapper never
 * destroys @handle: dropping it only stops using it and releases @owner
 * ([property@CudaObj.GraphDefinition:owns-handle] is %FALSE).
 *
 * The nodes @handle already has, and those other code adds later, appear
 * in [method@CudaObj.GraphDefinition.get_nodes] and
 * [method@CudaObj.GraphDefinition.get_edges] as [class@CudaObj.GraphNode]s
 * of their driver type, usable as dependencies of new nodes; what they use
 * (memory, kernels, events, host functions' data) is the owner's to keep
 * alive. Nodes that other code removes from @handle while the wrapper
 * knows them are undefined behaviour to use.
 *
 * @handle must be a graph of @device's context (work of another device's
 * context fails in the driver at instantiation or launch): the driver
 * cannot tell which context a graph was made in. The wrapper asks
 * `cuGraphGetNodes`, whose refusal is a %CUDA_OBJ_ERROR_INVALID_ARGUMENT,
 * but garbage the driver does not catch is undefined behaviour. So is
 * every use of the wrapper, or of a graph instantiated from it, once the
 * owner destroyed @handle.
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a 0 handle, a loader error
 *   without a CUDA driver
 *
 * Since: 1.0
 */
CudaObjGraphDefinition *
cuda_obj_graph_definition_new_from_handle (CudaObjDevice *device, guint64 handle, GObject *owner,
                                           GError **error)
{
  g_autoptr (CudaObjGraphDefinition) self = NULL;
  const CudaObjDriver *drv;
  CUgraph graph = (CUgraph) (guintptr) handle;
  size_t n = 0;

  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  if (handle == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Cannot wrap graph handle 0: give a CUgraph (a cudaGraph_t) that other code "
                           "created");
      return NULL;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (device, error)
      || !cuda_obj_check_foreign_handle (drv->cuGraphGetNodes (graph, NULL, &n), "cuGraphGetNodes", "graph",
                                         handle, error))
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_GRAPH_DEFINITION, "device", device, NULL);
  self->template = cuda_obj_graph_template_new_foreign (self->device, graph);
  self->nodes = cuda_obj_graph_node_set_new (self, self->device, graph);
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_graph_definition_get_owns_handle:
 * @self: a [class@CudaObj.GraphDefinition]
 *
 * Tells whether the definition created its `CUgraph` and destroys it once
 * it and the graphs instantiated from it are gone: %FALSE for a definition
 * wrapped with [ctor@CudaObj.GraphDefinition.new_from_handle] (and for
 * one never initialized). See
 * [property@CudaObj.GraphDefinition:owns-handle].
 *
 * Returns: %TRUE if the definition owns its handle
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_definition_get_owns_handle (CudaObjGraphDefinition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), FALSE);
  return self->template != NULL && self->template->owns_handle;
}

/**
 * cuda_obj_graph_definition_get_device:
 * @self: a [class@CudaObj.GraphDefinition]
 *
 * Gives the device the graph's work runs on. See
 * [property@CudaObj.GraphDefinition:device].
 *
 * Returns: (transfer none) (nullable): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_graph_definition_get_device (CudaObjGraphDefinition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  return self->device;
}

/**
 * cuda_obj_graph_definition_get_handle:
 * @self: a [class@CudaObj.GraphDefinition]
 *
 * Gives the `CUgraph` as an integer, to hand to other CUDA libraries. See
 * [property@CudaObj.GraphDefinition:handle].
 *
 * Returns: the `CUgraph`, as an integer; 0 when not initialized
 *
 * Since: 1.0
 */
guint64
cuda_obj_graph_definition_get_handle (CudaObjGraphDefinition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), 0);
  return self->template != NULL ? (guint64) (guintptr) self->template->handle : 0;
}

/**
 * cuda_obj_graph_definition_add_kernel:
 * @self: a [class@CudaObj.GraphDefinition]
 * @config: the grid, block, shared memory, cluster and cooperative settings
 * @kernel: the [class@CudaObj.Kernel]
 * @args: (nullable): the arguments; %NULL for a kernel without parameters
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a kernel launch. @config and @args are checked as
 * [func@CudaObj.launch] checks them. The argument values are copied now:
 * setting a slot of @args afterwards does not change the node (use
 * [method@CudaObj.Graph.set_kernel_node_params] to change an instantiated
 * graph's node).
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a configuration over
 *   the limits, arguments that do not fit @kernel or a dependency of
 *   another definition; %CUDA_OBJ_ERROR_CLOSED for a closed buffer in
 *   @args)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_kernel (CudaObjGraphDefinition *self, CudaObjLaunchConfig *config,
                                      CudaObjKernel *kernel, CudaObjKernelArgs *args,
                                      CudaObjGraphNode **dependencies, guint n_dependencies, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CudaObjKernelArgsView args_view = { 0, NULL, NULL, NULL };
  g_autofree CUgraphNode *deps = NULL;
  const CudaObjLaunchShape *shape;
  CUDA_KERNEL_NODE_PARAMS params;
  CUlaunchAttributeValue value;
  CudaObjGraphNode *node;
  CUgraphNode handle = NULL;
  CUresult result = CUDA_SUCCESS;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !cuda_obj_require_argument (config, error)
      || !cuda_obj_require_argument (kernel, error)
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error)
      || !cuda_obj_launch_fill_node_params (self->device, config, kernel, args, &params, &shape, error))
    return NULL;
  if (!cuda_obj_check (drv->cuGraphAddKernelNode (&handle, graph, deps, n_dependencies, &params),
                       "cuGraphAddKernelNode", error))
    return NULL;
  /* A node takes what cuLaunchKernelEx takes as launch attributes this way. */
  if (shape->cluster[0] * shape->cluster[1] * shape->cluster[2] > 1)
    {
      memset (&value, 0, sizeof value);
      value.clusterDim.x = shape->cluster[0];
      value.clusterDim.y = shape->cluster[1];
      value.clusterDim.z = shape->cluster[2];
      result = drv->cuGraphKernelNodeSetAttribute (handle, CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION, &value);
    }
  if (result == CUDA_SUCCESS && shape->cooperative)
    {
      memset (&value, 0, sizeof value);
      value.cooperative = 1;
      result = drv->cuGraphKernelNodeSetAttribute (handle, CU_LAUNCH_ATTRIBUTE_COOPERATIVE, &value);
    }
  if (result != CUDA_SUCCESS)
    {
      drv->cuGraphDestroyNode (handle);
      cuda_obj_check (result, "cuGraphKernelNodeSetAttribute", error);
      return NULL;
    }
  node = add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL, kernel);
  cuda_obj_graph_node_set_kernel_attributes (node, shape->cluster, shape->cooperative);
  if (args != NULL)
    {
      cuda_obj_kernel_args_peek (args, &args_view);
      for (guint i = 0; i < args_view.n_args; i++)
        if (args_view.slots[i].buffer != NULL)
          g_ptr_array_add (self->resources, g_object_ref (args_view.slots[i].buffer));
    }
  return node;
}

/**
 * cuda_obj_graph_definition_add_memcpy:
 * @self: a [class@CudaObj.GraphDefinition]
 * @dst: the [class@CudaObj.Buffer] to copy to
 * @dst_offset: where in @dst the copy goes, in bytes
 * @src: the [class@CudaObj.Buffer] to copy from
 * @src_offset: where in @src the copy starts, in bytes
 * @size: the number of bytes to copy, at least 1
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a copy between two buffers: device, pinned host or managed memory,
 * of this device or a peer. Host data enters and leaves a graph through
 * pinned buffers (see [class@CudaObj.PinnedMemoryResource]), which the graph
 * reads and writes at each launch.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when a range does not fit
 *   its buffer or @size is 0, %CUDA_OBJ_ERROR_CLOSED for a closed buffer)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_memcpy (CudaObjGraphDefinition *self, CudaObjBuffer *dst, gsize dst_offset,
                                      CudaObjBuffer *src, gsize src_offset, gsize size,
                                      CudaObjGraphNode **dependencies, guint n_dependencies, GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUDA_MEMCPY3D copy;
  CudaObjGraphNode *node;
  CUgraphNode handle = NULL;
  CUcontext context;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !check_range (dst, "destination", dst_offset, size, error)
      || !check_range (src, "source", src_offset, size, error)
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (size == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A copy node copies at least 1 byte; the size is 0");
      return NULL;
    }
  context = cuda_obj_device_get_context (self->device, error);
  if (context == NULL)
    return NULL;

  /* One row, whose ends the driver takes as they are. */
  memset (&copy, 0, sizeof copy);
  copy.srcMemoryType = memory_type (src);
  copy.srcDevice = (CUdeviceptr) (cuda_obj_buffer_get_handle (src) + src_offset);
  copy.srcPitch = size;
  copy.srcHeight = 1;
  copy.dstMemoryType = memory_type (dst);
  copy.dstDevice = (CUdeviceptr) (cuda_obj_buffer_get_handle (dst) + dst_offset);
  copy.dstPitch = size;
  copy.dstHeight = 1;
  copy.WidthInBytes = size;
  copy.Height = 1;
  copy.Depth = 1;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddMemcpyNode (&handle, graph, deps, n_dependencies,
                                                                      &copy, context),
                       "cuGraphAddMemcpyNode", error))
    return NULL;
  node = add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY, dst);
  g_ptr_array_add (self->resources, g_object_ref (src));
  return node;
}

/**
 * cuda_obj_graph_definition_add_memset:
 * @self: a [class@CudaObj.GraphDefinition]
 * @buffer: the [class@CudaObj.Buffer] to fill
 * @value: the value of each element; it must fit in @element_size bytes
 * @element_size: the size of an element: 1, 2 or 4 bytes
 * @offset: where in @buffer the fill starts, in bytes, a multiple of
 *   @element_size
 * @count: the number of elements, at least 1
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a fill of @count elements of @buffer with @value, as
 * [method@CudaObj.Buffer.fill] does on a stream.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for another element size,
 *   a value too wide, a misaligned offset, no elements or a range that does
 *   not fit, %CUDA_OBJ_ERROR_CLOSED for a closed buffer)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_memset (CudaObjGraphDefinition *self, CudaObjBuffer *buffer, guint32 value,
                                      guint element_size, gsize offset, gsize count,
                                      CudaObjGraphNode **dependencies, guint n_dependencies, GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUDA_MEMSET_NODE_PARAMS params;
  CUgraphNode handle = NULL;
  CUcontext context;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL)
    return NULL;
  if (element_size != 1 && element_size != 2 && element_size != 4)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A fill's element size is 1, 2 or 4 bytes, not %u", element_size);
      return NULL;
    }
  if (element_size < 4 && value >> (8 * element_size) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The fill value 0x%x does not fit in %u byte%s", value, element_size,
                   element_size == 1 ? "" : "s");
      return NULL;
    }
  if (count == 0 || offset % element_size != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A fill needs at least one element and an offset that is a multiple of the element "
                   "size; got %" G_GSIZE_FORMAT " elements at offset %" G_GSIZE_FORMAT,
                   count, offset);
      return NULL;
    }
  if (count > G_MAXSIZE / element_size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " elements of %u bytes are more than memory holds", count,
                   element_size);
      return NULL;
    }
  if (!check_range (buffer, "filled", offset, count * element_size, error)
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  context = cuda_obj_device_get_context (self->device, error);
  if (context == NULL)
    return NULL;

  memset (&params, 0, sizeof params);
  params.dst = (CUdeviceptr) (cuda_obj_buffer_get_handle (buffer) + offset);
  params.value = value;
  params.elementSize = element_size;
  params.width = count;
  params.height = 1;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddMemsetNode (&handle, graph, deps, n_dependencies,
                                                                      &params, context),
                       "cuGraphAddMemsetNode", error))
    return NULL;
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET, buffer);
}

/* A host function and its data, owned by a CUDA user object. */
typedef struct
{
  CudaObjGraphHostFunction function;
  gpointer user_data;
  GDestroyNotify notify;
} HostFunction;

static void
host_function_free (HostFunction *hf)
{
  if (hf->notify != NULL)
    hf->notify (hf->user_data);
  g_free (hf);
}

/* A driver thread, at each launch. */
static void CUDA_CB
run_host_function (void *data)
{
  HostFunction *hf = data;

  hf->function (hf->user_data);
}

/* The driver's internal thread, once no graph can run the node. */
static void CUDA_CB
release_host_function (void *data)
{
  host_function_free (data);
}

/**
 * cuda_obj_graph_definition_add_host_function:
 * @self: a [class@CudaObj.GraphDefinition]
 * @function: (scope notified) (closure user_data) (destroy notify): the
 *   function to run at each launch
 * @user_data: data for @function
 * @notify: (nullable): frees @user_data once @function will not run any
 *   more
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a host node: at each launch, once its dependencies finished,
 * @function runs on a thread of the CUDA driver, and the nodes that depend
 * on it wait until it returns. It must not call CUDA or libcudaobj (the
 * driver forbids it and may deadlock), and should be short: it holds up
 * the graph. To react to a graph's progress in a main loop, use
 * [method@CudaObj.Stream.add_callback] after the launch instead.
 *
 * From Python the function may be any callable: the bindings take the
 * interpreter lock on the driver's thread, so Python code runs there
 * while the launching thread waits in a libcudaobj call. GJS cannot run
 * JavaScript on another thread: do not use host nodes from GJS.
 *
 * @user_data lives as long as any graph can run the node: the definition,
 * a definition that holds it as a child graph, the graphs instantiated
 * from them and their launches in flight. @notify then runs on a thread
 * of the driver, with the same restrictions as @function. When the node
 * cannot be added, @notify runs before this function returns.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_host_function (CudaObjGraphDefinition *self, CudaObjGraphHostFunction function,
                                             gpointer user_data, GDestroyNotify notify,
                                             CudaObjGraphNode **dependencies, guint n_dependencies,
                                             GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autofree CUgraphNode *deps = NULL;
  CUDA_HOST_NODE_PARAMS params;
  CUuserObject object = NULL;
  CUgraphNode handle = NULL;
  HostFunction *hf;
  CUresult result;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  hf = g_new0 (HostFunction, 1);
  hf->function = function;
  hf->user_data = user_data;
  hf->notify = notify;
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !cuda_obj_require_argument (function, error)
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    {
      host_function_free (hf);
      return NULL;
    }
  drv = cuda_obj_driver_peek ();
  params.fn = run_host_function;
  params.userData = hf;
  result = drv->cuGraphAddHostNode (&handle, graph, deps, n_dependencies, &params);
  if (result != CUDA_SUCCESS)
    {
      host_function_free (hf);
      cuda_obj_check (result, "cuGraphAddHostNode", error);
      return NULL;
    }
  result = drv->cuUserObjectCreate (&object, hf, release_host_function, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC);
  if (result != CUDA_SUCCESS)
    {
      drv->cuGraphDestroyNode (handle);
      host_function_free (hf);
      cuda_obj_check (result, "cuUserObjectCreate", error);
      return NULL;
    }
  /* The graph takes the only reference: copies and executable graphs
   * retain it in turn. */
  result = drv->cuGraphRetainUserObject (graph, object, 1, CU_GRAPH_USER_OBJECT_MOVE);
  if (result != CUDA_SUCCESS)
    {
      drv->cuGraphDestroyNode (handle);
      /* The destructor frees hf. */
      drv->cuUserObjectRelease (object, 1);
      cuda_obj_check (result, "cuGraphRetainUserObject", error);
      return NULL;
    }
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_HOST, NULL);
}

/* An event of @self's device, for an event node. */
static CUevent
event_handle (CudaObjGraphDefinition *self, CudaObjEvent *event, GError **error)
{
  CudaObjDevice *device;

  if (!cuda_obj_require_argument (event, error))
    return NULL;
  if (cuda_obj_event_peek_handle (event, error) == NULL)
    return NULL;
  device = cuda_obj_event_get_device (event);
  if (device != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The event belongs to device %u; the graph runs on device %u",
                   cuda_obj_device_get_ordinal (device), cuda_obj_device_get_ordinal (self->device));
      return NULL;
    }
  return cuda_obj_event_peek_handle (event, error);
}

/**
 * cuda_obj_graph_definition_add_event_record:
 * @self: a [class@CudaObj.GraphDefinition]
 * @event: a [class@CudaObj.Event] of the definition's device
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a record of @event: at each launch, @event completes once the
 * node's dependencies finished, for streams (or other graphs) that wait
 * for it.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for an event of another
 *   device, %CUDA_OBJ_ERROR_CLOSED for a disposed one)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_event_record (CudaObjGraphDefinition *self, CudaObjEvent *event,
                                            CudaObjGraphNode **dependencies, guint n_dependencies,
                                            GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUgraphNode handle = NULL;
  CUevent event_handle_;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || (event_handle_ = event_handle (self, event, error)) == NULL
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddEventRecordNode (&handle, graph, deps,
                                                                           n_dependencies, event_handle_),
                       "cuGraphAddEventRecordNode", error))
    return NULL;
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD, event);
}

/**
 * cuda_obj_graph_definition_add_event_wait:
 * @self: a [class@CudaObj.GraphDefinition]
 * @event: a [class@CudaObj.Event] of the definition's device
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a wait for @event: at each launch, the nodes that depend on this
 * one start only once the work recorded in @event before the launch
 * reached it finished.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for an event of another
 *   device, %CUDA_OBJ_ERROR_CLOSED for a disposed one)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_event_wait (CudaObjGraphDefinition *self, CudaObjEvent *event,
                                          CudaObjGraphNode **dependencies, guint n_dependencies,
                                          GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUgraphNode handle = NULL;
  CUevent event_handle_;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || (event_handle_ = event_handle (self, event, error)) == NULL
      || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddEventWaitNode (&handle, graph, deps, n_dependencies,
                                                                         event_handle_),
                       "cuGraphAddEventWaitNode", error))
    return NULL;
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT, event);
}

/**
 * cuda_obj_graph_definition_add_memory_allocate:
 * @self: a [class@CudaObj.GraphDefinition]
 * @size: the number of bytes to allocate, at least 1
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds an allocation of device memory that the graph owns. Its address
 * is fixed now, and given by [method@CudaObj.GraphNode.get_address], so
 * later nodes can use it (as a kernel argument with
 * [method@CudaObj.KernelArgs.set_pointer], or in a copy or fill through
 * [ctor@CudaObj.Buffer.new_from_handle]). The memory exists from the
 * node to the matching [method@CudaObj.GraphDefinition.add_memory_free] of
 * each launch; without a free node it stays allocated after the launch,
 * until freed (or until the next launch of a graph instantiated with
 * %CUDA_OBJ_GRAPH_INSTANTIATE_AUTO_FREE_ON_LAUNCH).
 *
 * A definition with memory nodes cannot be a child graph, and the driver
 * allows one executable graph of it at a time.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @size is 0)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_memory_allocate (CudaObjGraphDefinition *self, gsize size,
                                               CudaObjGraphNode **dependencies, guint n_dependencies,
                                               GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUDA_MEM_ALLOC_NODE_PARAMS params;
  CudaObjGraphNode *node;
  CUgraphNode handle = NULL;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (size == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "An allocation node allocates at least 1 byte; the size is 0");
      return NULL;
    }
  memset (&params, 0, sizeof params);
  params.poolProps.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
  params.poolProps.handleTypes = CU_MEM_HANDLE_TYPE_NONE;
  params.poolProps.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  params.poolProps.location.id = cuda_obj_device_get_handle (self->device);
  params.bytesize = size;
  if (!cuda_obj_check (
          cuda_obj_driver_peek ()->cuGraphAddMemAllocNode (&handle, graph, deps, n_dependencies, &params),
          "cuGraphAddMemAllocNode", error))
    return NULL;
  node = add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE, NULL);
  cuda_obj_graph_node_set_allocation (node, (guint64) params.dptr, size);
  return node;
}

/**
 * cuda_obj_graph_definition_add_memory_free:
 * @self: a [class@CudaObj.GraphDefinition]
 * @address: the address a memory allocation node of a graph gave (see
 *   [method@CudaObj.GraphNode.get_address])
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first: every node that uses the memory
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds the free of memory that a graph allocated, in this graph or an
 * earlier one.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for the address 0; the
 *   driver's error for an address no graph allocated)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_memory_free (CudaObjGraphDefinition *self, guint64 address,
                                           CudaObjGraphNode **dependencies, guint n_dependencies,
                                           GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUgraphNode handle = NULL;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (address == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A free node needs the address of a graph allocation, not 0");
      return NULL;
    }
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddMemFreeNode (&handle, graph, deps, n_dependencies,
                                                                       (CUdeviceptr) address),
                       "cuGraphAddMemFreeNode", error))
    return NULL;
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE, NULL);
}

/**
 * cuda_obj_graph_definition_add_child_graph:
 * @self: a [class@CudaObj.GraphDefinition]
 * @child: another [class@CudaObj.GraphDefinition] of the same device
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a node that runs all of @child's work, as one node. The driver
 * copies @child as it is now: nodes added to @child later are not part of
 * it. @self keeps what @child's nodes use alive.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for @self itself or a
 *   definition of another device; the driver's error for a child with
 *   memory nodes)
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_child_graph (CudaObjGraphDefinition *self, CudaObjGraphDefinition *child,
                                           CudaObjGraphNode **dependencies, guint n_dependencies,
                                           GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CudaObjGraphNode *node;
  CUgraphNode handle = NULL;
  CUgraph graph, child_graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !cuda_obj_require_argument (child, error))
    return NULL;
  if (child == self)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A graph definition cannot be its own child graph");
      return NULL;
    }
  child_graph = prepare (child, G_STRFUNC, error);
  if (child_graph == NULL || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (child->device != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "The child graph runs on device %u; this graph runs on device %u",
                   cuda_obj_device_get_ordinal (child->device), cuda_obj_device_get_ordinal (self->device));
      return NULL;
    }
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddChildGraphNode (&handle, graph, deps,
                                                                          n_dependencies, child_graph),
                       "cuGraphAddChildGraphNode", error))
    return NULL;
  node = add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH, NULL);
  for (guint i = 0; i < child->resources->len; i++)
    g_ptr_array_add (self->resources, g_object_ref (g_ptr_array_index (child->resources, i)));
  return node;
}

/**
 * cuda_obj_graph_definition_add_empty:
 * @self: a [class@CudaObj.GraphDefinition]
 * @dependencies: (array length=n_dependencies) (nullable): the nodes that
 *   must finish first
 * @n_dependencies: the number of @dependencies
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a node that does nothing: a point where many dependencies meet, so
 * that many later nodes can depend on one node instead of on all of them.
 *
 * Returns: (transfer none): the new node, owned by @self; %NULL with
 *   @error set
 *
 * Since: 1.0
 */
CudaObjGraphNode *
cuda_obj_graph_definition_add_empty (CudaObjGraphDefinition *self, CudaObjGraphNode **dependencies,
                                     guint n_dependencies, GError **error)
{
  g_autofree CUgraphNode *deps = NULL;
  CUgraphNode handle = NULL;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !dependency_handles (self, dependencies, n_dependencies, &deps, error))
    return NULL;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuGraphAddEmptyNode (&handle, graph, deps, n_dependencies),
                       "cuGraphAddEmptyNode", error))
    return NULL;
  return add_node (self, handle, CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY, NULL);
}

/**
 * cuda_obj_graph_definition_add_dependency:
 * @self: a [class@CudaObj.GraphDefinition]
 * @from: a node of @self
 * @to: another node of @self, which will start only once @from finished
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds an edge from @from to @to.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a node of another definition;
 *   the driver's error for an edge that exists already or for a node
 *   depending on itself)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_definition_add_dependency (CudaObjGraphDefinition *self, CudaObjGraphNode *from,
                                          CudaObjGraphNode *to, GError **error)
{
  CUgraphNode from_handle, to_handle;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), FALSE);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL
      || (from_handle = cuda_obj_graph_node_peek_in_set (from, self->nodes, "from", error)) == NULL
      || (to_handle = cuda_obj_graph_node_peek_in_set (to, self->nodes, "to", error)) == NULL)
    return FALSE;
  return cuda_obj_check (
      cuda_obj_driver_peek ()->cuGraphAddDependencies (graph, &from_handle, &to_handle, NULL, 1),
      "cuGraphAddDependencies", error);
}

/**
 * cuda_obj_graph_definition_get_nodes:
 * @self: a [class@CudaObj.GraphDefinition]
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives every node of the definition: the objects the `add_` methods
 * returned.
 *
 * Returns: (transfer container) (element-type CudaObj.GraphNode): the
 *   nodes, owned by @self, possibly none; %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_definition_get_nodes (CudaObjGraphDefinition *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autofree CUgraphNode *handles = NULL;
  size_t n = 0;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL || !cuda_obj_check (drv->cuGraphGetNodes (graph, NULL, &n), "cuGraphGetNodes", error))
    return NULL;
  handles = g_new0 (CUgraphNode, MAX (n, 1));
  if (n > 0 && !cuda_obj_check (drv->cuGraphGetNodes (graph, handles, &n), "cuGraphGetNodes", error))
    return NULL;
  return cuda_obj_graph_node_set_wrap (self->nodes, handles, n);
}

/**
 * cuda_obj_graph_definition_get_edges:
 * @self: a [class@CudaObj.GraphDefinition]
 * @to_nodes: (out) (transfer container) (element-type CudaObj.GraphNode)
 *   (optional): where to put the node each edge goes to
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives every edge of the definition as two arrays of the same length:
 * edge `i` goes from the `i`th node returned to the `i`th node of
 * @to_nodes, which starts only once the former finished. From Python:
 * `sources, targets = definition.get_edges()`.
 *
 * Returns: (transfer container) (element-type CudaObj.GraphNode): the node
 *   each edge comes from, owned by @self; %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_definition_get_edges (CudaObjGraphDefinition *self, GPtrArray **to_nodes, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autofree CUgraphNode *from = NULL;
  g_autofree CUgraphNode *to = NULL;
  size_t n = 0;
  CUgraph graph;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  if (to_nodes != NULL)
    *to_nodes = NULL;
  graph = prepare (self, G_STRFUNC, error);
  if (graph == NULL
      || !cuda_obj_check (drv->cuGraphGetEdges (graph, NULL, NULL, NULL, &n), "cuGraphGetEdges", error))
    return NULL;
  from = g_new0 (CUgraphNode, MAX (n, 1));
  to = g_new0 (CUgraphNode, MAX (n, 1));
  if (n > 0 && !cuda_obj_check (drv->cuGraphGetEdges (graph, from, to, NULL, &n), "cuGraphGetEdges", error))
    return NULL;
  if (to_nodes != NULL)
    *to_nodes = cuda_obj_graph_node_set_wrap (self->nodes, to, n);
  return cuda_obj_graph_node_set_wrap (self->nodes, from, n);
}

/**
 * cuda_obj_graph_definition_instantiate:
 * @self: a [class@CudaObj.GraphDefinition]
 * @flags: instantiation options
 * @upload_stream: (nullable): a stream of the definition's device to
 *   upload the graph on right away (see [method@CudaObj.Graph.upload]), or
 *   %NULL to leave that to the first launch
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes an executable [class@CudaObj.Graph] of the definition as it is
 * now, ready to launch. Nodes added later do not change it; instantiate
 * again to run them. An empty definition makes a graph that does nothing.
 * The graph keeps @self, and with it what its nodes use; its
 * [method@CudaObj.Graph.get_node_count] and [method@CudaObj.Graph.to_dot]
 * describe the definition as it is when they are called.
 *
 * Returns: (transfer full): the graph, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for unknown or conflicting @flags or
 *   an @upload_stream of another device; a %CUDA_OBJ_DRIVER_ERROR when the
 *   driver cannot instantiate the graph, such as a second executable graph
 *   of a definition with memory nodes)
 *
 * Since: 1.0
 */
CudaObjGraph *
cuda_obj_graph_definition_instantiate (CudaObjGraphDefinition *self, CudaObjGraphInstantiateFlags flags,
                                       CudaObjStream *upload_stream, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  if (prepare (self, G_STRFUNC, error) == NULL)
    return NULL;
  return cuda_obj_graph_new_from_definition (self, self->template, flags, upload_stream, error);
}

static gboolean
check_dot_flags (CudaObjGraphDotFlags flags, GError **error)
{
  if (((guint) flags & ~KNOWN_DOT_FLAGS) == 0)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "Unknown DOT flags 0x%x",
               (guint) flags & ~KNOWN_DOT_FLAGS);
  return FALSE;
}

/**
 * cuda_obj_graph_definition_to_dot:
 * @self: a [class@CudaObj.GraphDefinition]
 * @flags: what to describe besides node types and edges
 * @error: return location for a [struct@GLib.Error]
 *
 * Describes the definition in Graphviz's DOT language, for debugging:
 * a `digraph` with one vertex per node, labelled with its type (such as
 * `KERNEL`, `MEMCPY`, `MEM_ALLOC`) and, as @flags ask, its parameters.
 *
 * Returns: (transfer full): the DOT text, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for unknown @flags)
 *
 * Since: 1.0
 */
char *
cuda_obj_graph_definition_to_dot (CudaObjGraphDefinition *self, CudaObjGraphDotFlags flags, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), NULL);
  if (prepare (self, G_STRFUNC, error) == NULL || !check_dot_flags (flags, error))
    return NULL;
  return cuda_obj_graph_read_dot_flags (self->device, self->template->handle, flags, error);
}

/**
 * cuda_obj_graph_definition_write_dot:
 * @self: a [class@CudaObj.GraphDefinition]
 * @path: (type filename): the file to write
 * @flags: what to describe besides node types and edges
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes the description [method@CudaObj.GraphDefinition.to_dot] gives to
 * @path (the driver's `cuGraphDebugDotPrint`).
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_IO when @path cannot be written,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for unknown @flags)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graph_definition_write_dot (CudaObjGraphDefinition *self, const char *path,
                                     CudaObjGraphDotFlags flags, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_DEFINITION (self), FALSE);
  if (prepare (self, G_STRFUNC, error) == NULL || !cuda_obj_require_argument (path, error)
      || !check_dot_flags (flags, error))
    return FALSE;
  return cuda_obj_graph_write_dot_flags (self->device, self->template->handle, path, flags, error);
}
