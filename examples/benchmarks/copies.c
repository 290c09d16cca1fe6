/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* copies: memory copies through libcudaobj's Buffers next to the raw
 * cuMemcpy*Async calls on the very same memory and stream.
 *
 * Directions: host to device and device to host from ordinary (pageable)
 * host memory and from page-locked memory of a LegacyPinnedMemoryResource, and
 * device to device; sizes 4 KiB, 1 MiB and 256 MiB. Each copy is followed
 * by a stream synchronize (inside the timing: a copy is done when the
 * stream says so), so a row is the time until the data is there.
 *   raw cuMemcpy*Async   the baseline: cuMemcpyHtoDAsync, cuMemcpyDtoHAsync
 *                        or cuMemcpyDtoDAsync, then cuStreamSynchronize
 *   CudaObj.Buffer       copy_from_host / copy_to_host (pageable), copy_to
 *                        between Buffers (pinned, device), then
 *                        cuda_obj_stream_synchronize()
 * Rows are medians over the repeats of the mean time per copy; the paths
 * alternate within each repeat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"

typedef enum
{
  HTOD_PAGEABLE,
  DTOH_PAGEABLE,
  HTOD_PINNED,
  DTOH_PINNED,
  DTOD,
  N_DIRECTIONS
} Direction;

static const char *const direction_names[] = {
  "HtoD pageable", "DtoH pageable", "HtoD pinned", "DtoH pinned", "DtoD",
};

typedef struct
{
  const BenchOptions *options;
  const CudaObjDriver *drv;
  CudaObjStream *stream;
  CUstream handle;
  CudaObjBuffer *device_a, *device_b, *pinned;
  guint8 *pageable;
} Bench;

static void
copy_raw (Bench *b, Direction direction, gsize size)
{
  CUdeviceptr a = cuda_obj_buffer_get_handle (b->device_a), d = cuda_obj_buffer_get_handle (b->device_b);
  void *pinned = (void *) (guintptr) cuda_obj_buffer_get_handle (b->pinned);

  switch (direction)
    {
    case HTOD_PAGEABLE:
      bench_check_cu (b->options, "cuMemcpyHtoDAsync",
                      b->drv->cuMemcpyHtoDAsync (a, b->pageable, size, b->handle));
      break;
    case DTOH_PAGEABLE:
      bench_check_cu (b->options, "cuMemcpyDtoHAsync",
                      b->drv->cuMemcpyDtoHAsync (b->pageable, a, size, b->handle));
      break;
    case HTOD_PINNED:
      bench_check_cu (b->options, "cuMemcpyHtoDAsync",
                      b->drv->cuMemcpyHtoDAsync (a, pinned, size, b->handle));
      break;
    case DTOH_PINNED:
      bench_check_cu (b->options, "cuMemcpyDtoHAsync",
                      b->drv->cuMemcpyDtoHAsync (pinned, a, size, b->handle));
      break;
    case DTOD:
    default:
      bench_check_cu (b->options, "cuMemcpyDtoDAsync", b->drv->cuMemcpyDtoDAsync (d, a, size, b->handle));
      break;
    }
  bench_check_cu (b->options, "cuStreamSynchronize", b->drv->cuStreamSynchronize (b->handle));
}

static void
copy_ours (Bench *b, Direction direction, gsize size)
{
  g_autoptr (GError) error = NULL;
  guint64 pageable = (guint64) (guintptr) b->pageable;

  switch (direction)
    {
    case HTOD_PAGEABLE:
      cuda_obj_buffer_copy_from_host (b->device_a, pageable, size, 0, b->stream, &error);
      break;
    case DTOH_PAGEABLE:
      cuda_obj_buffer_copy_to_host (b->device_a, pageable, size, 0, b->stream, &error);
      break;
    case HTOD_PINNED: cuda_obj_buffer_copy_to (b->pinned, b->device_a, 0, 0, size, b->stream, &error); break;
    case DTOH_PINNED: cuda_obj_buffer_copy_to (b->device_a, b->pinned, 0, 0, size, b->stream, &error); break;
    case DTOD:
    default: cuda_obj_buffer_copy_to (b->device_a, b->device_b, 0, 0, size, b->stream, &error); break;
    }
  bench_check (b->options, direction_names[direction], error);
  cuda_obj_stream_synchronize (b->stream, &error);
  bench_check (b->options, "synchronize", error);
}

/* Microseconds per copy, over @n copies. */
static double
time_copies (Bench *b, gboolean ours, Direction direction, gsize size, guint n)
{
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < n; i++)
    (ours ? copy_ours : copy_raw) (b, direction, size);
  return (bench_now_ns () - start) / 1e3 / n;
}

