/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Array: shape checks that need no device; on the GPU, round trips of
 * every rank through bytes, regions, pitched buffers and other arrays, and
 * every error path of the copies. */
#include <string.h>

#include "cudaobj-array-private.h"
#include "cudaobj-test-util.h"

/* Shapes the array refuses before any driver call. */
typedef struct
{
  const char *name;
  CudaObjArrayFormat format;
  guint channels;
  gsize width, height, depth, layers;
  CudaObjArrayFlags flags;
  const char *message; /* a part of the error message */
} BadShape;

static const BadShape bad_shapes[] = {
  { "format", (CudaObjArrayFormat) 0x55, 1, 4, 0, 0, 0, 0, "not a CudaObj.ArrayFormat" },
  { "channels-3", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 3, 4, 4, 0, 0, 0, "1, 2 or 4" },
  { "channels-0", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 0, 4, 4, 0, 0, 0, "1, 2 or 4" },
  { "width-0", CUDA_OBJ_ARRAY_FORMAT_UINT8, 1, 0, 4, 0, 0, 0, "width is 0" },
  { "depth-without-height", CUDA_OBJ_ARRAY_FORMAT_UINT8, 1, 4, 0, 4, 0, 0, "needs a height" },
  { "layered-3d", CUDA_OBJ_ARRAY_FORMAT_UINT8, 1, 4, 4, 4, 2, 0, "not both" },
  { "gather-1d", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 4, 0, 0, 0, CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER,
    "2D arrays only" },
  { "flags", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 4, 4, 0, 0, (CudaObjArrayFlags) 0x40, "not CudaObj.ArrayFlags" },
};

/* No device needed: the shape is checked first (a NULL device comes after). */
static void
test_bad_shape (gconstpointer data)
{
  const BadShape *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjArray) array = cuda_obj_array_new_full (NULL, c->format, c->channels, c->width, c->height,
                                                            c->depth, c->layers, c->flags, &error);

  g_assert_null (array);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, c->message));
}

static void
test_no_device (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjArray) array = cuda_obj_array_new (NULL, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 4, 4, 0, &error);

  g_assert_null (array);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "needs a device"));
}

