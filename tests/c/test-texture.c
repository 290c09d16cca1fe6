/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TextureObject and SurfaceObject: configuration checks that need no
 * device; on the GPU, point and bilinear sampling of arrays and pitched
 * buffers, normalized reads of 8-bit texels, 1D fetches from a linear
 * buffer, surface writes, and the kernel argument checks. */
#include <math.h>
#include <string.h>

#include "cudaobj-test-util.h"

static const char kernels_source[]
    = "extern \"C\" __global__ void\n"
      "sample2d (cudaTextureObject_t texture, const float2 *coordinates, float4 *out, unsigned int n)\n"
      "{\n"
      "  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    out[i] = tex2D<float4> (texture, coordinates[i].x, coordinates[i].y);\n"
      "}\n"
      "extern \"C\" __global__ void\n"
      "sample2d_scalar (cudaTextureObject_t texture, const float2 *coordinates, float *out, unsigned int n)\n"
      "{\n"
      "  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    out[i] = tex2D<float> (texture, coordinates[i].x, coordinates[i].y);\n"
      "}\n"
      "extern \"C\" __global__ void\n"
      "fetch1d (cudaTextureObject_t texture, int *out, unsigned int n)\n"
      "{\n"
      "  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    out[i] = tex1Dfetch<int> (texture, (int) i);\n"
      "}\n"
      "extern \"C\" __global__ void\n"
      "surface_fill (cudaSurfaceObject_t surface, unsigned int width, unsigned int height)\n"
      "{\n"
      "  unsigned int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;\n"
      "  if (x < width && y < height)\n"
      "    surf2Dwrite ((float) (y * 1000 + x), surface, (int) (x * sizeof (float)), (int) y);\n"
      "}\n";

