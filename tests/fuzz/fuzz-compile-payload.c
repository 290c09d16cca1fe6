/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: the compile cache's payload decoder over untrusted
 * bytes (a cache directory is shared, and files in it may be anything).
 * Decoding either fills the payload with what the engine relies on (as
 * many lowered names as name expressions, some code) or gives an error;
 * a decoded payload encodes and decodes again to the same. */
#include <stdint.h>
#include <stdlib.h>

#include "cudaobj-compile-cache-private.h"

/* Plain abort(), not g_assert: libFuzzer reports and keeps the crashing input. */
#define REQUIRE(cond)                                                                  \
  do                                                                                   \
    {                                                                                  \
      if (!(cond))                                                                     \
        {                                                                              \
          g_printerr ("fuzz-compile-payload: %s failed (line %d)\n", #cond, __LINE__); \
          abort ();                                                                    \
        }                                                                              \
    }                                                                                  \
  while (0)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  CudaObjCompilePayload payload = { 0 };
  CudaObjCompilePayload again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) encoded = NULL;
  gsize encoded_size = 0;
  const guint8 *encoded_data;

  if (!cuda_obj_compile_cache_decode_payload (data, size, &payload, &error))
    {
      REQUIRE (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED));
      REQUIRE (g_utf8_validate (error->message, -1, NULL));
      REQUIRE (payload.code == NULL && payload.log == NULL);
      return 0;
    }
  REQUIRE (error == NULL);
  REQUIRE (payload.log != NULL && payload.name_expressions != NULL && payload.lowered_names != NULL);
  REQUIRE (g_strv_length (payload.name_expressions) == g_strv_length (payload.lowered_names));
  REQUIRE (payload.code != NULL && g_bytes_get_size (payload.code) > 0);

  encoded = cuda_obj_compile_cache_encode_payload (&payload);
  encoded_data = g_bytes_get_data (encoded, &encoded_size);
  REQUIRE (cuda_obj_compile_cache_decode_payload (encoded_data, encoded_size, &again, NULL));
  REQUIRE (again.code_type == payload.code_type);
  REQUIRE (g_str_equal (again.log, payload.log));
  REQUIRE (g_strv_equal ((const char *const *) again.name_expressions,
                         (const char *const *) payload.name_expressions));
  REQUIRE (
      g_strv_equal ((const char *const *) again.lowered_names, (const char *const *) payload.lowered_names));
  REQUIRE (g_bytes_equal (again.code, payload.code));

  cuda_obj_compile_payload_clear (&again);
  cuda_obj_compile_payload_clear (&payload);
  return 0;
}
