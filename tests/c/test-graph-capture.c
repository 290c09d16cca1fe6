/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GraphBuilder beyond one stream: split and join, embed, conditional nodes
 * (if, if/else, while, switch) with a condition set by kernels, host
 * functions in stream order (plain and captured), and their error paths. */
#include <string.h>

#include "cudaobj-graph-builder-private.h"
#include "cudaobj-test-util.h"

#define N_ELEMENTS 3072 /* 32-bit elements per test buffer; divisible by 2 and 3 */

/* add_range adds a value to a range of elements; set_condition copies a
 * value from memory into a condition; count_down is a loop body that
 * counts its iterations and continues while its counter is positive. */
static const char kernels_source[]
    = "#include <cuda_device_runtime_api.h>\n"
      "extern \"C\" __global__ void add_range (unsigned int *x, unsigned int value,\n"
      "                                        unsigned long long first, unsigned long long count)\n"
      "{\n"
      "  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;\n"
      "  if (i < count) x[first + i] += value;\n"
      "}\n"
      "extern \"C\" __global__ void set_condition (cudaGraphConditionalHandle handle,\n"
      "                                            const unsigned int *value)\n"
      "{\n"
      "  if (blockIdx.x == 0 && threadIdx.x == 0) cudaGraphSetConditional (handle, *value);\n"
      "}\n"
      "extern \"C\" __global__ void count_down (unsigned int *counter, unsigned int *iterations,\n"
      "                                         cudaGraphConditionalHandle handle)\n"
      "{\n"
      "  if (blockIdx.x == 0 && threadIdx.x == 0)\n"
      "    {\n"
      "      *counter -= 1;\n"
      "      *iterations += 1;\n"
      "      cudaGraphSetConditional (handle, *counter > 0);\n"
      "    }\n"
      "}\n";

/* Helpers. */

typedef struct
{
  CudaObjDevice *device;
  CudaObjStream *stream;
  CudaObjObjectCode *code;
  CudaObjKernel *add_range;
  CudaObjKernel *set_condition;
  CudaObjKernel *count_down;
} Fixture;

static CudaObjKernel *
get_kernel (CudaObjObjectCode *code, const char *name)
{
  g_autoptr (GError) error = NULL;
  CudaObjKernel *kernel = cuda_obj_object_code_get_kernel (code, name, &error);

  g_assert_no_error (error);
  return kernel;
}

/* FALSE (the test skipped) without a GPU. */
static gboolean
fixture_init (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->device = cudaobj_test_device_or_skip ();
  if (f->device == NULL)
    return FALSE;
  f->stream = cuda_obj_device_create_stream (f->device, &error);
  g_assert_no_error (error);
  f->code = cudaobj_test_compile (f->device, kernels_source, NULL);
  f->add_range = get_kernel (f->code, "add_range");
  f->set_condition = get_kernel (f->code, "set_condition");
  f->count_down = get_kernel (f->code, "count_down");
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->add_range);
  g_clear_object (&f->set_condition);
  g_clear_object (&f->count_down);
  g_clear_object (&f->code);
  g_clear_object (&f->stream);
  g_clear_object (&f->device);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* A buffer of @n 32-bit values set to @value, ready to use. */
static CudaObjBuffer *
new_buffer (Fixture *f, gsize n, guint32 value)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (f->device, n * 4, f->stream, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (buffer, value, 4, 0, n, f->stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (f->stream, &error));
  g_assert_no_error (error);
  return buffer;
}

static void
set_u32 (Fixture *f, CudaObjBuffer *buffer, guint32 value)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_buffer_fill (buffer, value, 4, 0, 1, f->stream, &error));
  g_assert_no_error (error);
}

/* Waits for the fixture's stream and checks elements [first, first + count). */
static void
assert_u32 (Fixture *f, CudaObjBuffer *buffer, gsize first, gsize count, guint32 value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (buffer, first * 4, count * 4, f->stream, &error);
  const guint32 *data;
  gsize size = 0;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, ==, count * 4);
  for (gsize i = 0; i < count; i++)
    if (data[i] != value)
      g_error ("element %" G_GSIZE_FORMAT " is %u, expected %u", first + i, data[i], value);
}

