/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: one node of an explicit graph definition.
 *
 * A definition owns its nodes: its node set maps each CUgraphNode to the
 * one GraphNode object made for it and holds a reference to each, so that
 * get_nodes(), get_edges() and the dependency queries give back the very
 * objects the add_* methods returned. A node points back to the set without
 * a reference, and to the definition through a weak reference: a node kept
 * after its definition is gone knows it, and says so, instead of reaching a
 * destroyed CUgraph. One lock guards every set's table and every node's way
 * back to its set; it is never held across a driver call. */
#include "config.h"

#include <string.h>

#include "cudaobj-graph-node.h"
#include "cudaobj-graph-node-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL == (int) CU_GRAPH_NODE_TYPE_KERNEL);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY == (int) CU_GRAPH_NODE_TYPE_MEMCPY);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET == (int) CU_GRAPH_NODE_TYPE_MEMSET);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_HOST == (int) CU_GRAPH_NODE_TYPE_HOST);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH == (int) CU_GRAPH_NODE_TYPE_GRAPH);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY == (int) CU_GRAPH_NODE_TYPE_EMPTY);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT == (int) CU_GRAPH_NODE_TYPE_WAIT_EVENT);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD == (int) CU_GRAPH_NODE_TYPE_EVENT_RECORD);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_SIGNAL
                 == (int) CU_GRAPH_NODE_TYPE_EXT_SEMAS_SIGNAL);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_WAIT
                 == (int) CU_GRAPH_NODE_TYPE_EXT_SEMAS_WAIT);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE == (int) CU_GRAPH_NODE_TYPE_MEM_ALLOC);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE == (int) CU_GRAPH_NODE_TYPE_MEM_FREE);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_BATCH_MEMORY_OPERATION
                 == (int) CU_GRAPH_NODE_TYPE_BATCH_MEM_OP);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_NODE_TYPE_CONDITIONAL == (int) CU_GRAPH_NODE_TYPE_CONDITIONAL);

struct _CudaObjGraphNodeSet
{
  GWeakRef definition;   /* the CudaObjGraphDefinition */
  CudaObjDevice *device; /* owned */
  CUgraph graph;         /* the definition's */
  GHashTable *nodes;     /* CUgraphNode -> CudaObjGraphNode, owned; under set_lock */
};

struct _CudaObjGraphNode
{
  GObject parent_instance;

  CudaObjGraphNodeSet *set; /* not owned; NULL once the definition is gone; under set_lock */
  gboolean orphaned;        /* the definition is gone */
  CUgraphNode handle;
  CudaObjGraphNodeType type;
  guint64 address; /* memory allocation nodes */
  gsize size;
  guint cluster[3]; /* kernel nodes */
  gboolean cooperative;
};

enum
{
  PROP_0,
  PROP_NODE_TYPE,
  PROP_HANDLE,
  PROP_ADDRESS,
  PROP_SIZE,
  PROP_DEFINITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GMutex set_lock;

static void cuda_obj_graph_node_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraphNode:
 *
 * One node of a [class@CudaObj.GraphDefinition]: a kernel launch, a copy, a
 * fill, a host function, an event record or wait, a memory allocation or
 * free, a child graph or an empty node.
 *
 * Nodes are made by the definition's `add_` methods, such as
 * [method@CudaObj.GraphDefinition.add_kernel], and are owned by it: the
 * definition keeps every node it made, so the nodes that
 * [method@CudaObj.GraphDefinition.get_nodes] and
 * [method@CudaObj.GraphNode.get_dependencies] give are the same objects
 * the `add_` methods returned. A node holds its definition only weakly (no
 * reference cycle): keep the definition as long as its nodes are used.
 * Once the definition is gone, a node's queries fail with
 * %CUDA_OBJ_ERROR_CLOSED, [method@CudaObj.GraphNode.get_definition] gives
 * %NULL and its handle is 0.
 *
 * A node made with a plain constructor belongs to no definition: its
 * queries fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphNode, cuda_obj_graph_node, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graph_node_initable_iface_init))

static gboolean
cuda_obj_graph_node_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphNode *self = CUDA_OBJ_GRAPH_NODE (initable);

  if (self->handle != NULL)
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "A CudaObjGraphNode is made by the add_ methods of a CudaObjGraphDefinition, "
                       "not constructed directly");
  return FALSE;
}

