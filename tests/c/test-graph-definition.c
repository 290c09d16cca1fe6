/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GraphDefinition and GraphNode: every node kind, edges, a diamond, child
 * graphs, memory nodes replayed, kernel parameters changed on an
 * executable graph, DOT dumps, and the errors of each. */
#include <string.h>

#include <glib/gstdio.h>

#include "cudaobj-device-private.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

#define N_ELEMENTS 4096 /* 32-bit elements per test buffer */

static const char kernels_source[]
    = "extern \"C\" __global__ void add_u32 (unsigned int *data, unsigned int value, unsigned long long n)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    data[i] += value;\n"
      "}\n";

/* Helpers. */

typedef struct
{
  CudaObjDevice *device;
  CudaObjStream *stream;
  CudaObjObjectCode *code;
  CudaObjKernel *add;
  CudaObjLaunchConfig *config; /* N_ELEMENTS threads */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  memset (fixture, 0, sizeof *fixture);
  fixture->device = cudaobj_test_device_or_skip ();
  if (fixture->device == NULL)
    return;
  fixture->stream = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  fixture->code = cudaobj_test_compile (fixture->device, kernels_source, NULL);
  fixture->add = cuda_obj_object_code_get_kernel (fixture->code, "add_u32", &error);
  g_assert_no_error (error);
  fixture->config = cuda_obj_launch_config_new_for_size (N_ELEMENTS, 256);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->config);
  g_clear_object (&fixture->add);
  g_clear_object (&fixture->code);
  g_clear_object (&fixture->stream);
  g_clear_object (&fixture->device);
}

/* A buffer of N_ELEMENTS 32-bit values set to @value, ready to use. */
static CudaObjBuffer *
new_buffer (Fixture *fixture, guint32 value)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (fixture->device, N_ELEMENTS * 4, fixture->stream, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (buffer, value, 4, 0, N_ELEMENTS, fixture->stream, &error));
  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, &error));
  g_assert_no_error (error);
  return buffer;
}

/* Waits for the stream and checks elements [first, first + count). */
static void
assert_u32 (Fixture *fixture, CudaObjBuffer *buffer, gsize first, gsize count, guint32 value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
      = cuda_obj_buffer_copy_to_bytes (buffer, first * 4, count * 4, fixture->stream, &error);
  const guint32 *data;
  gsize size = 0;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, ==, count * 4);
  for (gsize i = 0; i < count; i++)
    if (data[i] != value)
      g_error ("element %" G_GSIZE_FORMAT " is %u, expected %u", first + i, data[i], value);
}

static CudaObjGraphDefinition *
new_definition (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraphDefinition *definition = cuda_obj_graph_definition_new (fixture->device, &error);

  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_GRAPH_DEFINITION (definition));
  return definition;
}

/* Arguments of add_u32 over @count elements at @address. */
static CudaObjKernelArgs *
add_args (guint64 address, guint32 value, guint64 count)
{
  CudaObjKernelArgs *args = cuda_obj_kernel_args_new (3);

  cuda_obj_kernel_args_set_pointer (args, 0, address);
  cuda_obj_kernel_args_set_uint32 (args, 1, value);
  cuda_obj_kernel_args_set_uint64 (args, 2, count);
  return args;
}

static CudaObjGraphNode *
add_kernel (Fixture *fixture, CudaObjGraphDefinition *definition, guint64 address, guint32 value,
            guint64 count, CudaObjGraphNode **deps, guint n_deps)
{
  g_autoptr (CudaObjKernelArgs) args = add_args (address, value, count);
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *node = cuda_obj_graph_definition_add_kernel (definition, fixture->config, fixture->add,
                                                                 args, deps, n_deps, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (node), ==, CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL);
  return node;
}

static CudaObjGraph *
instantiate (CudaObjGraphDefinition *definition)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraph *graph
      = cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (CUDA_OBJ_IS_GRAPH (graph));
  return graph;
}

static void
launch (Fixture *fixture, CudaObjGraph *graph)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graph_launch (graph, fixture->stream, &error));
  g_assert_no_error (error);
}

static void
synchronize (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_stream_synchronize (fixture->stream, &error));
  g_assert_no_error (error);
}

/* @array holds exactly the nodes of @expected (any order). */
static void
assert_nodes (GPtrArray *array, CudaObjGraphNode **expected, guint n_expected)
{
  g_assert_nonnull (array);
  g_assert_cmpuint (array->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_true (g_ptr_array_find (array, expected[i], NULL));
}

/* Without a GPU. */

static void
test_construct_without_device (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_DEFINITION, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "device"));
}

