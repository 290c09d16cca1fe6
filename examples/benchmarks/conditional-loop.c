/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conditional-loop: a loop whose exit the GPU decides, run as a while node
 * of a CUDA graph next to the same loop driven from the host.
 *
 * Every iteration runs one step kernel (one thread: it adds 1 to a counter
 * and says whether the counter reached the limit), ITERATIONS times:
 *   host loop: launch + read flag   the host launches the step, reads the
 *                                   4-byte "go on" flag back (a copy that
 *                                   waits for the stream) and decides:
 *                                   the baseline, the way a loop with a
 *                                   data-dependent exit runs without graphs
 *   graph while node                one launch of a graph whose while node
 *                                   runs the step until the step's kernel
 *                                   clears the condition
 *                                   (cudaGraphSetConditional), then one
 *                                   synchronize
 * Both use the library's API (cuda_obj_launch(), cuda_obj_graph_launch());
 * rows are medians over the repeats of the time per iteration, the paths
 * alternating within each repeat, and every run checks the counter. */
#include <stdio.h>
#include <string.h>

#include "bench-util.h"

#define ITERATIONS 1000

static const char source[]
    = "#include <cuda_device_runtime_api.h>\n"
      "extern \"C\" __global__ void step_host (unsigned int *counter, unsigned int limit,\n"
      "                                        unsigned int *go_on)\n"
      "{\n"
      "  *counter += 1;\n"
      "  *go_on = *counter < limit;\n"
      "}\n"
      "extern \"C\" __global__ void step_graph (unsigned int *counter, unsigned int limit,\n"
      "                                         cudaGraphConditionalHandle go_on)\n"
      "{\n"
      "  *counter += 1;\n"
      "  cudaGraphSetConditional (go_on, *counter < limit);\n"
      "}\n";

typedef enum
{
  HOST_LOOP,
  GRAPH_WHILE,
  N_PATHS
} Path;

static const char *const path_names[] = {
  "host loop: launch + read flag",
  "graph while node",
};

typedef struct
{
  const BenchOptions *options;
  CudaObjStream *stream;
  CudaObjBuffer *counter;
  CudaObjBuffer *go_on;
  CudaObjKernel *step_host;
  CudaObjKernelArgs *host_args;
  CudaObjLaunchConfig *config;
  CudaObjGraph *graph;
} Bench;

static guint32
read_u32 (Bench *b, CudaObjBuffer *buffer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (buffer, 0, 4, b->stream, &error);
  guint32 value;

  bench_check (b->options, "read back", error);
  memcpy (&value, g_bytes_get_data (bytes, NULL), 4);
  return value;
}

