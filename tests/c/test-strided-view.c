/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DataType and StridedView: sizes and DLPack codes, layouts and their
 * checks, strided gather and scatter, DLPack export and import (versioned
 * and legacy) with the deleter run exactly once, and device views. */
#include <string.h>

#include "cudaobj-test-util.h"
#include "cudaobj-dlpack-private.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-kernel-args-private.h"

static void
assert_error_with (GError **error, GQuark domain, int code, const char *fragment)
{
  g_assert_error (*error, domain, code);
  if (fragment != NULL && strstr ((*error)->message, fragment) == NULL)
    g_error ("\"%s\" lacks \"%s\"", (*error)->message, fragment);
  g_clear_error (error);
}

/* 0, 1, 2, ... as int32, so that every element says where it came from. */
static GBytes *
iota_bytes (guint n)
{
  gint32 *data = g_new (gint32, n);

  for (guint i = 0; i < n; i++)
    data[i] = (gint32) i;
  return g_bytes_new_take (data, n * sizeof (gint32));
}

static void
assert_int32s (GBytes *bytes, const gint32 *expected, guint n)
{
  gsize size = 0;
  const gint32 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (size, ==, n * sizeof (gint32));
  for (guint i = 0; i < n; i++)
    if (data[i] != expected[i])
      g_error ("element %u is %d, expected %d", i, data[i], expected[i]);
}

/* DataType. */

typedef struct
{
  CudaObjDataType type;
  const char *name;
  gsize size;
  guint8 code, bits;
} DataTypeCase;

/* clang-format off */
static const DataTypeCase data_type_cases[] = {
  { CUDA_OBJ_DATA_TYPE_BYTE,       "byte",       1,  kDLUInt,     8 },
  { CUDA_OBJ_DATA_TYPE_BOOL,       "bool",       1,  kDLBool,     8 },
  { CUDA_OBJ_DATA_TYPE_INT8,       "int8",       1,  kDLInt,      8 },
  { CUDA_OBJ_DATA_TYPE_INT16,      "int16",      2,  kDLInt,     16 },
  { CUDA_OBJ_DATA_TYPE_INT32,      "int32",      4,  kDLInt,     32 },
  { CUDA_OBJ_DATA_TYPE_INT64,      "int64",      8,  kDLInt,     64 },
  { CUDA_OBJ_DATA_TYPE_UINT8,      "uint8",      1,  kDLUInt,     8 },
  { CUDA_OBJ_DATA_TYPE_UINT16,     "uint16",     2,  kDLUInt,    16 },
  { CUDA_OBJ_DATA_TYPE_UINT32,     "uint32",     4,  kDLUInt,    32 },
  { CUDA_OBJ_DATA_TYPE_UINT64,     "uint64",     8,  kDLUInt,    64 },
  { CUDA_OBJ_DATA_TYPE_FLOAT16,    "float16",    2,  kDLFloat,   16 },
  { CUDA_OBJ_DATA_TYPE_BFLOAT16,   "bfloat16",   2,  kDLBfloat,  16 },
  { CUDA_OBJ_DATA_TYPE_FLOAT32,    "float32",    4,  kDLFloat,   32 },
  { CUDA_OBJ_DATA_TYPE_FLOAT64,    "float64",    8,  kDLFloat,   64 },
  { CUDA_OBJ_DATA_TYPE_COMPLEX64,  "complex64",  8,  kDLComplex, 64 },
  { CUDA_OBJ_DATA_TYPE_COMPLEX128, "complex128", 16, kDLComplex, 128 },
};
/* clang-format on */