static void
test_format_sizes (void)
{
  static const struct
  {
    CudaObjArrayFormat format;
    gsize size;
  } cases[] = {
    { CUDA_OBJ_ARRAY_FORMAT_UINT8, 1 },  { CUDA_OBJ_ARRAY_FORMAT_INT8, 1 },
    { CUDA_OBJ_ARRAY_FORMAT_UINT16, 2 }, { CUDA_OBJ_ARRAY_FORMAT_INT16, 2 },
    { CUDA_OBJ_ARRAY_FORMAT_HALF, 2 },   { CUDA_OBJ_ARRAY_FORMAT_UINT32, 4 },
    { CUDA_OBJ_ARRAY_FORMAT_INT32, 4 },  { CUDA_OBJ_ARRAY_FORMAT_FLOAT, 4 },
    { (CudaObjArrayFormat) 7, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (cuda_obj_array_format_get_size (cases[i].format), ==, cases[i].size);
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjArray) array
      = g_object_new (CUDA_OBJ_TYPE_ARRAY, "width", (guint64) 8, "height", (guint64) 2, "channels", 2, NULL);
  g_autoptr (CudaObjArray) other = g_object_new (CUDA_OBJ_TYPE_ARRAY, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new_static ("0123456789abcdef", 16);
  g_autoptr (GError) error = NULL;

  /* The properties read back; the memory is not there. */
  g_assert_cmpuint (cuda_obj_array_get_width (array), ==, 8);
  g_assert_cmpuint (cuda_obj_array_get_height (array), ==, 2);
  g_assert_cmpuint (cuda_obj_array_get_element_size (array), ==, 8);
  g_assert_cmpuint (cuda_obj_array_get_size (array), ==, 128);
  g_assert_cmpuint (cuda_obj_array_get_handle (array), ==, 0);
  g_assert_null (cuda_obj_array_get_device (array));

  g_assert_false (cuda_obj_array_copy_from_bytes (array, bytes, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_array_copy_to_bytes (array, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_array_copy_region_to_bytes (array, 0, 0, 0, 1, 1, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_region_from_bytes (array, bytes, 0, 0, 0, 1, 1, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_to_array (array, other, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_to_array (array, NULL, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_from_buffer (array, NULL, 0, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  /* Initializing without a device says so. */
  g_assert_false (g_initable_init (G_INITABLE (array), NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* On the GPU. */

/* @size bytes that differ from one byte to the next. */
static GBytes *
pattern (gsize size, guint8 seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (seed + i * 7 + i / 251);
  return g_bytes_new_take (data, size);
}

typedef struct
{
  const char *name;
  CudaObjArrayFormat format;
  guint channels;
  gsize width, height, depth, layers;
} Shape;

static const Shape shapes[] = {
  { "1d-uint8x1", CUDA_OBJ_ARRAY_FORMAT_UINT8, 1, 1000, 0, 0, 0 },
  { "2d-floatx4", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 4, 33, 17, 0, 0 },
  { "2d-halfx2", CUDA_OBJ_ARRAY_FORMAT_HALF, 2, 64, 3, 0, 0 },
  { "3d-int16x2", CUDA_OBJ_ARRAY_FORMAT_INT16, 2, 9, 5, 4, 0 },
  { "layered-1d-uint32x1", CUDA_OBJ_ARRAY_FORMAT_UINT32, 1, 100, 0, 0, 3 },
  { "layered-2d-floatx1", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 16, 8, 0, 5 },
};

static CudaObjArray *
new_array (CudaObjDevice *device, const Shape *s, CudaObjArrayFlags flags)
{
  g_autoptr (GError) error = NULL;
  CudaObjArray *array = cuda_obj_array_new_full (device, s->format, s->channels, s->width, s->height,
                                                 s->depth, s->layers, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static void
test_round_trip (gconstpointer data)
{
  const Shape *s = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjArray) copy = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GBytes) in = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) out2 = NULL;
  g_autoptr (GError) error = NULL;
  gsize expected;

  if (device == NULL)
    return;
  array = new_array (device, s, CUDA_OBJ_ARRAY_FLAGS_NONE);
  copy = new_array (device, s, CUDA_OBJ_ARRAY_FLAGS_NONE);
  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  expected = cuda_obj_array_format_get_size (s->format) * s->channels * s->width * MAX (s->height, 1)
             * MAX (MAX (s->depth, s->layers), 1);
  g_assert_cmpuint (cuda_obj_array_get_size (array), ==, expected);
  g_assert_cmpuint (cuda_obj_array_get_handle (array), !=, 0);
  g_assert_true (cuda_obj_array_get_device (array) == device);

  in = pattern (expected, 3);
  g_assert_true (cuda_obj_array_copy_from_bytes (array, in, stream, &error));
  g_assert_no_error (error);
  out = cuda_obj_array_copy_to_bytes (array, stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));

  g_assert_true (cuda_obj_array_copy_to_array (array, copy, stream, &error));
  g_assert_no_error (error);
  out2 = cuda_obj_array_copy_to_bytes (copy, stream, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out2));
}

static void
test_region (void)
{
  static const Shape s = { "3d", CUDA_OBJ_ARRAY_FORMAT_UINT16, 1, 8, 6, 4, 0 };
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (GBytes) zeros = NULL;
  g_autoptr (GBytes) box = NULL;
  g_autoptr (GBytes) got = NULL;
  g_autoptr (GBytes) all = NULL;
  g_autoptr (GError) error = NULL;
  const guint16 *words;

  if (device == NULL)
    return;
  array = new_array (device, &s, CUDA_OBJ_ARRAY_FLAGS_NONE);
  zeros = g_bytes_new_take (g_malloc0 (8 * 6 * 4 * 2), 8 * 6 * 4 * 2);
  g_assert_true (cuda_obj_array_copy_from_bytes (array, zeros, NULL, &error));
  g_assert_no_error (error);

  /* A 3 x 2 x 2 box at (4, 3, 1). */
  box = pattern (3 * 2 * 2 * 2, 100);
  g_assert_true (cuda_obj_array_copy_region_from_bytes (array, box, 4, 3, 1, 3, 2, 2, NULL, &error));
  g_assert_no_error (error);
  got = cuda_obj_array_copy_region_to_bytes (array, 4, 3, 1, 3, 2, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (box, got));

  /* Everything outside the box is still zero; inside it is the box's. */
  all = cuda_obj_array_copy_to_bytes (array, NULL, &error);
  g_assert_no_error (error);
  words = g_bytes_get_data (all, NULL);
  for (gsize z = 0; z < 4; z++)
    for (gsize y = 0; y < 6; y++)
      for (gsize x = 0; x < 8; x++)
        {
          guint16 value = words[(z * 6 + y) * 8 + x];
          gboolean inside = x >= 4 && x < 7 && y >= 3 && y < 5 && z >= 1 && z < 3;

          if (inside)
            {
              const guint16 *expected = g_bytes_get_data (box, NULL);
              g_assert_cmpuint (value, ==, expected[((z - 1) * 2 + (y - 3)) * 3 + (x - 4)]);
            }
          else
            g_assert_cmpuint (value, ==, 0);
        }
}

static void
test_buffer_pitch (void)
{
  static const Shape s = { "2d", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 2, 10, 7, 0, 0 };
  const gsize row = 10 * 8, pitch = 128, offset = 64, size = offset + 7 * pitch;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) back = NULL;
  g_autoptr (GBytes) in = NULL;
  g_autoptr (GBytes) packed = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *source, *result;

  if (device == NULL)
    return;
  array = new_array (device, &s, CUDA_OBJ_ARRAY_FLAGS_NONE);
  buffer = cuda_obj_device_allocate (device, size, NULL, &error);
  g_assert_no_error (error);
  back = cuda_obj_device_allocate (device, size, NULL, &error);
  g_assert_no_error (error);
  in = pattern (size, 9);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, in, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (back, 0xee, 1, 0, size, NULL, &error));
  g_assert_no_error (error);

  /* Rows of the array come from every pitch-th byte after the offset. */
  g_assert_true (cuda_obj_array_copy_from_buffer (array, buffer, offset, pitch, NULL, &error));
  g_assert_no_error (error);
  packed = cuda_obj_array_copy_to_bytes (array, NULL, &error);
  g_assert_no_error (error);
  source = g_bytes_get_data (in, NULL);
  for (gsize y = 0; y < 7; y++)
    g_assert_cmpmem ((const guint8 *) g_bytes_get_data (packed, NULL) + y * row, row,
                     source + offset + y * pitch, row);

  /* Back out at the same pitch: the padding between rows is untouched. */
  g_assert_true (cuda_obj_array_copy_to_buffer (array, back, offset, pitch, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (back, 0, -1, NULL, &error);
  g_assert_no_error (error);
  result = g_bytes_get_data (out, NULL);
  for (gsize i = 0; i < size; i++)
    {
      gboolean in_row = i >= offset && (i - offset) % pitch < row;
      g_assert_cmpuint (result[i], ==, in_row ? source[i] : 0xee);
    }
}

static void
test_copy_errors (void)
{
  static const Shape s = { "2d", CUDA_OBJ_ARRAY_FORMAT_UINT8, 4, 16, 4, 0, 0 };
  static const Shape t = { "2d", CUDA_OBJ_ARRAY_FORMAT_UINT8, 4, 16, 5, 0, 0 };
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjArray) other = NULL;
  g_autoptr (CudaObjBuffer) small = NULL;
  g_autoptr (GBytes) wrong = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  array = new_array (device, &s, CUDA_OBJ_ARRAY_FLAGS_NONE);
  other = new_array (device, &t, CUDA_OBJ_ARRAY_FLAGS_NONE);
  wrong = pattern (255, 0);

  /* The message gives the size expected. */
  g_assert_false (cuda_obj_array_copy_from_bytes (array, wrong, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "takes 256"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_region_from_bytes (array, wrong, 0, 0, 0, 0, 1, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_array_copy_region_to_bytes (array, 10, 0, 0, 7, 1, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "do not fit"));
  g_clear_error (&error);
  g_assert_null (cuda_obj_array_copy_region_to_bytes (array, 0, 0, 1, 1, 1, 1, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_to_array (array, other, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "differs"));
  g_clear_error (&error);

  small = cuda_obj_device_allocate (device, 255, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_array_copy_from_buffer (array, small, 0, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_array_copy_to_buffer (array, small, 0, 32, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shorter than a row"));
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_close (small, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_array_copy_to_buffer (array, small, 0, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_properties (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (GError) error = NULL;
  guint64 width = 0, layers = 0, handle = 0;
  CudaObjArrayFlags flags = 0;

  if (device == NULL)
    return;
  array = g_initable_new (CUDA_OBJ_TYPE_ARRAY, NULL, &error, "device", device, "format",
                          CUDA_OBJ_ARRAY_FORMAT_HALF, "channels", 4, "width", (guint64) 32, "height",
                          (guint64) 32, "layers", (guint64) 6, "flags",
                          CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE, NULL);
  g_assert_no_error (error);
  g_object_get (array, "width", &width, "layers", &layers, "flags", &flags, "handle", &handle, NULL);
  g_assert_cmpuint (width, ==, 32);
  g_assert_cmpuint (layers, ==, 6);
  g_assert_cmpuint (flags, ==, CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE);
  g_assert_cmpuint (handle, ==, cuda_obj_array_get_handle (array));
  g_assert_cmpint (cuda_obj_array_get_format (array), ==, CUDA_OBJ_ARRAY_FORMAT_HALF);
  g_assert_cmpuint (cuda_obj_array_get_size (array), ==, 32 * 32 * 6 * 8);
}

/* An array that another API owns (a mapped graphics resource) is wrapped
 * without being destroyed, and refuses copies once forgotten (unmapped). */
static void
test_foreign (void)
{
  static const Shape s = { "layered", CUDA_OBJ_ARRAY_FORMAT_FLOAT, 2, 16, 4, 0, 3 };
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjArray) owner = NULL;
  g_autoptr (CudaObjArray) foreign = NULL;
  g_autoptr (GBytes) in = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  owner = new_array (device, &s, CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE);
  foreign = cuda_obj_array_new_foreign (device, (CUarray) (guintptr) cuda_obj_array_get_handle (owner),
                                        G_OBJECT (owner), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_array_get_format (foreign), ==, CUDA_OBJ_ARRAY_FORMAT_FLOAT);
  g_assert_cmpuint (cuda_obj_array_get_channels (foreign), ==, 2);
  g_assert_cmpuint (cuda_obj_array_get_width (foreign), ==, 16);
  g_assert_cmpuint (cuda_obj_array_get_height (foreign), ==, 4);
  g_assert_cmpuint (cuda_obj_array_get_depth (foreign), ==, 0);
  g_assert_cmpuint (cuda_obj_array_get_layers (foreign), ==, 3);
  g_assert_cmpuint (cuda_obj_array_get_flags (foreign), ==, CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE);

  /* Both see the same memory. */
  in = pattern (cuda_obj_array_get_size (foreign), 42);
  g_assert_true (cuda_obj_array_copy_from_bytes (foreign, in, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_array_copy_to_bytes (owner, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));

  cuda_obj_array_forget (foreign);
  g_assert_cmpuint (cuda_obj_array_get_handle (foreign), ==, 0);
  g_assert_null (cuda_obj_array_copy_to_bytes (foreign, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  /* The owner's array was not destroyed. */
  g_clear_object (&foreign);
  g_clear_pointer (&out, g_bytes_unref);
  out = cuda_obj_array_copy_to_bytes (owner, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/array/bad-shape/%s", bad_shapes[i].name);
      g_test_add_data_func (path, &bad_shapes[i], test_bad_shape);
    }
  g_test_add_func ("/array/no-device", test_no_device);
  g_test_add_func ("/array/format-sizes", test_format_sizes);
  g_test_add_func ("/array/uninitialized", test_uninitialized);
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/array/round-trip/%s", shapes[i].name);
      g_test_add_data_func (path, &shapes[i], test_round_trip);
    }
  g_test_add_func ("/array/region", test_region);
  g_test_add_func ("/array/buffer-pitch", test_buffer_pitch);
  g_test_add_func ("/array/copy-errors", test_copy_errors);
  g_test_add_func ("/array/properties", test_properties);
  g_test_add_func ("/array/foreign", test_foreign);
  return g_test_run ();
}
