/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A gate for the stream and event tests: a host function that holds a
 * stream's work until the test opens it, so "still busy" is deterministic
 * instead of a race against the GPU. The host function makes no CUDA call;
 * it only waits on a GCond.
 *
 * Sanitizer-safe use: while the gate is closed, the thread that opens it
 * must make no call that may wait for the gated stream. Besides the obvious
 * ones (synchronize, close), that includes calls the driver documents as
 * returning at once but which compute-sanitizer makes wait, such as
 * cuStreamDestroy from dropping a stream's last reference: do those in
 * another thread, or after opening the gate. */
#pragma once

#include "cudaobj-stream-private.h"

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean open;
} CudaObjTestGate;

static void CUDA_CB
cudaobj_test_gate_wait (void *data)
{
  CudaObjTestGate *gate = data;

  g_mutex_lock (&gate->lock);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

/* Holds the work submitted to @stream after this call until the gate opens. */
static inline void
cudaobj_test_gate_close (CudaObjTestGate *gate, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  CUstream handle = NULL;

  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
  gate->open = FALSE;
  g_assert_true (cuda_obj_stream_prepare (stream, &handle, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_driver_peek ()->cuLaunchHostFunc (handle, cudaobj_test_gate_wait, gate), ==,
                   CUDA_SUCCESS);
}

static inline void
cudaobj_test_gate_open (CudaObjTestGate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

/* Iterates the thread-default main context for @ms milliseconds. */
static inline void
cudaobj_test_iterate_for (guint ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (context, FALSE))
        ;
      g_usleep (1000);
    }
}

/* Device memory for a workload without kernels: cuMemsetD8Async over it. */
static inline CUdeviceptr
cudaobj_test_alloc (CudaObjDevice *device, gsize size)
{
  g_autoptr (GError) error = NULL;
  CUdeviceptr ptr = 0;

  g_assert_true (cuda_obj_device_make_current (device, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemAlloc (&ptr, size), ==, CUDA_SUCCESS);
  return ptr;
}

static inline void
cudaobj_test_free (CudaObjDevice *device, CUdeviceptr ptr)
{
  g_assert_true (cuda_obj_device_make_current (device, NULL));
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemFree (ptr), ==, CUDA_SUCCESS);
}

static inline void
cudaobj_test_memset (CudaObjStream *stream, CUdeviceptr ptr, guchar value, gsize size)
{
  g_autoptr (GError) error = NULL;
  CUstream handle = NULL;

  g_assert_true (cuda_obj_stream_prepare (stream, &handle, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_driver_peek ()->cuMemsetD8Async (ptr, value, size, handle), ==, CUDA_SUCCESS);
}