/* Microseconds per iteration of one loop of ITERATIONS steps. */
static double
time_path (Bench *b, Path path)
{
  g_autoptr (GError) error = NULL;
  gint64 start;
  guint32 counter;

  cuda_obj_buffer_fill (b->counter, 0, 4, 0, 1, b->stream, &error);
  bench_check (b->options, "fill", error);
  cuda_obj_stream_synchronize (b->stream, &error);
  bench_check (b->options, "synchronize", error);

  start = bench_now_ns ();
  if (path == HOST_LOOP)
    {
      do
        {
          cuda_obj_launch (b->stream, b->config, b->step_host, b->host_args, &error);
          bench_check (b->options, "launch", error);
        }
      while (read_u32 (b, b->go_on) != 0);
    }
  else
    {
      cuda_obj_graph_launch (b->graph, b->stream, &error);
      bench_check (b->options, "graph launch", error);
      cuda_obj_stream_synchronize (b->stream, &error);
      bench_check (b->options, "synchronize", error);
    }
  start = bench_now_ns () - start;

  counter = read_u32 (b, b->counter);
  if (counter != ITERATIONS)
    {
      fprintf (stderr, "%s: %s ran %u steps, expected %d\n", b->options->program, path_names[path], counter,
               ITERATIONS);
      exit (1);
    }
  return start / 1e3 / ITERATIONS;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autofree char *arch = NULL;
  g_autoptr (CudaObjProgramOptions) program_options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) step_host = NULL, step_graph = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) counter = NULL, go_on = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjKernelArgs) host_args = NULL, graph_args = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL;
  g_autoptr (CudaObjGraphCondition) condition = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  double *samples[N_PATHS];
  double medians[N_PATHS];

  bench_parse_options (&options, "conditional-loop",
                       "A loop the GPU ends: a graph's while node next to a host loop of launches and reads.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  program_options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, program_options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  bench_check (&options, "compile", error);
  step_host = bench_get_kernel (&options, code, "step_host");
  step_graph = bench_get_kernel (&options, code, "step_graph");
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  counter = cuda_obj_device_allocate (device, 4, stream, &error);
  bench_check (&options, "allocate", error);
  go_on = cuda_obj_device_allocate (device, 4, stream, &error);
  bench_check (&options, "allocate", error);

  host_args = cuda_obj_kernel_args_new_for_kernel (step_host);
  cuda_obj_kernel_args_set_buffer (host_args, 0, counter);
  cuda_obj_kernel_args_set_uint32 (host_args, 1, ITERATIONS);
  cuda_obj_kernel_args_set_buffer (host_args, 2, go_on);

  /* The loop as a graph: a while node entered at every launch, whose body
   * is the step. */
  builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error);
  bench_check (&options, "capture", error);
  condition
      = cuda_obj_graph_builder_create_condition (builder, 1, CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT, &error);
  bench_check (&options, "create_condition", error);
  body = cuda_obj_graph_builder_while_loop (builder, condition, &error);
  bench_check (&options, "while_loop", error);
  graph_args = cuda_obj_kernel_args_new_for_kernel (step_graph);
  cuda_obj_kernel_args_set_buffer (graph_args, 0, counter);
  cuda_obj_kernel_args_set_uint32 (graph_args, 1, ITERATIONS);
  cuda_obj_kernel_args_set_condition (graph_args, 2, condition);
  cuda_obj_launch (cuda_obj_graph_builder_get_stream (body), config, step_graph, graph_args, &error);
  bench_check (&options, "capture the step", error);
  if (cuda_obj_graph_builder_end (body, &error))
    cuda_obj_graph_builder_end (builder, &error);
  bench_check (&options, "end the capture", error);
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, stream, &error);
  bench_check (&options, "complete", error);

  bench.options = &options;
  bench.stream = stream;
  bench.counter = counter;
  bench.go_on = go_on;
  bench.step_host = step_host;
  bench.host_args = host_args;
  bench.config = config;
  bench.graph = graph;
  bench_emit_meta (&options, device);

  for (guint p = 0; p < N_PATHS; p++)
    {
      samples[p] = g_new (double, options.repeats);
      time_path (&bench, p); /* warm up */
    }
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < N_PATHS; i++)
      {
        Path p = (i + r) % N_PATHS;

        samples[p][r] = time_path (&bench, p);
      }

  for (guint p = 0; p < N_PATHS; p++)
    {
      medians[p] = bench_emit_samples ("conditional", "1000 iterations of a 1-thread step", path_names[p],
                                       samples[p], options.repeats, "us", ITERATIONS,
                                       p == HOST_LOOP ? NULL : path_names[HOST_LOOP], 0, NULL);
      g_free (samples[p]);
    }

  printf ("\nA loop of %d steps whose exit depends on GPU data, microseconds per iteration (median of %u)\n",
          ITERATIONS, options.repeats);
  printf ("%-32s %12s %8s\n", "path", "per step", "ratio");
  for (guint p = 0; p < N_PATHS; p++)
    printf ("%-32s %12.2f %8.3f\n", path_names[p], medians[p], medians[p] / medians[HOST_LOOP]);
  return 0;
}
