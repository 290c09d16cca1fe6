/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a binding can do wrong, from issue 9's reproducers: objects made
 * with a plain constructor and never initialized, out-of-range indices,
 * empty data, counts over the maximum, another operation's async result.
 * Each is a GError (never a crash or a CRITICAL: the tests run with fatal
 * warnings), and the library stays usable. No GPU needed except where a
 * test says so. */
#include <glib/gstdio.h>
#include <string.h>

#include "cudaobj-test-util.h"

static void
assert_not_initialized (GError *error, const char *type_name)
{
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_nonnull (strstr (error->message, type_name));
  g_assert_nonnull (strstr (error->message, "not initialized"));
}

/* The library still answers after the misuse. */
static void
assert_library_usable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);

  cuda_obj_kernel_args_set_int32 (args, 1, 7);
  g_assert_true (cuda_obj_kernel_args_check (args, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, 1), ==, 4);
}

static void
check_simple_resource (GType type)
{
  g_autoptr (GObject) resource = g_object_new (type, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 16, NULL, &error));
  assert_not_initialized (error, g_type_name (type));
  g_assert_nonnull (strstr (error->message, "allocate"));
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_memory_resource_deallocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 0x1000, 16, NULL, &error));
  assert_not_initialized (error, g_type_name (type));
  g_assert_nonnull (strstr (error->message, "deallocate"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_memory_resource_get_device (CUDA_OBJ_MEMORY_RESOURCE (resource)));
  assert_library_usable ();
}

static void
test_sync_resource_uninitialized (void)
{
  check_simple_resource (CUDA_OBJ_TYPE_SYNC_MEMORY_RESOURCE);
}

static void
test_pinned_resource_uninitialized (void)
{
  check_simple_resource (CUDA_OBJ_TYPE_LEGACY_PINNED_MEMORY_RESOURCE);
}

static void
test_managed_resource_uninitialized (void)
{
  check_simple_resource (CUDA_OBJ_TYPE_MANAGED_MEMORY_RESOURCE);
}

static void
test_simple_resource_with_uninitialized_device (void)
{
  /* A device given at construction that was never initialized itself. */
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) resource = NULL;

  resource = g_object_new (CUDA_OBJ_TYPE_SYNC_MEMORY_RESOURCE, "device", device, NULL);
  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 16, NULL, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  g_assert_false (g_initable_init (G_INITABLE (resource), NULL, &error));
  assert_not_initialized (error, "CudaObjDevice");
}

