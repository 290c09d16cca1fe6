/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: ObjectCode's validation of untrusted bytes (CUBIN and
 * host ELF files, PTX text, LTO-IR, fatbins, ar archives). Every input is
 * checked as every code type, and as a few values that are not code types;
 * a check must either accept the bytes or give INVALID_ARGUMENT with a
 * UTF-8 message, and the public constructor must agree with it. */
#include <stdint.h>
#include <stdlib.h>

#include "cudaobj-object-code-private.h"

/* Plain abort(), not g_assert: libFuzzer reports and keeps the crashing input. */
#define REQUIRE(cond)                                                              \
  do                                                                               \
    {                                                                              \
      if (!(cond))                                                                 \
        {                                                                          \
          g_printerr ("fuzz-object-code: %s failed (line %d)\n", #cond, __LINE__); \
          abort ();                                                                \
        }                                                                          \
    }                                                                              \
  while (0)

static void
check_as (GBytes *bytes, int code_type)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) new_error = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  gboolean ok = cuda_obj_object_code_check (bytes, (CudaObjCodeType) code_type, &error);

  REQUIRE (ok == (error == NULL));
  if (!ok)
    {
      REQUIRE (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT));
      REQUIRE (error->message[0] != '\0');
      REQUIRE (g_utf8_validate (error->message, -1, NULL));
    }
  if (code_type < CUDA_OBJ_CODE_TYPE_CUBIN || code_type > CUDA_OBJ_CODE_TYPE_LIBRARY)
    {
      REQUIRE (!ok);
      return;
    }

  code = cuda_obj_object_code_new (bytes, (CudaObjCodeType) code_type, &new_error);
  REQUIRE ((code != NULL) == ok);
  if (code != NULL)
    {
      REQUIRE (g_bytes_equal (cuda_obj_object_code_get_code (code), bytes));
      REQUIRE ((int) cuda_obj_object_code_get_code_type (code) == code_type);
    }
  else
    REQUIRE (g_error_matches (new_error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT));
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so that any read past the end is an
   * ASan report rather than a read of libFuzzer's own buffer. */
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  static const int not_code_types[] = { -1, CUDA_OBJ_CODE_TYPE_LIBRARY + 1, G_MAXINT };

  for (int type = CUDA_OBJ_CODE_TYPE_CUBIN; type <= CUDA_OBJ_CODE_TYPE_LIBRARY; type++)
    check_as (bytes, type);
  for (gsize i = 0; i < G_N_ELEMENTS (not_code_types); i++)
    check_as (bytes, not_code_types[i]);
  return 0;
}
