/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TensorMap: every layout check on views of host memory (no device
 * needed); on a compute capability 9.0 GPU, a TMA kernel that copies tiles
 * of a float matrix through shared memory, with maps over views and over a
 * padded buffer, replace_buffer and the argument checks. */
#include <stdlib.h>
#include <string.h>

#include "cudaobj-test-util.h"

/* One block loads a 32 x 32 tile at (x, y) (x the column) through @in_map
 * into shared memory, writes 2 v + 1 there, and stores the tile through
 * @out_map at the same coordinates. */
static const char kernels_source[]
    = "#define TILE 32\n"
      "struct __align__ (64) TensorMap { unsigned long long opaque[16]; };\n"
      "extern \"C\" __global__ void\n"
      "tma_round_trip (const __grid_constant__ TensorMap in_map, const __grid_constant__ TensorMap out_map,\n"
      "                int x, int y)\n"
      "{\n"
      "  __shared__ __align__ (128) float tile[TILE * TILE];\n"
      "  __shared__ __align__ (8) unsigned long long barrier;\n"
      "  unsigned int tile_address = (unsigned int) __cvta_generic_to_shared (tile);\n"
      "  unsigned int barrier_address = (unsigned int) __cvta_generic_to_shared (&barrier);\n"
      "  unsigned int done = 0;\n"
      "  if (threadIdx.x == 0)\n"
      "    {\n"
      "      asm volatile (\"mbarrier.init.shared::cta.b64 [%0], 1;\" ::\"r\"(barrier_address));\n"
      "      asm volatile (\"fence.proxy.async.shared::cta;\" ::: \"memory\");\n"
      "    }\n"
      "  __syncthreads ();\n"
      "  if (threadIdx.x == 0)\n"
      "    {\n"
      "      asm volatile (\"mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\"\n"
      "                    ::\"r\"(barrier_address), \"r\"((unsigned int) sizeof tile) : \"memory\");\n"
      "      asm volatile (\"cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes\"\n"
      "                    \" [%0], [%1, {%2, %3}], [%4];\"\n"
      "                    ::\"r\"(tile_address), \"l\"((unsigned long long) &in_map), \"r\"(x), \"r\"(y),\n"
      "                    \"r\"(barrier_address) : \"memory\");\n"
      "    }\n"
      "  while (!done)\n"
      "    asm volatile (\"{\\n .reg .pred p;\\n\"\n"
      "                  \" mbarrier.try_wait.parity.shared::cta.b64 p, [%1], 0;\\n\"\n"
      "                  \" selp.u32 %0, 1, 0, p;\\n}\"\n"
      "                  : \"=r\"(done) : \"r\"(barrier_address) : \"memory\");\n"
      "  for (unsigned int i = threadIdx.x; i < TILE * TILE; i += blockDim.x)\n"
      "    tile[i] = 2.0f * tile[i] + 1.0f;\n"
      "  asm volatile (\"fence.proxy.async.shared::cta;\" ::: \"memory\");\n"
      "  __syncthreads ();\n"
      "  if (threadIdx.x == 0)\n"
      "    {\n"
      "      asm volatile (\"cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%1, %2}], [%3];\"\n"
      "                    ::\"l\"((unsigned long long) &out_map), \"r\"(x), \"r\"(y), \"r\"(tile_address)\n"
      "                    : \"memory\");\n"
      "      asm volatile (\"cp.async.bulk.commit_group;\" ::: \"memory\");\n"
      "      asm volatile (\"cp.async.bulk.wait_group.read 0;\" ::: \"memory\");\n"
      "    }\n"
      "}\n";

/* A read-only view of @size bytes of 64-byte aligned host memory. */
static CudaObjStridedView *
host_view (CudaObjDataType data_type, const gint64 *shape, guint n_dims, const gint64 *strides,
           guint64 offset, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  void *memory = NULL;
  CudaObjStridedView *view;

  g_assert_cmpint (posix_memalign (&memory, 64, size), ==, 0);
  memset (memory, 0, size);
  bytes = g_bytes_new_with_free_func (memory, size, free, memory);
  view = cuda_obj_strided_view_new_for_bytes (bytes, data_type, shape, n_dims, strides,
                                              strides != NULL ? n_dims : 0, offset, &error);
  g_assert_no_error (error);
  return view;
}

