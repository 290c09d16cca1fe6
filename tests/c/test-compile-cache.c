/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CompileCache: hits that skip the compiler, keys, damaged entries, the off
 * switches, eviction, the environment, concurrent use; the payload codec. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "cudaobj-compile-cache-private.h"
#include "cudaobj-test-util.h"

/* Warns (an unused variable), so that there is a log to restore. */
static const char *source
    = "template <typename T> __global__ void fill(T *x, T v) { x[threadIdx.x] = v; }\n"
      "extern \"C\" __global__ void twice(float *x) { int unused = 1; x[threadIdx.x] *= 2.0f; }\n";

typedef struct
{
  char *dir;
  CudaObjCompileCache *cache;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cudaobj-cache-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cache = cuda_obj_compile_cache_new (fixture->dir);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_assert_true (cuda_obj_compile_cache_clear (fixture->cache, NULL));
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_error ("left in the cache directory: %s", name);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->cache);
}

static CudaObjProgram *
new_program (Fixture *fixture, const char *code, const char *arch)
{
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, NULL);
  CudaObjProgram *program = cuda_obj_program_new (code, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);

  cuda_obj_program_set_cache (program, fixture->cache);
  return program;
}

static CudaObjObjectCode *
compile_ok (CudaObjProgram *program, CudaObjCodeType target, const char *const *names)
{
  g_autoptr (GError) error = NULL;
  CudaObjObjectCode *code = cuda_obj_program_compile (program, target, names, &error);

  g_assert_no_error (error);
  g_assert_nonnull (code);
  return code;
}

static void
assert_counters (Fixture *fixture, guint64 hits, guint64 misses)
{
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (fixture->cache), ==, hits);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (fixture->cache), ==, misses);
}

static void
test_hit_skips_compiler (Fixture *fixture, gconstpointer data)
{
  const char *names[] = { "fill<int>", "fill<double>", NULL };
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjProgram) again = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) first = NULL, second = NULL;
  g_autofree char *first_log = NULL, *second_log = NULL;
  g_auto (GStrv) listed = NULL;
  guint64 hits = 0, misses = 0;
  gint64 start, hit_time;

  first = compile_ok (program, CUDA_OBJ_CODE_TYPE_CUBIN, names);
  assert_counters (fixture, 0, 1);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 1);
  first_log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (first_log, "\"unused\" was declared but never referenced"));

  /* Another program with the same code and options: NVRTC does not run. */
  start = g_get_monotonic_time ();
  second = compile_ok (again, CUDA_OBJ_CODE_TYPE_CUBIN, names);
  hit_time = g_get_monotonic_time () - start;
  assert_counters (fixture, 1, 1);
  g_object_get (fixture->cache, "hits", &hits, "misses", &misses, NULL);
  g_assert_cmpuint (hits, ==, 1);
  g_assert_cmpuint (misses, ==, 1);
  g_test_message ("cache hit: %" G_GINT64_FORMAT " us", hit_time);

  /* The same code, lowered names and log as the compile. */
  g_assert_true (
      g_bytes_equal (cuda_obj_object_code_get_code (first), cuda_obj_object_code_get_code (second)));
  g_assert_cmpint (cuda_obj_object_code_get_code_type (second), ==, CUDA_OBJ_CODE_TYPE_CUBIN);
  g_assert_cmpstr (cuda_obj_object_code_get_name (second), ==, "default_program");
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (second, "fill<int>"), ==,
                   cuda_obj_object_code_get_lowered_name (first, "fill<int>"));
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (second, "fill<double>"), ==, "_Z4fillIdEvPT_S0_");
  listed = cuda_obj_object_code_get_name_expressions (second);
  g_assert_true (g_strv_equal ((const char *const *) listed, names));
  second_log = cuda_obj_program_get_log (again);
  g_assert_cmpstr (second_log, ==, first_log);

  cuda_obj_compile_cache_reset_counters (fixture->cache);
  assert_counters (fixture, 0, 0);
}

