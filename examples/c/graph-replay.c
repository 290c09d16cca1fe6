/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* graph-replay: a chain of small kernels, launched one by one and then
 * replayed as one CUDA graph.
 *
 * Each of the KERNELS kernels of the chain adds 1 to 1024 ints: so little
 * work that the chain costs mostly launch overhead. The chain is first
 * launched kernel by kernel, ITERATIONS times. Then the same calls are
 * captured once on the stream with a CudaObjGraphBuilder (they are recorded,
 * not run), the recording is instantiated as a CudaObjGraph and uploaded,
 * and the graph is launched ITERATIONS times: one launch per chain. Both
 * loops are timed on the host up to the stream being idle again, and after
 * each every int must have gained exactly ITERATIONS x KERNELS. Last, a
 * second graph records a host callback after the chain: the main loop gets
 * it once per replay. Exits with 77 (a skip for meson) when there is no
 * CUDA device, with 1 on any error, wrong result or time-out. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N_INTS 1024
#define KERNELS 20
#define ITERATIONS 200
#define COUNTED_REPLAYS 5

static const char source[] = "extern \"C\" __global__ void add_one (int *x, unsigned int n)\n"
                             "{\n"
                             "  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    x[i] += 1;\n"
                             "}\n";

static int
fail (const char *what, const GError *error)
{
  fprintf (stderr, "graph-replay: %s: %s\n", what, error->message);
  return EXIT_FAILURE;
}

/* Enqueues the whole chain: KERNELS launches, each after the previous one. */
static gboolean
enqueue_chain (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
               CudaObjKernelArgs *args, GError **error)
{
  for (guint k = 0; k < KERNELS; k++)
    if (!cuda_obj_launch (stream, config, kernel, args, error))
      return FALSE;
  return TRUE;
}

/* Waits for @stream and checks that every int of @x is @expected. */
static gboolean
check (CudaObjBuffer *x, CudaObjStream *stream, gint32 expected, const char *after)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (x, 0, -1, stream, &error);
  const gint32 *values;
  guint n_bad = 0;

  if (bytes == NULL)
    {
      fail ("copy from the device", error);
      return FALSE;
    }
  values = g_bytes_get_data (bytes, NULL);
  for (guint i = 0; i < N_INTS; i++)
    if (values[i] != expected && n_bad++ < 5)
      fprintf (stderr, "graph-replay: after %s, x[%u] is %d, expected %d\n", after, i, values[i], expected);
  if (n_bad > 0)
    fprintf (stderr, "graph-replay: after %s, %u of %d ints are wrong\n", after, n_bad, N_INTS);
  return n_bad == 0;
}

/* What the main loop counts: the replays of the graph with a callback. */
typedef struct
{
  GMainLoop *loop;
  guint replays;
  gboolean timed_out;
} Counter;

/* Called in the main loop (not on a CUDA driver thread) each time a replay
 * of the graph has reached the host callback node. */
