/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: the option renderer (typed option fields to a
 * compiler's or linker's argv), for ProgramOptions (NVRTC's and libNVVM's
 * command lines) and LinkerOptions (nvJitLink's). The input fills the
 * fields through the option table: the first byte picks the class, then
 * each option in table order takes a boolean (1 byte), an int (4 bytes), a
 * string (up to a NUL) or a string array (a count byte, then strings). A
 * render either gives a NULL-terminated argv of non-empty strings, the
 * architecture first, or INVALID_ARGUMENT. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cudaobj-linker-options-private.h"
#include "cudaobj-program-options-private.h"

#define REQUIRE(cond)                                                                 \
  do                                                                                  \
    {                                                                                 \
      if (!(cond))                                                                    \
        {                                                                             \
          g_printerr ("fuzz-options-render: %s failed (line %d)\n", #cond, __LINE__); \
          abort ();                                                                   \
        }                                                                             \
    }                                                                                 \
  while (0)

typedef struct
{
  const uint8_t *data;
  size_t size;
} Input;

static guint8
take_byte (Input *in)
{
  guint8 byte = 0;

  if (in->size > 0)
    {
      byte = in->data[0];
      in->data++;
      in->size--;
    }
  return byte;
}

static char *
take_string (Input *in)
{
  size_t length = strnlen ((const char *) in->data, in->size);
  char *string = g_strndup ((const char *) in->data, length);

  in->data += length < in->size ? length + 1 : length;
  in->size -= length < in->size ? length + 1 : length;
  return string;
}

static void
fill (const CudaObjOptionTable *table, gpointer fields, Input *in)
{
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];
      gpointer field = G_STRUCT_MEMBER_P (fields, spec->offset);

      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_BOOLEAN: *(gboolean *) field = take_byte (in) & 1; break;
        case CUDA_OBJ_OPTION_INT:
          {
            guint32 value = 0;
            for (int b = 0; b < 4; b++)
              value = value << 8 | take_byte (in);
            *(int *) field = (int) value;
          }
          break;
        case CUDA_OBJ_OPTION_STRING:
          g_free (*(char **) field);
          *(char **) field = take_string (in);
          /* A missing architecture would ask the driver for device 0. */
          if (spec->role == CUDA_OBJ_OPTION_ARCH && **(char **) field == '\0')
            {
              g_free (*(char **) field);
              *(char **) field = g_strdup ("sm_90");
            }
          break;
        case CUDA_OBJ_OPTION_STRV:
          {
            guint n = take_byte (in) % 4;
            char **items = g_new0 (char *, n + 1);
            for (guint j = 0; j < n; j++)
              items[j] = take_string (in);
            g_strfreev (*(char ***) field);
            *(char ***) field = items;
          }
          break;
        }
    }
}

static void
check_argv (char **argv, GError *error)
{
  if (argv == NULL)
    {
      REQUIRE (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT));
      return;
    }
  REQUIRE (error == NULL);
  REQUIRE (argv[0] != NULL); /* the architecture, at least */
  for (guint i = 0; argv[i] != NULL; i++)
    REQUIRE (argv[i][0] != '\0');
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Input in = { data, size };
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;

  if (take_byte (&in) & 1)
    {
      const CudaObjOptionTable *table = cuda_obj_linker_options_get_table ();
      CudaObjLinkerOptionsFields fields;

      cuda_obj_option_fields_init (table, &fields);
      fill (table, &fields, &in);
      argv = cuda_obj_option_fields_render (table, &fields, &error);
      check_argv (argv, error);
      cuda_obj_option_fields_clear (table, &fields);
    }
  else
    {
      const CudaObjOptionTable *table = cuda_obj_program_options_get_table ();
      CudaObjProgramOptionsFields fields;

      cuda_obj_option_fields_init (table, &fields);
      fill (table, &fields, &in);
      argv = cuda_obj_program_options_render (&fields, &error);
      check_argv (argv, error);
      g_clear_pointer (&argv, g_strfreev);
      g_clear_error (&error);
      argv = cuda_obj_program_options_render_nvvm (&fields, size % 2, &error);
      check_argv (argv, error);
      cuda_obj_option_fields_clear (table, &fields);
    }
  return 0;
}