static void
test_key_covers_inputs (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  CudaObjProgramOptions *options = cuda_obj_program_get_options (program);
  guint64 misses = 0;

  /* Each change below must compile anew (a miss); repeating it must not. */
#define EXPECT_MISS_THEN_HIT(target, names)                                                               \
  G_STMT_START                                                                                            \
  {                                                                                                       \
    g_autoptr (CudaObjObjectCode) a = compile_ok (program, target, names);                                \
    g_autoptr (CudaObjObjectCode) b = NULL;                                                               \
    misses++;                                                                                             \
    g_assert_cmpuint (cuda_obj_compile_cache_get_misses (fixture->cache), ==, misses);                    \
    b = compile_ok (program, target, names);                                                              \
    g_assert_cmpuint (cuda_obj_compile_cache_get_misses (fixture->cache), ==, misses);                    \
    g_assert_true (g_bytes_equal (cuda_obj_object_code_get_code (a), cuda_obj_object_code_get_code (b))); \
  }                                                                                                       \
  G_STMT_END

  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  /* The target. */
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_LTOIR, NULL);
  /* Name expressions. */
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, ((const char *[]){ "fill<int>", NULL }));
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, ((const char *[]){ "fill<float>", NULL }));
  /* Options, the architecture among them. */
  g_object_set (options, "define-macro", (const char *[]){ "X=1", NULL }, NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_object_set (options, "define-macro", (const char *[]){ "X=2", NULL }, NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_object_set (options, "arch", "sm_75", NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_object_set (options, "use-fast-math", TRUE, NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_object_set (options, "name", "renamed.cu", NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  /* In-memory headers, by content. */
  cuda_obj_program_add_header (program, "unused.h", "#define A 1\n");
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_object_set (program, "header-contents", (const char *[]){ "#define A 2\n", NULL }, NULL);
  EXPECT_MISS_THEN_HIT (CUDA_OBJ_CODE_TYPE_PTX, NULL);
  /* The source. */
  {
    g_autofree char *changed = g_strconcat (source, "// a comment\n", NULL);
    g_autoptr (CudaObjProgram) other = new_program (fixture, changed, "sm_75");
    g_autoptr (CudaObjObjectCode) code = NULL;

    g_object_set (cuda_obj_program_get_options (other), "use-fast-math", TRUE, "name", "renamed.cu", NULL);
    cuda_obj_program_add_header (other, "unused.h", "#define A 2\n");
    code = compile_ok (other, CUDA_OBJ_CODE_TYPE_PTX, NULL);
    misses++;
    g_assert_cmpuint (cuda_obj_compile_cache_get_misses (fixture->cache), ==, misses);
  }
#undef EXPECT_MISS_THEN_HIT
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (fixture->cache), ==, misses - 1);
}

static char *
only_entry (Fixture *fixture)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name = g_dir_read_name (dir);

  g_assert_nonnull (name);
  g_assert_true (g_str_has_suffix (name, ".entry"));
  g_assert_null (g_dir_read_name (dir));
  return g_build_filename (fixture->dir, name, NULL);
}

typedef enum
{
  DAMAGE_FLIP_PAYLOAD_BYTE,
  DAMAGE_FLIP_HEADER_BYTE,
  DAMAGE_TRUNCATE,
  DAMAGE_TRUNCATE_HEADER,
  DAMAGE_APPEND,
  DAMAGE_EMPTY,
  DAMAGE_GARBAGE,
} Damage;

static void
test_damaged_entry (Fixture *fixture, gconstpointer data)
{
  Damage damage = GPOINTER_TO_INT (data);
  const char *names[] = { "fill<int>", NULL };
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) good = NULL, recovered = NULL, cached = NULL;
  g_autofree char *path = NULL, *contents = NULL;
  gsize length = 0;

  good = compile_ok (program, CUDA_OBJ_CODE_TYPE_CUBIN, names);
  path = only_entry (fixture);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  switch (damage)
    {
    case DAMAGE_FLIP_PAYLOAD_BYTE: contents[length - 100] ^= 0x01; break;
    case DAMAGE_FLIP_HEADER_BYTE: contents[2] ^= 0x40; break;
    case DAMAGE_TRUNCATE: length /= 2; break;
    case DAMAGE_TRUNCATE_HEADER: length = 20; break;
    case DAMAGE_APPEND:
      contents = g_realloc (contents, length + 3);
      memcpy (contents + length, "xyz", 3);
      length += 3;
      break;
    case DAMAGE_EMPTY: length = 0; break;
    case DAMAGE_GARBAGE:
      for (gsize i = 0; i < length; i++)
        contents[i] = (char) g_test_rand_int_range (0, 256);
      break;
    }
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  /* Detected: a miss, a fresh compile, the same result, a repaired entry. */
  recovered = compile_ok (program, CUDA_OBJ_CODE_TYPE_CUBIN, names);
  assert_counters (fixture, 0, 2);
  g_assert_true (
      g_bytes_equal (cuda_obj_object_code_get_code (good), cuda_obj_object_code_get_code (recovered)));
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (recovered, "fill<int>"), ==, "_Z4fillIiEvPT_S0_");
  cached = compile_ok (program, CUDA_OBJ_CODE_TYPE_CUBIN, names);
  assert_counters (fixture, 1, 2);
  g_assert_true (
      g_bytes_equal (cuda_obj_object_code_get_code (good), cuda_obj_object_code_get_code (cached)));
}

