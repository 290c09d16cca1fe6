/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The version: headers and library agree, and the run-time compatibility
 * check answers like gtk_check_version(). No GPU needed. */
#include <string.h>

#include "cudaobj-test-util.h"

static void
test_version_runtime_matches_headers (void)
{
  g_assert_cmpuint (cuda_obj_get_major_version (), ==, CUDA_OBJ_MAJOR_VERSION);
  g_assert_cmpuint (cuda_obj_get_minor_version (), ==, CUDA_OBJ_MINOR_VERSION);
  g_assert_cmpuint (cuda_obj_get_micro_version (), ==, CUDA_OBJ_MICRO_VERSION);
}

static void
test_version_string_matches_numbers (void)
{
  g_autofree char *joined = g_strdup_printf ("%u.%u.%u", cuda_obj_get_major_version (),
                                             cuda_obj_get_minor_version (), cuda_obj_get_micro_version ());

  g_assert_cmpstr (joined, ==, CUDA_OBJ_VERSION_S);
  g_assert_cmpuint (cuda_obj_get_major_version (), >=, 1);
}

static void
test_version_check_macro (void)
{
  g_assert_true (
      CUDA_OBJ_CHECK_VERSION (CUDA_OBJ_MAJOR_VERSION, CUDA_OBJ_MINOR_VERSION, CUDA_OBJ_MICRO_VERSION));
  g_assert_true (CUDA_OBJ_CHECK_VERSION (1, 0, 0));
  g_assert_false (
      CUDA_OBJ_CHECK_VERSION (CUDA_OBJ_MAJOR_VERSION, CUDA_OBJ_MINOR_VERSION, CUDA_OBJ_MICRO_VERSION + 1));
  g_assert_false (CUDA_OBJ_CHECK_VERSION (CUDA_OBJ_MAJOR_VERSION + 1, 0, 0));
}

/* A required version as offsets from the library's own, and the answer. */
typedef struct
{
  const char *name;
  int major, minor, micro;   /* added to the library's version */
  gboolean zero_minor_micro; /* require major.0.0 instead */
  const char *problem;       /* NULL: compatible */
} CheckCase;

/* clang-format off */
static const CheckCase check_cases[] = {
  { "same",            0,  0,  0, FALSE, NULL },
  { "major-only",      0,  0,  0, TRUE,  NULL },
  { "newer-micro",     0,  0,  1, FALSE, "libcudaobj version too old (micro mismatch)" },
  { "newer-minor",     0,  1,  0, FALSE, "libcudaobj version too old (minor mismatch)" },
  { "newer-minor-far", 0, 100, 0, FALSE, "libcudaobj version too old (minor mismatch)" },
  { "newer-major",     1,  0,  0, FALSE, "libcudaobj version too old (major mismatch)" },
  { "older-major",    -1,  0,  0, FALSE, "libcudaobj version too new (major mismatch)" },
};
/* clang-format on */

static void
test_version_check (gconstpointer data)
{
  const CheckCase *c = data;
  guint major = CUDA_OBJ_MAJOR_VERSION + c->major;
  guint minor = c->zero_minor_micro ? 0 : CUDA_OBJ_MINOR_VERSION + c->minor;
  guint micro = c->zero_minor_micro ? 0 : CUDA_OBJ_MICRO_VERSION + c->micro;

  g_assert_cmpstr (cuda_obj_check_version (major, minor, micro), ==, c->problem);
}

static void
test_version_check_older_minor_any_micro (void)
{
  /* An older minor version is satisfied whatever its micro version. */
  if (CUDA_OBJ_MINOR_VERSION == 0)
    {
      g_assert_null (cuda_obj_check_version (CUDA_OBJ_MAJOR_VERSION, 0, 0));
      g_assert_nonnull (cuda_obj_check_version (CUDA_OBJ_MAJOR_VERSION, 0, CUDA_OBJ_MICRO_VERSION + 1));
      return;
    }
  g_assert_null (cuda_obj_check_version (CUDA_OBJ_MAJOR_VERSION, CUDA_OBJ_MINOR_VERSION - 1, G_MAXUINT));
}

static void
test_version_check_extremes (void)
{
  g_assert_cmpstr (cuda_obj_check_version (G_MAXUINT, G_MAXUINT, G_MAXUINT), ==,
                   "libcudaobj version too old (major mismatch)");
  g_assert_cmpstr (cuda_obj_check_version (0, 0, 0), ==, "libcudaobj version too new (major mismatch)");
  g_assert_cmpstr (cuda_obj_check_version (CUDA_OBJ_MAJOR_VERSION, G_MAXUINT, 0), ==,
                   "libcudaobj version too old (minor mismatch)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/version/runtime-matches-headers", test_version_runtime_matches_headers);
  g_test_add_func ("/version/string-matches-numbers", test_version_string_matches_numbers);
  g_test_add_func ("/version/check-macro", test_version_check_macro);
  for (gsize i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/version/check/%s", check_cases[i].name);
      g_test_add_data_func (path, &check_cases[i], test_version_check);
    }
  g_test_add_func ("/version/check/older-minor-any-micro", test_version_check_older_minor_any_micro);
  g_test_add_func ("/version/check/extremes", test_version_check_extremes);

  return g_test_run ();
}
