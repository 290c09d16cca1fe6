/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LaunchConfig and KernelArgs: plain data, no GPU needed. */
#include <string.h>

#include "cudaobj-kernel-args-private.h"
#include "cudaobj-launch-config-private.h"
#include "cudaobj-test-util.h"

static void
test_config_defaults (void)
{
  g_autoptr (CudaObjLaunchConfig) config = g_object_new (CUDA_OBJ_TYPE_LAUNCH_CONFIG, NULL);
  guint x, y, z;

  cuda_obj_launch_config_get_grid (config, &x, &y, &z);
  g_assert_cmpuint (x * y * z, ==, 1);
  cuda_obj_launch_config_get_block (config, &x, &y, &z);
  g_assert_cmpuint (x * y * z, ==, 1);
  cuda_obj_launch_config_get_cluster (config, &x, &y, &z);
  g_assert_cmpuint (x * y * z, ==, 1);
  g_assert_cmpuint (cuda_obj_launch_config_get_shared_memory_bytes (config), ==, 0);
  g_assert_false (cuda_obj_launch_config_get_cooperative (config));
}

static void
test_config_1d_and_3d (void)
{
  g_autoptr (CudaObjLaunchConfig) one = cuda_obj_launch_config_new (40, 256);
  g_autoptr (CudaObjLaunchConfig) three = cuda_obj_launch_config_new_3d (2, 3, 4, 8, 8, 2);
  guint x, y, z, grid_y;

  cuda_obj_launch_config_get_grid (one, &x, &y, &z);
  g_assert_cmpuint (x, ==, 40);
  g_assert_cmpuint (y, ==, 1);
  g_object_get (three, "grid-y", &grid_y, NULL);
  g_assert_cmpuint (grid_y, ==, 3);
  cuda_obj_launch_config_get_block (three, &x, &y, &z);
  g_assert_cmpuint (x, ==, 8);
  g_assert_cmpuint (y, ==, 8);
  g_assert_cmpuint (z, ==, 2);
}

static void
test_config_for_size (void)
{
  g_autoptr (CudaObjLaunchConfig) exact = cuda_obj_launch_config_new_for_size (1024, 256);
  g_autoptr (CudaObjLaunchConfig) rounded = cuda_obj_launch_config_new_for_size (1025, 256);
  g_autoptr (CudaObjLaunchConfig) empty = cuda_obj_launch_config_new_for_size (0, 256);
  guint x;

  cuda_obj_launch_config_get_grid (exact, &x, NULL, NULL);
  g_assert_cmpuint (x, ==, 4);
  cuda_obj_launch_config_get_grid (rounded, &x, NULL, NULL);
  g_assert_cmpuint (x, ==, 5);
  cuda_obj_launch_config_get_grid (empty, &x, NULL, NULL);
  g_assert_cmpuint (x, ==, 1);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_config_notify (void)
{
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, 1);
  guint notified = 0;

  g_signal_connect (config, "notify", G_CALLBACK (count_notify), &notified);
  cuda_obj_launch_config_set_block (config, 128, 1, 1);
  g_assert_cmpuint (notified, ==, 1); /* only block-x changed */
  cuda_obj_launch_config_set_block (config, 128, 1, 1);
  g_assert_cmpuint (notified, ==, 1);
  cuda_obj_launch_config_set_shared_memory_bytes (config, 4096);
  cuda_obj_launch_config_set_cooperative (config, TRUE);
  cuda_obj_launch_config_set_cluster (config, 2, 1, 1);
  g_assert_cmpuint (notified, ==, 4);
  /* A cluster dimension of 0 means 1. */
  cuda_obj_launch_config_set_cluster (config, 0, 0, 0);
  {
    guint x, y, z;
    cuda_obj_launch_config_get_cluster (config, &x, &y, &z);
    g_assert_cmpuint (x * y * z, ==, 1);
  }
}

static void
test_args_typed_sizes (void)
{
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (12);
  CudaObjKernelArgsView view;
  const guint8 blob[24] = { 1, 2, 3 };

  cuda_obj_kernel_args_set_int8 (args, 0, -1);
  cuda_obj_kernel_args_set_uint8 (args, 1, 255);
  cuda_obj_kernel_args_set_int16 (args, 2, -2);
  cuda_obj_kernel_args_set_uint16 (args, 3, 2);
  cuda_obj_kernel_args_set_int32 (args, 4, -3);
  cuda_obj_kernel_args_set_uint32 (args, 5, 3);
  cuda_obj_kernel_args_set_int64 (args, 6, -4);
  cuda_obj_kernel_args_set_uint64 (args, 7, G_MAXUINT64);
  cuda_obj_kernel_args_set_float (args, 8, 1.5f);
  cuda_obj_kernel_args_set_double (args, 9, 2.5);
  cuda_obj_kernel_args_set_bool (args, 10, TRUE);
  cuda_obj_kernel_args_set_data (args, 11, blob, sizeof blob, 8);

  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpuint (view.n_args, ==, 12);
  {
    const gsize expected[] = { 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 1, 24 };
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, i), ==, expected[i]);
  }
  /* Each parameter pointer sees its value. */
  g_assert_cmpint (*(gint8 *) view.params[0], ==, -1);
  g_assert_cmpuint (*(guint64 *) view.params[7], ==, G_MAXUINT64);
  g_assert_cmpfloat (*(float *) view.params[8], ==, 1.5f);
  g_assert_cmpfloat (*(double *) view.params[9], ==, 2.5);
  g_assert_cmpuint (*(guint8 *) view.params[10], ==, 1);
  g_assert_cmpmem (view.params[11], 24, blob, 24);
  g_assert_cmpuint (view.slots[11].alignment, ==, 8);
}

