/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compile-cache: what the compile cache saves.
 *
 * Compiles the same templated kernel to CUBIN again and again and reports
 * the median time of three kinds of compile:
 *   cold   the cache off: NVRTC runs every time
 *   miss   the cache on, but each compile new to it: NVRTC runs and the
 *          result is written to the cache (a define makes each one new)
 *   hit    the cache on and holding the result: a file read, no NVRTC
 * then the ratio of cold to hit. The cache lives in a temporary directory,
 * removed at the end. Usage: cudaobj-bench-compile-cache [RUNS [ARCH]]
 * (default 15 runs, sm_90); no GPU needed. */
#include <cudaobj.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

static const char source[] = "template <typename T>\n"
                             "__global__ void saxpy (T a, const T *x, T *y, unsigned n)\n"
                             "{\n"
                             "  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    y[i] = a * x[i] + y[i];\n"
                             "}\n";

static const char *const names[] = { "saxpy<float>", "saxpy<double>", NULL };

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values, guint n)
{
  qsort (values, n, sizeof *values, (GCompareFunc) compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Seconds one compile of @program takes. */
static double
time_compile (CudaObjProgram *program, GError **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (CudaObjObjectCode) code
      = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, names, error);

  if (code == NULL)
    return -1;
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 15;
  const char *arch = argc > 2 ? argv[2] : "sm_90";
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (CudaObjCompileCache) cache = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autofree double *cold = NULL, *miss = NULL, *hit = NULL;
  double cold_median, miss_median, hit_median;
  guint64 hits_before;

  if (runs < 1)
    runs = 1;
  dir = g_dir_make_tmp ("cudaobj-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      fprintf (stderr, "compile-cache: %s\n", error->message);
      return 1;
    }
  cache = cuda_obj_compile_cache_new (dir);
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cuda_obj_program_set_cache (program, cache);
  cold = g_new (double, runs);
  miss = g_new (double, runs);
  hit = g_new (double, runs);

  /* Loads NVRTC and warms the page cache: not part of any figure. */
  cuda_obj_program_set_use_cache (program, FALSE);
  if (time_compile (program, &error) < 0)
    goto failed;

  for (guint i = 0; i < runs; i++)
    if ((cold[i] = time_compile (program, &error)) < 0)
      goto failed;

  cuda_obj_program_set_use_cache (program, TRUE);
  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *define = g_strdup_printf ("RUN=%u", i);
      g_object_set (options, "define-macro", (const char *[]){ define, NULL }, NULL);
      if ((miss[i] = time_compile (program, &error)) < 0)
        goto failed;
    }

  /* The last miss is in the cache now: hit it. */
  hits_before = cuda_obj_compile_cache_get_hits (cache);
  for (guint i = 0; i < runs; i++)
    if ((hit[i] = time_compile (program, &error)) < 0)
      goto failed;
  if (cuda_obj_compile_cache_get_hits (cache) - hits_before != runs)
    {
      fprintf (stderr, "compile-cache: expected %u hits, got %" G_GUINT64_FORMAT "\n", runs,
               cuda_obj_compile_cache_get_hits (cache) - hits_before);
      return 1;
    }

  cold_median = median (cold, runs);
  miss_median = median (miss, runs);
  hit_median = median (hit, runs);
  printf ("compile of a templated kernel (2 instantiations) to CUBIN for %s, median of %u runs:\n", arch,
          runs);
  printf ("  cold (cache off)      %10.3f ms\n", cold_median * 1e3);
  printf ("  miss (compile, store) %10.3f ms\n", miss_median * 1e3);
  printf ("  hit  (file read)      %10.3f ms\n", hit_median * 1e3);
  printf ("  cold / hit            %10.0fx\n", cold_median / hit_median);

  cuda_obj_compile_cache_clear (cache, NULL);
  g_rmdir (dir);
  return 0;

failed:
  fprintf (stderr, "compile-cache: %s\n", error->message);
  cuda_obj_compile_cache_clear (cache, NULL);
  g_rmdir (dir);
  return 1;
}
