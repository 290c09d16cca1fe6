/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nccl-all-reduce: what a Communicator costs next to raw NCCL, and the
 * all-reduce bus bandwidth it reaches.
 *
 *   overhead (any GPU)    an all-reduce of 8 bytes on a communicator of one
 *                         rank, per call including its share of the final
 *                         stream synchronize: raw ncclAllReduce on a
 *                         communicator of ncclCommInitAll (the baseline)
 *                         next to cuda_obj_communicator_all_reduce() on one
 *                         of cuda_obj_communicator_new_all(); the paths
 *                         alternate within each repeat
 *   bus bandwidth (2+)    one process, every GPU (new_all), in-place float
 *                         all-reduces of 8 B to 1 GiB in a group per
 *                         iteration; bus bandwidth as nccl-tests defines
 *                         it: size / time x 2 (n - 1) / n. nccl_torch.py
 *                         measures torch.distributed the same way.
 * NVLink multicast is off (NCCL_NVLS_ENABLE=0). Exits 77 without a GPU or
 * NCCL. */
#include <stdio.h>

#include "bench-util.h"

#define MAX_DEVICES 16
/* The bus bandwidth rows' paths; nccl_torch.py writes the second. */
#define BUSBW_PATH "Communicator (new_all, one process)"
#define TORCH_PATH "torch.distributed (NCCL, one process per GPU)"

static void
sync_stream (const BenchOptions *options, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;

  cuda_obj_stream_synchronize (stream, &error);
  bench_check (options, "synchronize", error);
}

/* Microseconds per all-reduce of 8 bytes, over @n calls. */
static double
time_overhead (const BenchOptions *options, gboolean raw, ncclComm_t raw_comm, CudaObjCommunicator *comm,
               CudaObjBuffer *buffer, CudaObjStream *stream, guint n)
{
  const CudaObjNccl *nccl = cuda_obj_nccl_get (NULL);
  void *address = GSIZE_TO_POINTER ((gsize) cuda_obj_buffer_get_handle (buffer));
  cudaStream_t handle = (cudaStream_t) (guintptr) cuda_obj_stream_get_handle (stream);
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < n; i++)
    {
      if (raw)
        {
          ncclResult_t result
              = nccl->ncclAllReduce (address, address, 2, ncclFloat32, ncclSum, raw_comm, handle);
          if (result != ncclSuccess)
            {
              fprintf (stderr, "%s: ncclAllReduce: %s\n", options->program,
                       nccl->ncclGetErrorString (result));
              exit (1);
            }
        }
      else
        {
          g_autoptr (GError) error = NULL;
          cuda_obj_communicator_all_reduce (comm, NULL, buffer, 2, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                            CUDA_OBJ_REDUCE_OP_SUM, stream, &error);
          bench_check (options, "all_reduce", error);
        }
    }
  sync_stream (options, stream);
  return (double) (bench_now_ns () - start) / 1000.0 / n;
}

