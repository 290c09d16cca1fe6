/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error domains, the generated enums and the CUresult -> GError helper. */
#include <string.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

static void
test_quarks (void)
{
  g_assert_cmpstr (g_quark_to_string (CUDA_OBJ_ERROR), ==, "cuda-obj-error-quark");
  g_assert_cmpstr (g_quark_to_string (CUDA_OBJ_DRIVER_ERROR), ==, "cuda-obj-driver-error-quark");
}

typedef struct
{
  CUresult code;
  int ours;
  const char *cuda_name;
  const char *nick;
} DriverCode;

static const DriverCode driver_codes[] = {
  { CUDA_SUCCESS, CUDA_OBJ_DRIVER_ERROR_SUCCESS, "CUDA_SUCCESS", "success" },
  { CUDA_ERROR_INVALID_VALUE, CUDA_OBJ_DRIVER_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE",
    "invalid-value" },
  { CUDA_ERROR_OUT_OF_MEMORY, CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY",
    "out-of-memory" },
  { CUDA_ERROR_NO_DEVICE, CUDA_OBJ_DRIVER_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no-device" },
  { CUDA_ERROR_ILLEGAL_ADDRESS, CUDA_OBJ_DRIVER_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS",
    "illegal-address" },
  { CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, CUDA_OBJ_DRIVER_ERROR_LAUNCH_OUT_OF_RESOURCES,
    "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "launch-out-of-resources" },
  { CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED, CUDA_OBJ_DRIVER_ERROR_PEER_ACCESS_ALREADY_ENABLED,
    "CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED", "peer-access-already-enabled" },
  { CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, CUDA_OBJ_DRIVER_ERROR_STREAM_CAPTURE_UNSUPPORTED,
    "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", "stream-capture-unsupported" },
  { CUDA_ERROR_UNKNOWN, CUDA_OBJ_DRIVER_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown" },
};

static void
test_driver_enum_matches_cuda_h (gconstpointer data)
{
  const DriverCode *code = data;
  g_autoptr (GEnumClass) klass = g_type_class_ref (CUDA_OBJ_TYPE_DRIVER_ERROR);
  GEnumValue *value = g_enum_get_value (klass, (int) code->code);

  g_assert_cmpint (code->ours, ==, (int) code->code);
  g_assert_nonnull (value);
  g_assert_cmpstr (value->value_nick, ==, code->nick);
  g_assert_cmpstr (cuda_obj_driver_error_get_name (code->code), ==, code->cuda_name);
}

static void
test_driver_enum_complete (void)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (CUDA_OBJ_TYPE_DRIVER_ERROR);

  /* Generated from cuda.h: CUDA 12 and 13 define about a hundred codes. */
  g_assert_cmpuint (klass->n_values, >=, 90);
  g_assert_cmpint (klass->minimum, ==, 0);
  g_assert_cmpint (klass->maximum, ==, CUDA_ERROR_UNKNOWN);
}

static void
test_driver_error_unknown_code (void)
{
  g_assert_null (cuda_obj_driver_error_get_name (123456));
}

static void
test_device_attribute_enum (void)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (CUDA_OBJ_TYPE_DEVICE_ATTRIBUTE);

  g_assert_cmpint (CUDA_OBJ_DEVICE_ATTRIBUTE_WARP_SIZE, ==, CU_DEVICE_ATTRIBUTE_WARP_SIZE);
  g_assert_cmpint (CUDA_OBJ_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, ==,
                   CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  g_assert_cmpint (CUDA_OBJ_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, ==,
                   CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED);
  g_assert_cmpstr (g_enum_get_value (klass, CU_DEVICE_ATTRIBUTE_WARP_SIZE)->value_nick, ==, "warp-size");
  /* The _MAX sentinel is not an attribute. */
  g_assert_null (g_enum_get_value (klass, CU_DEVICE_ATTRIBUTE_MAX));
  g_assert_cmpuint (klass->n_values, >=, 100);
}

static void
test_library_error_enum (void)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (CUDA_OBJ_TYPE_ERROR);

  g_assert_cmpstr (g_enum_get_value (klass, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND)->value_nick, ==,
                   "library-not-found");
  g_assert_cmpstr (g_enum_get_value (klass, CUDA_OBJ_ERROR_CLOSED)->value_nick, ==, "closed");
}

static void
test_check_success (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_check (CUDA_SUCCESS, "cuMemAlloc", &error));
  g_assert_no_error (error);
}

static void
test_check_failure_message (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_check (CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc", &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, CUDA_OBJ_DRIVER_ERROR_OUT_OF_MEMORY);
  /* "cuMemAlloc: out of memory (CUDA_ERROR_OUT_OF_MEMORY)", whether the
   * description comes from the driver or, without one, from the name. */
  g_assert_true (g_str_has_prefix (error->message, "cuMemAlloc: out of memory"));
  g_assert_true (g_str_has_suffix (error->message, "(CUDA_ERROR_OUT_OF_MEMORY)"));
}

static void
test_check_unknown_code (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_check ((CUresult) 123456, "cuFoo", &error));
  g_assert_error (error, CUDA_OBJ_DRIVER_ERROR, 123456);
  g_assert_true (g_str_has_prefix (error->message, "cuFoo: "));
  g_assert_nonnull (strstr (error->message, "unknown"));
}

static void
test_check_ignores_null_error (void)
{
  g_assert_false (cuda_obj_check (CUDA_ERROR_INVALID_VALUE, "cuFoo", NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/quarks", test_quarks);
  for (guint i = 0; i < G_N_ELEMENTS (driver_codes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/error/driver-enum/%s", driver_codes[i].nick);
      g_test_add_data_func (path, &driver_codes[i], test_driver_enum_matches_cuda_h);
    }
  g_test_add_func ("/error/driver-enum/complete", test_driver_enum_complete);
  g_test_add_func ("/error/driver-enum/unknown-code", test_driver_error_unknown_code);
  g_test_add_func ("/error/device-attribute-enum", test_device_attribute_enum);
  g_test_add_func ("/error/library-error-enum", test_library_error_enum);
  g_test_add_func ("/error/check/success", test_check_success);
  g_test_add_func ("/error/check/failure-message", test_check_failure_message);
  g_test_add_func ("/error/check/unknown-code", test_check_unknown_code);
  g_test_add_func ("/error/check/null-error", test_check_ignores_null_error);

  return g_test_run ();
}
