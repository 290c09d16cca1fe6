/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DeviceStatus: NVML missing, uninitialized use, the readings against the
 * driver's, notify on refresh and periodic updates in a main context. */
#include <string.h>
#include <unistd.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

#define ALLOCATION ((gsize) 512 << 20)

/* First of all: once NVML is loaded, an override no longer matters. */
static void
test_no_nvml (void)
{
  g_autoptr (GError) error = NULL;
  CudaObjDeviceStatus *status;

#if !CUDA_OBJ_HAVE_NVML
  g_test_skip ("built without the header: construction says NOT_SUPPORTED");
  return;
#endif
  if (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_NVML))
    {
      g_test_skip ("NVML is already loaded");
      return;
    }
  g_setenv ("CUDA_OBJ_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1", TRUE);
  status = g_initable_new (CUDA_OBJ_TYPE_DEVICE_STATUS, NULL, &error, NULL);
  g_unsetenv ("CUDA_OBJ_NVML_LIBRARY");
  g_assert_null (status);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NVML"));
  g_assert_nonnull (strstr (error->message, "CUDA_OBJ_NVML_LIBRARY"));
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjDeviceStatus) status = g_object_new (CUDA_OBJ_TYPE_DEVICE_STATUS, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_device_status_refresh (status, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_status_get_processes (status, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_null (cuda_obj_device_status_get_driver_version (status));
  g_assert_null (cuda_obj_device_status_get_driver_branch (status));
  g_assert_cmpint (cuda_obj_device_status_get_temperature (status), ==, -1);
  g_assert_cmpint (cuda_obj_device_status_get_cuda_driver_version (status), ==, -1);
  g_assert_cmpuint (cuda_obj_device_status_get_memory_total (status), ==, 0);
  /* Setting an interval on it starts nothing and is harmless. */
  cuda_obj_device_status_set_update_interval (status, 10);
  g_assert_cmpuint (cuda_obj_device_status_get_update_interval (status), ==, 10);
}

/* Without a device: the library error first, else the missing device. */
static void
test_without_device (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDeviceStatus) status = NULL;

  status = cuda_obj_device_status_new (NULL, 0, &error);
  g_assert_null (status);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  status = g_initable_new (CUDA_OBJ_TYPE_DEVICE_STATUS, NULL, &error, NULL);
  g_assert_null (status);
  g_assert_nonnull (error);
  if (!g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND))
    {
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "device"));
    }
}

static CudaObjDeviceStatus *
status_or_skip (CudaObjDevice *device, guint interval)
{
  g_autoptr (GError) error = NULL;
  CudaObjDeviceStatus *status = cuda_obj_device_status_new (device, interval, &error);

  if (status == NULL)
    {
      /* A GPU machine without NVML (a container passing only CUDA through). */
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
      g_test_skip (error->message);
    }
  return status;
}

static void
test_readings (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceStatus) status = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *version_property = NULL;
  const char *version, *branch;
  int cuda_major = 0, cuda_minor = 0, value;
  guint64 total, used, free_bytes;

  if (device == NULL || (status = status_or_skip (device, 0)) == NULL)
    return;
  g_assert_true (cuda_obj_device_status_get_device (status) == device);
  version = cuda_obj_device_status_get_driver_version (status);
  branch = cuda_obj_device_status_get_driver_branch (status);
  g_test_message ("driver %s, branch %s", version, branch);
  g_assert_nonnull (strchr (version, '.'));
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), >=, 400);
  g_assert_nonnull (branch);
  g_assert_cmpuint (strlen (branch), >, 1);
  g_object_get (status, "driver-version", &version_property, NULL);
  g_assert_cmpstr (version_property, ==, version);

  g_assert_true (cuda_obj_get_driver_version (&cuda_major, &cuda_minor, &error));
  g_assert_cmpint (cuda_obj_device_status_get_cuda_driver_version (status), ==,
                   cuda_major * 1000 + cuda_minor * 10);

  total = cuda_obj_device_status_get_memory_total (status);
  used = cuda_obj_device_status_get_memory_used (status);
  free_bytes = cuda_obj_device_status_get_memory_free (status);
  g_test_message ("memory: %" G_GUINT64_FORMAT " used, %" G_GUINT64_FORMAT " free of %" G_GUINT64_FORMAT,
                  used, free_bytes, total);
  /* NVML counts the memory the driver reserves apart: close to the CUDA total. */
  g_assert_cmpuint (total, >=, cuda_obj_device_get_total_memory (device) / 10 * 9);
  g_assert_cmpuint (total, <=, cuda_obj_device_get_total_memory (device) / 10 * 11);
  g_assert_cmpuint (used + free_bytes, <=, total);

  value = cuda_obj_device_status_get_gpu_utilization (status);
  g_assert_cmpint (value, >=, -1);
  g_assert_cmpint (value, <=, 100);
  value = cuda_obj_device_status_get_memory_utilization (status);
  g_assert_cmpint (value, >=, -1);
  g_assert_cmpint (value, <=, 100);
  value = cuda_obj_device_status_get_temperature (status);
  g_test_message (
      "temperature %d C, power %d of %d mW, clocks sm %d mem %d graphics %d MHz, fan %d %%", value,
      cuda_obj_device_status_get_power_usage (status), cuda_obj_device_status_get_power_limit (status),
      cuda_obj_device_status_get_sm_clock (status), cuda_obj_device_status_get_memory_clock (status),
      cuda_obj_device_status_get_graphics_clock (status), cuda_obj_device_status_get_fan_speed (status));
  g_assert_true (value == -1 || (value > 0 && value < 130));
  value = cuda_obj_device_status_get_power_limit (status);
  /* Virtual machines report 0 for power and clocks. */
  g_assert_cmpint (value, >=, -1);
  value = cuda_obj_device_status_get_sm_clock (status);
  g_assert_cmpint (value, >=, -1);
  value = cuda_obj_device_status_get_memory_clock (status);
  g_assert_cmpint (value, >=, -1);
  value = cuda_obj_device_status_get_fan_speed (status);
  g_assert_true (value >= -1 && value <= 100);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  GHashTable *seen = user_data;

  g_hash_table_add (seen, g_strdup (pspec->name));
}