static void
cuda_obj_graph_node_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_node_initable_init;
}

static void
cuda_obj_graph_node_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphNode *self = CUDA_OBJ_GRAPH_NODE (object);

  switch (prop_id)
    {
    case PROP_NODE_TYPE: g_value_set_enum (value, self->type); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_graph_node_get_handle (self)); break;
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_SIZE: g_value_set_uint64 (value, self->size); break;
    case PROP_DEFINITION: g_value_take_object (value, cuda_obj_graph_node_get_definition (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_node_class_init (CudaObjGraphNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cuda_obj_graph_node_get_property;

  /**
   * CudaObjGraphNode:node-type:
   *
   * What the node does.
   *
   * Read it with [method@CudaObj.GraphNode.get_node_type].
   *
   * Since: 1.0
   */
  properties[PROP_NODE_TYPE]
      = g_param_spec_enum ("node-type", NULL, NULL, CUDA_OBJ_TYPE_GRAPH_NODE_TYPE,
                           CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphNode:handle:
   *
   * The `CUgraphNode` as an integer; 0 once the definition is gone.
   *
   * Read it with [method@CudaObj.GraphNode.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphNode:address:
   *
   * For a memory allocation node, the device address of the memory it
   * allocates; 0 for other nodes.
   *
   * Read it with [method@CudaObj.GraphNode.get_address].
   *
   * Since: 1.0
   */
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphNode:size:
   *
   * For a memory allocation node, the size in bytes of the memory it
   * allocates; 0 for other nodes.
   *
   * Read it with [method@CudaObj.GraphNode.get_size].
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphNode:definition:
   *
   * The [class@CudaObj.GraphDefinition] that owns the node, or %NULL once it
   * is gone.
   *
   * Read it with [method@CudaObj.GraphNode.get_definition].
   *
   * Since: 1.0
   */
  properties[PROP_DEFINITION] = g_param_spec_object ("definition", NULL, NULL, CUDA_OBJ_TYPE_GRAPH_DEFINITION,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graph_node_init (CudaObjGraphNode *self)
{
  self->type = CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY;
  self->cluster[0] = self->cluster[1] = self->cluster[2] = 1;
}

/* The node set. */

CudaObjGraphNodeSet *
cuda_obj_graph_node_set_new (CudaObjGraphDefinition *definition, CudaObjDevice *device, CUgraph graph)
{
  CudaObjGraphNodeSet *set = g_new0 (CudaObjGraphNodeSet, 1);

  g_weak_ref_init (&set->definition, definition);
  set->device = g_object_ref (device);
  set->graph = graph;
  set->nodes = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  return set;
}

void
cuda_obj_graph_node_set_free (CudaObjGraphNodeSet *set)
{
  GHashTable *nodes;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&set_lock);
  g_hash_table_iter_init (&iter, set->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CudaObjGraphNode *node = value;

      node->set = NULL;
      node->handle = NULL;
      node->orphaned = TRUE;
    }
  nodes = g_steal_pointer (&set->nodes);
  g_mutex_unlock (&set_lock);
  /* The nodes' last references may go here, outside the lock. */
  g_hash_table_unref (nodes);
  g_weak_ref_clear (&set->definition);
  g_object_unref (set->device);
  g_free (set);
}

CudaObjGraphNode *
cuda_obj_graph_node_set_add (CudaObjGraphNodeSet *set, CUgraphNode handle, CudaObjGraphNodeType type)
{
  CudaObjGraphNode *node = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);

  node->handle = handle;
  node->type = type;
  g_mutex_lock (&set_lock);
  node->set = set;
  g_hash_table_insert (set->nodes, handle, node);
  g_mutex_unlock (&set_lock);
  return node;
}

GPtrArray *
cuda_obj_graph_node_set_wrap (CudaObjGraphNodeSet *set, const CUgraphNode *handles, gsize n)
{
  GPtrArray *array = g_ptr_array_sized_new (n);

  g_mutex_lock (&set_lock);
  for (gsize i = 0; i < n; i++)
    {
      CudaObjGraphNode *node = g_hash_table_lookup (set->nodes, handles[i]);
      CUgraphNodeType type;

      /* A node other code added to the CUgraph (a wrapped definition's,
       * mostly) is adopted on first sight. */
      if (node == NULL && cuda_obj_driver_peek ()->cuGraphNodeGetType (handles[i], &type) == CUDA_SUCCESS)
        {
          node = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);
          node->handle = handles[i];
          node->type = (CudaObjGraphNodeType) type;
          node->set = set;
          g_hash_table_insert (set->nodes, handles[i], node);
        }
      if (node != NULL)
        g_ptr_array_add (array, node);
    }
  g_mutex_unlock (&set_lock);
  return array;
}

CUgraphNode
cuda_obj_graph_node_peek_in_set (CudaObjGraphNode *node, CudaObjGraphNodeSet *set, const char *what,
                                 GError **error)
{
  CudaObjGraphNodeSet *node_set;
  CUgraphNode handle;
  gboolean orphaned;

  if (node == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s is NULL; a node is expected",
                   what);
      return NULL;
    }
  g_mutex_lock (&set_lock);
  node_set = node->set;
  handle = node->handle;
  orphaned = node->orphaned;
  g_mutex_unlock (&set_lock);
  if (node_set == set)
    return handle;
  if (node_set == NULL && !orphaned)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                 "%s is not initialized: a CudaObjGraphNode is made by the add_ methods of a "
                 "CudaObjGraphDefinition",
                 what);
  else
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                 "%s is a node of another graph definition; only nodes of this definition can be used", what);
  return NULL;
}