static void
test_data_type_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (data_type_cases); i++)
    {
      const DataTypeCase *c = &data_type_cases[i];
      g_autoptr (GError) error = NULL;
      CudaObjDataType back = CUDA_OBJ_DATA_TYPE_BYTE;
      guint8 code = 0xff, bits = 0;
      guint16 lanes = 0;

      g_assert_cmpuint (cuda_obj_data_type_get_item_size (c->type), ==, c->size);
      g_assert_cmpstr (cuda_obj_data_type_get_name (c->type), ==, c->name);
      g_assert_true (cuda_obj_data_type_from_name (c->name, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, c->type);
      g_assert_true (cuda_obj_data_type_to_dlpack (c->type, &code, &bits, &lanes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (code, ==, c->code);
      g_assert_cmpuint (bits, ==, c->bits);
      g_assert_cmpuint (lanes, ==, 1);
      g_assert_true (cuda_obj_data_type_from_dlpack (code, bits, lanes, &back, &error));
      g_assert_no_error (error);
      /* DLPack has no raw bytes: they come back as uint8. */
      g_assert_cmpint (back, ==, c->type == CUDA_OBJ_DATA_TYPE_BYTE ? CUDA_OBJ_DATA_TYPE_UINT8 : c->type);
    }
}

static void
test_data_type_unsupported (void)
{
  g_autoptr (GError) error = NULL;
  CudaObjDataType type = CUDA_OBJ_DATA_TYPE_BYTE;

  g_assert_cmpuint (cuda_obj_data_type_get_item_size ((CudaObjDataType) 99), ==, 0);
  g_assert_null (cuda_obj_data_type_get_name ((CudaObjDataType) 99));
  g_assert_false (cuda_obj_data_type_to_dlpack ((CudaObjDataType) 99, NULL, NULL, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "99");
  g_assert_false (cuda_obj_data_type_from_name ("float128", &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "float128");
  g_assert_false (cuda_obj_data_type_from_name (NULL, &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, NULL);
  /* float32x4 vectors, opaque handles, 1-bit integers, float8 (code 7+). */
  g_assert_false (cuda_obj_data_type_from_dlpack (kDLFloat, 32, 4, &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "4 lanes");
  g_assert_false (cuda_obj_data_type_from_dlpack (kDLOpaqueHandle, 64, 1, &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "code 3");
  g_assert_false (cuda_obj_data_type_from_dlpack (kDLUInt, 1, 1, &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "1 bits");
  g_assert_false (cuda_obj_data_type_from_dlpack (7, 8, 1, &type, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "code 7");
  g_assert_cmpint (type, ==, CUDA_OBJ_DATA_TYPE_BYTE); /* untouched */
}

/* Layouts over host bytes (no GPU needed). */

static void
test_view_row_major (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (12);
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 3, 4 };
  g_autoptr (CudaObjStridedView) view
      = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_INT32, shape, 2, NULL, 0, 0, &error);
  const gint64 *got;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (view);
  g_assert_cmpuint (cuda_obj_strided_view_get_n_dims (view), ==, 2);
  got = cuda_obj_strided_view_get_shape (view, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (got[0], ==, 3);
  g_assert_cmpint (got[1], ==, 4);
  got = cuda_obj_strided_view_get_strides (view, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (got[0], ==, 4);
  g_assert_cmpint (got[1], ==, 1);
  g_assert_cmpuint (cuda_obj_strided_view_get_n_elements (view), ==, 12);
  g_assert_cmpuint (cuda_obj_strided_view_get_item_size (view), ==, 4);
  g_assert_cmpint (cuda_obj_strided_view_get_data_type (view), ==, CUDA_OBJ_DATA_TYPE_INT32);
  g_assert_true (cuda_obj_strided_view_get_is_contiguous (view));
  g_assert_true (cuda_obj_strided_view_get_read_only (view));
  g_assert_true (cuda_obj_strided_view_get_is_host_accessible (view));
  g_assert_false (cuda_obj_strided_view_get_is_device_accessible (view));
  g_assert_null (cuda_obj_strided_view_get_device (view));
  g_assert_cmpint (cuda_obj_strided_view_get_dlpack_device_type (view), ==, CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (view), ==,
                    (guint64) (guintptr) g_bytes_get_data (bytes, NULL));
  g_assert_nonnull (cuda_obj_strided_view_get_owner (view));
}

typedef struct
{
  const char *name;
  CudaObjDataType type;
  guint n_dims;
  gint64 shape[10];
  gboolean has_strides;
  guint n_strides;
  gint64 strides[10];
  guint64 offset;
  const char *fragment; /* NULL: valid */
} LayoutCase;

#define BIG G_GINT64_CONSTANT (0x4000000000000000)

/* Over 48 bytes: 12 int32 elements. */
/* clang-format off */
static const LayoutCase layout_cases[] = {
  { "exact fit",            CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, 4 }, FALSE, 0, { 0 }, 0, NULL },
  { "one past the end",     CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, 4 }, FALSE, 0, { 0 }, 4, "reach outside" },
  { "too many elements",    CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, 5 }, FALSE, 0, { 0 }, 0, "reach outside" },
  { "transposed",           CUDA_OBJ_DATA_TYPE_INT32, 2, { 4, 3 }, TRUE, 2, { 1, 4 }, 0, NULL },
  { "every other column",   CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, 2 }, TRUE, 2, { 4, 2 }, 0, NULL },
  { "reversed from the end", CUDA_OBJ_DATA_TYPE_INT32, 1, { 12 }, TRUE, 1, { -1 }, 44, NULL },
  { "reversed below start", CUDA_OBJ_DATA_TYPE_INT32, 1, { 12 }, TRUE, 1, { -1 }, 40, "reach outside" },
  { "broadcast",            CUDA_OBJ_DATA_TYPE_INT32, 2, { 1000, 12 }, TRUE, 2, { 0, 1 }, 0, NULL },
  { "empty at the end",     CUDA_OBJ_DATA_TYPE_INT32, 2, { 0, 4 }, FALSE, 0, { 0 }, 48, NULL },
  { "empty past the end",   CUDA_OBJ_DATA_TYPE_INT32, 1, { 0 }, FALSE, 0, { 0 }, 49, "reach outside" },
  { "scalar",               CUDA_OBJ_DATA_TYPE_FLOAT64, 0, { 0 }, FALSE, 0, { 0 }, 40, NULL },
  { "scalar past the end",  CUDA_OBJ_DATA_TYPE_FLOAT64, 0, { 0 }, FALSE, 0, { 0 }, 41, "reach outside" },
  { "rank 8",               CUDA_OBJ_DATA_TYPE_BYTE, 8, { 1, 2, 1, 2, 1, 2, 1, 2 }, FALSE, 0, { 0 }, 0, NULL },
  { "rank 9",               CUDA_OBJ_DATA_TYPE_BYTE, 9, { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, FALSE, 0, { 0 }, 0, "at most 8" },
  { "fewer strides",        CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, 4 }, TRUE, 1, { 4 }, 0, "1 strides for a shape of 2" },
  { "negative extent",      CUDA_OBJ_DATA_TYPE_INT32, 2, { 3, -4 }, FALSE, 0, { 0 }, 0, "negative extent" },
  { "overflowing shape",    CUDA_OBJ_DATA_TYPE_BYTE, 3, { BIG, BIG, 4 }, FALSE, 0, { 0 }, 0, "overflow" },
  { "overflowing stride",   CUDA_OBJ_DATA_TYPE_BYTE, 1, { 3 }, TRUE, 1, { BIG }, 0, "overflow" },
  { "overflowing bytes",    CUDA_OBJ_DATA_TYPE_COMPLEX128, 1, { 2 }, TRUE, 1, { BIG / 2 }, 0, "overflow" },
  { "huge offset",          CUDA_OBJ_DATA_TYPE_INT32, 1, { 1 }, FALSE, 0, { 0 }, G_MAXUINT64 - 1, "reach outside" },
  { "unknown data type",    (CudaObjDataType) 42, 1, { 1 }, FALSE, 0, { 0 }, 0, "42 is not" },
};
/* clang-format on */

static void
test_view_layouts (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (12);

  for (guint i = 0; i < G_N_ELEMENTS (layout_cases); i++)
    {
      const LayoutCase *c = &layout_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (CudaObjStridedView) view = NULL;

      g_test_message ("layout: %s", c->name);
      view = cuda_obj_strided_view_new_for_bytes (bytes, c->type, c->shape, c->n_dims,
                                                  c->has_strides ? c->strides : NULL, c->n_strides, c->offset,
                                                  &error);
      if (c->fragment == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (view);
          g_assert_cmpuint (cuda_obj_strided_view_get_n_dims (view), ==, c->n_dims);
          g_assert_cmpuint (cuda_obj_strided_view_get_offset (view), ==, c->offset);
        }
      else
        {
          g_assert_null (view);
          assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, c->fragment);
        }
    }
}

static void
test_view_null_arguments (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = iota_bytes (4);

  g_assert_null (
      cuda_obj_strided_view_new_for_bytes (NULL, CUDA_OBJ_DATA_TYPE_INT32, NULL, 0, NULL, 0, 0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "NULL");
  g_assert_null (
      cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_INT32, NULL, 2, NULL, 0, 0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "shape of 2 dimensions is NULL");
  g_assert_null (cuda_obj_strided_view_new (NULL, CUDA_OBJ_DATA_TYPE_INT32, NULL, 0, NULL, 0, 0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not a CudaObj.Buffer");
}

static void
test_view_uninitialized (void)
{
  g_autoptr (CudaObjStridedView) view = g_object_new (CUDA_OBJ_TYPE_STRIDED_VIEW, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new ("abcd", 4);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_strided_view_copy_to_bytes (view, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, "without memory");
  g_assert_false (cuda_obj_strided_view_copy_from_bytes (view, bytes, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_cmpuint (cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error),
                    ==, 0);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (view), ==, 0);
  g_assert_cmpuint (cuda_obj_strided_view_get_n_elements (view), ==, 0);
  g_assert_null (cuda_obj_strided_view_get_owner (view));
}

typedef struct
{
  const char *name;
  guint n_dims;
  gint64 shape[2];
  gint64 strides[2];
  guint64 offset;
  gint32 expected[12];
  guint n_expected;
} GatherCase;

/* Over the 3x4 int32 matrix 0..11. */
/* clang-format off */
static const GatherCase gather_cases[] = {
  { "transposed",         2, { 4, 3 }, { 1, 4 },  0,  { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, 12 },
  { "every other column", 2, { 3, 2 }, { 4, 2 },  0,  { 0, 2, 4, 6, 8, 10 }, 6 },
  { "columns 1 and 2",    2, { 3, 2 }, { 4, 1 },  4,  { 1, 2, 5, 6, 9, 10 }, 6 },
  { "reversed rows",      2, { 3, 4 }, { -4, 1 }, 32, { 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3 }, 12 },
  { "reversed",           1, { 12 },   { -1 },    44, { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 }, 12 },
  { "every third",        1, { 4 },    { 3 },     0,  { 0, 3, 6, 9 }, 4 },
  { "row broadcast",      2, { 2, 3 }, { 0, 1 },  16, { 4, 5, 6, 4, 5, 6 }, 6 },
};
/* clang-format on */

static CudaObjStridedView *
gather_view_for_bytes (GBytes *bytes, const GatherCase *c)
{
  g_autoptr (GError) error = NULL;
  CudaObjStridedView *view = cuda_obj_strided_view_new_for_bytes (
      bytes, CUDA_OBJ_DATA_TYPE_INT32, c->shape, c->n_dims, c->strides, c->n_dims, c->offset, &error);

  g_assert_no_error (error);
  return view;
}

static void
test_view_gather_host (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (12);

  for (guint i = 0; i < G_N_ELEMENTS (gather_cases); i++)
    {
      g_autoptr (CudaObjStridedView) view = gather_view_for_bytes (bytes, &gather_cases[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) out = NULL;

      g_test_message ("gather: %s", gather_cases[i].name);
      out = cuda_obj_strided_view_copy_to_bytes (view, NULL, &error);
      g_assert_no_error (error);
      assert_int32s (out, gather_cases[i].expected, gather_cases[i].n_expected);
    }
}

static void
test_view_read_only (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (4);
  g_autoptr (GBytes) data = iota_bytes (4);
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 4 };
  g_autoptr (CudaObjStridedView) view
      = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_INT32, shape, 1, NULL, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_false (cuda_obj_strided_view_copy_from_bytes (view, data, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "read-only");
}

/* DLPack. */

/* A producer's tensor over a host array, counting its deleter's runs. */
typedef struct
{
  DLManagedTensorVersioned versioned;
  DLManagedTensor legacy;
  gint32 data[12];
  int64_t shape[2];
  int64_t strides[2];
  int deleted;
} Producer;

static void
producer_delete_versioned (DLManagedTensorVersioned *managed)
{
  ((Producer *) managed->manager_ctx)->deleted++;
}

static void
producer_delete_legacy (DLManagedTensor *managed)
{
  ((Producer *) managed->manager_ctx)->deleted++;
}

/* A 3x2 view of every other column of the 3x4 int32 matrix 0..11. */
static void
producer_init (Producer *p)
{
  DLTensor tensor = { 0 };

  memset (p, 0, sizeof *p);
  for (guint i = 0; i < 12; i++)
    p->data[i] = (gint32) i;
  p->shape[0] = 3, p->shape[1] = 2;
  p->strides[0] = 4, p->strides[1] = 2;
  tensor.data = p->data;
  tensor.device.device_type = kDLCPU;
  tensor.ndim = 2;
  tensor.dtype.code = kDLInt, tensor.dtype.bits = 32, tensor.dtype.lanes = 1;
  tensor.shape = p->shape;
  tensor.strides = p->strides;
  p->versioned.version.major = 1;
  p->versioned.version.minor = 0;
  p->versioned.manager_ctx = p;
  p->versioned.deleter = producer_delete_versioned;
  p->versioned.dl_tensor = tensor;
  p->legacy.manager_ctx = p;
  p->legacy.deleter = producer_delete_legacy;
  p->legacy.dl_tensor = tensor;
}

static guint64
producer_address (Producer *p, gboolean versioned)
{
  return versioned ? (guint64) (guintptr) &p->versioned : (guint64) (guintptr) &p->legacy;
}

static void
test_dlpack_import_deleter_once (gconstpointer data)
{
  gboolean versioned = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  const gint32 columns[] = { 0, 2, 4, 6, 8, 10 };
  const gint32 written[] = { -1, -2, -3, -4, -5, -6 };
  g_autoptr (GBytes) in = g_bytes_new (written, sizeof written);
  g_autoptr (GBytes) out = NULL;
  CudaObjStridedView *view, *again;
  Producer p;
  guint64 exported;

  producer_init (&p);
  view = cuda_obj_strided_view_new_from_dlpack (producer_address (&p, versioned), versioned, &error);
  g_assert_no_error (error);
  g_assert_nonnull (view);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (view), ==, (guint64) (guintptr) p.data);
  g_assert_false (cuda_obj_strided_view_get_read_only (view));
  g_assert_false (cuda_obj_strided_view_get_is_contiguous (view));
  g_assert_cmpint (cuda_obj_strided_view_get_dlpack_device_type (view), ==, CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU);

  /* Gather and scatter through the strides, in the producer's memory. */
  out = cuda_obj_strided_view_copy_to_bytes (view, NULL, &error);
  g_assert_no_error (error);
  assert_int32s (out, columns, 6);
  g_assert_true (cuda_obj_strided_view_copy_from_bytes (view, in, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpint (p.data[i], ==, i % 2 == 0 ? written[i / 2] : (gint32) i);

  /* Re-exported and imported again: a second view over the same tensor. */
  exported = cuda_obj_strided_view_to_dlpack (view, !versioned, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exported, !=, 0);
  again = cuda_obj_strided_view_new_from_dlpack (exported, !versioned, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (again), ==, (guint64) (guintptr) p.data);

  g_object_unref (view);
  g_assert_cmpint (p.deleted, ==, 0); /* the second view still holds it */
  g_object_unref (again);
  g_assert_cmpint (p.deleted, ==, 1);
}

static void
test_dlpack_import_read_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  Producer p;

  producer_init (&p);
  p.versioned.flags = DLPACK_FLAG_BITMASK_READ_ONLY;
  p.versioned.dl_tensor.strides = NULL; /* compact row-major */
  view = cuda_obj_strided_view_new_from_dlpack (producer_address (&p, TRUE), TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_strided_view_get_read_only (view));
  g_assert_true (cuda_obj_strided_view_get_is_contiguous (view));
  g_assert_cmpint (cuda_obj_strided_view_get_strides (view, NULL)[0], ==, 2);
  g_clear_object (&view);
  g_assert_cmpint (p.deleted, ==, 1);
}

typedef enum
{
  BREAK_RANK,
  BREAK_NEGATIVE_RANK,
  BREAK_LANES,
  BREAK_DEVICE_TYPE,
  BREAK_NO_DATA,
  BREAK_VERSION,
  BREAK_EXTENT,
  BREAK_OVERFLOW,
} Break;

typedef struct
{
  const char *name;
  Break what;
  int code;
  const char *fragment;
} ImportCase;

/* clang-format off */
static const ImportCase import_cases[] = {
  { "rank 9",            BREAK_RANK,          CUDA_OBJ_ERROR_INVALID_ARGUMENT, "at most 8 dimensions, not 9" },
  { "negative rank",     BREAK_NEGATIVE_RANK, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not -1" },
  { "vector type",       BREAK_LANES,         CUDA_OBJ_ERROR_NOT_SUPPORTED,    "2 lanes" },
  { "Vulkan memory",     BREAK_DEVICE_TYPE,   CUDA_OBJ_ERROR_NOT_SUPPORTED,    "device type 7" },
  { "no data",           BREAK_NO_DATA,       CUDA_OBJ_ERROR_INVALID_ARGUMENT, "no data" },
  { "DLPack 2.0",        BREAK_VERSION,       CUDA_OBJ_ERROR_INVALID_ARGUMENT, "DLPack 2.0" },
  { "negative extent",   BREAK_EXTENT,        CUDA_OBJ_ERROR_INVALID_ARGUMENT, "negative extent" },
  { "wrapping address",  BREAK_OVERFLOW,      CUDA_OBJ_ERROR_INVALID_ARGUMENT, NULL },
};
/* clang-format on */

static void
test_dlpack_import_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (import_cases); i++)
    {
      const ImportCase *c = &import_cases[i];
      g_autoptr (GError) error = NULL;
      int64_t shape9[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
      DLTensor *tensor;
      Producer p;

      g_test_message ("import: %s", c->name);
      producer_init (&p);
      tensor = &p.versioned.dl_tensor;
      switch (c->what)
        {
        case BREAK_RANK: tensor->ndim = 9, tensor->shape = shape9, tensor->strides = NULL; break;
        case BREAK_NEGATIVE_RANK: tensor->ndim = -1; break;
        case BREAK_LANES: tensor->dtype.lanes = 2; break;
        case BREAK_DEVICE_TYPE: tensor->device.device_type = kDLVulkan; break;
        case BREAK_NO_DATA: tensor->data = NULL; break;
        case BREAK_VERSION: p.versioned.version.major = 2; break;
        case BREAK_EXTENT: p.shape[1] = -2; break;
        case BREAK_OVERFLOW: tensor->byte_offset = G_MAXUINT64 - 4; break;
        }
      g_assert_null (cuda_obj_strided_view_new_from_dlpack (producer_address (&p, TRUE), TRUE, &error));
      assert_error_with (&error, CUDA_OBJ_ERROR, c->code, c->fragment);
      /* Refused: still the caller's, never deleted by the library. */
      g_assert_cmpint (p.deleted, ==, 0);
      cuda_obj_strided_view_delete_dlpack (producer_address (&p, TRUE), TRUE);
      g_assert_cmpint (p.deleted, ==, 1);
    }
  {
    g_autoptr (GError) error = NULL;

    /* What a careless binding passes for an address: refused, never read. */
    const guint64 not_addresses[] = { 1, 70000, G_MAXUINT64, G_MAXUINT64 - 7 };
    Producer p;

    g_assert_null (cuda_obj_strided_view_new_from_dlpack (0, TRUE, &error));
    assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "address is 0");
    cuda_obj_strided_view_delete_dlpack (0, FALSE); /* nothing to do */
    for (guint i = 0; i < G_N_ELEMENTS (not_addresses); i++)
      for (int versioned = 0; versioned < 2; versioned++)
        {
          g_assert_null (cuda_obj_strided_view_new_from_dlpack (not_addresses[i], versioned, &error));
          assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not the address");
          cuda_obj_strided_view_delete_dlpack (not_addresses[i], versioned);
        }
    producer_init (&p);
    p.legacy.dl_tensor.shape = (int64_t *) (guintptr) 4096;
    g_assert_null (cuda_obj_strided_view_new_from_dlpack (producer_address (&p, FALSE), FALSE, &error));
    assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not readable");
    g_assert_cmpint (p.deleted, ==, 0);
  }
}

static void
test_dlpack_export_round_trip (gconstpointer data)
{
  gboolean versioned = GPOINTER_TO_INT (data);
  g_autoptr (GBytes) bytes = iota_bytes (12);
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 4, 3 }, strides[] = { 1, 4 };
  CudaObjStridedView *view = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_INT32, shape, 2,
                                                                  strides, 2, 0, &error);
  CudaObjStridedView *imported;
  guint64 address;
  const DLTensor *tensor;

  g_assert_no_error (error);
  address = cuda_obj_strided_view_to_dlpack (view, versioned, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (address, !=, 0);
  if (versioned)
    {
      DLManagedTensorVersioned *managed = (void *) (guintptr) address;

      g_assert_cmpuint (managed->version.major, ==, 1);
      g_assert_cmpuint (managed->flags & DLPACK_FLAG_BITMASK_READ_ONLY, !=, 0);
      tensor = &managed->dl_tensor;
    }
  else
    tensor = &((DLManagedTensor *) (guintptr) address)->dl_tensor;
  g_assert_true (tensor->data == g_bytes_get_data (bytes, NULL)); /* zero copy */
  g_assert_cmpint (tensor->device.device_type, ==, kDLCPU);
  g_assert_cmpint (tensor->ndim, ==, 2);
  g_assert_cmpint (tensor->shape[0], ==, 4);
  g_assert_cmpint (tensor->shape[1], ==, 3);
  g_assert_cmpint (tensor->strides[0], ==, 1);
  g_assert_cmpint (tensor->strides[1], ==, 4);
  g_assert_cmpuint (tensor->byte_offset, ==, 0);
  g_assert_cmpuint (tensor->dtype.code, ==, kDLInt);
  g_assert_cmpuint (tensor->dtype.bits, ==, 32);

  /* The tensor keeps the view alive; the importer's last reference ends it. */
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_unref (view);
  g_assert_nonnull (view);
  imported = cuda_obj_strided_view_new_from_dlpack (address, versioned, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_strided_view_get_read_only (imported), ==, versioned);
  {
    const gint32 transposed[] = { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 };
    g_autoptr (GBytes) out = cuda_obj_strided_view_copy_to_bytes (imported, NULL, &error);

    g_assert_no_error (error);
    assert_int32s (out, transposed, 12);
  }
  g_object_unref (imported);
  g_assert_null (view);
}

static void
test_dlpack_export_unconsumed (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (4);
  g_autoptr (GError) error = NULL;
  CudaObjStridedView *view
      = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_FLOAT32, NULL, 0, NULL, 0, 0, &error);
  guint64 address;

  g_assert_no_error (error);
  address = cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_unref (view);
  g_assert_nonnull (view);
  cuda_obj_strided_view_delete_dlpack (address, TRUE);
  g_assert_null (view);

  /* Host memory cannot pass for device memory. */
  view = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_FLOAT32, NULL, 0, NULL, 0, 0, &error);
  g_assert_cmpuint (cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA, &error),
                    ==, 0);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "without a copy");
  g_object_unref (view);
}

static void
test_view_as_read_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (CudaObjStridedView) frozen = NULL;
  g_autoptr (GBytes) in = iota_bytes (6);
  Producer p;

  producer_init (&p);
  view = cuda_obj_strided_view_new_from_dlpack (producer_address (&p, FALSE), FALSE, &error);
  g_assert_no_error (error);
  frozen = cuda_obj_strided_view_as_read_only (view);
  g_assert_true (frozen != view);
  g_assert_true (cuda_obj_strided_view_get_read_only (frozen));
  g_assert_cmpuint (cuda_obj_strided_view_get_data (frozen), ==, cuda_obj_strided_view_get_data (view));
  g_assert_false (cuda_obj_strided_view_copy_from_bytes (frozen, in, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "read-only");
  g_clear_object (&view);
  g_assert_cmpint (p.deleted, ==, 0);
  g_clear_object (&frozen);
  g_assert_cmpint (p.deleted, ==, 1);
}

/* Kernel arguments. */

static void
test_kernel_args_set_view (void)
{
  g_autoptr (GBytes) bytes = iota_bytes (12);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  g_autoptr (CudaObjStridedView) blank = g_object_new (CUDA_OBJ_TYPE_STRIDED_VIEW, NULL);
  const gint64 shape[] = { 2 };
  CudaObjStridedView *view
      = cuda_obj_strided_view_new_for_bytes (bytes, CUDA_OBJ_DATA_TYPE_INT32, shape, 1, NULL, 0, 8, &error);
  CudaObjKernelArgsView peek;
  guint64 data;

  g_assert_no_error (error);
  data = cuda_obj_strided_view_get_data (view);
  g_assert_true (cuda_obj_kernel_args_set_view (args, 1, view, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, 1), ==, 8);
  cuda_obj_kernel_args_peek (args, &peek);
  g_assert_cmpuint (*(const guint64 *) peek.params[1], ==, data);
  g_assert_cmpuint (data, ==, (guint64) (guintptr) g_bytes_get_data (bytes, NULL) + 8);

  /* The argument keeps the view; setting the slot again lets it go. */
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_unref (view);
  g_assert_nonnull (view);
  cuda_obj_kernel_args_set_int32 (args, 1, 7);
  g_assert_null (view);

  g_assert_false (cuda_obj_kernel_args_set_view (args, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "argument 0");
  g_assert_false (cuda_obj_kernel_args_set_view (args, 0, blank, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_false (cuda_obj_kernel_args_is_set (args, 0));
}

/* Device views (GPU). */

static CudaObjBuffer *
device_iota (CudaObjDevice *device, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = iota_bytes (n);
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, n * sizeof (gint32), NULL, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, NULL, &error));
  g_assert_no_error (error);
  /* The tests read it on non-blocking streams, which do not wait for the
   * legacy default stream. */
  g_assert_true (cuda_obj_device_synchronize (device, &error));
  g_assert_no_error (error);
  return buffer;
}

static void
test_device_view_layout_checked (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (GError) error = NULL;
  const gint64 fits[] = { 3, 4 }, too_big[] = { 3, 5 };

  if (device == NULL)
    return;
  buffer = device_iota (device, 12);
  view = cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, fits, 2, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_strided_view_get_device (view) == device);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (view), ==, cuda_obj_buffer_get_handle (buffer));
  g_assert_cmpint (cuda_obj_strided_view_get_dlpack_device_type (view), ==, CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA);
  g_assert_true (cuda_obj_strided_view_get_is_device_accessible (view));
  g_assert_false (cuda_obj_strided_view_get_is_host_accessible (view));
  g_assert_false (cuda_obj_strided_view_get_read_only (view));
  g_assert_true (cuda_obj_strided_view_get_owner (view) == G_OBJECT (buffer));
  g_assert_null (
      cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, too_big, 2, NULL, 0, 0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "48 bytes");
  g_assert_null (cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, fits, 2, NULL, 0, 4, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "reach outside");
}

/* Each layout gathered from device memory (2-D copies and staged ones)
 * gives what the host gather gives; scattered back into a zeroed buffer,
 * it writes exactly the view's elements. */
static void
test_device_view_gather_scatter (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) host = iota_bytes (12);
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  buffer = device_iota (device, 12);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (gather_cases); i++)
    {
      const GatherCase *c = &gather_cases[i];
      g_autoptr (CudaObjStridedView) view = NULL;
      g_autoptr (CudaObjBuffer) target = NULL;
      g_autoptr (CudaObjStridedView) target_view = NULL;
      g_autoptr (GBytes) out = NULL;
      g_autoptr (GBytes) whole = NULL;
      const gint32 *words;

      g_test_message ("device gather: %s", c->name);
      view = cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_INT32, c->shape, c->n_dims, c->strides,
                                        c->n_dims, c->offset, &error);
      g_assert_no_error (error);
      out = cuda_obj_strided_view_copy_to_bytes (view, stream, &error);
      g_assert_no_error (error);
      assert_int32s (out, c->expected, c->n_expected);

      if (c->strides[0] == 0)
        continue; /* a broadcast view writes its elements more than once */
      target = cuda_obj_device_allocate (device, 48, stream, &error);
      g_assert_no_error (error);
      /* Everything on the test's stream: it does not wait for the legacy one. */
      g_assert_true (cuda_obj_buffer_fill (target, 0xff, 1, 0, 48, stream, &error));
      g_assert_no_error (error);
      target_view = cuda_obj_strided_view_new (target, CUDA_OBJ_DATA_TYPE_INT32, c->shape, c->n_dims,
                                               c->strides, c->n_dims, c->offset, &error);
      g_assert_no_error (error);
      g_assert_true (cuda_obj_strided_view_copy_from_bytes (target_view, out, stream, &error));
      g_assert_no_error (error);
      whole = cuda_obj_buffer_copy_to_bytes (target, 0, -1, stream, &error);
      g_assert_no_error (error);
      words = g_bytes_get_data (whole, NULL);
      /* The view's elements hold their own index again; the rest is untouched (-1). */
      for (guint j = 0; j < 12; j++)
        {
          gboolean in_view = FALSE;

          for (guint k = 0; k < c->n_expected; k++)
            in_view |= c->expected[k] == (gint32) j;
          g_assert_cmpint (words[j], ==, in_view ? (gint32) j : -1);
        }
    }
}