static void
on_replayed (gpointer user_data)
{
  Counter *counter = user_data;

  counter->replays++;
  printf ("graph-replay: host callback: replay %u of %d finished\n", counter->replays, COUNTED_REPLAYS);
  if (counter->replays == COUNTED_REPLAYS)
    g_main_loop_quit (counter->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Counter *counter = user_data;

  counter->timed_out = TRUE;
  g_main_loop_quit (counter->loop);
  return G_SOURCE_REMOVE;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) x = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, counted_builder = NULL;
  g_autoptr (CudaObjGraph) graph = NULL, counted = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *arch = NULL;
  Counter counter = { loop, 0, FALSE };
  gint64 start, individual_us, build_us, graph_us;
  gsize n_nodes;
  guint timeout_id;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "graph-replay: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (code == NULL)
    return fail ("compile", error);
  kernel = cuda_obj_object_code_get_kernel (code, "add_one", &error);
  if (kernel == NULL)
    return fail ("get_kernel", error);
  stream = cuda_obj_device_create_stream (device, &error);
  if (stream == NULL)
    return fail ("create_stream", error);
  x = cuda_obj_device_allocate (device, N_INTS * sizeof (gint32), stream, &error);
  if (x == NULL)
    return fail ("allocate", error);

  /* One launch configuration and one set of arguments serve every launch. */
  config = cuda_obj_launch_config_new_for_size (N_INTS, 256);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, x);
  cuda_obj_kernel_args_set_uint32 (args, 1, N_INTS);

  /* A first chain, not timed, loads the kernel onto the device; then the
   * ints start from 0. */
  if (!enqueue_chain (stream, config, kernel, args, &error)
      || !cuda_obj_buffer_fill (x, 0, 4, 0, N_INTS, stream, &error)
      || !cuda_obj_stream_synchronize (stream, &error))
    return fail ("warm-up", error);
  printf ("graph-replay: %d iterations of a chain of %d add_one kernels on %d ints, on %s (sm_%s)\n",
          ITERATIONS, KERNELS, N_INTS, cuda_obj_device_get_name (device), cuda_obj_device_get_arch (device));

  /* 1. Kernel by kernel: ITERATIONS x KERNELS launches. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < ITERATIONS; i++)
    if (!enqueue_chain (stream, config, kernel, args, &error))
      return fail ("launch", error);
  if (!cuda_obj_stream_synchronize (stream, &error))
    return fail ("synchronize", error);
  individual_us = g_get_monotonic_time () - start;
  if (!check (x, stream, ITERATIONS * KERNELS, "the launches kernel by kernel"))
    return EXIT_FAILURE;
  printf ("graph-replay: kernel by kernel: %5d launches     in %8.3f ms, %6.3f us per kernel\n",
          ITERATIONS * KERNELS, individual_us / 1000.0, (double) individual_us / (ITERATIONS * KERNELS));

  /* 2. The same calls, captured once: while the builder captures the
   * stream, each launch becomes a node of its graph instead of running.
   * The graph is then instantiated and uploaded, so that its first launch
   * is as fast as the others. */
  start = g_get_monotonic_time ();
  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  if (builder == NULL)
    return fail ("begin capture", error);
  if (!enqueue_chain (stream, config, kernel, args, &error))
    return fail ("capture", error);
  if (!cuda_obj_graph_builder_end (builder, &error))
    return fail ("end capture", error);
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  if (graph == NULL)
    return fail ("complete", error);
  if (!cuda_obj_graph_upload (graph, stream, &error) || !cuda_obj_stream_synchronize (stream, &error))
    return fail ("upload", error);
  build_us = g_get_monotonic_time () - start;
  n_nodes = cuda_obj_graph_get_node_count (graph, &error);
  if (error != NULL)
    return fail ("node count", error);
  printf ("graph-replay: captured %d launches into a graph of %" G_GSIZE_FORMAT " nodes, "
          "instantiated and uploaded in %.3f ms\n",
          KERNELS, n_nodes, build_us / 1000.0);

  /* ITERATIONS launches of the graph run as many kernels as before. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < ITERATIONS; i++)
    if (!cuda_obj_graph_launch (graph, stream, &error))
      return fail ("graph launch", error);
  if (!cuda_obj_stream_synchronize (stream, &error))
    return fail ("synchronize", error);
  graph_us = g_get_monotonic_time () - start;
  if (!check (x, stream, 2 * ITERATIONS * KERNELS, "the graph replays"))
    return EXIT_FAILURE;
  printf ("graph-replay: graph replays:   %5d graph launches in %8.3f ms, %6.3f us per kernel\n", ITERATIONS,
          graph_us / 1000.0, (double) graph_us / (ITERATIONS * KERNELS));
  printf ("graph-replay: graph replay: %.1fx faster than individual launches\n",
          (double) individual_us / MAX (graph_us, 1));

  /* 3. Host callbacks are recorded too: this graph calls on_replayed in
   * the main loop each time a replay has finished its chain. The graph
   * keeps the callback as long as it may call it. */
  counted_builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  if (counted_builder == NULL)
    return fail ("begin capture", error);
  if (!enqueue_chain (stream, config, kernel, args, &error)
      || !cuda_obj_stream_add_callback (stream, on_replayed, &counter, NULL, &error))
    return fail ("capture", error);
  if (!cuda_obj_graph_builder_end (counted_builder, &error))
    return fail ("end capture", error);
  counted
      = cuda_obj_graph_builder_complete (counted_builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, stream, &error);
  if (counted == NULL)
    return fail ("complete", error);
  for (guint i = 0; i < COUNTED_REPLAYS; i++)
    if (!cuda_obj_graph_launch (counted, stream, &error))
      return fail ("graph launch", error);

  /* The main loop sleeps until the last replay was counted; a failed
   * kernel never gets there, hence the time-out. */
  timeout_id = g_timeout_add_seconds (60, on_timeout, &counter);
  g_main_loop_run (loop);
  if (counter.timed_out)
    {
      fprintf (stderr, "graph-replay: timed out after %u of %d replays\n", counter.replays, COUNTED_REPLAYS);
      return EXIT_FAILURE;
    }
  g_source_remove (timeout_id);
  if (!check (x, stream, (2 * ITERATIONS + COUNTED_REPLAYS) * KERNELS, "the counted replays"))
    return EXIT_FAILURE;

  printf ("graph-replay: every int is (2 x %d + %d) x %d = %d: OK on %s\n", ITERATIONS, COUNTED_REPLAYS,
          KERNELS, (2 * ITERATIONS + COUNTED_REPLAYS) * KERNELS, cuda_obj_device_get_name (device));
  return EXIT_SUCCESS;
}
