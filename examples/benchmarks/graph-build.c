/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* graph-build: a chain of 20 kernels as a graph, built two ways side by
 * side in one program: captured from a stream (GraphBuilder) and built
 * node by node (GraphDefinition).
 * Two measures per way, each the median over the repeats:
 *   build + instantiate  from nothing to an executable graph: the capture
 *                        (begin, 20 launches, end) or the definition (20
 *                        kernel nodes, each after the previous), then the
 *                        instantiation; per graph
 *   replay               one launch of the 20-node graph, launches back to
 *                        back in batches with a synchronize after each
 *                        batch (timed); per launch
 * The ways alternate within each repeat so drift hits both alike. */
#include <stdio.h>

#include "bench-util.h"

#define KERNELS 20
#define BATCH 100

typedef struct
{
  const BenchOptions *options;
  CudaObjDevice *device;
  CudaObjStream *stream;
  CudaObjKernel *kernel;
  CudaObjLaunchConfig *config;
} Bench;

static CudaObjGraph *
build_captured (Bench *bench)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphBuilder) builder
      = cuda_obj_graph_builder_new (bench->stream, CUDA_OBJ_CAPTURE_MODE_THREAD_LOCAL, &error);
  CudaObjGraph *graph;

  bench_check (bench->options, "capture", error);
  for (guint k = 0; k < KERNELS; k++)
    {
      cuda_obj_launch (bench->stream, bench->config, bench->kernel, NULL, &error);
      bench_check (bench->options, "captured launch", error);
    }
  cuda_obj_graph_builder_end (builder, &error);
  bench_check (bench->options, "end", error);
  graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  bench_check (bench->options, "complete", error);
  return graph;
}

static CudaObjGraph *
build_explicit (Bench *bench)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphDefinition) definition = cuda_obj_graph_definition_new (bench->device, &error);
  CudaObjGraphNode *previous = NULL;
  CudaObjGraph *graph;

  bench_check (bench->options, "definition", error);
  for (guint k = 0; k < KERNELS; k++)
    {
      previous = cuda_obj_graph_definition_add_kernel (definition, bench->config, bench->kernel, NULL,
                                                       &previous, previous != NULL ? 1 : 0, &error);
      bench_check (bench->options, "kernel node", error);
    }
  graph = cuda_obj_graph_definition_instantiate (definition, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, NULL, &error);
  bench_check (bench->options, "instantiate", error);
  return graph;
}

typedef CudaObjGraph *(*BuildFunc) (Bench *bench);

/* Microseconds per graph built and instantiated. */
static double
time_build (Bench *bench, BuildFunc build, guint count)
{
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < count; i++)
    g_object_unref (build (bench));
  return (bench_now_ns () - start) / 1e3 / count;
}

/* Microseconds per launch of @graph, the synchronizes included. */
static double
time_replay (Bench *bench, CudaObjGraph *graph, guint batches)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  for (guint b = 0; b < batches; b++)
    {
      for (guint i = 0; i < BATCH; i++)
        cuda_obj_graph_launch (graph, bench->stream, &error);
      cuda_obj_stream_synchronize (bench->stream, &error);
    }
  bench_check (bench->options, "replay", error);
  return (bench_now_ns () - start) / 1e3 / (batches * BATCH);
}

int
main (int argc, char **argv)
{
  static const char *const paths[] = { "captured (GraphBuilder)", "explicit (GraphDefinition)" };
  static const BuildFunc builds[] = { build_captured, build_explicit };
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  CudaObjGraph *graphs[2];
  double *build_samples[2], *replay_samples[2];
  guint n_builds, n_batches;

  bench_parse_options (&options, "graph-build",
                       "A 20-kernel graph captured from a stream next to one built node by node.", &argc,
                       &argv);
  device = bench_device_or_skip (&options);
  n_builds = options.quick ? 20 : 200;
  n_batches = options.quick ? 5 : 50;
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  code = bench_compile_kernels (&options, device);
  kernel = bench_get_kernel (&options, code, "empty_kernel");
  config = cuda_obj_launch_config_new (1, BENCH_SMALL_BLOCK);
  bench.options = &options;
  bench.device = device;
  bench.stream = stream;
  bench.kernel = kernel;
  bench.config = config;
  bench_emit_meta (&options, device);

  for (guint p = 0; p < 2; p++)
    {
      build_samples[p] = g_new (double, options.repeats);
      replay_samples[p] = g_new (double, options.repeats);
      /* Warm up both ways, and keep one graph of each for the replays. */
      g_object_unref (builds[p](&bench));
      graphs[p] = builds[p](&bench);
      cuda_obj_graph_upload (graphs[p], stream, &error);
      bench_check (&options, "upload", error);
    }
  for (guint r = 0; r < options.repeats; r++)
    for (guint p = 0; p < 2; p++)
      {
        build_samples[p][r] = time_build (&bench, builds[p], n_builds);
        replay_samples[p][r] = time_replay (&bench, graphs[p], n_batches);
      }

  printf ("%-28s %22s %14s\n", "20 empty kernels", "build + instantiate", "replay");
  for (guint p = 0; p < 2; p++)
    {
      double build, replay;

      /* An explicit graph is no slower to build than a capture, nor to run. */
      build = bench_emit_samples ("graph", "20-kernel chain: build + instantiate", paths[p], build_samples[p],
                                  options.repeats, "us", n_builds, p == 0 ? NULL : paths[0], p == 0 ? 0 : 1.5,
                                  NULL);
      replay = bench_emit_samples ("graph", "20-kernel chain: replay", paths[p], replay_samples[p],
                                   options.repeats, "us", (guint64) n_batches * BATCH,
                                   p == 0 ? NULL : paths[0], p == 0 ? 0 : 1.1, NULL);
      printf ("%-28s %19.1f us %11.2f us\n", paths[p], build, replay);
      g_free (build_samples[p]);
      g_free (replay_samples[p]);
      g_object_unref (graphs[p]);
    }
  return 0;
}