static void
test_device_view_closed_buffer (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 12 };

  if (device == NULL)
    return;
  buffer = device_iota (device, 12);
  view = cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_INT32, shape, 1, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_cmpuint (cuda_obj_strided_view_get_data (view), ==, 0);
  g_assert_null (cuda_obj_strided_view_copy_to_bytes (view, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "closed");
  g_assert_cmpuint (cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error),
                    ==, 0);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, NULL);
  g_assert_null (cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_INT32, shape, 1, NULL, 0, 0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, NULL);
}

static void
test_device_view_dlpack (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (CudaObjStridedView) imported = NULL;
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 3, 2 }, strides[] = { 4, 2 };
  DLManagedTensorVersioned *managed;
  guint64 address;

  if (device == NULL)
    return;
  buffer = device_iota (device, 12);
  view = cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_INT32, shape, 2, strides, 2, 4, &error);
  g_assert_no_error (error);
  address = cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, &error);
  g_assert_no_error (error);
  managed = (void *) (guintptr) address;
  g_assert_cmpint (managed->dl_tensor.device.device_type, ==, kDLCUDA);
  g_assert_cmpint (managed->dl_tensor.device.device_id, ==, (int) cuda_obj_device_get_ordinal (device));
  g_assert_cmpuint ((guint64) (guintptr) managed->dl_tensor.data, ==,
                    cuda_obj_buffer_get_handle (buffer) + 4);
  g_assert_cmpuint (managed->flags, ==, 0);
  imported = cuda_obj_strided_view_new_from_dlpack (address, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_strided_view_get_device (imported) == device);
  g_assert_cmpuint (cuda_obj_strided_view_get_data (imported), ==, cuda_obj_buffer_get_handle (buffer) + 4);
  {
    const gint32 expected[] = { 1, 3, 5, 7, 9, 11 };
    g_autoptr (GBytes) out = cuda_obj_strided_view_copy_to_bytes (imported, NULL, &error);

    g_assert_no_error (error);
    assert_int32s (out, expected, 6);
  }
  /* Device memory is no host memory. */
  g_assert_cmpuint (cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU, &error), ==,
                    0);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "without a copy");
}