int
main (int argc, char **argv)
{
  static const gsize sizes[] = { 4096, 1024 * 1024, 256 * 1024 * 1024 };
  static const char *const size_names[] = { "4 KiB", "1 MiB", "256 MiB" };
  static const char *const path_names[] = { "raw cuMemcpy*Async", "CudaObj.Buffer" };
  enum
  {
    N_SIZES = G_N_ELEMENTS (sizes)
  };
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned_resource = NULL;
  gsize max_size = sizes[N_SIZES - 1];
  double *samples[N_DIRECTIONS][N_SIZES][2];
  double medians[N_DIRECTIONS][N_SIZES][2];
  guint iterations[N_SIZES];

  bench_parse_options (&options, "copies", "Memory copies: libcudaobj's Buffers next to raw cuMemcpy*Async.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  bench.options = &options;
  bench.drv = cuda_obj_driver_peek ();
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  bench.stream = stream;
  bench.handle = (CUstream) (guintptr) cuda_obj_stream_get_handle (stream);
  bench.device_a = cuda_obj_device_allocate (device, max_size, stream, &error);
  bench_check (&options, "device allocation", error);
  bench.device_b = cuda_obj_device_allocate (device, max_size, stream, &error);
  bench_check (&options, "device allocation", error);
  pinned_resource = cuda_obj_legacy_pinned_memory_resource_new (device, &error);
  bench_check (&options, "pinned memory resource", error);
  bench.pinned = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned_resource), max_size,
                                                    stream, &error);
  bench_check (&options, "pinned allocation", error);
  /* Pageable memory, touched so that no copy pays for first-touch faults. */
  bench.pageable = g_malloc (max_size);
  memset (bench.pageable, 1, max_size);
  memset ((void *) (guintptr) cuda_obj_buffer_get_handle (bench.pinned), 2, max_size);
  cuda_obj_buffer_fill (bench.device_a, 3, 1, 0, max_size, stream, &error);
  bench_check (&options, "fill", error);
  cuda_obj_buffer_fill (bench.device_b, 4, 1, 0, max_size, stream, &error);
  bench_check (&options, "fill", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (&options, "synchronize", error);
  bench_emit_meta (&options, device);

  for (guint s = 0; s < N_SIZES; s++)
    iterations[s] = sizes[s] <= 4096 ? 1000 : sizes[s] <= 1024 * 1024 ? 200 : 4;
  if (options.quick)
    for (guint s = 0; s < N_SIZES; s++)
      iterations[s] = MAX (1, iterations[s] / 10);

  for (guint d = 0; d < N_DIRECTIONS; d++)
    for (guint s = 0; s < N_SIZES; s++)
      for (guint p = 0; p < 2; p++)
        {
          samples[d][s][p] = g_new (double, options.repeats);
          time_copies (&bench, p == 1, d, sizes[s], 2); /* warm up */
        }
  for (guint r = 0; r < options.repeats; r++)
    for (guint d = 0; d < N_DIRECTIONS; d++)
      for (guint s = 0; s < N_SIZES; s++)
        for (guint i = 0; i < 2; i++)
          {
            guint p = (i + r) % 2;

            samples[d][s][p][r] = time_copies (&bench, p == 1, d, sizes[s], iterations[s]);
          }

  for (guint d = 0; d < N_DIRECTIONS; d++)
    for (guint s = 0; s < N_SIZES; s++)
      for (guint p = 0; p < 2; p++)
        {
          g_autofree char *case_name = g_strdup_printf ("%s, %s", direction_names[d], size_names[s]);
          double median = bench_median (samples[d][s][p], options.repeats);
          g_autofree char *extra = g_strdup_printf (", \"bytes\": %" G_GSIZE_FORMAT ", \"gb_per_s\": %.3f",
                                                    sizes[s], sizes[s] / (median * 1e3));

          medians[d][s][p] = bench_emit_samples ("copies", case_name, path_names[p], samples[d][s][p],
                                                 options.repeats, "us", iterations[s],
                                                 p == 0 ? NULL : path_names[0], p == 0 ? 0 : 1.05, extra);
          g_free (samples[d][s][p]);
        }

  printf ("\nCopies, microseconds per copy including the stream synchronize (median of %u repeats)\n",
          options.repeats);
  printf ("%-16s %-8s %12s %9s %12s %9s %8s\n", "direction", "size", "raw", "GB/s", "CudaObj", "GB/s",
          "ratio");
  for (guint d = 0; d < N_DIRECTIONS; d++)
    for (guint s = 0; s < N_SIZES; s++)
      printf ("%-16s %-8s %12.2f %9.2f %12.2f %9.2f %8.3f\n", direction_names[d], size_names[s],
              medians[d][s][0], sizes[s] / (medians[d][s][0] * 1e3), medians[d][s][1],
              sizes[s] / (medians[d][s][1] * 1e3), medians[d][s][1] / medians[d][s][0]);

  cuda_obj_buffer_close (bench.device_a, stream, NULL);
  cuda_obj_buffer_close (bench.device_b, stream, NULL);
  cuda_obj_buffer_close (bench.pinned, stream, NULL);
  cuda_obj_stream_synchronize (stream, NULL);
  g_clear_object (&bench.device_a);
  g_clear_object (&bench.device_b);
  g_clear_object (&bench.pinned);
  g_free (bench.pageable);
  return 0;
}
