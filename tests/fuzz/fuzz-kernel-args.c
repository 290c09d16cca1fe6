/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer harness: KernelArgs packing from bytes, checked against a
 * made-up parameter layout as a launch checks it, with no GPU.
 *
 * The input describes a kernel's parameter layout (count, sizes, offsets,
 * some misaligned), then a sequence of setter calls (typed scalars, raw
 * bytes of any size and alignment, slots past the end). After each call the
 * arguments' view must hold exactly the bytes set (the driver reads
 * slot->size bytes at params[i]: ASan catches any short storage), the
 * launch's argument check must agree with a plain model of it, and an
 * accepted set must pack into the parameter buffer that
 * cuda_obj_launch_packed() expects. A misuse of the setters (an index over
 * the maximum, no data) must fail every later check with its message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cudaobj-launch-private.h"

#define REQUIRE(cond)                                                              \
  do                                                                               \
    {                                                                              \
      if (!(cond))                                                                 \
        {                                                                          \
          g_printerr ("fuzz-kernel-args: %s failed (line %d)\n", #cond, __LINE__); \
          abort ();                                                                \
        }                                                                          \
    }                                                                              \
  while (0)

#define MAX_PARAMS 16
#define MAX_SLOTS (MAX_PARAMS + 4)

typedef struct
{
  const uint8_t *data;
  size_t size;
} Input;

static guint
take_byte (Input *in)
{
  guint b;

  if (in->size == 0)
    return 0;
  b = in->data[0];
  in->data++;
  in->size--;
  return b;
}

/* Up to @n bytes into @out, zeros when the input runs out. */
static void
take_bytes (Input *in, guint8 *out, gsize n)
{
  gsize k = MIN (n, in->size);

  memcpy (out, in->data, k);
  memset (out + k, 0, n - k);
  in->data += k;
  in->size -= k;
}

/* What the harness expects of each slot. */
typedef struct
{
  gsize size;
  guint alignment;
  guint8 bytes[1024];
} Shadow;

static Shadow shadow[MAX_SLOTS];

/* What the first misuse of the setters (an index over the maximum, empty
 * data) said, or NULL: every later check must fail with it. */
static const char *misuse;

static gboolean
model_accepts (const CudaObjKernelView *layout, guint n_args)
{
  if (n_args != layout->n_params)
    return FALSE;
  for (guint i = 0; i < n_args; i++)
    if (shadow[i].size != layout->param_sizes[i] || layout->param_offsets[i] % shadow[i].alignment != 0)
      return FALSE;
  return TRUE;
}

static void
verify (CudaObjKernelArgs *args, const CudaObjKernelView *layout, guint n_slots)
{
  CudaObjKernelArgsView view;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  cuda_obj_kernel_args_peek (args, &view);
  REQUIRE (view.n_args == n_slots);
  REQUIRE (cuda_obj_kernel_args_get_count (args) == n_slots);
  for (guint i = 0; i < view.n_args; i++)
    {
      REQUIRE (view.slots[i].size == shadow[i].size);
      REQUIRE (cuda_obj_kernel_args_get_size (args, i) == shadow[i].size);
      REQUIRE (view.slots[i].buffer == NULL);
      if (shadow[i].size > 0)
        {
          REQUIRE (view.slots[i].alignment == shadow[i].alignment);
          REQUIRE (memcmp (view.params[i], shadow[i].bytes, shadow[i].size) == 0);
        }
    }

  {
    g_autoptr (GError) check_error = NULL;
    gboolean checked = cuda_obj_kernel_args_check (args, &check_error);

    REQUIRE (checked == (misuse == NULL));
    if (!checked)
      {
        REQUIRE (g_error_matches (check_error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT));
        REQUIRE (strstr (check_error->message, misuse) != NULL);
      }
  }

  ok = cuda_obj_launch_check_args (layout, &view, NULL, &error);
  REQUIRE (ok == (error == NULL));
  REQUIRE (ok == (misuse == NULL && model_accepts (layout, view.n_args)));
  if (!ok)
    {
      REQUIRE (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT));
      REQUIRE (g_utf8_validate (error->message, -1, NULL));
      if (misuse != NULL)
        REQUIRE (strstr (error->message, misuse) != NULL);
      else
        REQUIRE (strstr (error->message, "(made-up layout)") != NULL);
      return;
    }

  /* What the driver does with kernelParams, and what launch_packed takes. */
  {
    gsize packed_size = cuda_obj_launch_packed_size (layout);
    g_autofree guint8 *packed = g_malloc0 (MAX (packed_size, 1));

    for (guint i = 0; i < view.n_args; i++)
      {
        REQUIRE (layout->param_offsets[i] + layout->param_sizes[i] <= packed_size);
        memcpy (packed + layout->param_offsets[i], view.params[i], layout->param_sizes[i]);
      }
    for (guint i = 0; i < view.n_args; i++)
      REQUIRE (memcmp (packed + layout->param_offsets[i], shadow[i].bytes, shadow[i].size) == 0);
  }
}

