/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cudaobj-device-query: the CUDA samples' deviceQuery, through libcudaobj.
 *
 * Prints which CUDA libraries were loaded from where, the driver's and
 * NVRTC's versions, and every device's main properties. Without a usable
 * driver it says what it searched and exits with status 1. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

static void
print_device (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  guint64 free_bytes = 0, total_bytes = 0;
  int cc_major = cuda_obj_device_get_compute_capability_major (device);
  int cc_minor = cuda_obj_device_get_compute_capability_minor (device);

  printf ("\nDevice %u: \"%s\"\n", cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device));
  printf ("  UUID                                 %s\n", cuda_obj_device_get_uuid (device));
  printf ("  PCI bus id                           %s\n", cuda_obj_device_get_pci_bus_id (device));
  printf ("  Compute capability                   %d.%d (sm_%s)\n", cc_major, cc_minor,
          cuda_obj_device_get_arch (device));
  printf ("  Global memory                        %.1f GiB\n",
          cuda_obj_device_get_total_memory (device) / 1073741824.0);
  if (cuda_obj_device_get_memory_info (device, &free_bytes, &total_bytes, &error))
    printf ("  Free memory                          %.1f GiB\n", free_bytes / 1073741824.0);
  else
    printf ("  Free memory                          unknown: %s\n", error->message);
  printf ("  Multiprocessors                      %d\n", cuda_obj_device_get_multiprocessor_count (device));
  printf ("  Clock rate                           %.0f MHz\n",
          cuda_obj_device_get_clock_rate (device) / 1000.0);
  printf ("  Memory bus width                     %d bits\n", cuda_obj_device_get_memory_bus_width (device));
  printf ("  L2 cache                             %d KiB\n",
          cuda_obj_device_get_l2_cache_size (device) / 1024);
  printf ("  Warp size                            %d\n", cuda_obj_device_get_warp_size (device));
  printf ("  Max threads per block                %d\n", cuda_obj_device_get_max_threads_per_block (device));
  printf ("  Shared memory per block              %d KiB (%d KiB opt-in)\n",
          cuda_obj_device_get_max_shared_memory_per_block (device) / 1024,
          cuda_obj_device_get_max_shared_memory_per_block_optin (device) / 1024);
  printf ("  Max block dims                       %d x %d x %d\n",
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, NULL),
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, NULL),
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, NULL));
  printf ("  Max grid dims                        %d x %d x %d\n",
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, NULL),
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, NULL),
          cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, NULL));
  printf ("  Memory pools / managed concurrency   %s / %s\n",
          cuda_obj_device_get_memory_pools_supported (device) ? "yes" : "no",
          cuda_obj_device_get_concurrent_managed_access (device) ? "yes" : "no");
  printf ("  Cooperative launch                   %s\n",
          cuda_obj_device_get_cooperative_launch (device) ? "yes" : "no");
  printf ("  Integrated                           %s\n",
          cuda_obj_device_get_integrated (device) ? "yes" : "no");
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autofree char *report = cuda_obj_get_loader_report ();
  int major = 0, minor = 0;

  printf ("%s", report);
  if (!cuda_obj_get_driver_version (&major, &minor, &error))
    {
      fprintf (stderr, "cudaobj-device-query: no usable CUDA driver: %s\n", error->message);
      return EXIT_FAILURE;
    }
  devices = cuda_obj_device_get_all (&error);
  if (devices == NULL)
    {
      fprintf (stderr, "cudaobj-device-query: %s\n", error->message);
      return EXIT_FAILURE;
    }
  printf ("\nCUDA driver supports CUDA %d.%d; %u device%s\n", major, minor, devices->len,
          devices->len == 1 ? "" : "s");
  for (guint i = 0; i < devices->len; i++)
    print_device (devices->pdata[i]);
  for (guint i = 0; i < devices->len; i++)
    for (guint j = 0; j < devices->len; j++)
      if (i != j)
        printf ("%sPeer access %u -> %u: %s\n", i == 0 && j == 1 ? "\n" : "", i, j,
                cuda_obj_device_can_access_peer (devices->pdata[i], devices->pdata[j], NULL) ? "yes" : "no");
  if (devices->len == 0)
    {
      fprintf (stderr, "cudaobj-device-query: the CUDA driver found no device\n");
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