static void
test_device_view_host_memory (gconstpointer data)
{
  gboolean managed = GPOINTER_TO_INT (data);
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjMemoryResource) resource = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 2, 2 }, strides[] = { 1, 2 };
  DLManagedTensorVersioned *tensor;
  guint64 address;
  gint32 *words;

  if (device == NULL)
    return;
  if (managed)
    resource = CUDA_OBJ_MEMORY_RESOURCE (cuda_obj_managed_memory_resource_new (device, &error));
  else
    resource = CUDA_OBJ_MEMORY_RESOURCE (cuda_obj_legacy_pinned_memory_resource_new (device, &error));
  g_assert_no_error (error);
  buffer = cuda_obj_memory_resource_allocate (resource, 16, NULL, &error);
  g_assert_no_error (error);
  words = (gint32 *) (guintptr) cuda_obj_buffer_get_handle (buffer);
  for (guint i = 0; i < 4; i++)
    words[i] = (gint32) i;
  view = cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_INT32, shape, 2, strides, 2, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_strided_view_get_dlpack_device_type (view), ==,
                   managed ? CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_MANAGED
                           : CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST);
  g_assert_true (cuda_obj_strided_view_get_is_host_accessible (view));
  {
    const gint32 expected[] = { 0, 2, 1, 3 };
    g_autoptr (GBytes) out = cuda_obj_strided_view_copy_to_bytes (view, NULL, &error);

    g_assert_no_error (error);
    assert_int32s (out, expected, 4);
  }
  /* For NumPy: the same memory as a host tensor. */
  address = cuda_obj_strided_view_to_dlpack (view, TRUE, CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU, &error);
  g_assert_no_error (error);
  tensor = (void *) (guintptr) address;
  g_assert_cmpint (tensor->dl_tensor.device.device_type, ==, kDLCPU);
  g_assert_true (tensor->dl_tensor.data == (void *) words);
  cuda_obj_strided_view_delete_dlpack (address, TRUE);
}