/* No device needed. */

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjTextureObject) texture = g_object_new (CUDA_OBJ_TYPE_TEXTURE_OBJECT, NULL);
  g_autoptr (CudaObjSurfaceObject) surface = g_object_new (CUDA_OBJ_TYPE_SURFACE_OBJECT, NULL);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (cuda_obj_texture_object_get_handle (texture), ==, 0);
  g_assert_cmpuint (cuda_obj_surface_object_get_handle (surface), ==, 0);
  g_assert_null (cuda_obj_texture_object_get_array (texture));
  g_assert_null (cuda_obj_surface_object_get_array (surface));
  g_assert_cmpint (cuda_obj_texture_object_get_address_mode (texture), ==,
                   CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP);

  g_assert_false (cuda_obj_kernel_args_set_texture (args, 0, texture, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_surface (args, 1, surface, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_is_set (args, 0));
  g_assert_false (cuda_obj_kernel_args_is_set (args, 1));

  g_assert_false (cuda_obj_kernel_args_set_texture (args, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_surface (args, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_texture (args, 70000, texture, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "maximum"));
  g_clear_error (&error);

  /* Neither an array nor a buffer. */
  g_assert_false (g_initable_init (G_INITABLE (texture), NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_initable_init (G_INITABLE (surface), NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* Configurations refused before the array or buffer is used, so an
 * uninitialized one serves. */
typedef struct
{
  const char *name;
  CudaObjArrayFormat array_format;
  CudaObjTextureAddressMode address_mode;
  CudaObjTextureFilterMode filter_mode;
  CudaObjTextureReadMode read_mode;
  gboolean normalized;
  int code;
  const char *message;
} ArrayCase;

static const ArrayCase array_cases[] = {
  { "linear-integers", CUDA_OBJ_ARRAY_FORMAT_UINT8, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
    CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "normalized-float read mode" },
  { "wrap-unnormalized", CUDA_OBJ_ARRAY_FORMAT_FLOAT, CUDA_OBJ_TEXTURE_ADDRESS_MODE_WRAP,
    CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "need normalized coordinates" },
  { "mirror-unnormalized", CUDA_OBJ_ARRAY_FORMAT_FLOAT, CUDA_OBJ_TEXTURE_ADDRESS_MODE_MIRROR,
    CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "need normalized coordinates" },
  { "bad-filter", CUDA_OBJ_ARRAY_FORMAT_FLOAT, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
    (CudaObjTextureFilterMode) 5, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "enumeration" },
  /* A valid configuration reaches the array, which has no memory. */
  { "uninitialized-array", CUDA_OBJ_ARRAY_FORMAT_UINT8, CUDA_OBJ_TEXTURE_ADDRESS_MODE_BORDER,
    CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR, CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT, FALSE,
    CUDA_OBJ_ERROR_NOT_INITIALIZED, "not initialized" },
};

static void
test_array_configuration (gconstpointer data)
{
  const ArrayCase *c = data;
  g_autoptr (CudaObjArray) array = g_object_new (CUDA_OBJ_TYPE_ARRAY, "format", c->array_format, "width",
                                                 (guint64) 4, "height", (guint64) 4, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjTextureObject) texture = cuda_obj_texture_object_new_for_array (
      array, c->address_mode, c->filter_mode, c->read_mode, c->normalized, &error);

  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, c->code);
  g_assert_nonnull (strstr (error->message, c->message));
}

static void
test_buffer_configuration (void)
{
  g_autoptr (CudaObjBuffer) buffer = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjTextureObject) texture = NULL;

  texture = cuda_obj_texture_object_new_for_pitched_buffer (
      buffer, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 0, 4, 0, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
      CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at least 1 x 1"));
  g_clear_error (&error);
  texture = cuda_obj_texture_object_new_for_linear_buffer (buffer, (CudaObjArrayFormat) 0x77, 1, 0,
                                                           CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  texture = cuda_obj_texture_object_new_for_linear_buffer (buffer, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 3, 0,
                                                           CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1, 2 or 4"));
  g_clear_error (&error);
  /* The buffer was never initialized: it is closed. */
  texture = cuda_obj_texture_object_new_for_linear_buffer (buffer, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 0,
                                                           CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  texture = cuda_obj_texture_object_new_for_linear_buffer (NULL, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, 0,
                                                           CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
test_surface_configuration (void)
{
  g_autoptr (CudaObjArray) plain = g_object_new (CUDA_OBJ_TYPE_ARRAY, "width", (guint64) 4, NULL);
  g_autoptr (CudaObjArray) surface_array = g_object_new (CUDA_OBJ_TYPE_ARRAY, "width", (guint64) 4, "flags",
                                                         CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjSurfaceObject) surface = cuda_obj_surface_object_new (plain, &error);

  g_assert_null (surface);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "SURFACE_LOAD_STORE"));
  g_clear_error (&error);
  surface = cuda_obj_surface_object_new (surface_array, &error);
  g_assert_null (surface);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  surface = cuda_obj_surface_object_new (NULL, &error);
  g_assert_null (surface);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* On the GPU. */

typedef struct
{
  CudaObjDevice *device;
  CudaObjStream *stream;
  CudaObjObjectCode *code;
} Fixture;

static gboolean
fixture_set_up (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  f->device = cudaobj_test_device_or_skip ();
  if (f->device == NULL)
    return FALSE;
  f->stream = cuda_obj_device_create_stream (f->device, &error);
  g_assert_no_error (error);
  f->code = cudaobj_test_compile (f->device, kernels_source, NULL);
  return TRUE;
}

static void
fixture_tear_down (Fixture *f)
{
  g_clear_object (&f->code);
  g_clear_object (&f->stream);
  g_clear_object (&f->device);
}

static CudaObjBuffer *
upload (Fixture *f, gconstpointer data, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  CudaObjBuffer *buffer = cuda_obj_device_allocate (f->device, size, f->stream, &error);

  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, f->stream, &error));
  g_assert_no_error (error);
  return buffer;
}

/* Samples @texture at @n coordinates with @kernel_name; the results'
 * bytes (@item_size each). */
static GBytes *
sample (Fixture *f, CudaObjTextureObject *texture, const char *kernel_name, const float *coordinates, guint n,
        gsize item_size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernel) kernel = cuda_obj_object_code_get_kernel (f->code, kernel_name, &error);
  g_autoptr (CudaObjBuffer) in = upload (f, coordinates, n * 2 * sizeof (float));
  g_autoptr (CudaObjBuffer) out = cuda_obj_device_allocate (f->device, n * item_size, f->stream, &error);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (4);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (n, 64);
  GBytes *result;

  g_assert_no_error (error);
  g_assert_true (cuda_obj_kernel_args_set_texture (args, 0, texture, &error));
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_buffer (args, 1, in);
  cuda_obj_kernel_args_set_buffer (args, 2, out);
  cuda_obj_kernel_args_set_uint32 (args, 3, n);
  g_assert_true (cuda_obj_launch (f->stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, f->stream, &error);
  g_assert_no_error (error);
  return result;
}

/* A 4 x 4 image of float4 texels whose channels are x, y, x + 10 y, 1. */
static void
image_texel (guint x, guint y, float texel[4])
{
  texel[0] = (float) x;
  texel[1] = (float) y;
  texel[2] = (float) (x + 10 * y);
  texel[3] = 1.0f;
}

static void
test_sample_array (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjTextureObject) point = NULL;
  g_autoptr (CudaObjTextureObject) linear = NULL;
  g_autoptr (GBytes) pixels = NULL;
  g_autoptr (GBytes) exact = NULL;
  g_autoptr (GBytes) blended = NULL;
  float image[4 * 4 * 4];
  /* Texel centres, then points between texels (unnormalized coordinates:
   * texel (x, y) is centred at (x + 0.5, y + 0.5)). */
  static const float centres[] = { 0.5f, 0.5f, 3.5f, 0.5f, 1.5f, 2.5f, 3.5f, 3.5f };
  static const float between[] = { 1.0f, 0.5f, 1.0f, 1.0f, 2.25f, 3.5f, 0.0f, 0.5f };
  /* Bilinear: x, y, x + 10 y are linear in the coordinates, clamped at
   * the edges (0.0 reads texel 0 fully). */
  static const float expected_between[][3]
      = { { 0.5f, 0.0f, 0.5f }, { 0.5f, 0.5f, 5.5f }, { 1.75f, 3.0f, 31.75f }, { 0.0f, 0.0f, 0.0f } };
  const float *values;

  if (!fixture_set_up (&f))
    return;
  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      image_texel (x, y, &image[(y * 4 + x) * 4]);
  array = cuda_obj_array_new (f.device, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 4, 4, 4, 0, &error);
  g_assert_no_error (error);
  pixels = g_bytes_new (image, sizeof image);
  g_assert_true (cuda_obj_array_copy_from_bytes (array, pixels, f.stream, &error));
  g_assert_no_error (error);

  point = cuda_obj_texture_object_new_for_array (array, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
                                                 CUDA_OBJ_TEXTURE_FILTER_MODE_POINT,
                                                 CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_texture_object_get_handle (point), !=, 0);
  g_assert_true (cuda_obj_texture_object_get_array (point) == array);
  g_assert_cmpuint (cuda_obj_texture_object_get_channels (point), ==, 4);
  exact = sample (&f, point, "sample2d", centres, 4, 4 * sizeof (float));
  values = g_bytes_get_data (exact, NULL);
  for (guint i = 0; i < 4; i++)
    {
      float texel[4];

      image_texel ((guint) centres[2 * i], (guint) centres[2 * i + 1], texel);
      g_assert_cmpmem (&values[4 * i], 4 * sizeof (float), texel, sizeof texel);
    }

  linear = cuda_obj_texture_object_new_for_array (array, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
                                                  CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR,
                                                  CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_no_error (error);
  blended = sample (&f, linear, "sample2d", between, 4, 4 * sizeof (float));
  values = g_bytes_get_data (blended, NULL);
  /* Filtering weights have 8 fractional bits: these weights are exact. */
  for (guint i = 0; i < 4; i++)
    for (guint c = 0; c < 3; c++)
      g_assert_cmpfloat_with_epsilon (values[4 * i + c], expected_between[i][c], 1e-4);
  fixture_tear_down (&f);
}

static void
test_sample_normalized (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjTextureObject) texture = NULL;
  g_autoptr (GBytes) texels = NULL;
  g_autoptr (GBytes) result = NULL;
  /* 2 x 1 uchar4 texels; normalized coordinates (0.25, 0.5) and (0.75, 0.5)
   * are their centres. */
  static const guint8 rgba[] = { 0, 51, 255, 102, 255, 204, 0, 153 };
  static const float coordinates[] = { 0.25f, 0.5f, 0.75f, 0.5f, 1.25f, 0.5f };
  const float *values;

  if (!fixture_set_up (&f))
    return;
  array = cuda_obj_array_new (f.device, CUDA_OBJ_ARRAY_FORMAT_UINT8, 4, 2, 1, 0, &error);
  g_assert_no_error (error);
  texels = g_bytes_new_static (rgba, sizeof rgba);
  g_assert_true (cuda_obj_array_copy_from_bytes (array, texels, f.stream, &error));
  g_assert_no_error (error);
  texture = cuda_obj_texture_object_new_for_array (array, CUDA_OBJ_TEXTURE_ADDRESS_MODE_WRAP,
                                                   CUDA_OBJ_TEXTURE_FILTER_MODE_POINT,
                                                   CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_texture_object_get_normalized_coordinates (texture));
  result = sample (&f, texture, "sample2d", coordinates, 3, 4 * sizeof (float));
  values = g_bytes_get_data (result, NULL);
  /* The third coordinate wraps around to the first texel. */
  for (guint i = 0; i < 3; i++)
    for (guint c = 0; c < 4; c++)
      g_assert_cmpfloat_with_epsilon (values[4 * i + c], rgba[(i % 2) * 4 + c] / 255.0f, 1e-6);
  fixture_tear_down (&f);
}

static void
test_sample_pitched_buffer (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjBuffer) storage = NULL;
  g_autoptr (CudaObjBuffer) image = NULL;
  g_autoptr (CudaObjTextureObject) texture = NULL;
  g_autoptr (GBytes) rows = NULL;
  g_autoptr (GBytes) result = NULL;
  const gsize width = 5, height = 3, pitch = 512;
  float *data = g_new0 (float, pitch / sizeof (float) * height);
  static const float coordinates[] = { 0.5f, 0.5f, 4.5f, 2.5f, 1.0f, 1.5f, 2.5f, 2.0f };
  static const float expected[] = { 0.0f, 24.0f, 10.5f, 17.0f };
  guint64 base, aligned;
  const float *values;

  if (!fixture_set_up (&f))
    {
      g_free (data);
      return;
    }
  /* Texel (x, y) holds x + 10 y; rows 512 bytes apart. */
  for (gsize y = 0; y < height; y++)
    for (gsize x = 0; x < width; x++)
      data[y * pitch / sizeof (float) + x] = (float) (x + 10 * y);
  rows = g_bytes_new_take (data, pitch * height);
  /* Textures over memory want its start aligned to the texture alignment
   * (512 bytes at most on current devices). */
  storage = cuda_obj_device_allocate (f.device, pitch * height + 512, f.stream, &error);
  g_assert_no_error (error);
  base = cuda_obj_buffer_get_handle (storage);
  aligned = (base + 511) & ~(guint64) 511;
  image = cuda_obj_buffer_new_from_handle (f.device, aligned, pitch * height, G_OBJECT (storage), &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (image, rows, 0, f.stream, &error));
  g_assert_no_error (error);

  texture = cuda_obj_texture_object_new_for_pitched_buffer (
      image, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, width, height, pitch, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
      CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_texture_object_get_pitch (texture), ==, pitch);
  g_assert_true (cuda_obj_texture_object_get_buffer (texture) == image);
  result = sample (&f, texture, "sample2d_scalar", coordinates, 4, sizeof (float));
  values = g_bytes_get_data (result, NULL);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (values[i], expected[i], 1e-4);

  /* More rows than the buffer holds. */
  g_clear_object (&texture);
  texture = cuda_obj_texture_object_new_for_pitched_buffer (
      image, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, width, height + 1, pitch, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
      CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "the buffer has"));
  g_clear_error (&error);
  texture = cuda_obj_texture_object_new_for_pitched_buffer (
      image, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, width, height, 16, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP,
      CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
  g_assert_null (texture);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shorter than a row"));
  fixture_tear_down (&f);
}

static void
test_fetch_linear_buffer (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjBuffer) storage = NULL;
  g_autoptr (CudaObjBuffer) values_buffer = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (CudaObjTextureObject) texture = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (3);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (1000, 128);
  g_autoptr (GBytes) result = NULL;
  gint32 values[1000];
  guint64 aligned;

  if (!fixture_set_up (&f))
    return;
  for (int i = 0; i < 1000; i++)
    values[i] = i * i - 500;
  storage = cuda_obj_device_allocate (f.device, sizeof values + 512, f.stream, &error);
  g_assert_no_error (error);
  aligned = (cuda_obj_buffer_get_handle (storage) + 511) & ~(guint64) 511;
  values_buffer
      = cuda_obj_buffer_new_from_handle (f.device, aligned, sizeof values, G_OBJECT (storage), &error);
  g_assert_no_error (error);
  {
    g_autoptr (GBytes) bytes = g_bytes_new (values, sizeof values);
    g_assert_true (cuda_obj_buffer_copy_from_bytes (values_buffer, bytes, 0, f.stream, &error));
    g_assert_no_error (error);
  }
  texture = cuda_obj_texture_object_new_for_linear_buffer (values_buffer, CUDA_OBJ_ARRAY_FORMAT_INT32, 1, 0,
                                                           CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_texture_object_get_width (texture), ==, 1000);
  out = cuda_obj_device_allocate (f.device, sizeof values, f.stream, &error);
  g_assert_no_error (error);
  kernel = cuda_obj_object_code_get_kernel (f.code, "fetch1d", &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_kernel_args_set_texture (args, 0, texture, &error));
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_buffer (args, 1, out);
  cuda_obj_kernel_args_set_uint32 (args, 2, 1000);
  g_assert_true (cuda_obj_launch (f.stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, f.stream, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (result, NULL), g_bytes_get_size (result), values, sizeof values);

  /* A texture argument whose buffer closed fails the launch. */
  g_assert_true (cuda_obj_buffer_close (values_buffer, f.stream, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_launch (f.stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_texture (args, 0, texture, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  fixture_tear_down (&f);
}

static void
test_surface_write (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjArray) array = NULL;
  g_autoptr (CudaObjSurfaceObject) surface = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (3);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_3d (3, 2, 1, 16, 8, 1);
  g_autoptr (GBytes) result = NULL;
  const guint width = 40, height = 13;
  const float *values;

  if (!fixture_set_up (&f))
    return;
  array = cuda_obj_array_new_full (f.device, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 1, width, height, 0, 0,
                                   CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE, &error);
  g_assert_no_error (error);
  surface = cuda_obj_surface_object_new (array, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_surface_object_get_handle (surface), !=, 0);
  g_assert_true (cuda_obj_surface_object_get_array (surface) == array);
  kernel = cuda_obj_object_code_get_kernel (f.code, "surface_fill", &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_kernel_args_set_surface (args, 0, surface, &error));
  g_assert_no_error (error);
  cuda_obj_kernel_args_set_uint32 (args, 1, width);
  cuda_obj_kernel_args_set_uint32 (args, 2, height);
  g_assert_true (cuda_obj_launch (f.stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_array_copy_to_bytes (array, f.stream, &error);
  g_assert_no_error (error);
  values = g_bytes_get_data (result, NULL);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      g_assert_cmpfloat (values[y * width + x], ==, (float) (y * 1000 + x));

  /* The kernel's parameter is 8 bytes: a 4-byte value there is refused. */
  cuda_obj_kernel_args_set_uint32 (args, 0, 7);
  g_assert_false (cuda_obj_launch (f.stream, config, kernel, args, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  fixture_tear_down (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/texture/uninitialized", test_uninitialized);
  for (gsize i = 0; i < G_N_ELEMENTS (array_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/texture/array-configuration/%s", array_cases[i].name);
      g_test_add_data_func (path, &array_cases[i], test_array_configuration);
    }
  g_test_add_func ("/texture/buffer-configuration", test_buffer_configuration);
  g_test_add_func ("/texture/surface-configuration", test_surface_configuration);
  g_test_add_func ("/texture/sample-array", test_sample_array);
  g_test_add_func ("/texture/sample-normalized", test_sample_normalized);
  g_test_add_func ("/texture/sample-pitched-buffer", test_sample_pitched_buffer);
  g_test_add_func ("/texture/fetch-linear-buffer", test_fetch_linear_buffer);
  g_test_add_func ("/texture/surface-write", test_surface_write);
  return g_test_run ();
}
