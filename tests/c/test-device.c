/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device: shared instances, properties, attributes, memory, peers, contexts. */
#include <string.h>

#include "cudaobj-device-private.h"
#include "cudaobj-test-util.h"

static void
test_no_driver (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;

  if (cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL))
    {
      g_test_skip ("a CUDA driver is present; the no-driver path is tested where there is none");
      return;
    }
  device = cuda_obj_device_get (0, &error);
  g_assert_null (device);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_device_get_count (&error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cuda_obj_device_get_all (&error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_clear_error (&error);
  /* GInitable: construction from a binding raises the same error. */
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_DEVICE, NULL, &error, "ordinal", 0, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
}

static void
test_shared_instance (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjDevice) again = NULL;

  if (device == NULL)
    return;
  again = cuda_obj_device_get (0, NULL);
  g_assert_true (device == again);
}

static void
test_ordinal_out_of_range (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  guint count;

  if (device == NULL)
    return;
  count = cuda_obj_device_get_count (&error);
  g_assert_no_error (error);
  g_assert_null (cuda_obj_device_get (count, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "No CUDA device"));
  g_clear_error (&error);
  /* The library stays usable. */
  g_assert_cmpstr (cuda_obj_device_get_name (device), !=, "");
  g_assert_cmpint (cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_WARP_SIZE, &error), ==,
                   32);
  g_assert_no_error (error);
}

static void
test_properties (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autofree char *name = NULL, *arch = NULL, *uuid = NULL, *bus = NULL, *expected_arch = NULL;
  guint64 total = 0;
  int major = 0, minor = -1, sms = 0, warp = 0;

  if (device == NULL)
    return;
  g_object_get (device, "name", &name, "arch", &arch, "uuid", &uuid, "pci-bus-id", &bus, "total-memory",
                &total, "compute-capability-major", &major, "compute-capability-minor", &minor,
                "multiprocessor-count", &sms, "warp-size", &warp, NULL);
  g_test_message ("device 0: %s, sm_%s, %" G_GUINT64_FORMAT " bytes, %d SMs, %s, %s", name, arch, total, sms,
                  uuid, bus);
  g_assert_cmpuint (strlen (name), >, 0);
  g_assert_cmpint (major, >=, 5);
  g_assert_cmpint (minor, >=, 0);
  expected_arch = g_strdup_printf ("%d%d", major, minor);
  g_assert_cmpstr (arch, ==, expected_arch);
  g_assert_cmpuint (total, >, 1 << 30);
  g_assert_cmpint (sms, >, 0);
  g_assert_cmpint (warp, ==, 32);
  g_assert_true (g_regex_match_simple ("^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                       uuid, 0, 0));
  g_assert_true (
      g_regex_match_simple ("^[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9]$", bus, 0, 0));
  g_assert_cmpint (cuda_obj_device_get_max_threads_per_block (device), ==, 1024);
  g_assert_cmpint (cuda_obj_device_get_max_shared_memory_per_block (device), ==, 48 * 1024);
  g_assert_cmpint (cuda_obj_device_get_max_shared_memory_per_block_optin (device), >=, 48 * 1024);
  g_assert_cmpint (cuda_obj_device_get_l2_cache_size (device), >, 0);
  g_assert_cmpint (cuda_obj_device_get_clock_rate (device), >, 0);
  g_assert_cmpint (cuda_obj_device_get_memory_bus_width (device), >, 0);
  g_assert_cmpuint (cuda_obj_device_get_ordinal (device), ==, 0);
  g_assert_cmpstr (cuda_obj_device_get_name (device), ==, name);
  g_assert_cmpuint (cuda_obj_device_get_total_memory (device), ==, total);
}

static void
test_get_attribute (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  g_assert_cmpint (
      cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, &error), ==,
      cuda_obj_device_get_multiprocessor_count (device));
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, &error),
                   ==, 1024);
  g_assert_cmpint (
      cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, &error), ==, 1);
  g_assert_no_error (error);
  /* An attribute the driver does not know is a driver error, not a crash. */
  g_assert_cmpint (cuda_obj_device_get_attribute (device, (CudaObjDeviceAttribute) 100000, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "cuDeviceGetAttribute: "));
}