static CudaObjBuffer *
allocate (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjSyncMemoryResource) resource = cuda_obj_sync_memory_resource_new (device, &error);
  CudaObjBuffer *buffer;

  g_assert_no_error (error);
  buffer = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), ALLOCATION, NULL, &error);
  g_assert_no_error (error);
  return buffer;
}

/* Allocating memory between two refreshes changes memory-used and
 * memory-free, and only changed values are notified. */
static void
test_refresh_notifies_changes (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceStatus) status = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  guint64 used_before;

  if (device == NULL || (status = status_or_skip (device, 0)) == NULL)
    return;
  used_before = cuda_obj_device_status_get_memory_used (status);
  g_signal_connect (status, "notify", G_CALLBACK (count_notify), seen);
  buffer = allocate (device);
  g_assert_true (cuda_obj_device_status_refresh (status, &error));
  g_assert_no_error (error);
  g_assert_true (g_hash_table_contains (seen, "memory-used"));
  g_assert_true (g_hash_table_contains (seen, "memory-free"));
  g_assert_false (g_hash_table_contains (seen, "memory-total"));
  g_assert_false (g_hash_table_contains (seen, "cuda-driver-version"));
  g_assert_false (g_hash_table_contains (seen, "driver-version"));
  g_assert_cmpuint (cuda_obj_device_status_get_memory_used (status), >=, used_before + ALLOCATION / 2);
}

static void
test_processes (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDeviceStatus) status = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GPtrArray) processes = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || (status = status_or_skip (device, 0)) == NULL)
    return;
  buffer = allocate (device); /* we have a context now */
  processes = cuda_obj_device_status_get_processes (status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (processes);
  for (guint i = 0; i < processes->len; i++)
    {
      const CudaObjGpuProcess *process = processes->pdata[i];
      g_test_message ("process %u (%s): %" G_GINT64_FORMAT " bytes", process->pid,
                      process->name ? process->name : "?", process->used_memory);
      g_assert_cmpuint (process->pid, >, 0);
      g_assert_cmpint (process->used_memory, >=, -1);
      /* In a container NVML may give host pids; ours, when listed, holds the allocation. */
      if (process->pid == (guint) getpid () && process->used_memory >= 0)
        g_assert_cmpint (process->used_memory, >=, (gint64) ALLOCATION);
    }
}

typedef struct
{
  gboolean memory_used_changed;
  GMainContext *context;
  gboolean in_context;
} UpdateState;

static void
on_memory_used (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  UpdateState *state = user_data;

  state->memory_used_changed = TRUE;
  state->in_context = g_main_context_is_owner (state->context);
}

/* A status made with an interval refreshes itself in the thread-default
 * main context of its construction; setting 0 stops that. */
static void
test_periodic_update (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (CudaObjDeviceStatus) status = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  UpdateState state = { FALSE, context, FALSE };
  gint64 deadline;

  if (device == NULL)
    return;
  g_main_context_push_thread_default (context);
  status = status_or_skip (device, 20);
  if (status == NULL)
    {
      g_main_context_pop_thread_default (context);
      return;
    }
  g_assert_cmpuint (cuda_obj_device_status_get_update_interval (status), ==, 20);
  g_signal_connect (status, "notify::memory-used", G_CALLBACK (on_memory_used), &state);
  buffer = allocate (device);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!state.memory_used_changed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_assert_true (state.memory_used_changed);
  g_assert_true (state.in_context);

  /* Off: no more refreshes, so freeing the memory goes unnoticed. */
  cuda_obj_device_status_set_update_interval (status, 0);
  state.memory_used_changed = FALSE;
  g_clear_object (&buffer);
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, FALSE);
  g_assert_false (state.memory_used_changed);
  g_main_context_pop_thread_default (context);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device-status/no-nvml", test_no_nvml);
  g_test_add_func ("/device-status/uninitialized", test_uninitialized);
  g_test_add_func ("/device-status/without-device", test_without_device);
  g_test_add_func ("/device-status/readings", test_readings);
  g_test_add_func ("/device-status/refresh-notifies-changes", test_refresh_notifies_changes);
  g_test_add_func ("/device-status/processes", test_processes);
  g_test_add_func ("/device-status/periodic-update", test_periodic_update);
  return g_test_run ();
}
