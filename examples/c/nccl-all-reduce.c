/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nccl-all-reduce: an all-reduce across processes, one GPU each.
 *
 * Started by examples/nccl-launch.sh (one host), by mpirun, or by ssh on
 * several hosts. The rank and the number of ranks come from RANK and
 * WORLD_SIZE (torchrun's names, which the launcher sets) or Open MPI's
 * OMPI_COMM_WORLD_RANK and OMPI_COMM_WORLD_SIZE; the GPU is LOCAL_RANK (or
 * OMPI_COMM_WORLD_LOCAL_RANK) modulo the devices of the host. Rank 0 makes
 * the unique id and publishes it: in the file CUDAOBJ_NCCL_ID_FILE names
 * (written whole, then renamed into place, so readers never see half of
 * it), which the other ranks wait for. With NCCL_COMM_ID=host:port set on
 * every rank, NCCL derives the id from that address and every rank makes
 * it itself. Started alone, it is rank 0 of 1.
 *
 * Rank r contributes r + 1 in every element; every rank checks that it got
 * 1 + 2 + ... + n. Exits with 77 (a skip for meson) without a GPU or NCCL,
 * with 1 on any error or wrong result. */
#include <cudaobj.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 20)

static int
env_int (const char *name, const char *fallback, int otherwise)
{
  const char *value = g_getenv (name);

  if (value == NULL && fallback != NULL)
    value = g_getenv (fallback);
  return value != NULL ? atoi (value) : otherwise;
}

static int
fail (const char *what, GError *error)
{
  fprintf (stderr, "nccl-all-reduce: %s: %s\n", what, error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

/* The id this rank uses: made here (rank 0, or anyone with NCCL_COMM_ID),
 * or read from rank 0's file. */
static GBytes *
unique_id_for (int rank, GError **error)
{
  const char *path = g_getenv ("CUDAOBJ_NCCL_ID_FILE");
  g_autofree char *text = NULL;

  if (rank == 0 || g_getenv ("NCCL_COMM_ID") != NULL)
    {
      g_autoptr (GBytes) id = cuda_obj_communicator_get_unique_id (error);
      g_autofree char *partial = NULL;

      if (id == NULL || rank != 0 || path == NULL)
        return g_steal_pointer (&id);
      text = cuda_obj_communicator_unique_id_to_string (id, error);
      partial = g_strconcat (path, ".partial", NULL);
      if (text == NULL || !g_file_set_contents (partial, text, -1, error))
        return NULL;
      if (g_rename (partial, path) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot rename %s to %s", partial, path);
          return NULL;
        }
      return g_steal_pointer (&id);
    }
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "rank %d needs rank 0's unique id: set CUDAOBJ_NCCL_ID_FILE (or NCCL_COMM_ID)", rank);
      return NULL;
    }
  /* Wait for rank 0's file: up to a minute. */
  for (int tries = 0; !g_file_get_contents (path, &text, NULL, NULL); tries++)
    {
      if (tries == 600)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "rank 0 wrote no unique id to %s", path);
          return NULL;
        }
      g_usleep (100 * 1000);
    }
  return cuda_obj_communicator_unique_id_from_string (text, error);
}

int
main (void)
{
  GError *error = NULL;
  int rank = env_int ("RANK", "OMPI_COMM_WORLD_RANK", 0);
  int n_ranks = env_int ("WORLD_SIZE", "OMPI_COMM_WORLD_SIZE", 1);
  int local_rank = env_int ("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", rank);
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (GBytes) id = NULL;
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autofree float *values = g_new (float, N);
  const float *sums;
  float expected = (float) n_ranks * (float) (n_ranks + 1) / 2.0f;
  guint count;

  /* NVLink multicast off, where the platform lacks it. */
  g_setenv ("NCCL_NVLS_ENABLE", "0", FALSE);
  count = cuda_obj_device_get_count (&error);
  if (error != NULL || count == 0)
    {
      fprintf (stderr, "nccl-all-reduce: no GPU: %s\n", error != NULL ? error->message : "no device");
      g_clear_error (&error);
      return EXIT_SKIP;
    }
  if (!cuda_obj_library_load (CUDA_OBJ_LIBRARY_NCCL, &error))
    {
      fprintf (stderr, "nccl-all-reduce: no NCCL: %s\n", error->message);
      g_error_free (error);
      return EXIT_SKIP;
    }
  device = cuda_obj_device_get ((guint) local_rank % count, &error);
  if (device == NULL)
    return fail ("device", error);

  id = unique_id_for (rank, &error);
  if (id == NULL)
    return fail ("unique id", error);
  /* Waits for every rank, a minute at most. */
  comm = g_initable_new (CUDA_OBJ_TYPE_COMMUNICATOR, NULL, &error, "device", device, "n-ranks", n_ranks,
                         "rank", rank, "unique-id", id, "timeout", 60000, NULL);
  if (comm == NULL)
    return fail ("communicator", error);

  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  if (stream == NULL)
    return fail ("stream", error);
  for (guint i = 0; i < N; i++)
    values[i] = (float) (rank + 1);
  buffer = cuda_obj_device_allocate (device, N * sizeof (float), stream, &error);
  if (buffer == NULL
      || !cuda_obj_buffer_copy_from_host (buffer, (guint64) (gsize) values, N * sizeof (float), 0, stream,
                                          &error))
    return fail ("copy in", error);

  /* In place: the buffer holds this rank's values and then the sums. */
  if (!cuda_obj_communicator_all_reduce (comm, NULL, buffer, N, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                         CUDA_OBJ_REDUCE_OP_SUM, stream, &error))
    return fail ("all-reduce", error);
  result = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error);
  if (result == NULL || !cuda_obj_stream_synchronize (stream, &error))
    return fail ("copy out", error);
  sums = g_bytes_get_data (result, NULL);
  for (guint i = 0; i < N; i++)
    if (sums[i] != expected)
      {
        fprintf (stderr, "nccl-all-reduce: rank %d: element %u is %g, expected %g\n", rank, i, sums[i],
                 expected);
        return EXIT_FAILURE;
      }
  if (!cuda_obj_communicator_close (comm, &error))
    return fail ("close", error);
  printf ("rank %d of %d on %s: all-reduce of %d floats correct (%g)\n", rank, n_ranks,
          cuda_obj_device_get_name (device), N, expected);
  return EXIT_SUCCESS;
}
