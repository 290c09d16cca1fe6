/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ipc-import: what sharing one buffer with another process costs, per
 * buffer, once the pool is shared.
 *
 * The consumer is this program again (--ipc-consumer), spawned with
 * GSubprocess with one end of a socketpair as fd 3; the pool goes over once
 * (ipc_send_pool). Then each iteration is a round trip of one 88-byte frame
 * and a 1-byte reply (ipc_send_descriptor / ipc_receive_descriptor):
 *   socket round trip (88 B)      the baseline: the consumer only replies
 *   export + send + import + free export_buffer here; the consumer calls
 *                                 import_buffer, closes the import and
 *                                 synchronizes (the driver's rule: the
 *                                 importer's free completes first), then
 *                                 replies
 * Rows are medians over the repeats of the mean time per iteration; the
 * paths alternate within each repeat. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "bench-util.h"

typedef enum
{
  ROUND_TRIP,
  IMPORT,
  N_PATHS
} Path;

static const char *const path_names[] = {
  "socket round trip (88 B)",
  "export + send + import + free",
};

static GSocketConnection *
connection_from_fd (const BenchOptions *options, int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  bench_check (options, "socket", error);
  return g_socket_connection_factory_create_connection (socket);
}

static int
consume (void)
{
  BenchOptions options = { "ipc-import (consumer)", 1, FALSE };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = connection_from_fd (&options, 3);
  g_autoptr (CudaObjDevice) device = cuda_obj_device_get (0, &error);
  g_autoptr (CudaObjDeviceMemoryResource) pool = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) reply = g_bytes_new_static ("k", 1);

  bench_check (&options, "device", error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  pool = cuda_obj_ipc_receive_pool (connection, device, NULL, &error);
  bench_check (&options, "receive_pool", error);
  for (;;)
    {
      g_autoptr (GBytes) frame = cuda_obj_ipc_receive_descriptor (connection, NULL, &error);
      gsize size = 0;
      const char *data;

      bench_check (&options, "receive_descriptor", error);
      data = g_bytes_get_data (frame, &size);
      if (size == 4 && memcmp (data, "quit", 4) == 0)
        return 0;
      if (size >= 8 && memcmp (data, "CudaObjB", 8) == 0)
        {
          g_autoptr (CudaObjBuffer) buffer
              = cuda_obj_device_memory_resource_import_buffer (pool, frame, &error);

          bench_check (&options, "import_buffer", error);
          cuda_obj_buffer_close (buffer, stream, &error);
          bench_check (&options, "close", error);
          cuda_obj_stream_synchronize (stream, &error);
          bench_check (&options, "synchronize", error);
        }
      cuda_obj_ipc_send_descriptor (connection, reply, NULL, &error);
      bench_check (&options, "send_descriptor", error);
    }
}

typedef struct
{
  const BenchOptions *options;
  GSocketConnection *connection;
  CudaObjDeviceMemoryResource *pool;
  CudaObjBuffer *buffer;
  GBytes *plain_frame;
} Bench;

/* Microseconds per iteration, averaged over @n. */
static double
time_path (Bench *b, Path path, guint n)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GBytes) frame = NULL;
      g_autoptr (GBytes) reply = NULL;

      if (path == IMPORT)
        {
          frame = cuda_obj_device_memory_resource_export_buffer (b->pool, b->buffer, &error);
          bench_check (b->options, "export_buffer", error);
        }
      else
        frame = g_bytes_ref (b->plain_frame);
      cuda_obj_ipc_send_descriptor (b->connection, frame, NULL, &error);
      bench_check (b->options, "send_descriptor", error);
      reply = cuda_obj_ipc_receive_descriptor (b->connection, NULL, &error);
      bench_check (b->options, "receive_descriptor", error);
    }
  return (bench_now_ns () - start) / 1e3 / n;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) pool = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) consumer = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GBytes) quit = g_bytes_new_static ("quit", 4);
  g_autofree char *self = NULL;
  guint8 plain[88] = { 0 };
  double *samples[N_PATHS];
  double medians[N_PATHS];
  int fds[2];
  guint n;

  if (argc == 2 && strcmp (argv[1], "--ipc-consumer") == 0)
    return consume ();
  bench_parse_options (
      &options, "ipc-import",
      "Sharing a buffer with another process: export, send and import next to a socket round "
      "trip.",
      &argc, &argv);
  device = bench_device_or_skip (&options);
  n = options.quick ? 100 : 1000;
  pool = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device, "ipc-enabled",
                         TRUE, NULL);
  if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      fprintf (stderr, "ipc-import: skipped: %s\n", error->message);
      return 77;
    }
  bench_check (&options, "ipc-enabled pool", error);
  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pool), 1 << 20, NULL, &error);
  bench_check (&options, "allocate", error);
  cuda_obj_device_synchronize (device, &error);
  bench_check (&options, "synchronize", error);

  if (socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    {
      perror ("ipc-import: socketpair");
      return 1;
    }
  self = g_file_read_link ("/proc/self/exe", &error);
  bench_check (&options, "/proc/self/exe", error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  consumer = g_subprocess_launcher_spawn (launcher, &error, self, "--ipc-consumer", NULL);
  bench_check (&options, "spawn", error);
  connection = connection_from_fd (&options, fds[0]);
  cuda_obj_ipc_send_pool (connection, pool, NULL, &error);
  bench_check (&options, "send_pool", error);

  memcpy (plain, "BenchPng", 8);
  bench = (Bench){ &options, connection, pool, buffer, g_bytes_new (plain, sizeof plain) };
  bench_emit_meta (&options, device);
  for (guint p = 0; p < N_PATHS; p++)
    {
      samples[p] = g_new (double, options.repeats);
      time_path (&bench, p, 20); /* warm up */
    }
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < N_PATHS; i++)
      {
        Path p = (i + r) % N_PATHS;

        samples[p][r] = time_path (&bench, p, n);
      }
  cuda_obj_ipc_send_descriptor (connection, quit, NULL, &error);
  bench_check (&options, "send quit", error);
  g_subprocess_wait_check (consumer, NULL, &error);
  bench_check (&options, "consumer", error);

  for (guint p = 0; p < N_PATHS; p++)
    {
      medians[p] = bench_emit_samples ("ipc", "1 MiB buffer, per iteration", path_names[p], samples[p],
                                       options.repeats, "us", n,
                                       p == ROUND_TRIP ? NULL : path_names[ROUND_TRIP], 0, NULL);
      g_free (samples[p]);
    }
  printf (
      "\nSharing a buffer with another process, microseconds per iteration (median of %u repeats of %u)\n",
      options.repeats, n);
  printf ("%-32s %12s %8s\n", "path", "time", "ratio");
  for (guint p = 0; p < N_PATHS; p++)
    printf ("%-32s %12.2f %8.3f\n", path_names[p], medians[p], medians[p] / medians[ROUND_TRIP]);
  g_bytes_unref (bench.plain_frame);
  return 0;
}