static void
test_memory_info (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  guint64 free_bytes = 0, total_bytes = 0;

  if (device == NULL)
    return;
  g_assert_true (cuda_obj_device_get_memory_info (device, &free_bytes, &total_bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total_bytes, ==, cuda_obj_device_get_total_memory (device));
  g_assert_cmpuint (free_bytes, >, 0);
  g_assert_cmpuint (free_bytes, <=, total_bytes);
  /* Each out argument is optional. */
  g_assert_true (cuda_obj_device_get_memory_info (device, NULL, NULL, &error));
}

static void
test_get_all (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  all = cuda_obj_device_get_all (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, cuda_obj_device_get_count (NULL));
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpuint (cuda_obj_device_get_ordinal (all->pdata[i]), ==, i);
  g_assert_true (all->pdata[0] == device);
}

static void
test_peer_access (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  /* A device is its own peer; enabling is idempotent. */
  g_assert_true (cuda_obj_device_can_access_peer (device, device, &error));
  g_assert_true (cuda_obj_device_enable_peer_access (device, device, &error));
  g_assert_true (cuda_obj_device_enable_peer_access (device, device, &error));
  g_assert_no_error (error);

  all = cuda_obj_device_get_all (&error);
  for (guint i = 1; i < all->len; i++)
    {
      CudaObjDevice *peer = all->pdata[i];
      gboolean can = cuda_obj_device_can_access_peer (device, peer, &error);

      g_assert_no_error (error);
      g_test_message ("device 0 -> %u peer access: %s", i, can ? "yes" : "no");
      if (can)
        {
          g_assert_true (cuda_obj_device_enable_peer_access (device, peer, &error));
          g_assert_true (cuda_obj_device_enable_peer_access (device, peer, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (cuda_obj_device_enable_peer_access (device, peer, &error));
          g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
          g_clear_error (&error);
        }
    }
}

static void
test_make_current_and_synchronize (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  const CudaObjDriver *drv;
  CUcontext current = NULL;

  if (device == NULL)
    return;
  drv = cuda_obj_driver_get (NULL);
  g_assert_no_error (NULL);
  drv->cuCtxSetCurrent (NULL);
  g_assert_true (cuda_obj_device_make_current (device, &error));
  g_assert_no_error (error);
  g_assert_cmpint (drv->cuCtxGetCurrent (&current), ==, CUDA_SUCCESS);
  g_assert_true (current == cuda_obj_device_get_context (device, NULL));
  /* Synchronize works whatever the thread had current. */
  drv->cuCtxSetCurrent (NULL);
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
}

static gpointer
get_device_in_thread (gpointer data)
{
  return cuda_obj_device_get (0, NULL);
}

static void
test_threads_share_instance (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  GThread *threads[4];

  if (device == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("device-get", get_device_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      CudaObjDevice *other = g_thread_join (threads[i]);
      g_assert_true (other == device);
      g_object_unref (other);
    }
}

static void
test_lives_for_the_process (void)
{
  const char *reason = NULL;
  CudaObjDevice *device;
  gpointer weak = NULL;
  CUcontext context;
  g_autoptr (GError) error = NULL;

  if (!cudaobj_test_have_gpu (&reason))
    {
      g_test_skip (reason);
      return;
    }
  if (!g_test_subprocess ())
    {
      /* Alone in a process so that no other test holds device 0. */
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  device = cuda_obj_device_get (0, NULL);
  context = cuda_obj_device_get_context (device, NULL);
  g_assert_nonnull (context);
  g_assert_true (cuda_obj_device_make_current (device, NULL));
  weak = device;
  g_object_add_weak_pointer (G_OBJECT (device), &weak);
  g_object_unref (device);
  /* Dropping every reference neither destroys the device nor its context:
   * threads that have the context current keep working. */
  g_assert_nonnull (weak);
  device = cuda_obj_device_get (0, NULL);
  g_assert_true (device == weak);
  g_assert_true (cuda_obj_device_get_context (device, NULL) == context);
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
  g_object_remove_weak_pointer (G_OBJECT (device), &weak);
  g_object_unref (device);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device/no-driver", test_no_driver);
  g_test_add_func ("/device/get/shared-instance", test_shared_instance);
  g_test_add_func ("/device/get/ordinal-out-of-range", test_ordinal_out_of_range);
  g_test_add_func ("/device/get/all", test_get_all);
  g_test_add_func ("/device/get/threads-share-instance", test_threads_share_instance);
  g_test_add_func ("/device/get/lives-for-the-process", test_lives_for_the_process);
  g_test_add_func ("/device/properties", test_properties);
  g_test_add_func ("/device/attribute", test_get_attribute);
  g_test_add_func ("/device/memory-info", test_memory_info);
  g_test_add_func ("/device/peer-access", test_peer_access);
  g_test_add_func ("/device/make-current-and-synchronize", test_make_current_and_synchronize);

  return g_test_run ();
}