/* Captures add_range (@value on [first, first + count) of @x) on @builder's stream. */
static void
capture_add (Fixture *f, CudaObjGraphBuilder *builder, CudaObjBuffer *x, guint32 value, gsize first,
             gsize count)
{
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (count, 256);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (f->add_range);
  g_autoptr (GError) error = NULL;

  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_uint32 (args, 1, value);
  cuda_obj_kernel_args_set_uint64 (args, 2, first);
  cuda_obj_kernel_args_set_uint64 (args, 3, count);
  g_assert_true (
      cuda_obj_launch (cuda_obj_graph_builder_get_stream (builder), config, f->add_range, args, &error));
  g_assert_no_error (error);
}

/* Captures set_condition (@condition = *@value) on @builder's stream. */
static void
capture_set_condition (Fixture *f, CudaObjGraphBuilder *builder, CudaObjGraphCondition *condition,
                       CudaObjBuffer *value)
{
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (1, 1);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (f->set_condition);
  g_autoptr (GError) error = NULL;

  cuda_obj_kernel_args_set_condition (args, 0, condition);
  cuda_obj_kernel_args_set_buffer (args, 1, value);
  g_assert_true (
      cuda_obj_launch (cuda_obj_graph_builder_get_stream (builder), config, f->set_condition, args, &error));
  g_assert_no_error (error);
}

static CudaObjGraphBuilder *
new_builder (CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraphBuilder *builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);

  g_assert_no_error (error);
  return builder;
}

static void
end_builder (CudaObjGraphBuilder *builder)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graph_builder_end (builder, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_get_ended (builder));
}

static CudaObjGraph *
complete (CudaObjGraphBuilder *builder)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraph *graph
      = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static void
launch (Fixture *f, CudaObjGraph *graph)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graph_launch (graph, f->stream, &error));
  g_assert_no_error (error);
}

