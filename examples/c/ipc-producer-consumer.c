/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ipc-producer-consumer: two processes share GPU memory.
 *
 * The producer makes a memory pool that can be shared (ipc-enabled),
 * starts a kernel that fills a buffer from it, records an interprocess
 * event after the kernel and, without waiting for the GPU, hands the pool
 * (a file descriptor, as SCM_RIGHTS), the buffer's descriptor and the
 * event's descriptor to a consumer over a Unix socketpair. The consumer is
 * this program again, started with GSubprocess; it imports the pool, the
 * buffer and the event, makes its stream wait for the event, copies the
 * data back and checks it, frees its import and says "done": only then
 * does the producer free the buffer (the driver's rule: importers free
 * first). Exits with 77 (a skip for meson) when there is no CUDA device or
 * the device cannot share pools, with 1 on any error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define EXIT_SKIP 77
#define N (1 << 22)

static const char source[] = "extern \"C\" __global__ void fill (unsigned int *out, size_t n)\n"
                             "{\n"
                             "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    out[i] = (unsigned int) i * 3u + 7u;\n"
                             "}\n";

static GSocketConnection *
connection_from_fd (int fd, GError **error)
{
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, error);

  return socket != NULL ? g_socket_connection_factory_create_connection (socket) : NULL;
}

static int
fail (const char *role, GError *error)
{
  fprintf (stderr, "ipc-producer-consumer: %s: %s\n", role, error->message);
  return EXIT_FAILURE;
}

static int
consume (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) pool = NULL;
  g_autoptr (GBytes) buffer_descriptor = NULL;
  g_autoptr (GBytes) event_descriptor = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjEvent) ready = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) done = g_bytes_new_static ("done", 4);
  const guint32 *values;
  guint n_bad = 0;

  /* fd 3 is the consumer's end of the socketpair. */
  if ((connection = connection_from_fd (3, &error)) == NULL
      || (device = cuda_obj_device_get (0, &error)) == NULL
      || (pool = cuda_obj_ipc_receive_pool (connection, device, NULL, &error)) == NULL
      || (buffer_descriptor = cuda_obj_ipc_receive_descriptor (connection, NULL, &error)) == NULL
      || (event_descriptor = cuda_obj_ipc_receive_descriptor (connection, NULL, &error)) == NULL
      || (buffer = cuda_obj_device_memory_resource_import_buffer (pool, buffer_descriptor, &error)) == NULL
      || (ready = cuda_obj_event_new_from_ipc (device, event_descriptor, &error)) == NULL
      || (stream = cuda_obj_device_create_stream (device, &error)) == NULL)
    return fail ("consumer", error);

  /* The GPU, not this thread, waits for the producer's kernel. */
  if (!cuda_obj_stream_wait_event (stream, ready, &error)
      || (data = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, &error)) == NULL)
    return fail ("consumer", error);
  values = g_bytes_get_data (data, NULL);
  for (guint32 i = 0; i < N; i++)
    if (values[i] != i * 3u + 7u && n_bad++ < 5)
      fprintf (stderr, "ipc-producer-consumer: out[%u] is %u, expected %u\n", i, values[i], i * 3u + 7u);
  if (n_bad > 0)
    return EXIT_FAILURE;
  printf ("ipc-producer-consumer: consumer read %d elements written by the producer, all OK\n", N);

  /* Free the import, and see it done, before the producer frees. */
  if (!cuda_obj_buffer_close (buffer, stream, &error) || !cuda_obj_stream_synchronize (stream, &error)
      || !cuda_obj_ipc_send_descriptor (connection, done, NULL, &error))
    return fail ("consumer", error);
  return EXIT_SUCCESS;
}

static int
produce (const char *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjDeviceMemoryResource) pool = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N, 256);
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjEvent) ready = NULL;
  g_autoptr (GBytes) buffer_descriptor = NULL;
  g_autoptr (GBytes) event_descriptor = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) consumer = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autofree char *arch = NULL;
  int fds[2];

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "ipc-producer-consumer: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }
  pool = g_initable_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL, &error, "device", device, "ipc-enabled",
                         TRUE, NULL);
  if (pool == NULL)
    {
      fprintf (stderr, "ipc-producer-consumer: no shareable pool: %s\n", error->message);
      return g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED) ? EXIT_SKIP : EXIT_FAILURE;
    }

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  if ((code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error)) == NULL
      || (kernel = cuda_obj_object_code_get_kernel (code, "fill", &error)) == NULL
      || (stream = cuda_obj_device_create_stream (device, &error)) == NULL
      || (buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (pool), N * sizeof (guint32),
                                                      stream, &error))
             == NULL)
    return fail ("producer", error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, buffer);
  cuda_obj_kernel_args_set_uint64 (args, 1, N);
  ready = g_initable_new (CUDA_OBJ_TYPE_EVENT, NULL, &error, "device", device, "ipc", TRUE, "timing", FALSE,
                          NULL);
  if (ready == NULL || !cuda_obj_launch (stream, config, kernel, args, &error)
      || !cuda_obj_event_record (ready, stream, &error))
    return fail ("producer", error);

  /* The consumer: this program again, with its end of a socketpair as fd 3. */
  if (socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    {
      perror ("ipc-producer-consumer: socketpair");
      return EXIT_FAILURE;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  if ((consumer = g_subprocess_launcher_spawn (launcher, &error, self, "--consume", NULL)) == NULL
      || (connection = connection_from_fd (fds[0], &error)) == NULL)
    return fail ("producer", error);

  /* Sent while the kernel may still run: the event orders the consumer. */
  if ((buffer_descriptor = cuda_obj_device_memory_resource_export_buffer (pool, buffer, &error)) == NULL
      || (event_descriptor = cuda_obj_event_export_ipc (ready, &error)) == NULL
      || !cuda_obj_ipc_send_pool (connection, pool, NULL, &error)
      || !cuda_obj_ipc_send_descriptor (connection, buffer_descriptor, NULL, &error)
      || !cuda_obj_ipc_send_descriptor (connection, event_descriptor, NULL, &error)
      || (reply = cuda_obj_ipc_receive_descriptor (connection, NULL, &error)) == NULL)
    return fail ("producer", error);

  /* The consumer freed its import: the producer may free the buffer. */
  if (!cuda_obj_buffer_close (buffer, stream, &error) || !cuda_obj_stream_synchronize (stream, &error)
      || !g_subprocess_wait_check (consumer, NULL, &error))
    return fail ("producer", error);
  printf ("ipc-producer-consumer: producer shared %zu bytes with its consumer\n", N * sizeof (guint32));
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  g_autofree char *self = NULL;

  if (argc == 2 && strcmp (argv[1], "--consume") == 0)
    return consume ();
  self = g_file_read_link ("/proc/self/exe", NULL);
  return produce (self != NULL ? self : argv[0]);
}