static void
overhead (const BenchOptions *options, CudaObjDevice *device)
{
  const CudaObjNccl *nccl = cuda_obj_nccl_get (NULL);
  static const char *const paths[] = { "raw ncclAllReduce", "Communicator.all_reduce" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) comms = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  ncclComm_t raw_comm = NULL;
  int ordinal = (int) cuda_obj_device_get_ordinal (device);
  double *samples[2];
  guint n = options->quick ? 500 : 5000;

  comms = cuda_obj_communicator_new_all (&device, 1, &error);
  bench_check (options, "new_all", error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (options, "stream", error);
  buffer = cuda_obj_device_allocate (device, 8, stream, &error);
  bench_check (options, "allocate", error);
  cuda_obj_buffer_fill (buffer, 0, 4, 0, 2, stream, &error);
  bench_check (options, "fill", error);
  cuda_obj_device_activate (device, &error);
  bench_check (options, "activate", error);
  if (nccl->ncclCommInitAll (&raw_comm, 1, &ordinal) != ncclSuccess)
    {
      fprintf (stderr, "%s: ncclCommInitAll failed\n", options->program);
      exit (1);
    }

  for (guint p = 0; p < 2; p++)
    {
      samples[p] = g_new (double, options->repeats);
      time_overhead (options, p == 0, raw_comm, comms->pdata[0], buffer, stream, 100); /* warm up */
    }
  for (guint r = 0; r < options->repeats; r++)
    for (guint i = 0; i < 2; i++)
      {
        guint p = (i + r) % 2;
        samples[p][r] = time_overhead (options, p == 0, raw_comm, comms->pdata[0], buffer, stream, n);
      }
  for (guint p = 0; p < 2; p++)
    {
      /* The target: within 1.5x of raw NCCL per call. */
      double median
          = bench_emit_samples ("nccl", "all-reduce of 8 B, one rank", paths[p], samples[p], options->repeats,
                                "us", n, p == 0 ? NULL : paths[0], p == 0 ? 0 : 1.5, NULL);
      printf ("  %-26s %8.2f us per call\n", paths[p], median);
      g_free (samples[p]);
    }
  nccl->ncclCommDestroy (raw_comm);
}

static void
bus_bandwidth (const BenchOptions *options, GPtrArray *devices)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) comms = NULL;
  CudaObjStream *streams[MAX_DEVICES];
  CudaObjBuffer *buffers[MAX_DEVICES];
  guint n_devices = MIN (devices->len, MAX_DEVICES);
  const gsize max_bytes = (gsize) 1 << 30;

  comms = cuda_obj_communicator_new_all ((CudaObjDevice **) devices->pdata, n_devices, &error);
  bench_check (options, "new_all", error);
  for (guint d = 0; d < n_devices; d++)
    {
      streams[d] = cuda_obj_stream_new (devices->pdata[d], TRUE, 0, &error);
      bench_check (options, "stream", error);
      buffers[d] = cuda_obj_device_allocate (devices->pdata[d], max_bytes, streams[d], &error);
      bench_check (options, "allocate", error);
      cuda_obj_buffer_fill (buffers[d], 0, 4, 0, max_bytes / 4, streams[d], &error);
      bench_check (options, "fill", error);
    }
  printf ("\nAll-reduce bus bandwidth over %u GPUs in one process, GB/s\n", n_devices);
  for (gsize bytes = 8; bytes <= max_bytes; bytes *= 8)
    {
      g_autofree char *case_name = g_strdup_printf ("%" G_GSIZE_FORMAT " B, %u GPUs", bytes, n_devices);
      g_autofree double *samples = g_new (double, options->repeats);
      guint n = bytes <= (1 << 20) ? (options->quick ? 20 : 200) : (options->quick ? 3 : 20);
      double median;

      for (guint r = 0; r <= options->repeats; r++)
        {
          gint64 start = bench_now_ns ();
          double seconds;

          for (guint i = 0; i < n; i++)
            {
              cuda_obj_communicator_group_start (&error);
              for (guint d = 0; d < n_devices && error == NULL; d++)
                cuda_obj_communicator_all_reduce (comms->pdata[d], NULL, buffers[d], MAX (bytes / 4, 1),
                                                  CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                                  streams[d], &error);
              cuda_obj_communicator_group_end (error == NULL ? &error : NULL);
              bench_check (options, "all_reduce", error);
            }
          for (guint d = 0; d < n_devices; d++)
            sync_stream (options, streams[d]);
          seconds = (double) (bench_now_ns () - start) / 1e9 / n;
          /* The first round warms up. */
          if (r > 0)
            samples[r - 1] = (double) bytes / seconds * 2.0 * (n_devices - 1) / n_devices / 1e9;
        }
      /* Compared with torch.distributed's row of the same case (nccl_torch.py). */
      median = bench_emit_samples ("nccl-busbw", case_name, BUSBW_PATH, samples, options->repeats, "GB/s", n,
                                   TORCH_PATH, 0, NULL);
      printf ("  %12" G_GSIZE_FORMAT " B  %8.2f GB/s\n", bytes, median);
    }
  for (guint d = 0; d < n_devices; d++)
    {
      g_object_unref (buffers[d]);
      g_object_unref (streams[d]);
    }
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (GPtrArray) devices = NULL;

  g_setenv ("NCCL_NVLS_ENABLE", "0", FALSE);
  bench_parse_options (&options, "nccl-all-reduce",
                       "NCCL: Communicator call overhead next to raw NCCL, and all-reduce bus bandwidth.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  if (cuda_obj_nccl_get (&error) == NULL)
    {
      fprintf (stderr, "%s: no NCCL: %s\n", options.program, error->message);
      return 77;
    }
  bench_emit_meta (&options, device);
  printf ("All-reduce of 8 bytes on a communicator of one rank, median of %u repeats\n", options.repeats);
  overhead (&options, device);

  devices = cuda_obj_device_get_all (&error);
  bench_check (&options, "devices", error);
  if (devices->len < 2)
    {
      printf (
          "{\"type\": \"note\", \"suite\": \"nccl-busbw\", \"text\": \"bus bandwidth needs two GPUs; this "
          "machine has %u\"}\n",
          devices->len);
      return 0;
    }
  bus_bandwidth (&options, devices);
  return 0;
}
