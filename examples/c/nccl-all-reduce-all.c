/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nccl-all-reduce-all: one process, every GPU of the host, one all-reduce.
 *
 * cuda_obj_communicator_new_all() makes one communicator per device (rank
 * i on device i). One thread drives all the ranks, so their all-reduces
 * are enqueued between group_start and group_end: NCCL starts them together,
 * where one alone would wait for the others. Device i contributes i + 1 in
 * every element and every device checks the sum. One GPU is a valid case.
 * Exits with 77 (a skip for meson) without a GPU or NCCL, with 1 on any
 * error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 20)

static int
fail (const char *what, GError *error)
{
  fprintf (stderr, "nccl-all-reduce-all: %s: %s\n", what, error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

int
main (void)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GPtrArray) comms = NULL;
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) buffers = g_ptr_array_new_with_free_func (g_object_unref);
  float expected;

  g_setenv ("NCCL_NVLS_ENABLE", "0", FALSE);
  devices = cuda_obj_device_get_all (&error);
  if (devices == NULL || devices->len == 0)
    {
      fprintf (stderr, "nccl-all-reduce-all: no GPU: %s\n", error != NULL ? error->message : "no device");
      g_clear_error (&error);
      return EXIT_SKIP;
    }
  if (!cuda_obj_library_load (CUDA_OBJ_LIBRARY_NCCL, &error))
    {
      fprintf (stderr, "nccl-all-reduce-all: no NCCL: %s\n", error->message);
      g_error_free (error);
      return EXIT_SKIP;
    }
  comms = cuda_obj_communicator_new_all ((CudaObjDevice **) devices->pdata, devices->len, &error);
  if (comms == NULL)
    return fail ("communicators", error);

  for (guint i = 0; i < devices->len; i++)
    {
      CudaObjStream *stream = cuda_obj_stream_new (devices->pdata[i], TRUE, 0, &error);
      CudaObjBuffer *buffer;

      if (stream == NULL)
        return fail ("stream", error);
      g_ptr_array_add (streams, stream);
      buffer = cuda_obj_device_allocate (devices->pdata[i], N * sizeof (float), stream, &error);
      if (buffer == NULL)
        return fail ("allocate", error);
      g_ptr_array_add (buffers, buffer);
      /* i + 1 as a float, as a 32-bit fill pattern. */
      union
      {
        float f;
        guint32 bits;
      } value = { .f = (float) (i + 1) };
      if (!cuda_obj_buffer_fill (buffer, value.bits, 4, 0, N, stream, &error))
        return fail ("fill", error);
    }

  if (!cuda_obj_communicator_group_start (&error))
    return fail ("group start", error);
  for (guint i = 0; i < comms->len; i++)
    if (!cuda_obj_communicator_all_reduce (comms->pdata[i], NULL, buffers->pdata[i], N,
                                           CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                           streams->pdata[i], &error))
      {
        cuda_obj_communicator_group_end (NULL);
        return fail ("all-reduce", error);
      }
  if (!cuda_obj_communicator_group_end (&error))
    return fail ("group end", error);

  expected = (float) devices->len * (float) (devices->len + 1) / 2.0f;
  for (guint i = 0; i < devices->len; i++)
    {
      g_autoptr (GBytes) result
          = cuda_obj_buffer_copy_to_bytes (buffers->pdata[i], 0, -1, streams->pdata[i], &error);
      const float *sums;

      if (result == NULL || !cuda_obj_stream_synchronize (streams->pdata[i], &error))
        return fail ("copy out", error);
      sums = g_bytes_get_data (result, NULL);
      for (guint j = 0; j < N; j++)
        if (sums[j] != expected)
          {
            fprintf (stderr, "nccl-all-reduce-all: device %u: element %u is %g, expected %g\n", i, j, sums[j],
                     expected);
            return EXIT_FAILURE;
          }
    }
  printf ("all-reduce of %d floats over %u GPU%s in one process: correct (%g)\n", N, devices->len,
          devices->len == 1 ? "" : "s", expected);
  return EXIT_SUCCESS;
}
