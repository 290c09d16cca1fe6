/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocation: stream-ordered allocation and free through a MemoryResource
 * next to the raw driver calls on the same pool and stream.
 *
 *   raw cuMemAllocFromPoolAsync   the baseline: cuMemAllocFromPoolAsync and
 *                                 cuMemFreeAsync on the device's default pool
 *   CudaObj.MemoryResource        cuda_obj_memory_resource_allocate() on the
 *                                 device's default DeviceMemoryResource (the
 *                                 same pool), cuda_obj_buffer_close() on the
 *                                 stream, and the Buffer's last unref
 * One iteration is one allocation and its free, back to back, with no sync
 * (in batches of 500; the sync after each batch is not timed). The pool's
 * release threshold is raised to the maximum for the run, so that no sync
 * hands memory back to the system and every allocation is served by the
 * pool: the rows measure the API, not the operating system. Sizes 4 KiB,
 * 1 MiB and 256 MiB. Rows are medians over the repeats of the mean time per
 * allocate + free; the paths alternate within each repeat. */
#include <stdio.h>

#include "bench-util.h"

#define BATCH 500

typedef struct
{
  const BenchOptions *options;
  const CudaObjDriver *drv;
  CudaObjStream *stream;
  CUstream handle;
  CudaObjMemoryResource *resource;
  CUmemoryPool pool;
} Bench;

static void
pairs_raw (Bench *b, gsize size, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      CUdeviceptr address = 0;

      bench_check_cu (b->options, "cuMemAllocFromPoolAsync",
                      b->drv->cuMemAllocFromPoolAsync (&address, size, b->pool, b->handle));
      bench_check_cu (b->options, "cuMemFreeAsync", b->drv->cuMemFreeAsync (address, b->handle));
    }
}

static void
pairs_ours (Bench *b, gsize size, guint n)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CudaObjBuffer) buffer
          = cuda_obj_memory_resource_allocate (b->resource, size, b->stream, &error);

      bench_check (b->options, "allocate", error);
      cuda_obj_buffer_close (buffer, b->stream, &error);
      bench_check (b->options, "close", error);
    }
}

/* Microseconds per allocate + free, over @n pairs. */
static double
time_pairs (Bench *b, gboolean ours, gsize size, guint n)
{
  gint64 total = 0;

  for (guint done = 0; done < n; done += BATCH)
    {
      guint batch = MIN (BATCH, n - done);
      gint64 start = bench_now_ns ();

      (ours ? pairs_ours : pairs_raw) (b, size, batch);
      total += bench_now_ns () - start;
      bench_check_cu (b->options, "cuStreamSynchronize", b->drv->cuStreamSynchronize (b->handle));
    }
  return total / 1e3 / n;
}

int
main (int argc, char **argv)
{
  static const gsize sizes[] = { 4096, 1024 * 1024, 256 * 1024 * 1024 };
  static const char *const size_names[] = { "4 KiB", "1 MiB", "256 MiB" };
  static const char *const path_names[] = { "raw cuMemAllocFromPoolAsync", "CudaObj.MemoryResource" };
  enum
  {
    N_SIZES = G_N_ELEMENTS (sizes)
  };
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  guint64 old_threshold;
  double *samples[N_SIZES][2];
  double medians[N_SIZES][2];
  guint n;

  bench_parse_options (&options, "allocation",
                       "Stream-ordered allocation: a MemoryResource next to raw cuMemAllocFromPoolAsync.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  n = options.quick ? 2000 : 20000;
  bench.options = &options;
  bench.drv = cuda_obj_driver_peek ();
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  bench.stream = stream;
  bench.handle = (CUstream) (guintptr) cuda_obj_stream_get_handle (stream);
  resource = cuda_obj_device_get_memory_resource (device);
  if (!CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (resource))
    {
      fprintf (stderr, "%s: skipped: device 0 has no memory pools\n", options.program);
      return 77;
    }
  bench.resource = resource;
  bench_check_cu (&options, "cuDeviceGetDefaultMemPool",
                  bench.drv->cuDeviceGetDefaultMemPool (&bench.pool, cuda_obj_device_get_handle (device)));
  old_threshold
      = cuda_obj_device_memory_resource_get_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource));
  cuda_obj_device_memory_resource_set_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource),
                                                         G_MAXUINT64, &error);
  bench_check (&options, "release threshold", error);
  bench_emit_meta (&options, device);

  for (guint s = 0; s < N_SIZES; s++)
    for (guint p = 0; p < 2; p++)
      {
        samples[s][p] = g_new (double, options.repeats);
        time_pairs (&bench, p == 1, sizes[s], BATCH); /* warm up: the pool grows once */
      }
  for (guint r = 0; r < options.repeats; r++)
    for (guint s = 0; s < N_SIZES; s++)
      for (guint i = 0; i < 2; i++)
        {
          guint p = (i + r) % 2;

          samples[s][p][r] = time_pairs (&bench, p == 1, sizes[s], n);
        }

  for (guint s = 0; s < N_SIZES; s++)
    for (guint p = 0; p < 2; p++)
      {
        g_autofree char *case_name = g_strdup_printf ("allocate + free, %s", size_names[s]);

        medians[s][p]
            = bench_emit_samples ("allocation", case_name, path_names[p], samples[s][p], options.repeats,
                                  "us", n, p == 0 ? NULL : path_names[0], p == 0 ? 0 : 1.3, NULL);
        g_free (samples[s][p]);
      }

  printf ("\nStream-ordered allocate + free, microseconds per pair (median of %u repeats of %u pairs)\n",
          options.repeats, n);
  printf ("%-10s %28s %24s %8s\n", "size", path_names[0], path_names[1], "ratio");
  for (guint s = 0; s < N_SIZES; s++)
    printf ("%-10s %28.3f %24.3f %8.3f\n", size_names[s], medians[s][0], medians[s][1],
            medians[s][1] / medians[s][0]);

  cuda_obj_device_memory_resource_set_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource),
                                                         old_threshold, NULL);
  cuda_obj_device_memory_resource_trim_to (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (resource), 0, NULL);
  return 0;
}