static void
test_args_reuse_and_grow (void)
{
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (2);
  CudaObjKernelArgsView view;
  guint8 big[2048];
  void *first;

  memset (big, 0xab, sizeof big);
  g_assert_false (cuda_obj_kernel_args_is_set (args, 0));
  cuda_obj_kernel_args_set_int32 (args, 0, 7);
  cuda_obj_kernel_args_peek (args, &view);
  first = view.params[0];
  /* Setting again reuses the slot's storage. */
  cuda_obj_kernel_args_set_int32 (args, 0, 8);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_true (view.params[0] == first);
  g_assert_cmpint (*(gint32 *) view.params[0], ==, 8);
  /* A 2048-byte struct by value lives on the heap. */
  cuda_obj_kernel_args_set_data (args, 1, big, sizeof big, 16);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpuint (cuda_obj_kernel_args_get_size (args, 1), ==, 2048);
  g_assert_cmpmem (view.params[1], 2048, big, 2048);
  /* Setting past the end extends the list; the gap stays unset. */
  cuda_obj_kernel_args_set_float (args, 4, 3.0f);
  g_assert_cmpuint (cuda_obj_kernel_args_get_count (args), ==, 5);
  g_assert_false (cuda_obj_kernel_args_is_set (args, 3));
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpint (*(gint32 *) view.params[0], ==, 8);
  g_assert_cmpmem (view.params[1], 2048, big, 2048);
  g_assert_cmpfloat (*(float *) view.params[4], ==, 3.0f);
  /* A smaller value replaces the heap storage with the inline cell. */
  cuda_obj_kernel_args_set_uint64 (args, 1, 42);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpuint (*(guint64 *) view.params[1], ==, 42);
}

static void
test_args_bytes (void)
{
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new (1);
  g_autoptr (GBytes) bytes = g_bytes_new ("abcdefgh", 8);
  CudaObjKernelArgsView view;

  cuda_obj_kernel_args_set_bytes (args, 0, bytes, 4);
  cuda_obj_kernel_args_peek (args, &view);
  g_assert_cmpmem (view.params[0], 8, "abcdefgh", 8);
  g_assert_cmpuint (view.slots[0].alignment, ==, 4);
}

/* The attribute array a launch passes as it is, after each kind of change. */
static void
test_config_attributes_prebuilt (void)
{
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (8, 64);
  const CudaObjLaunchShape *shape = cuda_obj_launch_config_peek_shape (config);
  static const struct
  {
    const char *what;
    gboolean cooperative, serialization;
    guint cluster;
    int priority;
    guint n;
    CUlaunchAttributeID ids[4];
  } cases[] = {
    { "none", FALSE, FALSE, 1, 0, 0, { 0 } },
    { "priority", FALSE, FALSE, 1, -2, 1, { CU_LAUNCH_ATTRIBUTE_PRIORITY } },
    { "programmatic", FALSE, TRUE, 1, 0, 1, { CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION } },
    { "cluster", FALSE, FALSE, 2, 0, 1, { CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION } },
    { "all",
      TRUE,
      TRUE,
      2,
      -1,
      4,
      { CU_LAUNCH_ATTRIBUTE_COOPERATIVE, CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION,
        CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION, CU_LAUNCH_ATTRIBUTE_PRIORITY } },
    { "none again", FALSE, FALSE, 1, 0, 0, { 0 } },
  };

  g_assert_false (cuda_obj_launch_config_get_programmatic_stream_serialization (config));
  g_assert_cmpint (cuda_obj_launch_config_get_priority (config), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].what);
      g_object_set (config, "cooperative", cases[i].cooperative, "programmatic-stream-serialization",
                    cases[i].serialization, "priority", cases[i].priority, NULL);
      cuda_obj_launch_config_set_cluster (config, cases[i].cluster, 1, 1);
      g_assert_cmpuint (shape->n_attributes, ==, cases[i].n);
      for (guint a = 0; a < cases[i].n; a++)
        g_assert_cmpint (shape->attributes[a].id, ==, cases[i].ids[a]);
    }
  cuda_obj_launch_config_set_priority (config, -3);
  cuda_obj_launch_config_set_programmatic_stream_serialization (config, TRUE);
  g_assert_cmpint (shape->attributes[0].value.programmaticStreamSerializationAllowed, ==, 1);
  g_assert_cmpint (shape->attributes[1].value.priority, ==, -3);
  g_assert_cmpint (cuda_obj_launch_config_get_priority (config), ==, -3);
  g_assert_true (cuda_obj_launch_config_get_programmatic_stream_serialization (config));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/launch-config/defaults", test_config_defaults);
  g_test_add_func ("/launch-config/1d-and-3d", test_config_1d_and_3d);
  g_test_add_func ("/launch-config/for-size", test_config_for_size);
  g_test_add_func ("/launch-config/notify", test_config_notify);
  g_test_add_func ("/launch-config/attributes-prebuilt", test_config_attributes_prebuilt);
  g_test_add_func ("/kernel-args/typed-sizes", test_args_typed_sizes);
  g_test_add_func ("/kernel-args/reuse-and-grow", test_args_reuse_and_grow);
  g_test_add_func ("/kernel-args/bytes", test_args_bytes);

  return g_test_run ();
}