static void
test_device_memory_resource_uninitialized (void)
{
  g_autoptr (CudaObjDeviceMemoryResource) resource
      = g_object_new (CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE, NULL);
  g_autoptr (CudaObjDevice) peer = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;
  guint64 reserved = 1, used = 1;

  g_assert_null (cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 16, NULL, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_memory_resource_deallocate (CUDA_OBJ_MEMORY_RESOURCE (resource), 0x1000, 16, NULL, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_set_release_threshold (resource, 1024, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_assert_nonnull (strstr (error->message, "set_release_threshold"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_get_usage (resource, &reserved, &used, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_assert_cmpuint (reserved, ==, 1);
  g_assert_cmpuint (used, ==, 1);
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_trim_to (resource, 0, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_set_peer_access (resource, peer, TRUE, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_get_peer_access (resource, peer, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_set_reuse_allow_opportunistic (resource, FALSE, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_device_memory_resource_set_reuse_follow_event_dependencies (resource, FALSE, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_device_memory_resource_set_reuse_allow_internal_dependencies (resource, FALSE, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_memory_resource_reset_high_watermarks (resource, &error));
  assert_not_initialized (error, "CudaObjDeviceMemoryResource");
  g_clear_error (&error);
  /* Getters that cannot fail give the values set before initialization. */
  g_assert_false (cuda_obj_device_memory_resource_get_own_pool (resource));
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (resource), ==, 0);
  g_assert_true (cuda_obj_device_memory_resource_get_reuse_allow_opportunistic (resource));
  g_assert_true (cuda_obj_device_memory_resource_get_reuse_follow_event_dependencies (resource));
  g_assert_true (cuda_obj_device_memory_resource_get_reuse_allow_internal_dependencies (resource));
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_current (resource), ==, 0);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_reserved_memory_high (resource), ==, 0);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_current (resource), ==, 0);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_used_memory_high (resource), ==, 0);
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_max_size (resource), ==, 0);
  /* Properties set before initialization are kept, and read back. */
  g_object_set (resource, "reuse-allow-opportunistic", FALSE, "release-threshold", (guint64) 77, NULL);
  g_assert_false (cuda_obj_device_memory_resource_get_reuse_allow_opportunistic (resource));
  g_assert_cmpuint (cuda_obj_device_memory_resource_get_release_threshold (resource), ==, 77);
  assert_library_usable ();
}

static void
test_device_uninitialized (void)
{
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (CudaObjDevice) peer = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;
  guint64 free_bytes = 1;

  g_assert_cmpint (cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_WARP_SIZE, &error), ==,
                   0);
  assert_not_initialized (error, "CudaObjDevice");
  g_assert_nonnull (strstr (error->message, "cuda_obj_device_get_attribute"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_get_memory_info (device, &free_bytes, NULL, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_assert_cmpuint (free_bytes, ==, 1);
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_can_access_peer (device, peer, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_enable_peer_access (device, peer, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_synchronize (device, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  g_assert_false (cuda_obj_device_make_current (device, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_allocate (device, 16, NULL, &error));
  assert_not_initialized (error, "CudaObjDevice");
  g_clear_error (&error);
  /* Getters give neutral values, and no default resource is made for it. */
  g_assert_null (cuda_obj_device_get_name (device));
  g_assert_null (cuda_obj_device_get_arch (device));
  g_assert_cmpint (cuda_obj_device_get_warp_size (device), ==, 0);
  g_assert_null (cuda_obj_device_get_memory_resource (device));
  assert_library_usable ();
}

static void
test_device_huge_ordinal (void)
{
  g_autoptr (GError) error = NULL;

  /* The array of shared devices must not grow to G_MAXUINT + 1 entries. */
  g_assert_null (cuda_obj_device_get (G_MAXUINT, &error));
  g_assert_nonnull (error);
  if (error->domain == CUDA_OBJ_ERROR && error->code == CUDA_OBJ_ERROR_NO_DEVICE)
    g_assert_nonnull (strstr (error->message, "4294967295"));
  else
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_get (G_MAXUINT - 1, &error));
  g_assert_nonnull (error);
}

static void
test_kernel_uninitialized (void)
{
  g_autoptr (CudaObjKernel) kernel = g_object_new (CUDA_OBJ_TYPE_KERNEL, NULL);
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (GError) error = NULL;
  gsize offset = 1, size = 1;
  int min_grid = 1, block = 1;

  g_assert_cmpint (cuda_obj_kernel_get_attribute (kernel, CUDA_OBJ_KERNEL_ATTRIBUTE_NUM_REGS, NULL, &error),
                   ==, 0);
  assert_not_initialized (error, "CudaObjKernel");
  g_assert_nonnull (strstr (error->message, "cuda_obj_kernel_get_attribute"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_set_attribute (
      kernel, CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 1024, NULL, &error));
  assert_not_initialized (error, "CudaObjKernel");
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_get_argument_info (kernel, 0, &offset, &size, &error));
  assert_not_initialized (error, "CudaObjKernel");
  g_assert_cmpuint (offset, ==, 1);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_kernel_get_max_active_blocks_per_multiprocessor (kernel, device, 128, 0, &error),
                   ==, 0);
  assert_not_initialized (error, "CudaObjKernel");
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_kernel_get_max_potential_block_size (kernel, device, 0, 0, &min_grid, &block, &error));
  assert_not_initialized (error, "CudaObjKernel");
  g_assert_cmpint (block, ==, 1);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_kernel_get_available_dynamic_shared_memory (kernel, device, 1, 128, &error), ==,
                    0);
  assert_not_initialized (error, "CudaObjKernel");
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_kernel_get_max_potential_cluster_size (kernel, device, config, &error), ==, 0);
  assert_not_initialized (error, "CudaObjKernel");
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_kernel_get_max_active_clusters (kernel, device, config, &error), ==, 0);
  assert_not_initialized (error, "CudaObjKernel");
  g_clear_error (&error);
  g_assert_null (cuda_obj_kernel_get_name (kernel));
  g_assert_cmpuint (cuda_obj_kernel_get_argument_count (kernel), ==, 0);
  g_assert_cmpint (cuda_obj_kernel_get_num_regs (kernel), ==, 0);
  assert_library_usable ();
}

static void
test_launch_uninitialized_kernel (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (CudaObjKernel) kernel = g_object_new (CUDA_OBJ_TYPE_KERNEL, NULL);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (0);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_launch (stream, config, kernel, args, &error));
  assert_not_initialized (error, "CudaObjKernel");
  g_assert_nonnull (strstr (error->message, "cuda_obj_launch"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_launch_packed (stream, config, kernel, NULL, 0, &error));
  assert_not_initialized (error, "CudaObjKernel");
}

static void
test_object_code_uninitialized (void)
{
  g_autoptr (CudaObjObjectCode) code = g_object_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cudaobj-misuse-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "code.cubin", NULL);

  g_assert_false (cuda_obj_object_code_save (code, path, &error));
  assert_not_initialized (error, "CudaObjObjectCode");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_null (cuda_obj_object_code_get_kernel (code, "k", &error));
  assert_not_initialized (error, "CudaObjObjectCode");
  g_assert_nonnull (strstr (error->message, "get_kernel"));
  g_assert_null (cuda_obj_object_code_get_code (code));
  g_remove (dir);
}

static void
test_kernel_args_index_over_maximum (void)
{
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  g_autoptr (GBytes) bytes = g_bytes_new_static ("abcd", 4);
  g_autoptr (GError) error = NULL;

  cuda_obj_kernel_args_set_int32 (args, 1, 5);
  g_assert_true (cuda_obj_kernel_args_check (args, NULL));
  cuda_obj_kernel_args_set_int32 (args, 70000, 5);
  cuda_obj_kernel_args_set_double (args, G_MAXUINT, 1.0);
  cuda_obj_kernel_args_set_bool (args, 65535, TRUE);
  cuda_obj_kernel_args_set_pointer (args, 65535, 0x1000);
  cuda_obj_kernel_args_set_bytes (args, 65535, bytes, 4);
  /* Ignored: the arguments did not grow to 70001. */
  g_assert_cmpuint (cuda_obj_kernel_args_get_count (args), ==, 2);
  g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, 1), ==, 4);
  g_assert_false (cuda_obj_kernel_args_check (args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  /* The first misuse is the one reported. */
  g_assert_cmpstr (error->message, ==,
                   "cuda_obj_kernel_args_set_int32: argument index 70000 is over the maximum of 65534");
  g_clear_error (&error);
  /* Still reported: it fails every launch until the object is dropped. */
  g_assert_false (cuda_obj_kernel_args_check (args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  cuda_obj_kernel_args_set_int32 (args, 65534, 1);
  g_assert_cmpuint (cuda_obj_kernel_args_get_count (args), ==, 65535);
}

static void
test_kernel_args_empty_data (void)
{
  g_autoptr (CudaObjKernelArgs) data_args = cuda_obj_kernel_args_new (1);
  g_autoptr (CudaObjKernelArgs) bytes_args = cuda_obj_kernel_args_new (1);
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr (GError) error = NULL;

  cuda_obj_kernel_args_set_data (data_args, 0, NULL, 0, 1);
  g_assert_false (cuda_obj_kernel_args_is_set (data_args, 0));
  g_assert_false (cuda_obj_kernel_args_check (data_args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "argument 0: no data"));
  g_clear_error (&error);

  cuda_obj_kernel_args_set_bytes (bytes_args, 0, empty, 8);
  g_assert_false (cuda_obj_kernel_args_is_set (bytes_args, 0));
  g_assert_false (cuda_obj_kernel_args_check (bytes_args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no data"));
}

static void
test_kernel_args_count_over_maximum (void)
{
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (70000);
  g_autoptr (CudaObjKernelArgs) by_property
      = g_object_new (CUDA_OBJ_TYPE_KERNEL_ARGS, "count", G_MAXUINT, NULL);
  g_autoptr (CudaObjKernelArgs) checked = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (cuda_obj_kernel_args_get_count (args), ==, 0);
  g_assert_false (cuda_obj_kernel_args_check (args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "count 70000 is over the maximum of 65535"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_check (by_property, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (cuda_obj_kernel_args_new_checked (70000, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "70000"));
  g_clear_error (&error);
  checked = cuda_obj_kernel_args_new_checked (65535, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_kernel_args_get_count (checked), ==, 65535);
  g_assert_true (cuda_obj_kernel_args_check (checked, NULL));
}

static void
test_launch_config_cluster_zero (void)
{
  /* A property set cannot fail: 0 is taken without a GLib warning, and a
   * launch reports it (see /misuse/launch/reports-misuse on a GPU). */
  g_autoptr (CudaObjLaunchConfig) config = g_object_new (CUDA_OBJ_TYPE_LAUNCH_CONFIG, "cluster-x", 0, NULL);
  guint x = 1, y = 0, z = 0;

  cuda_obj_launch_config_get_cluster (config, &x, &y, &z);
  g_assert_cmpuint (x, ==, 0);
  g_assert_cmpuint (y, ==, 1);
  g_assert_cmpuint (z, ==, 1);
}

static void
foreign_task_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
}

static void
test_finish_with_foreign_result (void)
{
  g_autoptr (CudaObjStream) stream = g_object_new (CUDA_OBJ_TYPE_STREAM, NULL);
  g_autoptr (CudaObjEvent) event = g_object_new (CUDA_OBJ_TYPE_EVENT, NULL);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, foreign_task_done, NULL);
  g_autoptr (GTask) own = g_task_new (stream, NULL, foreign_task_done, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_stream_synchronize_finish (stream, G_ASYNC_RESULT (task), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "cuda_obj_stream_synchronize_finish"));
  g_clear_error (&error);
  /* The right source, but not this operation's task. */
  g_assert_false (cuda_obj_stream_synchronize_finish (stream, G_ASYNC_RESULT (own), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_event_wait_finish (event, G_ASYNC_RESULT (task), &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "cuda_obj_event_wait_finish"));
  /* GTask warns when a task is dropped without a result being returned. */
  g_task_return_boolean (task, TRUE);
  g_task_return_boolean (own, TRUE);
}

/* On a GPU: misused arguments and a zero cluster fail the launch with
 * INVALID_ARGUMENT before the driver sees them. */
static void
test_launch_reports_misuse (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjLaunchConfig) zero_cluster = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  code = cudaobj_test_compile (device, "extern \"C\" __global__ void one (int x) {}\n", NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "one", &error);
  g_assert_no_error (error);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  config = cuda_obj_launch_config_new (1, 1);
  args = cuda_obj_kernel_args_new (1);
  cuda_obj_kernel_args_set_int32 (args, 0, 1);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);

  zero_cluster = g_object_new (CUDA_OBJ_TYPE_LAUNCH_CONFIG, "cluster-y", 0, NULL);
  g_assert_false (cuda_obj_launch (stream, zero_cluster, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Cluster dimensions are 1 x 0 x 1"));
  g_clear_error (&error);

  cuda_obj_kernel_args_set_int32 (args, 70000, 1);
  g_assert_false (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "argument index 70000"));
  g_clear_error (&error);

  /* Usable afterwards: a fresh set of arguments launches. */
  g_clear_object (&args);
  args = cuda_obj_kernel_args_new (1);
  cuda_obj_kernel_args_set_int32 (args, 0, 2);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/misuse/sync-memory-resource/uninitialized", test_sync_resource_uninitialized);
  g_test_add_func ("/misuse/legacy-pinned-memory-resource/uninitialized", test_pinned_resource_uninitialized);
  g_test_add_func ("/misuse/managed-memory-resource/uninitialized", test_managed_resource_uninitialized);
  g_test_add_func ("/misuse/sync-memory-resource/uninitialized-device",
                   test_simple_resource_with_uninitialized_device);
  g_test_add_func ("/misuse/device-memory-resource/uninitialized", test_device_memory_resource_uninitialized);
  g_test_add_func ("/misuse/device/uninitialized", test_device_uninitialized);
  g_test_add_func ("/misuse/device/huge-ordinal", test_device_huge_ordinal);
  g_test_add_func ("/misuse/kernel/uninitialized", test_kernel_uninitialized);
  g_test_add_func ("/misuse/launch/uninitialized-kernel", test_launch_uninitialized_kernel);
  g_test_add_func ("/misuse/object-code/uninitialized", test_object_code_uninitialized);
  g_test_add_func ("/misuse/kernel-args/index-over-maximum", test_kernel_args_index_over_maximum);
  g_test_add_func ("/misuse/kernel-args/empty-data", test_kernel_args_empty_data);
  g_test_add_func ("/misuse/kernel-args/count-over-maximum", test_kernel_args_count_over_maximum);
  g_test_add_func ("/misuse/launch-config/cluster-zero", test_launch_config_cluster_zero);
  g_test_add_func ("/misuse/async/finish-with-foreign-result", test_finish_with_foreign_result);
  g_test_add_func ("/misuse/launch/reports-misuse", test_launch_reports_misuse);

  return g_test_run ();
}