static void
test_uninitialized_device (void)
{
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_graph_definition_new (device, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_uninitialized_definition (void)
{
  g_autoptr (CudaObjGraphDefinition) definition = g_object_new (CUDA_OBJ_TYPE_GRAPH_DEFINITION, NULL);
  g_autoptr (CudaObjGraphDefinition) other = g_object_new (CUDA_OBJ_TYPE_GRAPH_DEFINITION, NULL);
  g_autoptr (CudaObjGraphNode) node = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GError) error = NULL;
  guint notified = 0;

  g_assert_null (cuda_obj_graph_definition_get_device (definition));
  g_assert_cmpuint (cuda_obj_graph_definition_get_handle (definition), ==, 0);
#define EXPECT_NOT_INITIALIZED(call)                                        \
  G_STMT_START                                                              \
  {                                                                         \
    g_assert_false ((call) != 0);                                           \
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED); \
    g_clear_error (&error);                                                 \
  }                                                                         \
  G_STMT_END
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_empty (definition, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_add_kernel (definition, config, NULL, NULL, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_add_memcpy (definition, NULL, 0, NULL, 0, 4, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_add_memset (definition, NULL, 0, 4, 0, 1, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_add_host_function (definition, (CudaObjGraphHostFunction) g_free, &notified,
                                                   (GDestroyNotify) g_atomic_int_inc, NULL, 0, &error));
  /* The data is released when the node cannot be added. */
  g_assert_cmpuint (notified, ==, 1);
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_event_record (definition, NULL, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_event_wait (definition, NULL, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_memory_allocate (definition, 64, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_memory_free (definition, 64, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_child_graph (definition, other, NULL, 0, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_add_dependency (definition, node, node, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_get_nodes (definition, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_get_edges (definition, &to, &error));
  g_assert_null (to);
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error));
  EXPECT_NOT_INITIALIZED (cuda_obj_graph_definition_to_dot (definition, CUDA_OBJ_GRAPH_DOT_VERBOSE, &error));
  EXPECT_NOT_INITIALIZED (
      cuda_obj_graph_definition_write_dot (definition, "unused.dot", CUDA_OBJ_GRAPH_DOT_NONE, &error));
#undef EXPECT_NOT_INITIALIZED
}

static void
test_uninitialized_node (void)
{
  g_autoptr (CudaObjGraphNode) node = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);
  g_autoptr (GError) error = NULL;
  CudaObjGraphNodeType type = 99;
  guint64 handle = 1;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "add_"));
  g_clear_error (&error);

  g_object_get (node, "node-type", &type, "handle", &handle, NULL);
  g_assert_cmpint (type, ==, CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY);
  g_assert_cmpuint (handle, ==, 0);
  g_assert_null (cuda_obj_graph_node_get_definition (node));
  g_assert_cmpuint (cuda_obj_graph_node_get_address (node), ==, 0);
  g_assert_cmpuint (cuda_obj_graph_node_get_size (node), ==, 0);
  g_assert_null (cuda_obj_graph_node_get_dependencies (node, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_node_get_dependents (node, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_uninitialized_graph_set_kernel_node_params (void)
{
  g_autoptr (CudaObjGraph) graph = g_object_new (CUDA_OBJ_TYPE_GRAPH, NULL);
  g_autoptr (CudaObjGraphNode) node = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjKernel) kernel = g_object_new (CUDA_OBJ_TYPE_KERNEL, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_graph_set_kernel_node_params (graph, node, config, kernel, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

/* The node types: one row each (json-glib's style). */
typedef struct
{
  CudaObjGraphNodeType type;
  CUgraphNodeType driver;
  const char *nick;
} NodeTypeCase;

/* clang-format off */
static const NodeTypeCase node_types[] = {
  { CUDA_OBJ_GRAPH_NODE_TYPE_KERNEL,                     CU_GRAPH_NODE_TYPE_KERNEL,           "kernel" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY,                     CU_GRAPH_NODE_TYPE_MEMCPY,           "memcpy" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET,                     CU_GRAPH_NODE_TYPE_MEMSET,           "memset" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_HOST,                       CU_GRAPH_NODE_TYPE_HOST,             "host" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH,                CU_GRAPH_NODE_TYPE_GRAPH,            "child-graph" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY,                      CU_GRAPH_NODE_TYPE_EMPTY,            "empty" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT,                 CU_GRAPH_NODE_TYPE_WAIT_EVENT,       "event-wait" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD,               CU_GRAPH_NODE_TYPE_EVENT_RECORD,     "event-record" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_SIGNAL, CU_GRAPH_NODE_TYPE_EXT_SEMAS_SIGNAL, "external-semaphores-signal" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_EXTERNAL_SEMAPHORES_WAIT,   CU_GRAPH_NODE_TYPE_EXT_SEMAS_WAIT,   "external-semaphores-wait" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE,            CU_GRAPH_NODE_TYPE_MEM_ALLOC,        "memory-allocate" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE,                CU_GRAPH_NODE_TYPE_MEM_FREE,         "memory-free" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_BATCH_MEMORY_OPERATION,     CU_GRAPH_NODE_TYPE_BATCH_MEM_OP,     "batch-memory-operation" },
  { CUDA_OBJ_GRAPH_NODE_TYPE_CONDITIONAL,                CU_GRAPH_NODE_TYPE_CONDITIONAL,      "conditional" },
};
/* clang-format on */

static void
test_node_type_value (gconstpointer data)
{
  const NodeTypeCase *c = data;
  GEnumClass *klass = g_type_class_ref (CUDA_OBJ_TYPE_GRAPH_NODE_TYPE);
  GEnumValue *value = g_enum_get_value (klass, c->type);

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (node_types));
  g_assert_cmpint ((int) c->type, ==, (int) c->driver);
  g_assert_nonnull (value);
  g_assert_cmpstr (value->value_nick, ==, c->nick);
  g_type_class_unref (klass);
}

static void
test_dot_flags_values (void)
{
  GFlagsClass *klass = g_type_class_ref (CUDA_OBJ_TYPE_GRAPH_DOT_FLAGS);

  /* NONE and one value per driver flag, the last being the highest bit. */
  g_assert_cmpuint (klass->n_values, ==, 17);
  g_assert_cmpuint (CUDA_OBJ_GRAPH_DOT_VERBOSE, ==, CU_GRAPH_DEBUG_DOT_FLAGS_VERBOSE);
  g_assert_cmpuint (CUDA_OBJ_GRAPH_DOT_HANDLES, ==, CU_GRAPH_DEBUG_DOT_FLAGS_HANDLES);
  g_assert_cmpuint (CUDA_OBJ_GRAPH_DOT_CONDITIONAL_NODE_PARAMS, ==,
                    CU_GRAPH_DEBUG_DOT_FLAGS_CONDITIONAL_NODE_PARAMS);
  g_assert_cmpstr (
      g_flags_get_first_value (klass, CUDA_OBJ_GRAPH_DOT_MEMORY_ALLOCATE_NODE_PARAMS)->value_nick, ==,
      "memory-allocate-node-params");
  g_type_class_unref (klass);
}

/* With a GPU. */

static void
test_fill_copy_kernel_chain (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) b = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (GPtrArray) deps = NULL;
  g_autoptr (GPtrArray) from = NULL;
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphDefinition) owner = NULL;
  CudaObjGraphNode *fill, *copy, *kernel;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  b = new_buffer (fixture, 0);
  definition = new_definition (fixture);
  g_assert_true (cuda_obj_graph_definition_get_device (definition) == fixture->device);
  g_assert_cmpuint (cuda_obj_graph_definition_get_handle (definition), !=, 0);

  fill = cuda_obj_graph_definition_add_memset (definition, a, 3, 4, 0, N_ELEMENTS, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (fill), ==, CUDA_OBJ_GRAPH_NODE_TYPE_MEMSET);
  copy = cuda_obj_graph_definition_add_memcpy (definition, b, 0, a, 0, N_ELEMENTS * 4, &fill, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (copy), ==, CUDA_OBJ_GRAPH_NODE_TYPE_MEMCPY);
  kernel = add_kernel (fixture, definition, cuda_obj_buffer_get_handle (b), 5, N_ELEMENTS, &copy, 1);

  /* The queries give back the very objects. */
  nodes = cuda_obj_graph_definition_get_nodes (definition, &error);
  g_assert_no_error (error);
  assert_nodes (nodes, (CudaObjGraphNode *[]){ fill, copy, kernel }, 3);
  deps = cuda_obj_graph_node_get_dependencies (kernel, &error);
  g_assert_no_error (error);
  assert_nodes (deps, &copy, 1);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = cuda_obj_graph_node_get_dependents (fill, &error);
  g_assert_no_error (error);
  assert_nodes (deps, &copy, 1);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = cuda_obj_graph_node_get_dependencies (fill, &error);
  g_assert_no_error (error);
  assert_nodes (deps, NULL, 0);
  from = cuda_obj_graph_definition_get_edges (definition, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from->len, ==, 2);
  g_assert_cmpuint (to->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true ((from->pdata[i] == fill && to->pdata[i] == copy)
                   || (from->pdata[i] == copy && to->pdata[i] == kernel));
  owner = cuda_obj_graph_node_get_definition (kernel);
  g_assert_true (owner == definition);

  graph = instantiate (definition);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==, 3);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (cuda_obj_buffer_fill (b, 1000, 4, 0, N_ELEMENTS, fixture->stream, &error));
      launch (fixture, graph);
      assert_u32 (fixture, b, 0, N_ELEMENTS, 8);
    }
  assert_u32 (fixture, a, 0, N_ELEMENTS, 3);
}

/* root fills A; left and right add to each half; the join copies A to B. */
static void
test_diamond (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) b = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GPtrArray) deps = NULL;
  g_autoptr (GPtrArray) from = NULL;
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *root, *left, *right, *join, *copy;
  guint64 half = N_ELEMENTS / 2;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  b = new_buffer (fixture, 0);
  definition = new_definition (fixture);
  root = cuda_obj_graph_definition_add_memset (definition, a, 1, 4, 0, N_ELEMENTS, NULL, 0, &error);
  g_assert_no_error (error);
  left = add_kernel (fixture, definition, cuda_obj_buffer_get_handle (a), 10, half, &root, 1);
  right = add_kernel (fixture, definition, cuda_obj_buffer_get_handle (a) + half * 4, 20, half, &root, 1);
  /* The join: one edge at creation, the other added afterwards. */
  join = cuda_obj_graph_definition_add_empty (definition, &left, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (join), ==, CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY);
  g_assert_true (cuda_obj_graph_definition_add_dependency (definition, right, join, &error));
  g_assert_no_error (error);
  copy = cuda_obj_graph_definition_add_memcpy (definition, b, 0, a, 0, N_ELEMENTS * 4, &join, 1, &error);
  g_assert_no_error (error);

  deps = cuda_obj_graph_node_get_dependencies (join, &error);
  g_assert_no_error (error);
  assert_nodes (deps, (CudaObjGraphNode *[]){ left, right }, 2);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = cuda_obj_graph_node_get_dependents (root, &error);
  g_assert_no_error (error);
  assert_nodes (deps, (CudaObjGraphNode *[]){ left, right }, 2);
  from = cuda_obj_graph_definition_get_edges (definition, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from->len, ==, 5);
  g_assert_cmpuint (to->len, ==, 5);
  g_clear_pointer (&deps, g_ptr_array_unref);
  deps = cuda_obj_graph_node_get_dependencies (copy, &error);
  g_assert_no_error (error);
  assert_nodes (deps, &join, 1);

  graph = instantiate (definition);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (cuda_obj_buffer_fill (b, 0, 4, 0, N_ELEMENTS, fixture->stream, &error));
      launch (fixture, graph);
      assert_u32 (fixture, b, 0, half, 11);
      assert_u32 (fixture, b, half, half, 21);
    }
}

typedef struct
{
  gint calls;
  gint released;
  GThread *main_thread;
  gint on_main_thread;
} HostData;

static void
host_call (gpointer data)
{
  HostData *hd = data;

  if (g_thread_self () == hd->main_thread)
    g_atomic_int_inc (&hd->on_main_thread);
  g_atomic_int_inc (&hd->calls);
}

static void
host_release (gpointer data)
{
  HostData *hd = data;

  g_atomic_int_inc (&hd->released);
}

static void
test_host_function (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  HostData hd = { 0, 0, g_thread_self (), 0 };
  CudaObjGraphNode *first, *host;
  gint64 deadline;

  if (fixture->device == NULL)
    return;
  definition = new_definition (fixture);
  first = cuda_obj_graph_definition_add_empty (definition, NULL, 0, &error);
  g_assert_no_error (error);
  host = cuda_obj_graph_definition_add_host_function (definition, host_call, &hd, host_release, &first, 1,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (host), ==, CUDA_OBJ_GRAPH_NODE_TYPE_HOST);
  graph = instantiate (definition);
  for (guint i = 0; i < 5; i++)
    launch (fixture, graph);
  synchronize (fixture);
  g_assert_cmpint (g_atomic_int_get (&hd.calls), ==, 5);
  g_assert_cmpint (g_atomic_int_get (&hd.on_main_thread), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&hd.released), ==, 0);

  /* The data goes once no graph can run the node: the driver releases it
   * on its own thread, soon after. */
  g_clear_object (&definition);
  g_assert_cmpint (g_atomic_int_get (&hd.released), ==, 0);
  g_clear_object (&graph);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&hd.released) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpint (g_atomic_int_get (&hd.released), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&hd.calls), ==, 5);
}

