/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checkpoint: argument checks, drivers without support, and a child
 * process locked, checkpointed, restored and unlocked with its device
 * memory intact. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

#define HELPER_ARG "--checkpoint-helper"
#define HELPER_SIZE ((gsize) 64 << 20)
#define HELPER_PATTERN 0x5eedc0deu

/* The child: fills device memory, says "ready", waits for a line on stdin,
 * then checks the memory and exits 0 when it is intact. */
static int
helper_main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = cuda_obj_device_get (0, &error);
  g_autoptr (CudaObjSyncMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const guint32 *words;
  char line[16];

  if (device == NULL || (resource = cuda_obj_sync_memory_resource_new (device, &error)) == NULL
      || (buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), HELPER_SIZE, NULL,
                                                      &error))
             == NULL
      || !cuda_obj_buffer_fill (buffer, HELPER_PATTERN, 4, 0, HELPER_SIZE / 4, NULL, &error)
      || !cuda_obj_device_synchronize (device, &error))
    {
      g_printerr ("helper: %s\n", error->message);
      return 2;
    }
  printf ("ready\n");
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return 3;
  bytes = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  if (bytes == NULL)
    {
      g_printerr ("helper after restore: %s\n", error->message);
      return 4;
    }
  words = g_bytes_get_data (bytes, NULL);
  for (gsize i = 0; i < HELPER_SIZE / 4; i++)
    if (words[i] != HELPER_PATTERN)
      {
        g_printerr ("helper: word %" G_GSIZE_FORMAT " is %08x after restore\n", i, words[i]);
        return 5;
      }
  return 0;
}

typedef struct
{
  const char *name;
  int pid; /* 0: the calling process's own */
} BadPidCase;

static const BadPidCase bad_pid_cases[] = {
  { "zero", -100000 },
  { "negative", -1 },
  { "self", 0 },
};

static void
test_bad_pid (gconstpointer data)
{
  const BadPidCase *c = data;
  int pid = c->pid == 0 ? (int) getpid () : c->pid == -100000 ? 0 : c->pid;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cuda_obj_checkpoint_get_state (pid, &error), ==, CUDA_OBJ_PROCESS_STATE_FAILED);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, c->pid == 0 ? "itself" : "process id"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_checkpoint_lock (pid, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_checkpoint_checkpoint (pid, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_checkpoint_restore (pid, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_checkpoint_unlock (pid, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_checkpoint_get_restore_thread_id (pid, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* Without a usable driver the driver's own error comes through. */
static void
test_no_driver (void)
{
  g_autoptr (GError) error = NULL;

  if (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_DRIVER))
    {
      g_test_skip ("the driver is already loaded");
      return;
    }
  g_setenv ("CUDA_OBJ_DRIVER_LIBRARY", "/nonexistent/libcuda.so.1", TRUE);
  g_assert_false (cuda_obj_checkpoint_is_supported (&error));
  g_unsetenv ("CUDA_OBJ_DRIVER_LIBRARY");
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  g_setenv ("CUDA_OBJ_DRIVER_LIBRARY", "/nonexistent/libcuda.so.1", TRUE);
  g_assert_false (cuda_obj_checkpoint_lock (1, 100, &error));
  g_unsetenv ("CUDA_OBJ_DRIVER_LIBRARY");
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
}

/* A process that does not use CUDA is refused by the driver. */
static void
test_process_without_cuda (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) sleeper = NULL;
  int pid;

  if (device == NULL)
    return;
  if (!cuda_obj_checkpoint_is_supported (&error))
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      g_test_skip (error->message);
      return;
    }
  sleeper = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "30", NULL);
  g_assert_no_error (error);
  pid = (int) g_ascii_strtoll (g_subprocess_get_identifier (sleeper), NULL, 10);
  g_assert_false (cuda_obj_checkpoint_checkpoint (pid, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR || error->domain == CUDA_OBJ_ERROR);
  g_test_message ("checkpointing a process without CUDA: %s", error->message);
  g_subprocess_force_exit (sleeper);
  g_subprocess_wait (sleeper, NULL, NULL);
}

static void
expect_state (int pid, CudaObjProcessState expected)
{
  g_autoptr (GError) error = NULL;
  CudaObjProcessState state = cuda_obj_checkpoint_get_state (pid, &error);

  g_assert_no_error (error);
  g_assert_cmpint (state, ==, expected);
}

/* Errors that say this machine does not let us checkpoint (no
 * permission, a container without the needed kernel support). */
static gboolean
is_environment_refusal (const GError *error)
{
  if (error->domain == CUDA_OBJ_ERROR)
    return error->code == CUDA_OBJ_ERROR_NOT_SUPPORTED;
  return error->domain == CUDA_OBJ_DRIVER_ERROR
         && (error->code == CUDA_ERROR_NOT_PERMITTED || error->code == CUDA_ERROR_NOT_SUPPORTED
             || error->code == CUDA_ERROR_OPERATING_SYSTEM);
}

static void
test_round_trip (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_path = NULL;
  GOutputStream *in;
  int pid, tid;

  if (device == NULL)
    return;
  if (!cuda_obj_checkpoint_is_supported (&error))
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
      g_test_skip (error->message);
      return;
    }
  self_path = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path,
                            HELPER_ARG, NULL);
  g_assert_no_error (error);
  pid = (int) g_ascii_strtoll (g_subprocess_get_identifier (child), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");

  expect_state (pid, CUDA_OBJ_PROCESS_STATE_RUNNING);
  if (!cuda_obj_checkpoint_lock (pid, 10000, &error))
    {
      g_assert_nonnull (error);
      if (!is_environment_refusal (error))
        g_assert_no_error (error);
      g_test_skip (error->message);
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      return;
    }
  expect_state (pid, CUDA_OBJ_PROCESS_STATE_LOCKED);
  tid = cuda_obj_checkpoint_get_restore_thread_id (pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tid, >, 0);

  g_assert_true (cuda_obj_checkpoint_checkpoint (pid, &error));
  g_assert_no_error (error);
  expect_state (pid, CUDA_OBJ_PROCESS_STATE_CHECKPOINTED);
  /* Checkpointed, a process cannot be unlocked: the driver says so and
   * nothing changes. */
  g_assert_false (cuda_obj_checkpoint_unlock (pid, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_test_message ("unlocking a checkpointed process: %s", error->message);
  g_clear_error (&error);
  expect_state (pid, CUDA_OBJ_PROCESS_STATE_CHECKPOINTED);

  g_assert_true (cuda_obj_checkpoint_restore (pid, &error));
  g_assert_no_error (error);
  expect_state (pid, CUDA_OBJ_PROCESS_STATE_LOCKED);
  g_assert_true (cuda_obj_checkpoint_unlock (pid, &error));
  g_assert_no_error (error);
  expect_state (pid, CUDA_OBJ_PROCESS_STATE_RUNNING);

  in = g_subprocess_get_stdin_pipe (child);
  g_assert_true (g_output_stream_write_all (in, "check\n", 6, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
}

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], HELPER_ARG) == 0)
    return helper_main ();
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_pid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/checkpoint/bad-pid/%s", bad_pid_cases[i].name);
      g_test_add_data_func (path, &bad_pid_cases[i], test_bad_pid);
    }
  g_test_add_func ("/checkpoint/no-driver", test_no_driver);
  g_test_add_func ("/checkpoint/process-without-cuda", test_process_without_cuda);
  g_test_add_func ("/checkpoint/round-trip", test_round_trip);
  return g_test_run ();
}