/* A kernel launched on a strided view changes exactly the view's elements
 * (every other column of a 3x4 int32 matrix), in place. */
static void
test_device_kernel_on_view (void)
{
  static const char source[]
      = "extern \"C\" __global__ void add_hundred (int *first, long long stride, int n)\n"
        "{\n"
        "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
        "  if (i < n)\n"
        "    first[i * stride] += 100;\n"
        "}\n";
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) whole = NULL;
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { 6 }, strides[] = { 2 };
  const gint32 expected[] = { 100, 1, 102, 3, 104, 5, 106, 7, 108, 9, 110, 11 };

  if (device == NULL)
    return;
  code = cudaobj_test_compile (device, source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "add_hundred", &error);
  g_assert_no_error (error);
  buffer = device_iota (device, 12);
  view = cuda_obj_buffer_view (buffer, CUDA_OBJ_DATA_TYPE_INT32, shape, 1, strides, 1, 0, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  g_assert_true (cuda_obj_kernel_args_set_view (args, 0, view, &error));
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_int64 (args, 1, 2);
  cuda_obj_kernel_args_set_int32 (args, 2, 6);
  config = cuda_obj_launch_config_new (1, 32);
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  whole = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, NULL, &error);
  g_assert_no_error (error);
  assert_int32s (whole, expected, 12);

  /* A view of a closed buffer fails the launch, not the device. */
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_false (cuda_obj_launch (stream, config, kernel, args, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "closed buffer");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data-type/sizes-names-and-dlpack-codes", test_data_type_table);
  g_test_add_func ("/data-type/unsupported", test_data_type_unsupported);
  g_test_add_func ("/strided-view/row-major-by-default", test_view_row_major);
  g_test_add_func ("/strided-view/layouts-checked", test_view_layouts);
  g_test_add_func ("/strided-view/null-arguments", test_view_null_arguments);
  g_test_add_func ("/strided-view/uninitialized", test_view_uninitialized);
  g_test_add_func ("/strided-view/gather-host", test_view_gather_host);
  g_test_add_func ("/strided-view/read-only-refuses-writes", test_view_read_only);
  g_test_add_func ("/strided-view/as-read-only", test_view_as_read_only);
  g_test_add_data_func ("/strided-view/dlpack/import/versioned-deleter-once", GINT_TO_POINTER (TRUE),
                        test_dlpack_import_deleter_once);
  g_test_add_data_func ("/strided-view/dlpack/import/legacy-deleter-once", GINT_TO_POINTER (FALSE),
                        test_dlpack_import_deleter_once);
  g_test_add_func ("/strided-view/dlpack/import/read-only-and-row-major", test_dlpack_import_read_only);
  g_test_add_func ("/strided-view/dlpack/import/invalid", test_dlpack_import_invalid);
  g_test_add_data_func ("/strided-view/dlpack/export/versioned-round-trip", GINT_TO_POINTER (TRUE),
                        test_dlpack_export_round_trip);
  g_test_add_data_func ("/strided-view/dlpack/export/legacy-round-trip", GINT_TO_POINTER (FALSE),
                        test_dlpack_export_round_trip);
  g_test_add_func ("/strided-view/dlpack/export/unconsumed", test_dlpack_export_unconsumed);
  g_test_add_func ("/strided-view/kernel-args/set-view", test_kernel_args_set_view);
  g_test_add_func ("/strided-view/device/kernel-on-view", test_device_kernel_on_view);
  g_test_add_func ("/strided-view/device/layout-checked", test_device_view_layout_checked);
  g_test_add_func ("/strided-view/device/gather-scatter", test_device_view_gather_scatter);
  g_test_add_func ("/strided-view/device/closed-buffer", test_device_view_closed_buffer);
  g_test_add_func ("/strided-view/device/dlpack-round-trip", test_device_view_dlpack);
  g_test_add_data_func ("/strided-view/device/pinned-as-host", GINT_TO_POINTER (FALSE),
                        test_device_view_host_memory);
  g_test_add_data_func ("/strided-view/device/managed-as-host", GINT_TO_POINTER (TRUE),
                        test_device_view_host_memory);

  return g_test_run ();
}