static void
test_events (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) b = NULL;
  g_autoptr (CudaObjStream) other = NULL;
  g_autoptr (CudaObjEvent) ready = NULL;
  g_autoptr (CudaObjEvent) done = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *wait, *copy, *record;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  b = new_buffer (fixture, 0);
  other = cuda_obj_device_create_stream (fixture->device, &error);
  g_assert_no_error (error);
  ready = cuda_obj_event_new (fixture->device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  done = cuda_obj_event_new (fixture->device, FALSE, FALSE, &error);
  g_assert_no_error (error);

  /* wait(ready) -> copy B to A -> record(done). */
  definition = new_definition (fixture);
  wait = cuda_obj_graph_definition_add_event_wait (definition, ready, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (wait), ==, CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_WAIT);
  copy = cuda_obj_graph_definition_add_memcpy (definition, a, 0, b, 0, N_ELEMENTS * 4, &wait, 1, &error);
  g_assert_no_error (error);
  record = cuda_obj_graph_definition_add_event_record (definition, done, &copy, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (record), ==, CUDA_OBJ_GRAPH_NODE_TYPE_EVENT_RECORD);
  graph = instantiate (definition);

  /* The fill on the other stream comes before the copy through the event. */
  g_assert_true (cuda_obj_buffer_fill (b, 9, 4, 0, N_ELEMENTS, other, &error));
  g_assert_true (cuda_obj_event_record (ready, other, &error));
  g_assert_no_error (error);
  launch (fixture, graph);
  g_assert_true (cuda_obj_stream_wait_event (other, done, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_event_synchronize (done, &error));
  g_assert_no_error (error);
  {
    g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (a, 0, 16, other, &error);
    const guint32 *values = g_bytes_get_data (bytes, NULL);

    g_assert_no_error (error);
    g_assert_cmpuint (values[0], ==, 9);
    g_assert_cmpuint (values[3], ==, 9);
  }
  assert_u32 (fixture, a, 0, N_ELEMENTS, 9);
}

/* allocate -> fill -> kernel -> copy out -> free, replayed many times. */
static void
test_memory_nodes_replayed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (CudaObjBuffer) scratch = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (CudaObjGraph) second = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *alloc, *fill, *kernel, *copy, *release;
  guint64 address;

  if (fixture->device == NULL)
    return;
  out = new_buffer (fixture, 0);
  definition = new_definition (fixture);
  alloc = cuda_obj_graph_definition_add_memory_allocate (definition, N_ELEMENTS * 4, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (alloc), ==, CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_ALLOCATE);
  address = cuda_obj_graph_node_get_address (alloc);
  g_assert_cmpuint (address, !=, 0);
  g_assert_cmpuint (cuda_obj_graph_node_get_size (alloc), ==, N_ELEMENTS * 4);

  /* Copies and fills take the graph's memory as a wrapped buffer. */
  scratch
      = cuda_obj_buffer_new_from_handle (fixture->device, address, N_ELEMENTS * 4, G_OBJECT (alloc), &error);
  g_assert_no_error (error);
  fill = cuda_obj_graph_definition_add_memset (definition, scratch, 4, 4, 0, N_ELEMENTS, &alloc, 1, &error);
  g_assert_no_error (error);
  kernel = add_kernel (fixture, definition, address, 1, N_ELEMENTS, &fill, 1);
  copy = cuda_obj_graph_definition_add_memcpy (definition, out, 0, scratch, 0, N_ELEMENTS * 4, &kernel, 1,
                                               &error);
  g_assert_no_error (error);
  release = cuda_obj_graph_definition_add_memory_free (definition, address, &copy, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (release), ==, CUDA_OBJ_GRAPH_NODE_TYPE_MEMORY_FREE);

  graph = instantiate (definition);
  for (guint i = 0; i < 50; i++)
    {
      g_assert_true (cuda_obj_buffer_fill (out, 0, 4, 0, N_ELEMENTS, fixture->stream, &error));
      launch (fixture, graph);
      if (i % 10 == 9)
        assert_u32 (fixture, out, 0, N_ELEMENTS, 5);
    }
  synchronize (fixture);
  assert_u32 (fixture, out, 0, N_ELEMENTS, 5);

  /* The driver allows one executable graph of a definition with memory nodes. */
  second = cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_null (second);
  g_assert_nonnull (error);
  g_test_message ("second instantiation: %s", error->message);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
}

