/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* texture-sample: an 8 x 8 RGBA image goes into a CUDA array; a kernel
 * samples it through a texture at fractional coordinates, four samples a
 * texel in each direction, with bilinear filtering and 8-bit channels read
 * as floats in [0, 1]; the 32 x 32 result is read back and checked against
 * the same filter computed on the host.
 *
 * Exits with 77 (a skip for meson) when there is no CUDA device, with 1 on
 * any error or wrong result. */
#include <cudaobj.h>
#include <math.h>
#include <stdio.h>

#define EXIT_SKIP 77
#define SIZE 8
#define SCALE 4
#define OUT (SIZE * SCALE)

static const char source[]
    = "extern \"C\" __global__ void upscale (cudaTextureObject_t image, float4 *out, int size, float scale)\n"
      "{\n"
      "  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;\n"
      "  if (x < size && y < size)\n"
      "    out[y * size + x] = tex2D<float4> (image, (x + 0.5f) / scale, (y + 0.5f) / scale);\n"
      "}\n";

/* A gradient in red and green, a checkerboard in blue, opaque. */
static guint8
channel (int x, int y, int c)
{
  switch (c)
    {
    case 0: return (guint8) (x * 255 / (SIZE - 1));
    case 1: return (guint8) (y * 255 / (SIZE - 1));
    case 2: return (x + y) % 2 ? 255 : 0;
    default: return 255;
    }
}

/* What the texture unit computes: texel centres at + 0.5, edges clamped. */
static float
bilinear (float x, float y, int c)
{
  float xb = x - 0.5f, yb = y - 0.5f;
  int x0 = (int) floorf (xb), y0 = (int) floorf (yb);
  float a = xb - x0, b = yb - y0;
  int x1 = CLAMP (x0 + 1, 0, SIZE - 1), y1 = CLAMP (y0 + 1, 0, SIZE - 1);

  x0 = CLAMP (x0, 0, SIZE - 1);
  y0 = CLAMP (y0, 0, SIZE - 1);
  return ((1 - a) * (1 - b) * channel (x0, y0, c) + a * (1 - b) * channel (x1, y0, c)
          + (1 - a) * b * channel (x0, y1, c) + a * b * channel (x1, y1, c))
         / 255.0f;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjArray) image = NULL;
  g_autoptr (CudaObjTextureObject) texture = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (4);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_3d (OUT / 16, OUT / 16, 1, 16, 16, 1);
  g_autoptr (GBytes) pixels = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autofree char *arch = NULL;
  guint8 rgba[SIZE * SIZE * 4];
  const float *samples;
  int wrong = 0;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "texture-sample: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }
  stream = cuda_obj_device_create_stream (device, &error);
  if (stream == NULL)
    goto failed;

  /* The image, into an array of 4 8-bit channels. */
  for (int y = 0; y < SIZE; y++)
    for (int x = 0; x < SIZE; x++)
      for (int c = 0; c < 4; c++)
        rgba[(y * SIZE + x) * 4 + c] = channel (x, y, c);
  pixels = g_bytes_new (rgba, sizeof rgba);
  image = cuda_obj_array_new (device, CUDA_OBJ_ARRAY_FORMAT_UINT8, 4, SIZE, SIZE, 0, &error);
  if (image == NULL || !cuda_obj_array_copy_from_bytes (image, pixels, stream, &error))
    goto failed;

  /* Bilinear filtering returns floats: read the channels as [0, 1]. */
  texture = cuda_obj_texture_object_new_for_array (
      image, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP, CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR,
      CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT, FALSE, &error);
  if (texture == NULL)
    goto failed;

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (code == NULL || (kernel = cuda_obj_object_code_get_kernel (code, "upscale", &error)) == NULL)
    goto failed;

  out = cuda_obj_device_allocate (device, OUT * OUT * 4 * sizeof (float), stream, &error);
  if (out == NULL || !cuda_obj_kernel_args_set_texture (args, 0, texture, &error))
    goto failed;
  cuda_obj_kernel_args_set_buffer (args, 1, out);
  cuda_obj_kernel_args_set_int32 (args, 2, OUT);
  cuda_obj_kernel_args_set_float (args, 3, SCALE);
  if (!cuda_obj_launch (stream, config, kernel, args, &error)
      || (result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error)) == NULL)
    goto failed;

  samples = g_bytes_get_data (result, NULL);
  for (int y = 0; y < OUT; y++)
    for (int x = 0; x < OUT; x++)
      for (int c = 0; c < 4; c++)
        {
          float expected = bilinear ((x + 0.5f) / SCALE, (y + 0.5f) / SCALE, c);

          if (fabsf (samples[(y * OUT + x) * 4 + c] - expected) > 2e-3f && wrong++ < 5)
            fprintf (stderr, "texture-sample: (%d, %d) channel %d is %g, expected %g\n", x, y, c,
                     samples[(y * OUT + x) * 4 + c], expected);
        }
  if (wrong > 0)
    {
      fprintf (stderr, "texture-sample: %d of %d values are wrong\n", wrong, OUT * OUT * 4);
      return 1;
    }
  printf ("texture-sample: %dx%d image sampled at %dx%d; at (1.625, 1.625) red %.4f green %.4f blue %.4f\n",
          SIZE, SIZE, OUT, OUT, samples[(6 * OUT + 6) * 4], samples[(6 * OUT + 6) * 4 + 1],
          samples[(6 * OUT + 6) * 4 + 2]);
  return 0;

failed:
  fprintf (stderr, "texture-sample: %s\n", error->message);
  return 1;
}