static void
test_off_switches (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autofree char *log = NULL;
  gboolean use_cache = TRUE;

  /* The program's switch. */
  g_object_set (program, "use-cache", FALSE, NULL);
  g_object_get (program, "use-cache", &use_cache, NULL);
  g_assert_false (use_cache);
  a = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  b = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 0, 0);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 0);
  /* Without the cache, the log is the compiler's all the same. */
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "unused"));

  /* The cache's switch, for every program that uses it. */
  cuda_obj_program_set_use_cache (program, TRUE);
  g_object_set (fixture->cache, "enabled", FALSE, NULL);
  g_assert_false (cuda_obj_compile_cache_get_enabled (fixture->cache));
  c = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 0, 0);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 0);

  cuda_obj_compile_cache_set_enabled (fixture->cache, TRUE);
  d = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 0, 1);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 1);
}

static void
test_side_effects_skip_cache (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autofree char *csv = g_build_filename (fixture->dir, "time.csv.keep", NULL);
  g_autoptr (CudaObjObjectCode) a = NULL, b = NULL;

  /* --time writes a file each compile: a hit would skip that. */
  g_object_set (cuda_obj_program_get_options (program), "time", csv, NULL);
  a = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  b = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 0, 0);
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_unlink (csv);
}

static GBytes *
payload_of_size (gsize size, guchar fill)
{
  guchar *data = g_malloc (size);
  memset (data, fill, size);
  return g_bytes_new_take (data, size);
}

static void
set_age (Fixture *fixture, const char *key, gint64 seconds_ago)
{
  g_autofree char *path = cuda_obj_compile_cache_get_entry_path (fixture->cache, key);
  struct timespec times[2];

  clock_gettime (CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= seconds_ago;
  times[1] = times[0];
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static gboolean
has_entry (Fixture *fixture, const char *key)
{
  g_autofree char *path = cuda_obj_compile_cache_get_entry_path (fixture->cache, key);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_eviction_lru (Fixture *fixture, gconstpointer data)
{
  const char *keys[] = { "aaaa", "bbbb", "cccc", "dddd" };
  guint64 max_size = 0;

  /* Room for three entries of 1000 bytes with their headers, not four. */
  g_object_set (fixture->cache, "max-size", (guint64) 3300, NULL);
  g_object_get (fixture->cache, "max-size", &max_size, NULL);
  g_assert_cmpuint (max_size, ==, 3300);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) payload = payload_of_size (1000, 'a' + i);
      cuda_obj_compile_cache_store (fixture->cache, keys[i], payload);
      set_age (fixture, keys[i], 300 - 100 * i); /* aaaa oldest */
    }
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 3);
  g_assert_cmpuint (cuda_obj_compile_cache_get_size (fixture->cache), <=, 3300);

  /* Using the oldest makes it the most recent. */
  {
    g_autoptr (GBytes) payload = cuda_obj_compile_cache_lookup (fixture->cache, "aaaa");
    g_assert_nonnull (payload);
    g_assert_cmpuint (g_bytes_get_size (payload), ==, 1000);
    g_assert_cmpint (((const guchar *) g_bytes_get_data (payload, NULL))[999], ==, 'a');
  }
  {
    g_autoptr (GBytes) payload = payload_of_size (1000, 'd');
    cuda_obj_compile_cache_store (fixture->cache, "dddd", payload);
  }
  /* bbbb was the least recently used. */
  g_assert_true (has_entry (fixture, "aaaa"));
  g_assert_false (has_entry (fixture, "bbbb"));
  g_assert_true (has_entry (fixture, "cccc"));
  g_assert_true (has_entry (fixture, "dddd"));
  g_assert_cmpuint (cuda_obj_compile_cache_get_size (fixture->cache), <=, 3300);
  {
    g_autoptr (GBytes) evicted = cuda_obj_compile_cache_lookup (fixture->cache, "bbbb");
    g_assert_null (evicted);
  }
  (void) keys;

  /* An entry bigger than the whole cache is not stored at all. */
  {
    g_autoptr (GBytes) huge = payload_of_size (4000, 'h');
    cuda_obj_compile_cache_store (fixture->cache, "huge", huge);
    g_assert_false (has_entry (fixture, "huge"));
    g_assert_true (has_entry (fixture, "dddd"));
  }
}