CUgraph
cuda_obj_graph_node_peek_graph (CudaObjGraphNode *node, CUgraphNode *handle)
{
  CUgraph graph = NULL;

  g_mutex_lock (&set_lock);
  if (node->set != NULL)
    graph = node->set->graph;
  *handle = node->handle;
  g_mutex_unlock (&set_lock);
  return graph;
}

void
cuda_obj_graph_node_set_allocation (CudaObjGraphNode *node, guint64 address, gsize size)
{
  node->address = address;
  node->size = size;
}

void
cuda_obj_graph_node_set_kernel_attributes (CudaObjGraphNode *node, const guint cluster[3],
                                           gboolean cooperative)
{
  memcpy (node->cluster, cluster, sizeof node->cluster);
  node->cooperative = cooperative;
}

void
cuda_obj_graph_node_get_kernel_attributes (CudaObjGraphNode *node, guint cluster[3], gboolean *cooperative)
{
  memcpy (cluster, node->cluster, sizeof node->cluster);
  *cooperative = node->cooperative;
}

/* Public API. */

/**
 * cuda_obj_graph_node_get_node_type:
 * @self: a [class@CudaObj.GraphNode]
 *
 * Gives what the node does. See [property@CudaObj.GraphNode:node-type].
 *
 * Returns: the node's type
 *
 * Since: 1.0
 */
CudaObjGraphNodeType
cuda_obj_graph_node_get_node_type (CudaObjGraphNode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY);
  return self->type;
}

/**
 * cuda_obj_graph_node_get_handle:
 * @self: a [class@CudaObj.GraphNode]
 *
 * Gives the `CUgraphNode` as an integer, to hand to other CUDA libraries
 * while the definition lives. See [property@CudaObj.GraphNode:handle].
 *
 * Returns: the `CUgraphNode`, as an integer; 0 once the definition is gone
 *
 * Since: 1.0
 */
guint64
cuda_obj_graph_node_get_handle (CudaObjGraphNode *self)
{
  CUgraphNode handle;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), 0);
  g_mutex_lock (&set_lock);
  handle = self->handle;
  g_mutex_unlock (&set_lock);
  return (guint64) (guintptr) handle;
}

/**
 * cuda_obj_graph_node_get_address:
 * @self: a [class@CudaObj.GraphNode]
 *
 * Gives, for a memory allocation node (see
 * [method@CudaObj.GraphDefinition.add_memory_allocate]), the device address
 * of the memory it allocates. The driver fixes the address when the node is
 * added, so it can be given to the nodes that use the memory; the memory
 * exists only while a launch of the graph runs between the allocation and
 * its free. See [property@CudaObj.GraphNode:address].
 *
 * Returns: the address, or 0 for other nodes
 *
 * Since: 1.0
 */
