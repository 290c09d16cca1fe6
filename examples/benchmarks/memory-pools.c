/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memory-pools: what the pool-based resources and batched copies buy.
 *
 *   pinned allocate + free, 64 KiB and 4 MiB
 *     LegacyPinnedMemoryResource   the baseline: cuMemHostAlloc and
 *                                  cuMemFreeHost (after a stream sync) per pair
 *     PinnedMemoryResource         a host pool, stream-ordered; the release
 *                                  threshold is the maximum, so the pool
 *                                  serves every allocation after the first
 *   1,000 copies of 4 KiB, device to device, then a stream sync
 *     1,000 Buffer.copy_to         the baseline: one cuMemcpyAsync each
 *     CopyBatch.submit             one cuMemcpyBatchAsync for all (the
 *                                  batch is built once and submitted again)
 * Rows are medians over the repeats; the paths alternate within each
 * repeat. A driver without host pools or the batch call skips those rows
 * with a note. */
#include <stdio.h>

#include "bench-util.h"

#define COPIES 1000
#define CHUNK 4096

static double
time_pinned (const BenchOptions *options, CudaObjMemoryResource *resource, CudaObjStream *stream, gsize size,
             guint n)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CudaObjBuffer) buffer = cuda_obj_memory_resource_allocate (resource, size, stream, &error);

      bench_check (options, "allocate", error);
      cuda_obj_buffer_close (buffer, stream, &error);
      bench_check (options, "close", error);
    }
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
  return (bench_now_ns () - start) / 1e3 / n;
}

/* Microseconds for COPIES copies and the sync after them. */
static double
time_copies (const BenchOptions *options, CudaObjCopyBatch *batch, CudaObjBuffer *src, CudaObjBuffer *dst,
             CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  if (batch != NULL)
    cuda_obj_copy_batch_submit (batch, stream, &error);
  else
    for (guint i = 0; i < COPIES && error == NULL; i++)
      cuda_obj_buffer_copy_to (src, dst, i * CHUNK, (COPIES - 1 - i) * CHUNK, CHUNK, stream, &error);
  bench_check (options, "copies", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
  return (bench_now_ns () - start) / 1e3;
}

static void
bench_pinned (const BenchOptions *options, CudaObjDevice *device, CudaObjStream *stream)
{
  static const gsize sizes[] = { 64 * 1024, 4 * 1024 * 1024 };
  static const char *const size_names[] = { "64 KiB", "4 MiB" };
  static const char *const paths[] = { "LegacyPinnedMemoryResource", "PinnedMemoryResource" };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjMemoryResource) legacy = NULL, pool = NULL;
  CudaObjMemoryResource *resources[2];
  guint n = options->quick ? 200 : 2000;

  legacy = CUDA_OBJ_MEMORY_RESOURCE (cuda_obj_legacy_pinned_memory_resource_new (device, &error));
  bench_check (options, "legacy pinned resource", error);
  pool = g_initable_new (CUDA_OBJ_TYPE_PINNED_MEMORY_RESOURCE, NULL, &error, "device", device,
                         "release-threshold", G_MAXUINT64, NULL);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      printf ("{\"type\": \"note\", \"suite\": \"pinned-allocation\", \"text\": \"not measured: %s\"}\n",
              "this driver has no host memory pools");
      return;
    }
  bench_check (options, "pinned pool resource", error);
  resources[0] = legacy;
  resources[1] = pool;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree double *samples[2] = { g_new (double, options->repeats), g_new (double, options->repeats) };
      g_autofree char *case_name = g_strdup_printf ("allocate + free, %s", size_names[s]);
      double medians[2];

      for (guint p = 0; p < 2; p++)
        time_pinned (options, resources[p], stream, sizes[s], 20); /* warm up: the pool grows once */
      for (guint r = 0; r < options->repeats; r++)
        for (guint i = 0; i < 2; i++)
          {
            guint p = (i + r) % 2;

            samples[p][r] = time_pinned (options, resources[p], stream, sizes[s], n);
          }
      for (guint p = 0; p < 2; p++)
        medians[p]
            = bench_emit_samples ("pinned-allocation", case_name, paths[p], samples[p], options->repeats,
                                  "us", n, p == 0 ? NULL : paths[0], p == 0 ? 0 : 1.0, NULL);
      printf ("pinned allocate + free, %s: legacy %.3f us, pool %.3f us\n", size_names[s], medians[0],
              medians[1]);
    }
}

static void
bench_copy_batch (const BenchOptions *options, CudaObjDevice *device, CudaObjStream *stream)
{
  static const char *const paths[] = { "1,000 Buffer.copy_to", "CopyBatch.submit" };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjBuffer) src = NULL, dst = NULL;
  g_autoptr (CudaObjCopyBatch) batch = cuda_obj_copy_batch_new ();
  g_autofree double *samples[2] = { g_new (double, options->repeats), g_new (double, options->repeats) };
  double medians[2];

  src = cuda_obj_device_allocate (device, COPIES * CHUNK, stream, &error);
  bench_check (options, "allocate", error);
  dst = cuda_obj_device_allocate (device, COPIES * CHUNK, stream, &error);
  bench_check (options, "allocate", error);
  cuda_obj_buffer_fill (src, 0x5a, 1, 0, COPIES * CHUNK, stream, &error);
  bench_check (options, "fill", error);
  for (guint i = 0; i < COPIES; i++)
    {
      cuda_obj_copy_batch_add (batch, dst, (COPIES - 1 - i) * CHUNK, src, i * CHUNK, CHUNK,
                               CUDA_OBJ_COPY_HINTS_NONE, &error);
      bench_check (options, "add", error);
    }
  time_copies (options, batch, src, dst, stream);
  if (!cuda_obj_copy_batch_get_used_batch_api (batch))
    {
      printf ("{\"type\": \"note\", \"suite\": \"copy-batch\", \"text\": \"not measured: %s\"}\n",
              "this driver has no cuMemcpyBatchAsync");
      return;
    }
  time_copies (options, NULL, src, dst, stream);
  for (guint r = 0; r < options->repeats; r++)
    for (guint i = 0; i < 2; i++)
      {
        guint p = (i + r) % 2;

        samples[p][r] = time_copies (options, p == 1 ? batch : NULL, src, dst, stream);
      }
  for (guint p = 0; p < 2; p++)
    medians[p] = bench_emit_samples ("copy-batch", "1,000 x 4 KiB device to device, then sync", paths[p],
                                     samples[p], options->repeats, "us", COPIES, p == 0 ? NULL : paths[0],
                                     p == 0 ? 0 : 1.0, NULL);
  printf ("1,000 x 4 KiB copies: one by one %.1f us, batched %.1f us\n", medians[0], medians[1]);
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;

  bench_parse_options (&options, "memory-pools",
                       "Pool-based pinned memory next to the legacy one; a copy batch next to single copies.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  bench_emit_meta (&options, device);

  bench_pinned (&options, device, stream);
  bench_copy_batch (&options, device, stream);
  return 0;
}