static void
test_eviction_by_programs (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) first = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  guint64 one_entry = cuda_obj_compile_cache_get_size (fixture->cache);
  g_autoptr (CudaObjObjectCode) second = NULL, third = NULL;

  /* Room for about one entry: the second compile pushes the first out. */
  cuda_obj_compile_cache_set_max_size (fixture->cache, one_entry + one_entry / 2);
  g_object_set (cuda_obj_program_get_options (program), "define-macro", (const char *[]){ "OTHER", NULL },
                NULL);
  second = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 1);
  g_assert_cmpuint (cuda_obj_compile_cache_get_size (fixture->cache), <=, one_entry + one_entry / 2);
  /* The survivor is the newest: compiling it again hits. */
  third = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 1, 2);
}

static void
test_stale_temporary_files (Fixture *fixture, gconstpointer data)
{
  g_autofree char *stale = g_build_filename (fixture->dir, "0123.entry.ABC123", NULL);
  g_autofree char *fresh = g_build_filename (fixture->dir, "4567.entry.DEF456", NULL);
  g_autofree char *unrelated = g_build_filename (fixture->dir, "README", NULL);
  g_autoptr (GBytes) payload = payload_of_size (10, 'x');
  struct timespec times[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };

  g_assert_true (g_file_set_contents (stale, "partial", -1, NULL));
  g_assert_true (g_file_set_contents (fresh, "being written", -1, NULL));
  g_assert_true (g_file_set_contents (unrelated, "not ours", -1, NULL));
  g_assert_cmpint (utimensat (AT_FDCWD, stale, times, 0), ==, 0);
  /* Scanning removes a writer's leftovers once old, and touches nothing else. */
  cuda_obj_compile_cache_store (fixture->cache, "89ab", payload);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 1);
  g_unlink (fresh);
  g_unlink (unrelated);
}

static void
test_clear (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) a = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_autoptr (CudaObjObjectCode) b = compile_ok (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  g_autoptr (CudaObjObjectCode) c = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 2);
  g_assert_cmpuint (cuda_obj_compile_cache_get_size (fixture->cache), >, 0);
  g_assert_true (cuda_obj_compile_cache_clear (fixture->cache, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 0);
  g_assert_cmpuint (cuda_obj_compile_cache_get_size (fixture->cache), ==, 0);
  c = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  assert_counters (fixture, 0, 3);
}

static void
test_unwritable_directory (void)
{
  /* A cache that cannot write is no error: compiles go on. */
  g_autoptr (CudaObjCompileCache) cache = cuda_obj_compile_cache_new ("/proc/no/such/dir");
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", NULL);
  g_autoptr (CudaObjProgram) program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) a = NULL, b = NULL;

  g_object_set (program, "cache", cache, NULL);
  g_assert_true (cuda_obj_program_get_cache (program) == cache);
  a = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  b = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 2);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (cache), ==, 0);
  /* NULL goes back to the default cache. */
  cuda_obj_program_set_cache (program, NULL);
  g_assert_true (cuda_obj_program_get_cache (program) == cuda_obj_compile_cache_get_default ());
}

