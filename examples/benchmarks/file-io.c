/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* file-io: a file read into device memory with cuFile (FileHandle.read)
 * next to what a program without it does: read() into host memory, then a
 * copy to the device.
 *   read() + cuMemcpyHtoD   the baseline: read() into page-locked memory
 *                           of a LegacyPinnedMemoryResource, then one copy
 *   CudaObj.FileHandle      cuda_obj_file_handle_read (cuFile; in POSIX
 *                           compatibility mode without GPUDirect Storage;
 *                           libcudaobj's own pread() path where cuFile
 *                           refuses the file)
 * The file (1 GiB; 256 MiB with --quick) is written once in a temporary
 * directory and read whole by each path in turn, so both find it in the
 * page cache after the first repeat: the rows compare the paths' own
 * costs, not the disk. Rows are medians in milliseconds per read, with the
 * bandwidth. The two results are compared byte for byte once. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-util.h"

static double
read_posix (const BenchOptions *options, const char *path, guint8 *host, CudaObjBuffer *buffer, gsize size)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();
  int fd = open (path, O_RDONLY);

  if (fd < 0)
    bench_check (options, "open", g_error_new (G_FILE_ERROR, g_file_error_from_errno (errno), "%s", path));
  for (gsize done = 0; done < size;)
    {
      gssize n = read (fd, host + done, size - done);
      if (n <= 0)
        bench_check (options, "read", g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_IO, "short read"));
      done += (gsize) n;
    }
  close (fd);
  cuda_obj_buffer_copy_from_host (buffer, (guint64) (guintptr) host, size, 0, NULL, &error);
  bench_check (options, "copy", g_steal_pointer (&error));
  return (bench_now_ns () - start) / 1e6;
}

static double
read_cufile (const BenchOptions *options, CudaObjFileHandle *handle, CudaObjBuffer *buffer, gsize size)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  if (cuda_obj_file_handle_read (handle, buffer, size, 0, 0, &error) != (gssize) size && error == NULL)
    error = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_IO, "short read");
  bench_check (options, "cuFile read", g_steal_pointer (&error));
  return (bench_now_ns () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjSyncMemoryResource) resource = NULL;
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned_resource = NULL;
  g_autoptr (CudaObjBuffer) posix_buffer = NULL, cufile_buffer = NULL, pinned = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (GBytes) a = NULL, b = NULL;
  g_autofree char *dir = NULL, *path = NULL, *case_name = NULL;
  g_autofree guint8 *chunk = NULL;
  double *samples[2], medians[2];
  const char *const path_names[] = { "read() + cuMemcpyHtoD", "CudaObj.FileHandle" };
  gsize size;
  guint8 *host;
  int fd;

  bench_parse_options (&options, "file-io", "- cuFile reads next to read() and a copy", &argc, &argv);
  device = bench_device_or_skip (&options);
  size = options.quick ? (gsize) 256 << 20 : (gsize) 1 << 30;

  dir = g_dir_make_tmp ("cudaobj-bench-XXXXXX", &error);
  bench_check (&options, "temporary directory", g_steal_pointer (&error));
  path = g_build_filename (dir, "data", NULL);
  handle = cuda_obj_file_handle_new (path, TRUE, &error);
  if (handle == NULL)
    {
      g_printerr ("file-io: %s\n", error->message);
      g_rmdir (dir);
      return 77;
    }
  fd = open (path, O_WRONLY | O_TRUNC);
  chunk = g_malloc ((gsize) 1 << 20);
  for (gsize i = 0; i < (size >> 20); i++)
    {
      memset (chunk, (int) (i * 37 + 11), (gsize) 1 << 20);
      if (fd < 0 || write (fd, chunk, (gsize) 1 << 20) != 1 << 20)
        bench_check (&options, "write", g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write"));
    }
  close (fd);

  resource = cuda_obj_sync_memory_resource_new (device, &error);
  bench_check (&options, "resource", g_steal_pointer (&error));
  posix_buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, NULL, &error);
  bench_check (&options, "allocation", g_steal_pointer (&error));
  cufile_buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), size, NULL, &error);
  bench_check (&options, "allocation", g_steal_pointer (&error));
  pinned_resource = cuda_obj_legacy_pinned_memory_resource_new (device, &error);
  bench_check (&options, "pinned resource", g_steal_pointer (&error));
  pinned = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pinned_resource), size, NULL, &error);
  bench_check (&options, "pinned allocation", g_steal_pointer (&error));
  host = (guint8 *) (guintptr) cuda_obj_buffer_get_handle (pinned);
  bench_emit_meta (&options, device);

  /* Warm up, and check that both paths give the same bytes. */
  read_posix (&options, path, host, posix_buffer, size);
  read_cufile (&options, handle, cufile_buffer, size);
  a = cuda_obj_buffer_copy_to_bytes (posix_buffer, 0, -1, NULL, &error);
  bench_check (&options, "copy back", g_steal_pointer (&error));
  b = cuda_obj_buffer_copy_to_bytes (cufile_buffer, 0, -1, NULL, &error);
  bench_check (&options, "copy back", g_steal_pointer (&error));
  if (!g_bytes_equal (a, b))
    bench_check (&options, "compare",
                 g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_IO, "cuFile and read() disagree"));

  for (guint p = 0; p < 2; p++)
    samples[p] = g_new (double, options.repeats);
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < 2; i++)
      {
        guint p = (i + r) % 2;
        samples[p][r] = p == 0 ? read_posix (&options, path, host, posix_buffer, size)
                               : read_cufile (&options, handle, cufile_buffer, size);
      }
  case_name = g_strdup_printf ("%s file into device memory (%s)", options.quick ? "256 MiB" : "1 GiB",
                               !cuda_obj_file_handle_get_cufile (handle)
                                   ? "cuFile refused the file: libcudaobj's pread()"
                               : cuda_obj_file_handle_get_compat_mode (handle) ? "cuFile compatibility mode"
                                                                               : "GPUDirect Storage");
  for (guint p = 0; p < 2; p++)
    {
      double median = bench_median (samples[p], options.repeats);
      g_autofree char *extra = g_strdup_printf (", \"bytes\": %" G_GSIZE_FORMAT ", \"gb_per_s\": %.3f", size,
                                                size / (median * 1e6));

      medians[p] = bench_emit_samples ("file-io", case_name, path_names[p], samples[p], options.repeats, "ms",
                                       1, p == 0 ? NULL : path_names[0], 0, extra);
      g_free (samples[p]);
    }
  printf ("\n%s, milliseconds per read (median of %u repeats)\n", case_name, options.repeats);
  for (guint p = 0; p < 2; p++)
    printf ("%-30s %10.1f ms %8.2f GB/s\n", path_names[p], medians[p], size / (medians[p] * 1e6));

  cuda_obj_file_handle_close (handle, NULL);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