/* A typed setter: its size and alignment, as the setters store them. */
static void
set_typed (CudaObjKernelArgs *args, guint kind, guint index, Input *in)
{
  guint8 raw[8];
  gsize size;

  take_bytes (in, raw, sizeof raw);
  switch (kind)
    {
    /* clang-format off */
    case 0: { gint8 v; memcpy (&v, raw, 1); cuda_obj_kernel_args_set_int8 (args, index, v); size = 1; break; }
    case 1: { guint8 v; memcpy (&v, raw, 1); cuda_obj_kernel_args_set_uint8 (args, index, v); size = 1; break; }
    case 2: { gint16 v; memcpy (&v, raw, 2); cuda_obj_kernel_args_set_int16 (args, index, v); size = 2; break; }
    case 3: { guint16 v; memcpy (&v, raw, 2); cuda_obj_kernel_args_set_uint16 (args, index, v); size = 2; break; }
    case 4: { gint32 v; memcpy (&v, raw, 4); cuda_obj_kernel_args_set_int32 (args, index, v); size = 4; break; }
    case 5: { guint32 v; memcpy (&v, raw, 4); cuda_obj_kernel_args_set_uint32 (args, index, v); size = 4; break; }
    case 6: { gint64 v; memcpy (&v, raw, 8); cuda_obj_kernel_args_set_int64 (args, index, v); size = 8; break; }
    case 7: { guint64 v; memcpy (&v, raw, 8); cuda_obj_kernel_args_set_uint64 (args, index, v); size = 8; break; }
    case 8: { float v; memcpy (&v, raw, 4); cuda_obj_kernel_args_set_float (args, index, v); size = 4; break; }
    case 9: { double v; memcpy (&v, raw, 8); cuda_obj_kernel_args_set_double (args, index, v); size = 8; break; }
    case 10: { guint64 v; memcpy (&v, raw, 8); cuda_obj_kernel_args_set_pointer (args, index, v); size = 8; break; }
    /* clang-format on */
    default:
      {
        /* A bool is stored as one byte, 0 or 1, whatever gboolean says. */
        gboolean v;
        memcpy (&v, raw, sizeof v);
        cuda_obj_kernel_args_set_bool (args, index, v);
        shadow[index].size = 1;
        shadow[index].alignment = 1;
        shadow[index].bytes[0] = v != FALSE;
        return;
      }
    }
  shadow[index].size = size;
  shadow[index].alignment = size;
  memcpy (shadow[index].bytes, raw, size);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Input in = { data, size };
  gsize offsets[MAX_PARAMS], sizes[MAX_PARAMS];
  CudaObjKernelView layout = { NULL, 0, offsets, sizes };
  g_autoptr (CudaObjKernelArgs) args = NULL;
  guint n_slots, end = 0;
  static const gsize size_choices[] = { 1, 2, 4, 8, 16, 12, 24, 17, 32, 64, 100, 256, 1000 };

  /* The layout: parameters at increasing offsets, most naturally aligned. */
  layout.n_params = take_byte (&in) % (MAX_PARAMS + 1);
  for (guint i = 0; i < layout.n_params; i++)
    {
      guint b = take_byte (&in);
      gsize align = (gsize) 1 << (b & 3);
      gsize offset = (end + align - 1) / align * align;

      sizes[i] = size_choices[(b >> 2) % G_N_ELEMENTS (size_choices)];
      if (b & 0x80) /* a misaligned parameter now and then */
        offset += take_byte (&in) % 8;
      offsets[i] = offset;
      end = offset + sizes[i];
    }

  /* The arguments: as many as the layout says, or a few fewer or more. */
  n_slots = take_byte (&in) < 224 ? layout.n_params : take_byte (&in) % (MAX_PARAMS + 1);
  args = cuda_obj_kernel_args_new (n_slots);
  memset (shadow, 0, sizeof shadow);
  misuse = NULL;
  verify (args, &layout, n_slots);

  while (in.size > 0)
    {
      guint op = take_byte (&in) % 17;
      guint index = take_byte (&in) % MAX_SLOTS;

      if (op == 16)
        {
          /* A misuse: nothing is stored, and every launch fails from now on. */
          if (take_byte (&in) & 1)
            {
              cuda_obj_kernel_args_set_int32 (args, G_MAXUINT16 + index, 1);
              misuse = misuse != NULL ? misuse : "is over the maximum";
            }
          else
            {
              cuda_obj_kernel_args_set_data (args, index, NULL, 0, 1);
              misuse = misuse != NULL ? misuse : "no data (0 bytes)";
            }
          verify (args, &layout, n_slots);
          continue;
        }
      if (op < 12)
        set_typed (args, op, index, &in);
      else
        {
          /* Raw bytes: around the 16-byte inline cell, or up to 1 KiB on the heap. */
          gsize n = 1 + take_byte (&in) % 40;
          guint alignment;

          if (op == 15)
            n = 1 + (n << 5 | take_byte (&in)) % 1024;
          alignment = take_byte (&in) % 20; /* 0 means 1; odd ones too */

          take_bytes (&in, shadow[index].bytes, n);
          if (op == 14)
            {
              g_autoptr (GBytes) bytes = g_bytes_new (shadow[index].bytes, n);
              cuda_obj_kernel_args_set_bytes (args, index, bytes, alignment);
            }
          else
            {
              /* An exact-size copy, so that an over-read is an ASan report. */
              g_autofree guint8 *copy = g_memdup2 (shadow[index].bytes, n);
              cuda_obj_kernel_args_set_data (args, index, copy, n, alignment);
            }
          shadow[index].size = n;
          shadow[index].alignment = MAX (alignment, 1);
        }
      n_slots = MAX (n_slots, index + 1);
      verify (args, &layout, n_slots);
    }
  return 0;
}