static void
test_child_graph (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) b = NULL;
  g_autoptr (CudaObjGraphDefinition) child = NULL;
  g_autoptr (CudaObjGraphDefinition) parent = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GPtrArray) dependents = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *fill, *node, *later;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  b = new_buffer (fixture, 0);
  child = new_definition (fixture);
  fill = cuda_obj_graph_definition_add_memset (child, a, 2, 4, 0, N_ELEMENTS, NULL, 0, &error);
  g_assert_no_error (error);
  add_kernel (fixture, child, cuda_obj_buffer_get_handle (a), 3, N_ELEMENTS, &fill, 1);

  parent = new_definition (fixture);
  node = cuda_obj_graph_definition_add_child_graph (parent, child, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (node), ==, CUDA_OBJ_GRAPH_NODE_TYPE_CHILD_GRAPH);
  g_assert_nonnull (
      cuda_obj_graph_definition_add_memcpy (parent, b, 0, a, 0, N_ELEMENTS * 4, &node, 1, &error));
  g_assert_no_error (error);

  /* The parent has a copy of the child as it was: this node is not in it. */
  dependents = cuda_obj_graph_node_get_dependents (fill, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dependents->len, ==, 1);
  later = dependents->pdata[0];
  add_kernel (fixture, child, cuda_obj_buffer_get_handle (a), 100, N_ELEMENTS, &later, 1);

  /* Nor does the child's lifetime matter. */
  g_clear_object (&child);
  graph = instantiate (parent);
  launch (fixture, graph);
  assert_u32 (fixture, b, 0, N_ELEMENTS, 5);

  /* A definition is not its own child. */
  g_assert_null (cuda_obj_graph_definition_add_child_graph (parent, parent, NULL, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_set_kernel_node_params (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraphDefinition) other = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjKernelArgs) short_args = NULL;
  g_autoptr (CudaObjLaunchConfig) cluster = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *fill, *kernel, *foreign;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  definition = new_definition (fixture);
  fill = cuda_obj_graph_definition_add_memset (definition, a, 0, 4, 0, N_ELEMENTS, NULL, 0, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new (3);
  cuda_obj_kernel_args_set_buffer (args, 0, a);
  cuda_obj_kernel_args_set_uint32 (args, 1, 1);
  cuda_obj_kernel_args_set_uint64 (args, 2, N_ELEMENTS);
  kernel = cuda_obj_graph_definition_add_kernel (definition, fixture->config, fixture->add, args, &fill, 1,
                                                 &error);
  g_assert_no_error (error);
  /* The node copied the values: a later change of args does not reach it. */
  cuda_obj_kernel_args_set_uint32 (args, 1, 1000);
  graph = instantiate (definition);
  launch (fixture, graph);
  assert_u32 (fixture, a, 0, N_ELEMENTS, 1);

  /* New parameters for the next launch, without instantiating again. */
  cuda_obj_kernel_args_set_uint32 (args, 1, 41);
  g_assert_true (
      cuda_obj_graph_set_kernel_node_params (graph, kernel, fixture->config, fixture->add, args, &error));
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_uint32 (args, 1, 7);
  launch (fixture, graph);
  assert_u32 (fixture, a, 0, N_ELEMENTS, 41);
  /* The definition is unchanged: a new graph of it adds 1. */
  {
    g_autoptr (CudaObjGraph) fresh = instantiate (definition);

    launch (fixture, fresh);
    assert_u32 (fixture, a, 0, N_ELEMENTS, 1);
  }

  /* Errors: each leaves the graph as it was. */
  g_assert_false (
      cuda_obj_graph_set_kernel_node_params (graph, fill, fixture->config, fixture->add, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not a kernel node"));
  g_clear_error (&error);
  other = new_definition (fixture);
  foreign = add_kernel (fixture, other, cuda_obj_buffer_get_handle (a), 1, N_ELEMENTS, NULL, 0);
  g_assert_false (
      cuda_obj_graph_set_kernel_node_params (graph, foreign, fixture->config, fixture->add, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not a node of"));
  g_clear_error (&error);
  short_args = cuda_obj_kernel_args_new (2);
  cuda_obj_kernel_args_set_buffer (short_args, 0, a);
  cuda_obj_kernel_args_set_uint32 (short_args, 1, 1);
  g_assert_false (cuda_obj_graph_set_kernel_node_params (graph, kernel, fixture->config, fixture->add,
                                                         short_args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "takes 3 arguments"));
  g_clear_error (&error);
  cluster = cuda_obj_launch_config_new_for_size (N_ELEMENTS, 256);
  cuda_obj_launch_config_set_cluster (cluster, 2, 1, 1);
  g_assert_false (cuda_obj_graph_set_kernel_node_params (graph, kernel, cluster, fixture->add, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  launch (fixture, graph);
  assert_u32 (fixture, a, 0, N_ELEMENTS, 41);
}

static void
host_nothing (gpointer data)
{
}

/* Every kind the definition adds shows in the DOT dump. */
static void
test_dot_every_kind (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) b = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (CudaObjGraphDefinition) child = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dot = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  CudaObjGraphNode *alloc;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  b = new_buffer (fixture, 0);
  event = cuda_obj_event_new (fixture->device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  child = new_definition (fixture);
  g_assert_nonnull (cuda_obj_graph_definition_add_empty (child, NULL, 0, &error));
  definition = new_definition (fixture);
  add_kernel (fixture, definition, cuda_obj_buffer_get_handle (a), 1, N_ELEMENTS, NULL, 0);
  g_assert_nonnull (cuda_obj_graph_definition_add_memcpy (definition, b, 0, a, 0, 64, NULL, 0, &error));
  g_assert_nonnull (cuda_obj_graph_definition_add_memset (definition, a, 1, 1, 0, 64, NULL, 0, &error));
  g_assert_nonnull (
      cuda_obj_graph_definition_add_host_function (definition, host_nothing, NULL, NULL, NULL, 0, &error));
  g_assert_nonnull (cuda_obj_graph_definition_add_child_graph (definition, child, NULL, 0, &error));
  g_assert_nonnull (cuda_obj_graph_definition_add_empty (definition, NULL, 0, &error));
  g_assert_nonnull (cuda_obj_graph_definition_add_event_record (definition, event, NULL, 0, &error));
  g_assert_nonnull (cuda_obj_graph_definition_add_event_wait (definition, event, NULL, 0, &error));
  alloc = cuda_obj_graph_definition_add_memory_allocate (definition, 1024, NULL, 0, &error);
  g_assert_nonnull (alloc);
  g_assert_nonnull (cuda_obj_graph_definition_add_memory_free (
      definition, cuda_obj_graph_node_get_address (alloc), &alloc, 1, &error));
  g_assert_no_error (error);
  nodes = cuda_obj_graph_definition_get_nodes (definition, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 10);

  dot = cuda_obj_graph_definition_to_dot (definition, CUDA_OBJ_GRAPH_DOT_VERBOSE, &error);
  g_assert_no_error (error);
  g_test_message ("%s", dot);
  g_assert_nonnull (strstr (dot, "digraph"));
  {
    /* The driver's names of the node types, as driver 580 writes them (an
     * event wait is EVENT_WAIT; a child graph is a cluster of its own, the
     * dump's second, its node labelled with the child's name). */
    const char *const kinds[] = { "KERNEL",       "MEMCPY",     "MEMSET",    "HOST",    "EMPTY",
                                  "EVENT_RECORD", "EVENT_WAIT", "MEM_ALLOC", "MEM_FREE" };
    const char *first_cluster = strstr (dot, "subgraph cluster_");

    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      if (strstr (dot, kinds[i]) == NULL)
        g_error ("the DOT dump has no %s node", kinds[i]);
    if (first_cluster == NULL || strstr (first_cluster + 1, "subgraph cluster_") == NULL)
      g_error ("the DOT dump has no cluster of the child graph");
  }
  plain = cuda_obj_graph_definition_to_dot (definition, CUDA_OBJ_GRAPH_DOT_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (plain), <, strlen (dot));

  path = g_build_filename (g_get_tmp_dir (), "cudaobj-test-definition.dot", NULL);
  g_assert_true (cuda_obj_graph_definition_write_dot (definition, path, CUDA_OBJ_GRAPH_DOT_HANDLES, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &written, NULL, &error));
  g_assert_nonnull (strstr (written, "digraph"));
  g_unlink (path);

  g_assert_null (cuda_obj_graph_definition_to_dot (definition, 1u << 20, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_definition_write_dot (definition, "/nonexistent-dir/x.dot", 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
}

static void
test_empty_definition (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (GPtrArray) from = NULL;
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->device == NULL)
    return;
  definition = new_definition (fixture);
  nodes = cuda_obj_graph_definition_get_nodes (definition, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 0);
  from = cuda_obj_graph_definition_get_edges (definition, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from->len, ==, 0);
  g_assert_cmpuint (to->len, ==, 0);
  /* Valid: a graph that does nothing. */
  graph = cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, fixture->stream,
                                                 &error);
  g_assert_no_error (error);
  launch (fixture, graph);
  synchronize (fixture);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjBuffer) closed = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjGraphDefinition) other = NULL;
  g_autoptr (CudaObjGraphNode) loose = g_object_new (CUDA_OBJ_TYPE_GRAPH_NODE, NULL);
  g_autoptr (CudaObjKernelArgs) short_args = NULL;
  g_autoptr (CudaObjKernelArgs) closed_args = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *mine, *foreign, *orphan;
  gint calls = 0;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  closed = new_buffer (fixture, 0);
  g_assert_true (cuda_obj_buffer_close (closed, fixture->stream, &error));
  g_assert_no_error (error);
  definition = new_definition (fixture);
  other = new_definition (fixture);
  mine = cuda_obj_graph_definition_add_empty (definition, NULL, 0, &error);
  foreign = cuda_obj_graph_definition_add_empty (other, NULL, 0, &error);
  g_assert_no_error (error);

#define EXPECT(call, code)                            \
  G_STMT_START                                        \
  {                                                   \
    g_assert_false ((call) != 0);                     \
    g_assert_error (error, CUDA_OBJ_ERROR, (code));   \
    g_test_message ("%s: %s", #call, error->message); \
    g_clear_error (&error);                           \
  }                                                   \
  G_STMT_END
  /* Dependencies of another definition, or of none. */
  EXPECT (cuda_obj_graph_definition_add_empty (definition, &foreign, 1, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_empty (definition, &loose, 1, &error),
          CUDA_OBJ_ERROR_NOT_INITIALIZED);
  EXPECT (cuda_obj_graph_definition_add_empty (definition, NULL, 2, &error), CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_dependency (definition, mine, foreign, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  /* Kernel arguments checked as a launch checks them. */
  short_args = cuda_obj_kernel_args_new (2);
  cuda_obj_kernel_args_set_buffer (short_args, 0, a);
  cuda_obj_kernel_args_set_uint32 (short_args, 1, 1);
  EXPECT (cuda_obj_graph_definition_add_kernel (definition, fixture->config, fixture->add, short_args, NULL,
                                                0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  closed_args = cuda_obj_kernel_args_new (3);
  cuda_obj_kernel_args_set_buffer (closed_args, 0, closed);
  cuda_obj_kernel_args_set_uint32 (closed_args, 1, 1);
  cuda_obj_kernel_args_set_uint64 (closed_args, 2, 1);
  EXPECT (cuda_obj_graph_definition_add_kernel (definition, fixture->config, fixture->add, closed_args, NULL,
                                                0, &error),
          CUDA_OBJ_ERROR_CLOSED);
  /* Copies and fills. */
  EXPECT (cuda_obj_graph_definition_add_memcpy (definition, closed, 0, a, 0, 4, NULL, 0, &error),
          CUDA_OBJ_ERROR_CLOSED);
  EXPECT (cuda_obj_graph_definition_add_memcpy (definition, a, 4, a, 0, N_ELEMENTS * 4, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memcpy (definition, a, 0, a, 0, 0, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, closed, 0, 4, 0, 1, NULL, 0, &error),
          CUDA_OBJ_ERROR_CLOSED);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, a, 0, 3, 0, 1, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, a, 0x100, 1, 0, 1, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, a, 0, 4, 2, 1, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, a, 0, 4, 0, N_ELEMENTS + 1, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memset (definition, a, 0, 4, 0, 0, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  /* Memory nodes, events, child graphs, DOT. */
  EXPECT (cuda_obj_graph_definition_add_memory_allocate (definition, 0, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_memory_free (definition, 0, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_event_record (definition, NULL, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  event = cuda_obj_event_new (fixture->device, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_object_run_dispose (G_OBJECT (event));
  EXPECT (cuda_obj_graph_definition_add_event_wait (definition, event, NULL, 0, &error),
          CUDA_OBJ_ERROR_CLOSED);
  EXPECT (cuda_obj_graph_definition_add_child_graph (definition, definition, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_add_host_function (definition, NULL, &calls, NULL, NULL, 0, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  EXPECT (cuda_obj_graph_definition_instantiate (definition, 1u << 30, NULL, &error),
          CUDA_OBJ_ERROR_INVALID_ARGUMENT);
#undef EXPECT

  /* Nothing was added by the failures. */
  {
    g_autoptr (GPtrArray) nodes = cuda_obj_graph_definition_get_nodes (definition, &error);

    g_assert_no_error (error);
    assert_nodes (nodes, &mine, 1);
  }

  /* A node outliving its definition says so. */
  orphan = g_object_ref (foreign);
  g_clear_object (&other);
  g_assert_null (cuda_obj_graph_node_get_definition (orphan));
  g_assert_cmpuint (cuda_obj_graph_node_get_handle (orphan), ==, 0);
  g_assert_null (cuda_obj_graph_node_get_dependencies (orphan, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_definition_add_empty (definition, &orphan, 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_object_unref (orphan);
}

/* A graph from a capture has no definition nodes. */
static void
test_captured_graph_refuses_node_params (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjBuffer) a = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphNode *node;

  if (fixture->device == NULL)
    return;
  a = new_buffer (fixture, 0);
  builder = cuda_obj_graph_builder_new (fixture->stream, CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (a, 1, 4, 0, N_ELEMENTS, fixture->stream, &error));
  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  g_assert_no_error (error);
  definition = new_definition (fixture);
  node = add_kernel (fixture, definition, cuda_obj_buffer_get_handle (a), 1, N_ELEMENTS, NULL, 0);
  args = add_args (cuda_obj_buffer_get_handle (a), 2, N_ELEMENTS);
  g_assert_false (
      cuda_obj_graph_set_kernel_node_params (graph, node, fixture->config, fixture->add, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_new_from_handle_invalid (void)
{
  cudaobj_test_new_from_handle_invalid ((CudaObjTestWrapFunc) cuda_obj_graph_definition_new_from_handle,
                                        "graph handle 0");
}

static void
test_new_from_handle (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjGraphDefinition) wrapper = NULL, owned = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDriver *drv;
  CudaObjGraphNode *foreign, *kernel;
  CUgraph raw = NULL;
  CUgraphNode empty = NULL;
  GObject *owner;
  size_t n = 0;

  if (fixture->device == NULL)
    return;
  drv = cuda_obj_driver_peek ();
  buffer = new_buffer (fixture, 1);
  /* A graph made by other code, with a node of its own. */
  g_assert_true (cuda_obj_device_activate (fixture->device, &error));
  g_assert_cmpint (drv->cuGraphCreate (&raw, 0), ==, CUDA_SUCCESS);
  g_assert_cmpint (drv->cuGraphAddEmptyNode (&empty, raw, NULL, 0), ==, CUDA_SUCCESS);
  owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_add_weak_pointer (owner, (gpointer *) &owner);

  wrapper
      = cuda_obj_graph_definition_new_from_handle (fixture->device, (guint64) (guintptr) raw, owner, &error);
  g_assert_no_error (error);
  g_object_unref (owner);
  g_assert_nonnull (owner); /* the wrapper keeps it alive */
  g_assert_cmpuint (cuda_obj_graph_definition_get_handle (wrapper), ==, (guint64) (guintptr) raw);
  g_assert_false (cuda_obj_graph_definition_get_owns_handle (wrapper));
  g_assert_true (cuda_obj_graph_definition_get_device (wrapper) == fixture->device);
  /* The foreign node is adopted, and new nodes can depend on it. */
  nodes = cuda_obj_graph_definition_get_nodes (wrapper, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 1);
  foreign = nodes->pdata[0];
  g_assert_cmpint (cuda_obj_graph_node_get_node_type (foreign), ==, CUDA_OBJ_GRAPH_NODE_TYPE_EMPTY);
  kernel = add_kernel (fixture, wrapper, cuda_obj_buffer_get_handle (buffer), 5, N_ELEMENTS, &foreign, 1);
  g_assert_nonnull (kernel);
  graph = instantiate (wrapper);
  launch (fixture, graph);
  assert_u32 (fixture, buffer, 0, N_ELEMENTS, 6);
  g_assert_cmpuint (cuda_obj_graph_get_node_count (graph, &error), ==, 2);
  g_assert_no_error (error);

  /* Dropping the wrapper and its graph releases the owner and leaves the
   * CUgraph, with the node added through the wrapper, alive. */
  g_clear_object (&graph);
  g_clear_object (&wrapper);
  g_assert_null (owner);
  g_assert_true (cuda_obj_device_activate (fixture->device, &error));
  g_assert_cmpint (drv->cuGraphGetNodes (raw, NULL, &n), ==, CUDA_SUCCESS);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (drv->cuGraphDestroy (raw), ==, CUDA_SUCCESS);

  /* An owned definition's handle, its owner kept alive. */
  owned = new_definition (fixture);
  g_assert_true (cuda_obj_graph_definition_get_owns_handle (owned));
  wrapper = cuda_obj_graph_definition_new_from_handle (
      fixture->device, cuda_obj_graph_definition_get_handle (owned), G_OBJECT (owned), &error);
  g_assert_no_error (error);
  add_kernel (fixture, wrapper, cuda_obj_buffer_get_handle (buffer), 1, N_ELEMENTS, NULL, 0);
  graph = instantiate (owned); /* the same CUgraph */
  launch (fixture, graph);
  assert_u32 (fixture, buffer, 0, N_ELEMENTS, 7);
  synchronize (fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/graph-definition/construct-without-device", test_construct_without_device);
  g_test_add_func ("/graph-definition/uninitialized-device", test_uninitialized_device);
  g_test_add_func ("/graph-definition/uninitialized-definition", test_uninitialized_definition);
  g_test_add_func ("/graph-definition/uninitialized-node", test_uninitialized_node);
  g_test_add_func ("/graph-definition/uninitialized-graph-set-kernel-node-params",
                   test_uninitialized_graph_set_kernel_node_params);
  for (guint i = 0; i < G_N_ELEMENTS (node_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/graph-definition/node-type/%s", node_types[i].nick);

      g_test_add_data_func (path, &node_types[i], test_node_type_value);
    }
  g_test_add_func ("/graph-definition/dot-flags-values", test_dot_flags_values);
  g_test_add_func ("/graph-definition/new-from-handle/invalid", test_new_from_handle_invalid);

#define ADD(path, func) \
  g_test_add ("/graph-definition/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("fill-copy-kernel-chain", test_fill_copy_kernel_chain);
  ADD ("diamond", test_diamond);
  ADD ("host-function", test_host_function);
  ADD ("events", test_events);
  ADD ("memory-nodes-replayed", test_memory_nodes_replayed);
  ADD ("child-graph", test_child_graph);
  ADD ("set-kernel-node-params", test_set_kernel_node_params);
  ADD ("dot-every-kind", test_dot_every_kind);
  ADD ("empty-definition", test_empty_definition);
  ADD ("errors", test_errors);
  ADD ("captured-graph-refuses-node-params", test_captured_graph_refuses_node_params);
  ADD ("new-from-handle", test_new_from_handle);
#undef ADD

  return g_test_run ();
}