static void
test_environment (void)
{
  g_autoptr (CudaObjCompileCache) configured = NULL, bad_size = NULL, plain = NULL;
  g_autofree char *xdg = NULL;

  /* In a fresh process: setenv() is not safe once threads run. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("CUDA_OBJ_CACHE_DIR", "/tmp/cudaobj-env-cache", TRUE);
  g_setenv ("CUDA_OBJ_CACHE", "0", TRUE);
  g_setenv ("CUDA_OBJ_CACHE_MAX_SIZE", "3M", TRUE);
  configured = cuda_obj_compile_cache_new_from_environment ();
  g_assert_cmpstr (cuda_obj_compile_cache_get_directory (configured), ==, "/tmp/cudaobj-env-cache");
  g_assert_false (cuda_obj_compile_cache_get_enabled (configured));
  g_assert_cmpuint (cuda_obj_compile_cache_get_max_size (configured), ==, 3 * 1024 * 1024);

  g_setenv ("CUDA_OBJ_CACHE", "off", TRUE);
  g_setenv ("CUDA_OBJ_CACHE_MAX_SIZE", "lots", TRUE);
  bad_size = cuda_obj_compile_cache_new_from_environment ();
  g_assert_false (cuda_obj_compile_cache_get_enabled (bad_size));
  g_assert_cmpuint (cuda_obj_compile_cache_get_max_size (bad_size), ==, 256 * 1024 * 1024);

  g_unsetenv ("CUDA_OBJ_CACHE_DIR");
  g_unsetenv ("CUDA_OBJ_CACHE");
  g_setenv ("CUDA_OBJ_CACHE_MAX_SIZE", "1048576", TRUE);
  plain = cuda_obj_compile_cache_new_from_environment ();
  xdg = g_build_filename (g_get_user_cache_dir (), "libcudaobj", "compile", NULL);
  g_assert_cmpstr (cuda_obj_compile_cache_get_directory (plain), ==, xdg);
  g_assert_true (cuda_obj_compile_cache_get_enabled (plain));
  g_assert_cmpuint (cuda_obj_compile_cache_get_max_size (plain), ==, 1048576);
  g_unsetenv ("CUDA_OBJ_CACHE_MAX_SIZE");

  /* The tests' own XDG_CACHE_HOME is in the build tree, not the user's home. */
  g_assert_nonnull (g_getenv ("XDG_CACHE_HOME"));
  g_assert_true (
      g_str_has_prefix (cuda_obj_compile_cache_get_directory (cuda_obj_compile_cache_get_default ()),
                        g_getenv ("XDG_CACHE_HOME")));
}

/* Threads compiling the same program through one cache: every result whole
 * and the same. Processes share entries the same way (write, then rename). */
typedef struct
{
  CudaObjProgram *program;
  GBytes *expected;
} SharedCompile;

static gpointer
compile_thread (gpointer data)
{
  SharedCompile *shared = data;
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (CudaObjObjectCode) code = cuda_obj_program_compile (
          shared->program, CUDA_OBJ_CODE_TYPE_CUBIN, (const char *[]){ "fill<int>", NULL }, NULL);
      g_assert_nonnull (code);
      g_assert_true (g_bytes_equal (cuda_obj_object_code_get_code (code), shared->expected));
      g_assert_nonnull (cuda_obj_object_code_get_lowered_name (code, "fill<int>"));
    }
  return NULL;
}