guint64
cuda_obj_graph_node_get_address (CudaObjGraphNode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), 0);
  return self->address;
}

/**
 * cuda_obj_graph_node_get_size:
 * @self: a [class@CudaObj.GraphNode]
 *
 * Gives, for a memory allocation node, the size of the memory it
 * allocates. See [property@CudaObj.GraphNode:size].
 *
 * Returns: the size in bytes, or 0 for other nodes
 *
 * Since: 1.0
 */
gsize
cuda_obj_graph_node_get_size (CudaObjGraphNode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), 0);
  return self->size;
}

/**
 * cuda_obj_graph_node_get_definition:
 * @self: a [class@CudaObj.GraphNode]
 *
 * Gives the definition that owns the node. The node holds it weakly, so
 * this is %NULL once the definition is gone. See
 * [property@CudaObj.GraphNode:definition].
 *
 * Returns: (transfer full) (nullable): the definition, or %NULL
 *
 * Since: 1.0
 */
CudaObjGraphDefinition *
cuda_obj_graph_node_get_definition (CudaObjGraphNode *self)
{
  gpointer definition = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), NULL);
  g_mutex_lock (&set_lock);
  if (self->set != NULL)
    definition = g_weak_ref_get (&self->set->definition);
  g_mutex_unlock (&set_lock);
  return definition;
}

/* The nodes on one side of @self's edges. */
static GPtrArray *
related (CudaObjGraphNode *self, gboolean dependents, const char *func, GError **error)
{
  CUresult (*query) (CUgraphNode, CUgraphNode *, CUgraphEdgeData *, size_t *);
  g_autoptr (GObject) definition = NULL;
  g_autofree CUgraphNode *handles = NULL;
  CudaObjGraphNodeSet *set;
  const char *name;
  CUgraphNode handle;
  gboolean orphaned;
  size_t n = 0;

  g_mutex_lock (&set_lock);
  set = self->set;
  handle = self->handle;
  orphaned = self->orphaned;
  if (set != NULL)
    definition = g_weak_ref_get (&set->definition);
  g_mutex_unlock (&set_lock);
  if (set == NULL && !orphaned)
    {
      cuda_obj_set_not_initialized (error, self, func);
      return NULL;
    }
  if (definition == NULL)
    {
      g_set_error_literal (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
          "The node's graph definition is gone; keep the definition while its nodes are used");
      return NULL;
    }
  /* The definition's reference keeps the set and the CUgraph. */
  if (!cuda_obj_device_activate (set->device, error))
    return NULL;
  query = dependents ? cuda_obj_driver_peek ()->cuGraphNodeGetDependentNodes
                     : cuda_obj_driver_peek ()->cuGraphNodeGetDependencies;
  name = dependents ? "cuGraphNodeGetDependentNodes" : "cuGraphNodeGetDependencies";
  if (!cuda_obj_check (query (handle, NULL, NULL, &n), name, error))
    return NULL;
  handles = g_new0 (CUgraphNode, MAX (n, 1));
  if (n > 0 && !cuda_obj_check (query (handle, handles, NULL, &n), name, error))
    return NULL;
  return cuda_obj_graph_node_set_wrap (set, handles, n);
}

/**
 * cuda_obj_graph_node_get_dependencies:
 * @self: a [class@CudaObj.GraphNode]
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the nodes @self depends on: those that must finish before it
 * starts.
 *
 * Returns: (transfer container) (element-type CudaObj.GraphNode): the
 *   nodes, possibly none, owned by the definition; %NULL with @error set
 *   (%CUDA_OBJ_ERROR_CLOSED once the definition is gone)
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_node_get_dependencies (CudaObjGraphNode *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), NULL);
  return related (self, FALSE, G_STRFUNC, error);
}

/**
 * cuda_obj_graph_node_get_dependents:
 * @self: a [class@CudaObj.GraphNode]
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the nodes that depend on @self: those that start only once it
 * finished.
 *
 * Returns: (transfer container) (element-type CudaObj.GraphNode): the
 *   nodes, possibly none, owned by the definition; %NULL with @error set
 *   (%CUDA_OBJ_ERROR_CLOSED once the definition is gone)
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_graph_node_get_dependents (CudaObjGraphNode *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_NODE (self), NULL);
  return related (self, TRUE, G_STRFUNC, error);
}
