/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmm-grow: growing a 1 GiB device buffer by 1 GiB, two ways, side by side.
 *
 *   allocate + copy + free        the baseline: a DeviceMemoryResource (the
 *                                 device's default pool) allocates 2 GiB,
 *                                 the old 1 GiB is copied into it on the
 *                                 device, the old buffer is closed, and the
 *                                 stream is synchronized
 *   VirtualMemoryResource.grow    cuda_obj_virtual_memory_resource_grow()
 *                                 from 1 GiB to 2 GiB: 1 GiB of new physical
 *                                 memory mapped behind the old, no copy
 * Each repeat makes a fresh 1 GiB buffer for each path (not timed), grows
 * it (timed) and frees it (not timed); the paths alternate. The pool's
 * release threshold is raised for the run, so that the baseline's 2 GiB
 * come from memory the pool already holds after the warm-up: the baseline
 * is its best case. Rows are medians over the repeats, in milliseconds; the
 * JSON lines also say how many grows stayed in place. */
#include <stdio.h>

#include "bench-util.h"

#define GIB ((gsize) 1 << 30)

static double
time_copy_path (const BenchOptions *options, CudaObjMemoryResource *pool, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjBuffer) old = cuda_obj_memory_resource_allocate (pool, GIB, stream, &error);
  g_autoptr (CudaObjBuffer) bigger = NULL;
  gint64 start;
  double ms;

  bench_check (options, "allocate 1 GiB", error);
  cuda_obj_buffer_fill (old, 0x5a, 1, 0, GIB, stream, &error);
  bench_check (options, "fill", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);

  start = bench_now_ns ();
  bigger = cuda_obj_memory_resource_allocate (pool, 2 * GIB, stream, &error);
  bench_check (options, "allocate 2 GiB", error);
  cuda_obj_buffer_copy_to (old, bigger, 0, 0, GIB, stream, &error);
  bench_check (options, "copy", error);
  cuda_obj_buffer_close (old, stream, &error);
  bench_check (options, "close", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
  ms = (bench_now_ns () - start) / 1e6;

  cuda_obj_buffer_close (bigger, stream, &error);
  bench_check (options, "close", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
  return ms;
}

static double
time_grow_path (const BenchOptions *options, CudaObjVirtualMemoryResource *vmm, CudaObjStream *stream,
                guint *in_place)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjBuffer) buffer
      = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (vmm), GIB, NULL, &error);
  guint64 address;
  gint64 start;
  double ms;

  bench_check (options, "allocate 1 GiB", error);
  cuda_obj_buffer_fill (buffer, 0x5a, 1, 0, GIB, stream, &error);
  bench_check (options, "fill", error);
  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
  address = cuda_obj_buffer_get_handle (buffer);

  start = bench_now_ns ();
  cuda_obj_virtual_memory_resource_grow (vmm, buffer, 2 * GIB, &error);
  bench_check (options, "grow", error);
  ms = (bench_now_ns () - start) / 1e6;

  if (cuda_obj_buffer_get_handle (buffer) == address)
    (*in_place)++;
  cuda_obj_buffer_close (buffer, NULL, &error);
  bench_check (options, "close", error);
  return ms;
}

int
main (int argc, char **argv)
{
  static const char *const path_names[] = { "allocate + copy + free", "VirtualMemoryResource.grow" };
  static const char case_name[] = "grow 1 GiB to 2 GiB";
  BenchOptions options;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjMemoryResource) pool = NULL;
  g_autoptr (CudaObjVirtualMemoryResource) vmm = NULL;
  g_autofree char *extra = NULL;
  guint64 old_threshold;
  double *samples[2];
  double medians[2];
  guint in_place = 0, warm_in_place = 0;

  bench_parse_options (
      &options, "vmm-grow",
      "Growing a 1 GiB buffer by 1 GiB: VirtualMemoryResource.grow next to allocate + copy + free.", &argc,
      &argv);
  device = bench_device_or_skip (&options);
  pool = cuda_obj_device_get_memory_resource (device);
  if (!CUDA_OBJ_IS_DEVICE_MEMORY_RESOURCE (pool))
    {
      fprintf (stderr, "%s: skipped: device 0 has no memory pools\n", options.program);
      return 77;
    }
  vmm = cuda_obj_virtual_memory_resource_new (device, CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED,
                                              CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE, &error);
  if (vmm == NULL && g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      fprintf (stderr, "%s: skipped: %s\n", options.program, error->message);
      return 77;
    }
  bench_check (&options, "VirtualMemoryResource", error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  old_threshold
      = cuda_obj_device_memory_resource_get_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool));
  cuda_obj_device_memory_resource_set_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool), G_MAXUINT64,
                                                         &error);
  bench_check (&options, "release threshold", error);
  bench_emit_meta (&options, device);

  /* Warm up: the pool reserves its memory, the driver its page tables. */
  time_copy_path (&options, pool, stream);
  time_grow_path (&options, vmm, stream, &warm_in_place);

  for (guint p = 0; p < 2; p++)
    samples[p] = g_new (double, options.repeats);
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < 2; i++)
      {
        guint p = (i + r) % 2;

        samples[p][r] = p == 0 ? time_copy_path (&options, pool, stream)
                               : time_grow_path (&options, vmm, stream, &in_place);
      }

  extra = g_strdup_printf (", \"grown_in_place\": %u, \"granularity\": %" G_GUINT64_FORMAT, in_place,
                           cuda_obj_virtual_memory_resource_get_granularity (vmm));
  for (guint p = 0; p < 2; p++)
    {
      medians[p] = bench_emit_samples ("vmm-grow", case_name, path_names[p], samples[p], options.repeats,
                                       "ms", 1, p == 0 ? NULL : path_names[0], 0, p == 0 ? NULL : extra);
      g_free (samples[p]);
    }

  printf ("\nGrowing a 1 GiB buffer to 2 GiB, milliseconds (median of %u repeats)\n", options.repeats);
  printf ("%-28s %10.3f\n", path_names[0], medians[0]);
  printf ("%-28s %10.3f  (%.3fx; in place %u of %u times)\n", path_names[1], medians[1],
          medians[1] / medians[0], in_place, options.repeats);

  cuda_obj_device_memory_resource_set_release_threshold (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool),
                                                         old_threshold, NULL);
  cuda_obj_device_memory_resource_trim_to (CUDA_OBJ_DEVICE_MEMORY_RESOURCE (pool), 0, NULL);
  return 0;
}