static void
test_concurrent_compiles (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) reference = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) expected = NULL;
  SharedCompile shared;
  GThread *threads[4];

  cuda_obj_program_set_use_cache (reference, FALSE);
  expected = compile_ok (reference, CUDA_OBJ_CODE_TYPE_CUBIN, (const char *[]){ "fill<int>", NULL });
  shared.program = program;
  shared.expected = cuda_obj_object_code_get_code (expected);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("compile", compile_thread, &shared);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (fixture->cache)
                        + cuda_obj_compile_cache_get_misses (fixture->cache),
                    ==, 20);
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (fixture->cache), >=, 16);
  g_assert_cmpuint (cuda_obj_compile_cache_get_n_entries (fixture->cache), ==, 1);
}

/* Writers replacing an entry while readers read it: a reader gets the old
 * or the new payload whole, never a mix or a torn file. */
typedef struct
{
  CudaObjCompileCache *cache;
  gint stop;
} Race;

static gpointer
writer_thread (gpointer data)
{
  Race *race = data;
  for (guint i = 0; !g_atomic_int_get (&race->stop); i++)
    {
      g_autoptr (GBytes) payload = payload_of_size (200000, i % 2 ? 'x' : 'y');
      cuda_obj_compile_cache_store (race->cache, "race", payload);
    }
  return NULL;
}

static void
test_concurrent_writers_and_readers (Fixture *fixture, gconstpointer data)
{
  Race race = { fixture->cache, 0 };
  GThread *writers[2];
  guint found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    writers[i] = g_thread_new ("writer", writer_thread, &race);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr (GBytes) payload = cuda_obj_compile_cache_lookup (fixture->cache, "race");
      const guchar *bytes;
      gsize size = 0;

      if (payload == NULL)
        continue;
      found++;
      bytes = g_bytes_get_data (payload, &size);
      g_assert_cmpuint (size, ==, 200000);
      for (gsize j = 1; j < size; j++)
        if (bytes[j] != bytes[0])
          g_error ("a torn entry: byte %" G_GSIZE_FORMAT " is %c, byte 0 is %c", j, bytes[j], bytes[0]);
    }
  g_atomic_int_set (&race.stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    g_thread_join (writers[i]);
  /* No entry was ever damaged, so no lookup removed one. */
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (fixture->cache), ==, found);
  g_test_message ("%u of 300 lookups found the entry", found);
}

typedef struct
{
  GMainLoop *loop;
  CudaObjObjectCode *code;
} AsyncResult;

static void
compiled (GObject *source_object, GAsyncResult *result, gpointer data)
{
  AsyncResult *async = data;
  g_autoptr (GError) error = NULL;

  async->code = cuda_obj_program_compile_finish (CUDA_OBJ_PROGRAM (source_object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (async->loop);
}

static void
test_async_uses_cache (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CudaObjProgram) program = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) first = compile_ok (program, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncResult async = { loop, NULL };
  g_autofree char *log = NULL;

  cuda_obj_program_compile_async (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, NULL, compiled, &async);
  g_main_loop_run (loop);
  assert_counters (fixture, 1, 1);
  g_assert_true (
      g_bytes_equal (cuda_obj_object_code_get_code (first), cuda_obj_object_code_get_code (async.code)));
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "unused"));
  g_object_unref (async.code);
}

