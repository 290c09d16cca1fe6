/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch's check of KernelArgs against a kernel's parameter layout, on
 * made-up layouts: no GPU needed. The same checks run on the GPU in
 * test-launch.c with real kernels; tests/fuzz/fuzz-kernel-args.c fuzzes them. */
#include <string.h>

#include "cudaobj-launch-private.h"
#include "cudaobj-test-util.h"

/* vector_add (const float *a, const float *b, float *c, size_t n) */
static const gsize vector_add_offsets[] = { 0, 8, 16, 24 };
static const gsize vector_add_sizes[] = { 8, 8, 8, 8 };
/* a (char, double) pair: the double at offset 4 is misaligned on purpose */
static const gsize odd_offsets[] = { 0, 4 };
static const gsize odd_sizes[] = { 1, 8 };

typedef struct
{
  const char *name;
  guint n_params;
  const gsize *offsets;
  const gsize *sizes;
  guint n_args;          /* KernelArgs count */
  guint n_set;           /* how many leading slots get a uint64 */
  gsize extra_size;      /* when not 0: slot n_set gets this many raw bytes */
  guint extra_alignment; /* ... with this alignment */
  const char *message;   /* NULL: accepted */
} CheckCase;

/* clang-format off */
static const CheckCase check_cases[] = {
  { "accepted", 4, vector_add_offsets, vector_add_sizes, 4, 4, 0, 0, NULL },
  { "too-few", 4, vector_add_offsets, vector_add_sizes, 2, 2, 0, 0,
    "Kernel (made-up layout) takes 4 arguments, but 2 were given" },
  { "too-many", 4, vector_add_offsets, vector_add_sizes, 5, 5, 0, 0,
    "Kernel (made-up layout) takes 4 arguments, but 5 were given" },
  { "one-given", 4, vector_add_offsets, vector_add_sizes, 1, 1, 0, 0,
    "Kernel (made-up layout) takes 4 arguments, but 1 was given" },
  { "unset", 4, vector_add_offsets, vector_add_sizes, 4, 3, 0, 0,
    "Argument 3 of kernel (made-up layout) is not set" },
  { "wrong-size", 4, vector_add_offsets, vector_add_sizes, 4, 3, 4, 4,
    "Argument 3 of kernel (made-up layout) is 4 bytes, but the kernel's parameter is 8 bytes" },
  { "first-wrong-size", 2, odd_offsets, odd_sizes, 2, 0, 2, 1,
    "Argument 0 of kernel (made-up layout) is 2 bytes, but the kernel's parameter is 1 bytes" },
  { "no-parameters", 0, NULL, NULL, 0, 0, 0, 0, NULL },
};
/* clang-format on */

static void
test_launch_check_args (gconstpointer data)
{
  const CheckCase *c = data;
  CudaObjKernelView layout = { NULL, c->n_params, c->offsets, c->sizes };
  CudaObjKernelArgsView view;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (c->n_args);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < c->n_set; i++)
    cuda_obj_kernel_args_set_uint64 (args, i, 0x1000 * (i + 1));
  if (c->extra_size > 0)
    {
      guint8 bytes[16] = { 0 };
      cuda_obj_kernel_args_set_data (args, c->n_set, bytes, c->extra_size, c->extra_alignment);
    }
  cuda_obj_kernel_args_peek (args, &view);
  ok = cuda_obj_launch_check_args (&layout, &view, NULL, &error);
  if (c->message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_false (ok);
  g_assert_cmpstr (error->message, ==, c->message);
}

static void
test_launch_check_args_alignment (void)
{
  /* A double at offset 4: 8-byte alignment refused, 4-byte accepted. */
  CudaObjKernelView layout = { NULL, 2, odd_offsets, odd_sizes };
  CudaObjKernelArgsView view;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  g_autoptr (GError) error = NULL;
  const guint8 bytes[8] = { 0 };

  cuda_obj_kernel_args_set_int8 (args, 0, 'x');
  cuda_obj_kernel_args_set_double (args, 1, 1.5);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_false (cuda_obj_launch_check_args (&layout, &view, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Argument 1 of kernel (made-up layout) needs 8-byte alignment, but the kernel's "
                   "parameter is at offset 4");
  g_clear_error (&error);

  cuda_obj_kernel_args_set_data (args, 1, bytes, sizeof bytes, 4);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_true (cuda_obj_launch_check_args (&layout, &view, NULL, &error));
  g_assert_no_error (error);
}

static void
test_launch_check_args_wide_alignment (void)
{
  /* Two 128-byte tensor maps as Hopper lays them out: the driver pads the
   * first to 48, where the parameter area's start (0x210) makes it
   * 64-byte aligned; a relative offset of 8 is wrong for any base. */
  static const gsize offsets[] = { 48, 176 };
  static const gsize sizes[] = { 128, 128 };
  static const gsize bad_offsets[] = { 8, 136 };
  CudaObjKernelView layout = { NULL, 2, offsets, sizes };
  CudaObjKernelArgsView view;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  g_autoptr (GError) error = NULL;
  guint8 map[128] = { 0 };

  cuda_obj_kernel_args_set_data (args, 0, map, sizeof map, 64);
  cuda_obj_kernel_args_set_data (args, 1, map, sizeof map, 64);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_true (cuda_obj_launch_check_args (&layout, &view, NULL, &error));
  g_assert_no_error (error);

  layout.param_offsets = bad_offsets;
  g_assert_false (cuda_obj_launch_check_args (&layout, &view, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Argument 0 of kernel (made-up layout) needs 64-byte alignment, but the kernel's "
                   "parameter is at offset 8");
}

static void
test_launch_check_args_misuse_first (void)
{
  /* A misuse of a setter fails the launch even when the rest fits. */
  CudaObjKernelView layout = { NULL, 4, vector_add_offsets, vector_add_sizes };
  CudaObjKernelArgsView view;
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (4);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    cuda_obj_kernel_args_set_uint64 (args, i, i);
  cuda_obj_kernel_args_set_int32 (args, 70000, 1);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpuint (view.n_args, ==, 4);
  g_assert_false (cuda_obj_launch_check_args (&layout, &view, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "argument index 70000 is over the maximum of 65534"));
}

static void
test_launch_packed_size (void)
{
  CudaObjKernelView none = { NULL, 0, NULL, NULL };
  CudaObjKernelView vector_add = { NULL, 4, vector_add_offsets, vector_add_sizes };
  CudaObjKernelView odd = { NULL, 2, odd_offsets, odd_sizes };

  g_assert_cmpuint (cuda_obj_launch_packed_size (&none), ==, 0);
  g_assert_cmpuint (cuda_obj_launch_packed_size (&vector_add), ==, 32);
  g_assert_cmpuint (cuda_obj_launch_packed_size (&odd), ==, 12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/launch-check/args/%s", check_cases[i].name);
      g_test_add_data_func (path, &check_cases[i], test_launch_check_args);
    }
  g_test_add_func ("/launch-check/args/alignment", test_launch_check_args_alignment);
  g_test_add_func ("/launch-check/args/wide-alignment", test_launch_check_args_wide_alignment);
  g_test_add_func ("/launch-check/args/misuse-first", test_launch_check_args_misuse_first);
  g_test_add_func ("/launch-check/packed-size", test_launch_packed_size);

  return g_test_run ();
}
