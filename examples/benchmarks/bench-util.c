/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the C benchmarks; see bench-util.h. */
#include "bench-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
bench_parse_options (BenchOptions *options, const char *program, const char *summary, int *argc, char ***argv)
{
  int repeats = 9;
  gboolean quick = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  GOptionEntry entries[] = { { "repeats", 'r', 0, G_OPTION_ARG_INT, &repeats,
                               "Repeats; each row is the median over them (default 9)", "N" },
                             { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
                               "Fewer iterations per repeat: a smoke run, not a measurement", NULL },
                             G_OPTION_ENTRY_NULL };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error) || *argc > 1 || repeats < 1)
    {
      fprintf (stderr, "%s: %s\n", program,
               error != NULL ? error->message
               : repeats < 1 ? "--repeats must be at least 1"
                             : "unexpected argument");
      exit (2);
    }
  options->program = program;
  options->repeats = (guint) repeats;
  options->quick = quick;
}

CudaObjDevice *
bench_device_or_skip (const BenchOptions *options)
{
  g_autoptr (GError) error = NULL;
  CudaObjDevice *device;
  guint count = cuda_obj_device_get_count (&error);

  if (error != NULL)
    {
      fprintf (stderr, "%s: skipped: no usable CUDA driver: %s\n", options->program, error->message);
      exit (77);
    }
  if (count == 0)
    {
      fprintf (stderr, "%s: skipped: the CUDA driver found no device\n", options->program);
      exit (77);
    }
  device = cuda_obj_device_get (0, &error);
  bench_check (options, "device 0", error);
  /* The baselines call the driver directly: they need the context current. */
  cuda_obj_device_make_current (device, &error);
  bench_check (options, "make_current", error);
  return device;
}

void
bench_check (const BenchOptions *options, const char *what, GError *error)
{
  if (error == NULL)
    return;
  fprintf (stderr, "%s: %s: %s\n", options->program, what, error->message);
  exit (1);
}

void
bench_check_cu (const BenchOptions *options, const char *call, CUresult result)
{
  g_autoptr (GError) error = NULL;

  if (result == CUDA_SUCCESS)
    return;
  cuda_obj_check (result, call, &error);
  bench_check (options, "driver", error);
}

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (double *values, guint n)
{
  g_return_val_if_fail (n > 0, 0);
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

CudaObjObjectCode *
bench_compile_kernels (const BenchOptions *options, CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  g_autoptr (CudaObjProgramOptions) program_options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  CudaObjObjectCode *code;

  if (!g_file_get_contents (BENCH_KERNELS_FILE, &source, NULL, &error))
    bench_check (options, "reading the benchmark kernels", error);
  program_options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, program_options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  bench_check (options, "compiling " BENCH_KERNELS_FILE, error);
  return code;
}

CudaObjKernel *
bench_get_kernel (const BenchOptions *options, CudaObjObjectCode *code, const char *name)
{
  g_autoptr (GError) error = NULL;
  CudaObjKernel *kernel = cuda_obj_object_code_get_kernel (code, name, &error);

  bench_check (options, name, error);
  return kernel;
}

/* @s as a JSON string literal. */
static char *
json_string (const char *s)
{
  GString *out = g_string_new ("\"");

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

void
bench_emit_meta (const BenchOptions *options, CudaObjDevice *device)
{
  g_autofree char *program = json_string (options->program);
  g_autofree char *name = json_string (cuda_obj_device_get_name (device));
  int major = 0, minor = 0;

  cuda_obj_get_driver_version (&major, &minor, NULL);
  printf ("{\"type\": \"meta\", \"program\": %s, \"device\": %s, \"compute_capability\": \"%d.%d\", "
          "\"cuda_driver_api\": \"%d.%d\", \"cuda_headers\": %d, \"library\": \"%s\", \"repeats\": %u, "
          "\"quick\": %s}\n",
          program, name, cuda_obj_device_get_compute_capability_major (device),
          cuda_obj_device_get_compute_capability_minor (device), major, minor, cuda_obj_get_header_version (),
          CUDA_OBJ_VERSION_S, options->repeats, options->quick ? "true" : "false");
  fflush (stdout);
}

void
bench_emit (const char *suite, const char *case_name, const char *path, double median, double min, double max,
            const char *unit, guint repeats, guint64 iterations, const char *baseline,
            double target_max_ratio, const char *extra)
{
  g_autofree char *suite_json = json_string (suite);
  g_autofree char *case_json = json_string (case_name);
  g_autofree char *path_json = json_string (path);
  g_autofree char *unit_json = json_string (unit);
  g_autofree char *baseline_json = baseline != NULL ? json_string (baseline) : g_strdup ("null");
  g_autofree char *target = NULL;

  if (target_max_ratio > 0)
    target = g_strdup_printf (", \"target\": {\"max_ratio\": %g}", target_max_ratio);
  printf (
      "{\"type\": \"result\", \"suite\": %s, \"case\": %s, \"path\": %s, \"median\": %.6g, \"min\": %.6g, "
      "\"max\": %.6g, \"unit\": %s, \"repeats\": %u, \"iterations\": %" G_GUINT64_FORMAT
      ", \"baseline\": %s%s%s}\n",
      suite_json, case_json, path_json, median, min, max, unit_json, repeats, iterations, baseline_json,
      target != NULL ? target : "", extra != NULL ? extra : "");
  fflush (stdout);
}

double
bench_emit_samples (const char *suite, const char *case_name, const char *path, double *samples, guint n,
                    const char *unit, guint64 iterations, const char *baseline, double target_max_ratio,
                    const char *extra)
{
  double median = bench_median (samples, n);

  bench_emit (suite, case_name, path, median, samples[0], samples[n - 1], unit, n, iterations, baseline,
              target_max_ratio, extra);
  return median;
}