static void
test_other_compilers (Fixture *fixture, gconstpointer data)
{
  /* PTX assembled by nvJitLink is cached too. */
  g_autoptr (CudaObjProgram) cxx = new_program (fixture, source, "sm_90");
  g_autoptr (CudaObjObjectCode) ptx = compile_ok (cxx, CUDA_OBJ_CODE_TYPE_PTX, NULL);
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", NULL);
  g_autoptr (CudaObjProgram) assembly = cuda_obj_program_new_from_bytes (
      cuda_obj_object_code_get_code (ptx), CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, options);
  g_autoptr (CudaObjObjectCode) a = NULL, b = NULL;

  cuda_obj_program_set_cache (assembly, fixture->cache);
  a = compile_ok (assembly, CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  b = compile_ok (assembly, CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  assert_counters (fixture, 1, 2);
  g_assert_true (g_bytes_equal (cuda_obj_object_code_get_code (a), cuda_obj_object_code_get_code (b)));
  /* A different architecture is another entry. */
  g_object_set (options, "arch", "sm_100", NULL);
  g_clear_object (&b);
  b = compile_ok (assembly, CUDA_OBJ_CODE_TYPE_CUBIN, NULL);
  assert_counters (fixture, 1, 3);
}

/* The payload codec: a pure function pair over bytes. */

static GBytes *
encode_sample (CudaObjCodeType code_type, const char *const *names, const char *const *lowered)
{
  g_autoptr (GBytes) code = g_bytes_new_static ("\x7f"
                                                "ELF code",
                                                9);
  CudaObjCompilePayload payload = {
    code_type, (char *) "a warning", (char **) names, (char **) lowered, code,
  };
  return cuda_obj_compile_cache_encode_payload (&payload);
}

static void
test_payload_round_trip (void)
{
  const char *names[] = { "fill<int>", "missing", NULL };
  const char *lowered[] = { "_Z4fillIiEvPT_S0_", "", NULL };
  g_autoptr (GBytes) bytes = encode_sample (CUDA_OBJ_CODE_TYPE_CUBIN, names, lowered);
  g_autoptr (GError) error = NULL;
  CudaObjCompilePayload payload = { 0 };
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree guint8 *unaligned = g_malloc (size + 1);

  g_assert_true (cuda_obj_compile_cache_decode_payload (data, size, &payload, &error));
  g_assert_no_error (error);
  g_assert_cmpint (payload.code_type, ==, CUDA_OBJ_CODE_TYPE_CUBIN);
  g_assert_cmpstr (payload.log, ==, "a warning");
  g_assert_true (g_strv_equal ((const char *const *) payload.name_expressions, names));
  g_assert_true (g_strv_equal ((const char *const *) payload.lowered_names, lowered));
  g_assert_cmpmem (g_bytes_get_data (payload.code, NULL), g_bytes_get_size (payload.code),
                   "\x7f"
                   "ELF code",
                   9);
  cuda_obj_compile_payload_clear (&payload);
  g_assert_null (payload.code);

  /* Data at an odd address decodes the same. */
  memcpy (unaligned + 1, data, size);
  g_assert_true (cuda_obj_compile_cache_decode_payload (unaligned + 1, size, &payload, &error));
  g_assert_cmpstr (payload.name_expressions[0], ==, "fill<int>");
  cuda_obj_compile_payload_clear (&payload);
}

typedef struct
{
  const char *path;
  GBytes *(*make) (void);
  const char *message; /* in the error */
} PayloadCase;

static GBytes *
empty_payload (void)
{
  return g_bytes_new (NULL, 0);
}

static GBytes *
garbage_payload (void)
{
  return g_bytes_new_static ("not a GVariant at all, just text", 32);
}

static GBytes *
unknown_code_type_payload (void)
{
  return encode_sample ((CudaObjCodeType) 99, (const char *[]){ NULL }, (const char *[]){ NULL });
}

static GBytes *
uneven_names_payload (void)
{
  return encode_sample (CUDA_OBJ_CODE_TYPE_PTX, (const char *[]){ "a", "b", NULL },
                        (const char *[]){ "x", NULL });
}

static GBytes *
no_code_payload (void)
{
  g_autoptr (GBytes) code = g_bytes_new (NULL, 0);
  CudaObjCompilePayload payload = { CUDA_OBJ_CODE_TYPE_PTX, (char *) "", NULL, NULL, code };
  return cuda_obj_compile_cache_encode_payload (&payload);
}

static const PayloadCase payload_cases[] = {
  { "/compile-cache/payload/bad/empty", empty_payload, "no code" },
  { "/compile-cache/payload/bad/garbage", garbage_payload, "Damaged compile cache payload" },
  { "/compile-cache/payload/bad/unknown-code-type", unknown_code_type_payload, "99 is not a code type" },
  { "/compile-cache/payload/bad/uneven-names", uneven_names_payload,
    "2 name expressions but 1 lowered names" },
  { "/compile-cache/payload/bad/no-code", no_code_payload, "no code" },
};

static void
test_payload_bad (gconstpointer data)
{
  const PayloadCase *payload_case = data;
  g_autoptr (GBytes) bytes = payload_case->make ();
  g_autoptr (GError) error = NULL;
  CudaObjCompilePayload payload = { 0 };
  gsize size = 0;
  const guint8 *bytes_data = g_bytes_get_data (bytes, &size);

  g_assert_false (cuda_obj_compile_cache_decode_payload (bytes_data, size, &payload, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, payload_case->message));
  /* Untouched, so clearing it is harmless. */
  g_assert_null (payload.code);
  g_assert_null (payload.log);
  cuda_obj_compile_payload_clear (&payload);
}

/* Every prefix and every one-byte change of a payload decodes or fails
 * cleanly: what a fuzzer would try first. */
static void
test_payload_mutations (void)
{
  g_autoptr (GBytes) bytes = encode_sample (CUDA_OBJ_CODE_TYPE_PTX, (const char *[]){ "k", NULL },
                                            (const char *[]){ "_Z1kv", NULL });
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);
  guint n_decoded = 0;

  for (gsize length = 0; length <= size; length++)
    for (gsize at = 0; at <= length; at++)
      {
        CudaObjCompilePayload payload = { 0 };
        g_autoptr (GError) error = NULL;

        if (at < length)
          copy[at] ^= 0x5a;
        if (cuda_obj_compile_cache_decode_payload (copy, length, &payload, &error))
          {
            g_assert_no_error (error);
            g_assert_cmpuint (g_strv_length (payload.name_expressions), ==,
                              g_strv_length (payload.lowered_names));
            g_assert_cmpuint (g_bytes_get_size (payload.code), >, 0);
            n_decoded++;
          }
        else
          g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED);
        cuda_obj_compile_payload_clear (&payload);
        if (at < length)
          copy[at] ^= 0x5a;
      }
  /* The whole, unchanged payload at least. */
  g_assert_cmpuint (n_decoded, >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_DATA(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/compile-cache/hit-skips-compiler", test_hit_skips_compiler);
  ADD ("/compile-cache/key-covers-inputs", test_key_covers_inputs);
  ADD_DATA ("/compile-cache/damaged/flipped-payload-byte", GINT_TO_POINTER (DAMAGE_FLIP_PAYLOAD_BYTE),
            test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/flipped-header-byte", GINT_TO_POINTER (DAMAGE_FLIP_HEADER_BYTE),
            test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/truncated", GINT_TO_POINTER (DAMAGE_TRUNCATE), test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/truncated-header", GINT_TO_POINTER (DAMAGE_TRUNCATE_HEADER),
            test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/trailing-bytes", GINT_TO_POINTER (DAMAGE_APPEND), test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/empty", GINT_TO_POINTER (DAMAGE_EMPTY), test_damaged_entry);
  ADD_DATA ("/compile-cache/damaged/garbage", GINT_TO_POINTER (DAMAGE_GARBAGE), test_damaged_entry);
  ADD ("/compile-cache/off-switches", test_off_switches);
  ADD ("/compile-cache/side-effects-skip-cache", test_side_effects_skip_cache);
  ADD ("/compile-cache/eviction/least-recently-used", test_eviction_lru);
  ADD ("/compile-cache/eviction/by-programs", test_eviction_by_programs);
  ADD ("/compile-cache/stale-temporary-files", test_stale_temporary_files);
  ADD ("/compile-cache/clear", test_clear);
  ADD ("/compile-cache/concurrent/compiles", test_concurrent_compiles);
  ADD ("/compile-cache/concurrent/writers-and-readers", test_concurrent_writers_and_readers);
  ADD ("/compile-cache/async", test_async_uses_cache);
  ADD ("/compile-cache/ptx-assembly", test_other_compilers);
#undef ADD
#undef ADD_DATA
  g_test_add_func ("/compile-cache/unwritable-directory", test_unwritable_directory);
  g_test_add_func ("/compile-cache/environment", test_environment);
  g_test_add_func ("/compile-cache/payload/round-trip", test_payload_round_trip);
  g_test_add_func ("/compile-cache/payload/mutations", test_payload_mutations);
  for (guint i = 0; i < G_N_ELEMENTS (payload_cases); i++)
    g_test_add_data_func (payload_cases[i].path, &payload_cases[i], test_payload_bad);

  return g_test_run ();
}