static CudaObjGraphCondition *
create_condition (CudaObjGraphBuilder *builder, guint default_value, CudaObjGraphConditionFlags flags)
{
  g_autoptr (GError) error = NULL;
  CudaObjGraphCondition *condition
      = cuda_obj_graph_builder_create_condition (builder, default_value, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (condition);
  g_assert_cmpuint (cuda_obj_graph_condition_get_handle (condition), !=, 0);
  g_assert_cmpuint (cuda_obj_graph_condition_get_default_value (condition), ==, default_value);
  g_assert_cmpint (cuda_obj_graph_condition_get_flags (condition), ==, flags);
  return condition;
}

/* Without a GPU. */

static void
test_uninitialized_builder (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (CudaObjGraphBuilder) builder
      = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, "stream", stream, NULL);
  g_autoptr (CudaObjGraphBuilder) other = g_object_new (CUDA_OBJ_TYPE_GRAPH_BUILDER, "stream", stream, NULL);
  g_autoptr (CudaObjGraphCondition) condition = g_object_new (CUDA_OBJ_TYPE_GRAPH_CONDITION, NULL);
  CudaObjGraphBuilder *list[] = { other };
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_graph_builder_split (builder, 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, "split"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_join (builder, list, 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_embed (builder, other, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_create_condition (builder, 1, CUDA_OBJ_GRAPH_CONDITION_NONE, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_if_then (builder, condition, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_if_else (builder, condition, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_while_loop (builder, condition, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_switch_cases (builder, condition, 3, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

static void
test_condition_construct_directly (void)
{
  g_autoptr (CudaObjGraphCondition) condition = g_object_new (CUDA_OBJ_TYPE_GRAPH_CONDITION, NULL);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (1);
  g_autoptr (GError) error = NULL;
  guint64 handle = 99;

  /* What CudaObj.GraphCondition() does in a binding. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_GRAPH_CONDITION, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "create_condition"));
  g_clear_error (&error);

  g_object_get (condition, "handle", &handle, NULL);
  g_assert_cmpuint (handle, ==, 0);
  g_assert_cmpuint (cuda_obj_graph_condition_get_handle (condition), ==, 0);
  g_assert_cmpuint (cuda_obj_graph_condition_get_default_value (condition), ==, 0);
  g_assert_cmpint (cuda_obj_graph_condition_get_flags (condition), ==, CUDA_OBJ_GRAPH_CONDITION_NONE);

  /* As a kernel argument it is a misuse the launch reports. */
  cuda_obj_kernel_args_set_condition (args, 0, condition);
  g_assert_false (cuda_obj_kernel_args_check (args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not initialized"));
}

static void
test_condition_flags_values (void)
{
  g_autoptr (GFlagsClass) klass = g_type_class_ref (CUDA_OBJ_TYPE_GRAPH_CONDITION_FLAGS);

  g_assert_cmpint (CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT, ==, CU_GRAPH_COND_ASSIGN_DEFAULT);
  g_assert_cmpstr (g_flags_get_first_value (klass, CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT)->value_nick, ==,
                   "assign-default");
}

/* Which driver versions have which conditional nodes: one row each. */
typedef struct
{
  const char *name;
  int driver_version;
  CUgraphConditionalNodeType type;
  guint size;
  gboolean supported;
} ConditionalSupportCase;

/* clang-format off */
static const ConditionalSupportCase conditional_support[] = {
  { "if-12.2",      12020, CU_GRAPH_COND_TYPE_IF,     1, FALSE },
  { "if-12.3",      12030, CU_GRAPH_COND_TYPE_IF,     1, TRUE },
  { "while-12.2",   12020, CU_GRAPH_COND_TYPE_WHILE,  1, FALSE },
  { "while-12.3",   12030, CU_GRAPH_COND_TYPE_WHILE,  1, TRUE },
  { "if-else-12.6", 12060, CU_GRAPH_COND_TYPE_IF,     2, FALSE },
  { "if-else-12.8", 12080, CU_GRAPH_COND_TYPE_IF,     2, TRUE },
  { "switch-12.6",  12060, CU_GRAPH_COND_TYPE_SWITCH, 4, FALSE },
  { "switch-12.8",  12080, CU_GRAPH_COND_TYPE_SWITCH, 4, TRUE },
  { "switch-13.0",  13000, CU_GRAPH_COND_TYPE_SWITCH, 4, TRUE },
};
/* clang-format on */

static void
test_conditional_support (gconstpointer data)
{
  const ConditionalSupportCase *c = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = cuda_obj_graph_builder_check_conditional (c->driver_version, c->type, c->size, &error);

  g_assert_cmpint (ok, ==, c->supported);
  if (c->supported)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      /* The message names the version needed and the driver's. */
      g_assert_nonnull (strstr (error->message, "or newer"));
      g_assert_nonnull (strstr (error->message, c->driver_version >= 12060 ? "12.6" : "12.2"));
    }
}

/* The device side compiles with NVRTC alone: the toolkit's include
 * directories come with the program's default options. */
static void
test_condition_kernel_compiles (void)
{
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "std", "c++17", NULL);
  g_autoptr (CudaObjProgram) program
      = cuda_obj_program_new (kernels_source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ptx = NULL;
  GBytes *bytes;

  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  bytes = cuda_obj_object_code_get_code (code);
  ptx = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Resolved by the driver when the module loads, as printf's vprintf is. */
  g_assert_nonnull (strstr (ptx, "cudaGraphSetConditional"));
  g_assert_nonnull (strstr (ptx, ".entry count_down"));
}

typedef struct
{
  int calls;
  int destroys;
} Counts;

static void
count_call (gpointer data)
{
  g_atomic_int_inc (&((Counts *) data)->calls);
}

static void
count_destroy (gpointer data)
{
  g_atomic_int_inc (&((Counts *) data)->destroys);
}

static void
test_host_func_uninitialized_stream (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (GError) error = NULL;
  Counts counts = { 0, 0 };

  g_assert_false (cuda_obj_stream_launch_host_func (stream, count_call, &counts, count_destroy, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  /* Not enqueued: the data is freed at once, exactly once. */
  g_assert_cmpint (counts.calls, ==, 0);
  g_assert_cmpint (counts.destroys, ==, 1);
  g_clear_error (&error);

  g_assert_false (cuda_obj_stream_launch_host_func (stream, NULL, &counts, count_destroy, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (counts.destroys, ==, 2);
}

/* On the GPU: split, join, embed. */

/* Splits into @n builders, each adding its own value to its own region,
 * joins them, and checks the regions after two replays. */
static void
test_split_join (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GPtrArray) builders = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  gsize region = N_ELEMENTS / n;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  builder = new_builder (f.stream);
  /* Before the split: everything the branches do follows it. */
  capture_add (&f, builder, x, 1000, 0, N_ELEMENTS);
  builders = cuda_obj_graph_builder_split (builder, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (builders->len, ==, n);
  g_assert_true (g_ptr_array_index (builders, 0) == builder);
  for (guint i = 0; i < n; i++)
    {
      CudaObjGraphBuilder *b = g_ptr_array_index (builders, i);

      g_assert_true (cuda_obj_graph_builder_get_capturing (b));
      g_assert_true (cuda_obj_graph_builder_get_device (b) == f.device);
      for (guint j = 0; j < i; j++)
        g_assert_true (cuda_obj_graph_builder_get_stream (b)
                       != cuda_obj_graph_builder_get_stream (g_ptr_array_index (builders, j)));
      capture_add (&f, b, x, i + 1, i * region, region);
    }
  g_assert_true (cuda_obj_graph_builder_join (builder, (CudaObjGraphBuilder **) builders->pdata, n, &error));
  g_assert_no_error (error);
  for (guint i = 1; i < n; i++)
    g_assert_false (cuda_obj_graph_builder_get_capturing (g_ptr_array_index (builders, i)));
  /* After the join: it follows every branch. */
  capture_add (&f, builder, x, 10000, 0, N_ELEMENTS);
  end_builder (builder);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, n + 2);
  g_assert_no_error (error);

  graph = complete (builder);
  launch (&f, graph);
  launch (&f, graph);
  for (guint i = 0; i < n; i++)
    assert_u32 (&f, x, i * region, region, 2 * (11000 + i + 1));
}

static void
test_embed (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjStream) child_stream = NULL;
  g_autoptr (CudaObjGraphBuilder) child = NULL, builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL, child_graph = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  child_stream = cuda_obj_device_create_stream (f.device, &error);
  g_assert_no_error (error);
  child = new_builder (child_stream);
  capture_add (&f, child, x, 5, 0, N_ELEMENTS);
  capture_add (&f, child, x, 2, 0, N_ELEMENTS / 2);
  /* Still capturing: nothing to embed yet. */
  builder = new_builder (f.stream);
  g_assert_false (cuda_obj_graph_builder_embed (builder, child, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "still capturing"));
  g_clear_error (&error);
  end_builder (child);

  /* The same child twice, with work between. */
  g_assert_true (cuda_obj_graph_builder_embed (builder, child, &error));
  g_assert_no_error (error);
  capture_add (&f, builder, x, 100, 0, N_ELEMENTS);
  g_assert_true (cuda_obj_graph_builder_embed (builder, child, &error));
  g_assert_no_error (error);
  end_builder (builder);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (builder, &error), ==, 3);
  g_assert_no_error (error);

  graph = complete (builder);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS / 2, 114);
  assert_u32 (&f, x, N_ELEMENTS / 2, N_ELEMENTS / 2, 110);
  /* The child is still a graph of its own. */
  child_graph = complete (child);
  launch (&f, child_graph);
  assert_u32 (&f, x, 0, N_ELEMENTS / 2, 121);
  assert_u32 (&f, x, N_ELEMENTS / 2, N_ELEMENTS / 2, 115);
}

/* On the GPU: conditional nodes. */

static void
test_if_then (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL, flag = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  flag = new_buffer (&f, 1, 0);
  builder = new_builder (f.stream);
  condition = create_condition (builder, 0, CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT);
  capture_set_condition (&f, builder, condition, flag);
  body = cuda_obj_graph_builder_if_then (builder, condition, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_get_capturing (body));
  g_assert_true (cuda_obj_graph_builder_get_stream (body) != f.stream);
  capture_add (&f, body, x, 1, 0, N_ELEMENTS);
  end_builder (body);
  /* Work after the node follows it whatever the condition. */
  capture_add (&f, builder, x, 10, 0, N_ELEMENTS);
  end_builder (builder);
  graph = complete (builder);

  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 10);
  set_u32 (&f, flag, 1);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 21);
  set_u32 (&f, flag, 7);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 32);
  set_u32 (&f, flag, 0);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 42);
}

static void
test_if_else (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL, flag = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (GPtrArray) bodies = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  flag = new_buffer (&f, 1, 1);
  builder = new_builder (f.stream);
  condition = create_condition (builder, 0, CUDA_OBJ_GRAPH_CONDITION_NONE);
  capture_set_condition (&f, builder, condition, flag);
  bodies = cuda_obj_graph_builder_if_else (builder, condition, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 2);
  /* Each condition drives one node. */
  g_assert_null (cuda_obj_graph_builder_if_then (builder, condition, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "another conditional node"));
  g_clear_error (&error);
  capture_add (&f, g_ptr_array_index (bodies, 0), x, 1, 0, N_ELEMENTS);
  capture_add (&f, g_ptr_array_index (bodies, 1), x, 100, 0, N_ELEMENTS);
  end_builder (g_ptr_array_index (bodies, 0));
  end_builder (g_ptr_array_index (bodies, 1));
  end_builder (builder);
  graph = complete (builder);

  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 1);
  set_u32 (&f, flag, 0);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 101);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 201);
  set_u32 (&f, flag, 3);
  launch (&f, graph);
  assert_u32 (&f, x, 0, N_ELEMENTS, 202);
}

static void
test_while_loop (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) counter = NULL, iterations = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (1, 1);
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  counter = new_buffer (&f, 1, 5);
  iterations = new_buffer (&f, 1, 0);
  builder = new_builder (f.stream);
  /* Enter the loop at every launch; the body decides when to stop. */
  condition = create_condition (builder, 1, CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT);
  body = cuda_obj_graph_builder_while_loop (builder, condition, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (f.count_down);
  cuda_obj_kernel_args_set_buffer (args, 0, counter);
  cuda_obj_kernel_args_set_buffer (args, 1, iterations);
  cuda_obj_kernel_args_set_condition (args, 2, condition);
  g_assert_true (
      cuda_obj_launch (cuda_obj_graph_builder_get_stream (body), config, f.count_down, args, &error));
  g_assert_no_error (error);
  end_builder (body);
  end_builder (builder);
  graph = complete (builder);

  launch (&f, graph);
  assert_u32 (&f, counter, 0, 1, 0);
  assert_u32 (&f, iterations, 0, 1, 5);
  /* A new count: the same graph loops as often as the data says. */
  set_u32 (&f, counter, 1000);
  launch (&f, graph);
  assert_u32 (&f, counter, 0, 1, 0);
  assert_u32 (&f, iterations, 0, 1, 1005);
}

static void
test_switch (void)
{
  static const guint32 case_values[] = { 1, 10, 100 };
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL, selector = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (GPtrArray) bodies = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autoptr (GError) error = NULL;
  guint32 expected = 0;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  selector = new_buffer (&f, 1, 0);
  builder = new_builder (f.stream);
  condition = create_condition (builder, 0, CUDA_OBJ_GRAPH_CONDITION_NONE);
  capture_set_condition (&f, builder, condition, selector);
  bodies = cuda_obj_graph_builder_switch_cases (builder, condition, G_N_ELEMENTS (case_values), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, G_N_ELEMENTS (case_values));
  for (guint i = 0; i < bodies->len; i++)
    {
      capture_add (&f, g_ptr_array_index (bodies, i), x, case_values[i], 0, N_ELEMENTS);
      end_builder (g_ptr_array_index (bodies, i));
    }
  end_builder (builder);
  graph = complete (builder);

  /* Each case, then a value past the last case: no body runs. */
  for (guint32 value = 0; value <= G_N_ELEMENTS (case_values); value++)
    {
      set_u32 (&f, selector, value);
      launch (&f, graph);
      if (value < G_N_ELEMENTS (case_values))
        expected += case_values[value];
      assert_u32 (&f, x, 0, N_ELEMENTS, expected);
    }
  g_assert_cmpuint (expected, ==, 111);
}

/* On the GPU: error paths. */

static void
test_split_errors (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjStream) other_stream = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, other = NULL;
  g_autoptr (GPtrArray) builders = NULL, others = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjGraphBuilder *list[1];

  if (!fixture_init (&f))
    return;
  builder = new_builder (f.stream);
  g_assert_null (cuda_obj_graph_builder_split (builder, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "0"));
  g_clear_error (&error);
  /* Split into one: the builder itself. */
  builders = cuda_obj_graph_builder_split (builder, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (builders->len, ==, 1);
  g_assert_true (g_ptr_array_index (builders, 0) == builder);
  g_clear_pointer (&builders, g_ptr_array_unref);

  other_stream = cuda_obj_device_create_stream (f.device, &error);
  g_assert_no_error (error);
  other = new_builder (other_stream);
  others = cuda_obj_graph_builder_split (other, 2, &error);
  g_assert_no_error (error);
  builders = cuda_obj_graph_builder_split (builder, 2, &error);
  g_assert_no_error (error);

  /* A fork of another capture. */
  list[0] = g_ptr_array_index (others, 1);
  g_assert_false (cuda_obj_graph_builder_join (builder, list, 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "another capture"));
  g_clear_error (&error);
  /* A builder that began its own capture. */
  list[0] = other;
  g_assert_false (cuda_obj_graph_builder_join (builder, list, 1, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "began its capture"));
  g_clear_error (&error);
  /* A fork neither ends nor aborts the capture. */
  g_assert_false (cuda_obj_graph_builder_end (g_ptr_array_index (builders, 1), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "join"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_abort (g_ptr_array_index (builders, 1), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The failed joins changed nothing: the right ones work. */
  g_assert_true (cuda_obj_graph_builder_join (builder, (CudaObjGraphBuilder **) builders->pdata, 2, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graph_builder_join (other, (CudaObjGraphBuilder **) others->pdata, 2, &error));
  g_assert_no_error (error);
  /* A joined builder is done. */
  g_assert_null (cuda_obj_graph_builder_split (g_ptr_array_index (builders, 1), 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "joined"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_join (builder, (CudaObjGraphBuilder **) builders->pdata, 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  end_builder (builder);
  end_builder (other);
  /* Ended: no more splitting. */
  g_assert_null (cuda_obj_graph_builder_split (builder, 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_unjoined_fork (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (GPtrArray) builders = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  builder = new_builder (f.stream);
  builders = cuda_obj_graph_builder_split (builder, 2, &error);
  g_assert_no_error (error);
  capture_add (&f, g_ptr_array_index (builders, 1), x, 1, 0, N_ELEMENTS);
  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_ERROR_STREAM_CAPTURE_UNJOINED);
  g_assert_nonnull (strstr (error->message, "joined"));
  g_assert_false (cuda_obj_graph_builder_get_capturing (builder));
}

static void
test_conditional_errors (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL, child = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (CudaObjGraphCondition) bare = g_object_new (CUDA_OBJ_TYPE_GRAPH_CONDITION, NULL);
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  builder = new_builder (f.stream);
  g_assert_null (cuda_obj_graph_builder_create_condition (builder, 0, 1 << 4, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "flags"));
  g_clear_error (&error);
  condition = create_condition (builder, 0, CUDA_OBJ_GRAPH_CONDITION_NONE);

  g_assert_null (cuda_obj_graph_builder_if_then (builder, bare, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_switch_cases (builder, condition, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "0"));
  g_clear_error (&error);

  body = cuda_obj_graph_builder_while_loop (builder, condition, &error);
  g_assert_no_error (error);
  /* The body must end first. */
  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "body"));
  g_assert_true (cuda_obj_graph_builder_get_capturing (builder));
  g_clear_error (&error);
  end_builder (body);

  /* A body after its end: no more work, no graph of its own. */
  g_assert_null (cuda_obj_graph_builder_if_then (body, condition, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "ended"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_split (body, 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graph_builder_complete (body, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "conditional node"));
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_graph_builder_get_node_count (body, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_embed (builder, body, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  end_builder (builder);

  /* A graph with a conditional node cannot be a child graph. */
  child = new_builder (f.stream);
  g_assert_false (cuda_obj_graph_builder_embed (child, builder, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (error->domain, ==, CUDA_OBJ_DRIVER_ERROR);
  g_clear_error (&error);
  g_assert_true (cuda_obj_graph_builder_abort (child, &error));
  g_assert_no_error (error);
}

/* A fork's bodies end before the fork is joined, and before the capture
 * ends. */
static void
test_fork_body_before_join (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (GPtrArray) builders = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  builder = new_builder (f.stream);
  condition = create_condition (builder, 0, CUDA_OBJ_GRAPH_CONDITION_NONE);
  builders = cuda_obj_graph_builder_split (builder, 2, &error);
  g_assert_no_error (error);
  body = cuda_obj_graph_builder_if_then (g_ptr_array_index (builders, 1), condition, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graph_builder_end (builder, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "body"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_graph_builder_join (builder, (CudaObjGraphBuilder **) builders->pdata, 2, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "body"));
  g_clear_error (&error);
  g_assert_true (cuda_obj_graph_builder_get_capturing (g_ptr_array_index (builders, 1)));
  end_builder (body);
  g_assert_true (cuda_obj_graph_builder_join (builder, (CudaObjGraphBuilder **) builders->pdata, 2, &error));
  g_assert_no_error (error);
  end_builder (builder);
}

static void
test_abort_with_bodies (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (GPtrArray) bodies = NULL;
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  builder = new_builder (f.stream);
  condition = create_condition (builder, 1, CUDA_OBJ_GRAPH_CONDITION_NONE);
  bodies = cuda_obj_graph_builder_if_else (builder, condition, &error);
  g_assert_no_error (error);
  capture_add (&f, g_ptr_array_index (bodies, 0), x, 1, 0, N_ELEMENTS);
  /* Aborting the parent ends the bodies' captures too. */
  g_assert_true (cuda_obj_graph_builder_abort (builder, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < bodies->len; i++)
    g_assert_false (cuda_obj_graph_builder_get_capturing (g_ptr_array_index (bodies, i)));
  /* Every stream runs work normally again. */
  capture_add (&f, g_ptr_array_index (bodies, 0), x, 3, 0, N_ELEMENTS);
  g_assert_true (cuda_obj_stream_synchronize (
      cuda_obj_graph_builder_get_stream (g_ptr_array_index (bodies, 0)), &error));
  g_assert_no_error (error);
  assert_u32 (&f, x, 0, N_ELEMENTS, 3);
}

/* On the GPU: host functions. */

typedef struct
{
  guint32 *host; /* pinned */
  guint32 value;
  Counts counts;
} HostWrite;

static void
write_late (gpointer data)
{
  HostWrite *w = data;

  /* Late enough that an unordered copy would read the old value. */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  w->host[0] = w->value;
  g_atomic_int_inc (&w->counts.calls);
}

static void
write_destroy (gpointer data)
{
  HostWrite *w = data;

  /* After the call, never before. */
  g_assert_cmpint (g_atomic_int_get (&w->counts.calls), >=, 1);
  g_atomic_int_inc (&w->counts.destroys);
}

static void
test_host_func_order (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned_mr = NULL;
  g_autoptr (CudaObjBuffer) pinned = NULL, x = NULL;
  g_autoptr (GError) error = NULL;
  HostWrite w = { NULL, 0, { 0, 0 } };

  if (!fixture_init (&f))
    return;
  pinned_mr = cuda_obj_legacy_pinned_memory_resource_new (f.device, &error);
  g_assert_no_error (error);
  pinned = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned_mr), 4, f.stream, &error);
  g_assert_no_error (error);
  x = new_buffer (&f, 1, 0);
  w.host = (guint32 *) (guintptr) cuda_obj_buffer_get_handle (pinned);
  w.host[0] = 1;
  w.value = 0xc0ffee;

  g_assert_true (cuda_obj_stream_launch_host_func (f.stream, write_late, &w, write_destroy, &error));
  g_assert_no_error (error);
  /* The copy waits for the function. */
  g_assert_true (cuda_obj_buffer_copy_to (pinned, x, 0, 0, 4, f.stream, &error));
  g_assert_no_error (error);
  assert_u32 (&f, x, 0, 1, 0xc0ffee);
  g_assert_cmpint (g_atomic_int_get (&w.counts.calls), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&w.counts.destroys), ==, 1);
}

/* Waits up to 10 s for @counter to reach @value: the driver releases a
 * graph's user objects on a thread of its own, after the graph is gone. */
static void
wait_for_count (int *counter, int value)
{
  for (int i = 0; i < 1000 && g_atomic_int_get (counter) < value; i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_atomic_int_get (counter), ==, value);
}

static void
test_host_func_captured (void)
{
  g_auto (Fixture) f;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL, second = NULL;
  g_autoptr (GError) error = NULL;
  Counts counts = { 0, 0 };

  if (!fixture_init (&f))
    return;
  x = new_buffer (&f, N_ELEMENTS, 0);
  builder = new_builder (f.stream);
  capture_add (&f, builder, x, 1, 0, N_ELEMENTS);
  g_assert_true (cuda_obj_stream_launch_host_func (f.stream, count_call, &counts, count_destroy, &error));
  g_assert_no_error (error);
  end_builder (builder);
  /* Recorded, not run. */
  g_assert_cmpint (g_atomic_int_get (&counts.calls), ==, 0);

  graph = complete (builder);
  second = complete (builder);
  for (int i = 0; i < 7; i++)
    launch (&f, graph);
  launch (&f, second);
  g_assert_true (cuda_obj_stream_synchronize (f.stream, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&counts.calls), ==, 8);
  assert_u32 (&f, x, 0, N_ELEMENTS, 8);

  /* The data lives while any graph can still call the function. */
  g_clear_object (&builder);
  g_clear_object (&graph);
  g_assert_cmpint (g_atomic_int_get (&counts.destroys), ==, 0);
  launch (&f, second);
  g_assert_true (cuda_obj_stream_synchronize (f.stream, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&counts.calls), ==, 9);
  g_clear_object (&second);
  wait_for_count (&counts.destroys, 1);
  g_assert_cmpint (g_atomic_int_get (&counts.calls), ==, 9);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-capture/uninitialized-builder", test_uninitialized_builder);
  g_test_add_func ("/graph-capture/condition-construct-directly", test_condition_construct_directly);
  g_test_add_func ("/graph-capture/condition-flags-values", test_condition_flags_values);
  for (gsize i = 0; i < G_N_ELEMENTS (conditional_support); i++)
    {
      g_autofree char *path
          = g_strdup_printf ("/graph-capture/conditional-support/%s", conditional_support[i].name);

      g_test_add_data_func (path, &conditional_support[i], test_conditional_support);
    }
  g_test_add_func ("/graph-capture/condition-kernel-compiles", test_condition_kernel_compiles);
  g_test_add_func ("/host-func/uninitialized-stream", test_host_func_uninitialized_stream);
  g_test_add_data_func ("/graph-capture/split-join/2", GUINT_TO_POINTER (2), test_split_join);
  g_test_add_data_func ("/graph-capture/split-join/3", GUINT_TO_POINTER (3), test_split_join);
  g_test_add_func ("/graph-capture/embed", test_embed);
  g_test_add_func ("/graph-capture/if-then", test_if_then);
  g_test_add_func ("/graph-capture/if-else", test_if_else);
  g_test_add_func ("/graph-capture/while-loop", test_while_loop);
  g_test_add_func ("/graph-capture/switch", test_switch);
  g_test_add_func ("/graph-capture/split-errors", test_split_errors);
  g_test_add_func ("/graph-capture/unjoined-fork", test_unjoined_fork);
  g_test_add_func ("/graph-capture/conditional-errors", test_conditional_errors);
  g_test_add_func ("/graph-capture/fork-body-before-join", test_fork_body_before_join);
  g_test_add_func ("/graph-capture/abort-with-bodies", test_abort_with_bodies);
  g_test_add_func ("/host-func/order", test_host_func_order);
  g_test_add_func ("/host-func/captured", test_host_func_captured);
  return g_test_run ();
}