typedef struct
{
  const char *name;
  CudaObjDataType data_type;
  guint n_dims;
  gint64 shape[6];
  gboolean has_strides;
  gint64 strides[6];
  guint64 offset;
  guint n_box;
  guint32 box[6];
  guint n_element_strides;
  guint32 element_strides[6];
  CudaObjTensorMapInterleave interleave;
  CudaObjTensorMapSwizzle swizzle;
  CudaObjTensorMapOobFill oob_fill;
  int code;
  const char *message;
} TiledCase;

#define F32 CUDA_OBJ_DATA_TYPE_FLOAT32
#define NO_INTERLEAVE CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE
#define NO_SWIZZLE CUDA_OBJ_TENSOR_MAP_SWIZZLE_NONE
#define ZERO CUDA_OBJ_TENSOR_MAP_OOB_FILL_ZERO
#define INVALID CUDA_OBJ_ERROR_INVALID_ARGUMENT

/* A float32 matrix of 8 x 16 (rows 64 bytes apart) with 4 x 4 boxes is
 * valid; each case breaks one rule. */
static const TiledCase tiled_cases[] = {
  { "rank-6",
    F32,
    6,
    { 1, 1, 1, 1, 2, 4 },
    FALSE,
    { 0 },
    0,
    6,
    { 1, 1, 1, 1, 1, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "1 to 5" },
  { "inner-not-contiguous",
    F32,
    2,
    { 8, 8 },
    TRUE,
    { 16, 2 },
    0,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "contiguous" },
  { "stride-not-16",
    F32,
    2,
    { 8, 3 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "multiples of 16" },
  { "negative-stride",
    F32,
    2,
    { 8, 16 },
    TRUE,
    { -16, 1 },
    7 * 64,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "positive strides" },
  { "misaligned",
    F32,
    2,
    { 8, 16 },
    TRUE,
    { 16, 1 },
    4,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "16-byte aligned" },
  { "box-count",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    1,
    { 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "box sizes" },
  { "box-zero",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 0, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "1 to 256" },
  { "box-257",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 257, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "1 to 256" },
  { "box-inner-bytes",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 3 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "multiple of 16" },
  { "swizzle-narrow",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 16 },
    0,
    { 0 },
    NO_INTERLEAVE,
    CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_32,
    ZERO,
    INVALID,
    "over the 32" },
  { "interleave-rank-2",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    0,
    { 0 },
    CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_16,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "3 dimensions" },
  { "interleave-32-swizzle",
    F32,
    3,
    { 2, 4, 16 },
    FALSE,
    { 0 },
    0,
    3,
    { 1, 4, 8 },
    0,
    { 0 },
    CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "32-byte swizzle" },
  { "nan-fill-integers",
    CUDA_OBJ_DATA_TYPE_INT32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    CUDA_OBJ_TENSOR_MAP_OOB_FILL_NAN,
    INVALID,
    "floating-point" },
  { "element-stride-9",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    2,
    { 9, 1 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "1 to 8" },
  { "element-stride-count",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    1,
    { 1 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    INVALID,
    "element strides for" },
  { "swizzle-enum",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    0,
    { 0 },
    NO_INTERLEAVE,
    (CudaObjTensorMapSwizzle) 9,
    ZERO,
    INVALID,
    "enumeration" },
  { "complex",
    CUDA_OBJ_DATA_TYPE_COMPLEX64,
    2,
    { 8, 8 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 2 },
    0,
    { 0 },
    NO_INTERLEAVE,
    NO_SWIZZLE,
    ZERO,
    CUDA_OBJ_ERROR_NOT_SUPPORTED,
    "complex" },
  /* A valid layout, in host memory. */
  { "host-memory",
    F32,
    2,
    { 8, 16 },
    FALSE,
    { 0 },
    0,
    2,
    { 4, 4 },
    2,
    { 1, 1 },
    NO_INTERLEAVE,
    CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_64,
    ZERO,
    INVALID,
    "not device memory" },
};

static void
test_tiled_layout (gconstpointer data)
{
  const TiledCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStridedView) view
      = host_view (c->data_type, c->shape, c->n_dims, c->has_strides ? c->strides : NULL, c->offset, 4096);
  g_autoptr (CudaObjTensorMap) map = cuda_obj_tensor_map_new_tiled (
      view, c->box, c->n_box, c->n_element_strides > 0 ? c->element_strides : NULL, c->n_element_strides,
      c->interleave, c->swizzle, CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_128, c->oob_fill, &error);

  g_assert_null (map);
  g_assert_error (error, CUDA_OBJ_ERROR, c->code);
  if (strstr (error->message, c->message) == NULL)
    g_error ("%s: message \"%s\" lacks \"%s\"", c->name, error->message, c->message);
}

typedef struct
{
  const char *name;
  guint n_dims;
  gint64 shape[5];
  guint n_corners;
  gint lower[3];
  gint upper[3];
  guint channels;
  guint pixels;
  const char *message;
} Im2colCase;

/* An NHWC float32 tensor of 1 x 4 x 4 x 16 with 2 corners a side is valid. */
static const Im2colCase im2col_cases[] = {
  { "rank-2", 2, { 4, 16 }, 0, { 0 }, { 0 }, 16, 16, "3 to 5" },
  { "corner-count", 4, { 1, 4, 4, 16 }, 1, { -1 }, { 1 }, 16, 16, "spatial dimensions" },
  { "corner-range", 4, { 1, 4, 4, 16 }, 2, { -200, 0 }, { 0, 0 }, 16, 16, "outside -128 to 127" },
  { "channels-0", 4, { 1, 4, 4, 16 }, 2, { -1, -1 }, { 1, 1 }, 0, 16, "channels per pixel" },
  { "pixels-2000", 4, { 1, 4, 4, 16 }, 2, { -1, -1 }, { 1, 1 }, 16, 2000, "pixels per column" },
  { "host-memory", 4, { 1, 4, 4, 16 }, 2, { -1, -1 }, { 1, 1 }, 16, 16, "not device memory" },
};

static void
test_im2col_layout (gconstpointer data)
{
  const Im2colCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStridedView) view = host_view (F32, c->shape, c->n_dims, NULL, 0, 4096);
  g_autoptr (CudaObjTensorMap) map = cuda_obj_tensor_map_new_im2col (
      view, c->lower, c->n_corners, c->upper, c->n_corners, c->channels, c->pixels, NULL, 0, NO_INTERLEAVE,
      NO_SWIZZLE, CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);

  g_assert_null (map);
  g_assert_error (error, CUDA_OBJ_ERROR, INVALID);
  if (strstr (error->message, c->message) == NULL)
    g_error ("%s: message \"%s\" lacks \"%s\"", c->name, error->message, c->message);
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjTensorMap) map = g_object_new (CUDA_OBJ_TYPE_TENSOR_MAP, NULL);
  g_autoptr (CudaObjBuffer) buffer = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (1);
  g_autoptr (GError) error = NULL;
  static const guint64 shape[] = { 8, 16 };
  static const guint32 box[] = { 4, 4 };
  g_autoptr (CudaObjTensorMap) from_buffer = NULL;

  g_assert_null (cuda_obj_tensor_map_get_bytes (map));
  g_assert_cmpuint (cuda_obj_tensor_map_get_rank (map), ==, 0);
  g_assert_cmpuint (cuda_obj_tensor_map_get_address (map), ==, 0);
  g_assert_false (cuda_obj_tensor_map_get_is_im2col (map));
  g_assert_false (cuda_obj_tensor_map_replace_address (map, 4096, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_tensor_map_replace_buffer (map, buffer, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_tensor_map (args, 0, map, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_set_tensor_map (args, 0, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_kernel_args_is_set (args, 0));

  /* A buffer never initialized is closed. */
  from_buffer = cuda_obj_tensor_map_new_tiled_for_buffer (
      buffer, 0, F32, shape, 2, NULL, 0, box, 2, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
      CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_null (from_buffer);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  from_buffer = cuda_obj_tensor_map_new_tiled_for_buffer (
      NULL, 0, F32, shape, 2, NULL, 0, box, 2, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
      CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_null (from_buffer);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  from_buffer = cuda_obj_tensor_map_new_tiled (NULL, box, 2, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
                                               CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_null (from_buffer);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

/* On a compute capability 9.0 GPU. */

#define N 64

static CudaObjDevice *
hopper_or_skip (void)
{
  CudaObjDevice *device = cudaobj_test_device_or_skip ();

  if (device != NULL && cuda_obj_device_get_compute_capability_major (device) < 9)
    {
      g_test_skip ("tensor maps need compute capability 9.0 or later");
      g_clear_object (&device);
    }
  return device;
}

static CudaObjBuffer *
matrix_buffer (CudaObjDevice *device, gsize size, float seed)
{
  g_autoptr (GError) error = NULL;
  float *values = g_new (float, size / sizeof (float));
  g_autoptr (GBytes) bytes = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, size, NULL, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < size / sizeof (float); i++)
    values[i] = seed + (float) i;
  bytes = g_bytes_new_take (values, size);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, NULL, &error));
  g_assert_no_error (error);
  return buffer;
}

static CudaObjTensorMap *
tile_map (CudaObjBuffer *buffer)
{
  static const gint64 shape[] = { N, N };
  static const guint32 box[] = { 32, 32 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStridedView) view = cuda_obj_buffer_view (buffer, F32, shape, 2, NULL, 0, 0, &error);
  CudaObjTensorMap *map;

  g_assert_no_error (error);
  map = cuda_obj_tensor_map_new_tiled (view, box, 2, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
                                       CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_128, ZERO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (map);
  return map;
}

static void
run_round_trip (CudaObjDevice *device, CudaObjKernel *kernel, CudaObjTensorMap *in_map,
                CudaObjTensorMap *out_map, int x, int y)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (kernel);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 128);
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (device, &error);
  gboolean launched, synchronized;

  g_assert_no_error (error);
  g_assert_true (cuda_obj_kernel_args_set_tensor_map (args, 0, in_map, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_kernel_args_set_tensor_map (args, 1, out_map, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, 0), ==, CUDA_OBJ_TENSOR_MAP_SIZE);
  cuda_obj_kernel_args_set_int32 (args, 2, x);
  cuda_obj_kernel_args_set_int32 (args, 3, y);
  launched = cuda_obj_launch (stream, config, kernel, args, &error);
  g_assert_no_error (error);
  g_assert_true (launched);
  synchronized = cuda_obj_stream_synchronize (stream, &error);
  g_assert_no_error (error);
  g_assert_true (synchronized);
}

/* @out (N x N) holds 2 v + 1 of @in's element (read at @in_pitch floats a
 * row) in the tile at (@x, @y) and @background elsewhere. */
static void
assert_tile (CudaObjBuffer *out, CudaObjBuffer *in, gsize in_pitch, int x, int y, float background)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = cuda_obj_buffer_copy_to_bytes (out, 0, -1, NULL, &error);
  g_autoptr (GBytes) source = cuda_obj_buffer_copy_to_bytes (in, 0, -1, NULL, &error);
  const float *o = g_bytes_get_data (got, NULL), *s = g_bytes_get_data (source, NULL);

  g_assert_no_error (error);
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++)
      {
        gboolean inside = c >= x && c < x + 32 && r >= y && r < y + 32;
        float expected = inside ? 2.0f * s[r * in_pitch + c] + 1.0f : background;

        if (o[r * N + c] != expected)
          g_error ("element (%d, %d): %g, expected %g", r, c, o[r * N + c], expected);
      }
}

static void
test_tma_round_trip (void)
{
  g_autoptr (CudaObjDevice) device = hopper_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjBuffer) in = NULL;
  g_autoptr (CudaObjBuffer) in2 = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (CudaObjTensorMap) in_map = NULL;
  g_autoptr (CudaObjTensorMap) out_map = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  code = cudaobj_test_compile (device, kernels_source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "tma_round_trip", &error);
  g_assert_no_error (error);
  in = matrix_buffer (device, N * N * sizeof (float), 0.0f);
  in2 = matrix_buffer (device, N * N * sizeof (float), 10000.0f);
  out = cuda_obj_device_allocate (device, N * N * sizeof (float), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (out, 0, 4, 0, N * N, NULL, &error));
  g_assert_no_error (error);

  in_map = tile_map (in);
  out_map = tile_map (out);
  g_assert_cmpuint (cuda_obj_tensor_map_get_rank (in_map), ==, 2);
  g_assert_cmpint (cuda_obj_tensor_map_get_data_type (in_map), ==, F32);
  g_assert_cmpuint (cuda_obj_tensor_map_get_address (in_map), ==, cuda_obj_buffer_get_handle (in));
  run_round_trip (device, kernel, in_map, out_map, 32, 16);
  assert_tile (out, in, N, 32, 16, 0.0f);

  /* The same layout over other memory. */
  before = cuda_obj_tensor_map_get_bytes (in_map);
  g_assert_cmpuint (g_bytes_get_size (before), ==, CUDA_OBJ_TENSOR_MAP_SIZE);
  g_assert_true (cuda_obj_tensor_map_replace_buffer (in_map, in2, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_tensor_map_get_address (in_map), ==, cuda_obj_buffer_get_handle (in2));
  after = cuda_obj_tensor_map_get_bytes (in_map);
  g_assert_false (g_bytes_equal (before, after));
  g_assert_true (cuda_obj_buffer_fill (out, 0, 4, 0, N * N, NULL, &error));
  g_assert_no_error (error);
  run_round_trip (device, kernel, in_map, out_map, 0, 0);
  assert_tile (out, in2, N, 0, 0, 0.0f);
}

static void
test_tma_padded_buffer (void)
{
  /* 64 rows of 40 floats, 64 floats (256 bytes) apart. */
  static const guint64 shape[] = { N, 40 };
  static const guint64 strides[] = { 256, 4 };
  static const guint32 box[] = { 32, 32 };
  g_autoptr (CudaObjDevice) device = hopper_or_skip ();
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjBuffer) in = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autoptr (CudaObjTensorMap) in_map = NULL;
  g_autoptr (CudaObjTensorMap) out_map = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  code = cudaobj_test_compile (device, kernels_source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "tma_round_trip", &error);
  g_assert_no_error (error);
  in = matrix_buffer (device, N * N * sizeof (float), 0.0f);
  out = cuda_obj_device_allocate (device, N * N * sizeof (float), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (out, 0, 4, 0, N * N, NULL, &error));
  g_assert_no_error (error);
  in_map = cuda_obj_tensor_map_new_tiled_for_buffer (in, 0, F32, shape, 2, strides, 2, box, 2, NULL, 0,
                                                     NO_INTERLEAVE, NO_SWIZZLE,
                                                     CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_no_error (error);
  out_map = tile_map (out);
  run_round_trip (device, kernel, in_map, out_map, 8, 8);
  assert_tile (out, in, N, 8, 8, 0.0f);

  /* Errors that need real memory. */
  g_clear_object (&in_map);
  in_map = cuda_obj_tensor_map_new_tiled_for_buffer (in, 256, F32, shape, 2, strides, 2, box, 2, NULL, 0,
                                                     NO_INTERLEAVE, NO_SWIZZLE,
                                                     CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_null (in_map);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "the buffer has"));
  g_clear_error (&error);
  in_map = cuda_obj_tensor_map_new_tiled_for_buffer (in, 0, F32, shape, 2, (const guint64[]){ 256, 8 }, 2,
                                                     box, 2, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
                                                     CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_null (in_map);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "element size"));
  g_clear_error (&error);
  g_assert_false (cuda_obj_tensor_map_replace_buffer (out_map, in, 4, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cuda_obj_tensor_map_replace_address (out_map, cuda_obj_buffer_get_handle (in) + 8, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (cuda_obj_buffer_close (in, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_tensor_map_replace_buffer (out_map, in, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
}

static void
test_im2col_encode (void)
{
  static const gint64 shape[] = { 1, 8, 8, 16 };
  static const gint lower[] = { -1, -1 }, upper[] = { 1, 1 };
  g_autoptr (CudaObjDevice) device = hopper_or_skip ();
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) view = NULL;
  g_autoptr (CudaObjTensorMap) map = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL)
    return;
  buffer = cuda_obj_device_allocate (device, 8 * 8 * 16 * sizeof (float), NULL, &error);
  g_assert_no_error (error);
  view = cuda_obj_buffer_view (buffer, F32, shape, 4, NULL, 0, 0, &error);
  g_assert_no_error (error);
  map = cuda_obj_tensor_map_new_im2col (view, lower, 2, upper, 2, 16, 32, NULL, 0, NO_INTERLEAVE, NO_SWIZZLE,
                                        CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_NONE, ZERO, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_tensor_map_get_is_im2col (map));
  g_assert_cmpuint (cuda_obj_tensor_map_get_rank (map), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tiled_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tensor-map/tiled-layout/%s", tiled_cases[i].name);
      g_test_add_data_func (path, &tiled_cases[i], test_tiled_layout);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (im2col_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tensor-map/im2col-layout/%s", im2col_cases[i].name);
      g_test_add_data_func (path, &im2col_cases[i], test_im2col_layout);
    }
  g_test_add_func ("/tensor-map/uninitialized", test_uninitialized);
  g_test_add_func ("/tensor-map/tma-round-trip", test_tma_round_trip);
  g_test_add_func ("/tensor-map/tma-padded-buffer", test_tma_padded_buffer);
  g_test_add_func ("/tensor-map/im2col-encode", test_im2col_encode);
  return g_test_run ();
}
