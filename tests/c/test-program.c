/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Program: C++ through NVRTC, PTX through nvJitLink, NVVM IR through libNVVM;
 * targets, name expressions, headers, logs, async compiles and bad input. */
#include <string.h>
#include <glib/gstdio.h>

#include "cudaobj-test-util.h"

static const char *saxpy = "template <typename T>\n"
                           "__global__ void saxpy(T a, const T *x, T *y, unsigned n)\n"
                           "{\n"
                           "  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                           "  if (i < n)\n"
                           "    y[i] = a * x[i] + y[i];\n"
                           "}\n"
                           "extern \"C\" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }\n";

/* The smallest NVVM IR kernel libNVVM 2.0 takes: LLVM 7 syntax (typed
 * pointers), the NVPTX data layout, a kernel annotation. */
static const char *nvvm_ir
    = "target datalayout = \"e-p:64:64:64-i1:8:8-i8:8:8-i16:16:16-i32:32:32-i64:64:64-i128:128:128-"
      "f32:32:32-f64:64:64-v16:16:16-v32:32:32-v64:64:64-v128:128:128-n16:32:64\"\n"
      "target triple = \"nvptx64-nvidia-cuda\"\n"
      "\n"
      "define void @average(float addrspace(1)* %out, float %a, float %b) {\n"
      "entry:\n"
      "  %sum = fadd float %a, %b\n"
      "  %half = fmul float %sum, 5.000000e-01\n"
      "  store float %half, float addrspace(1)* %out\n"
      "  ret void\n"
      "}\n"
      "\n"
      "!nvvm.annotations = !{!0}\n"
      "!0 = !{void (float addrspace(1)*, float, float)* @average, !\"kernel\", i32 1}\n"
      "!nvvmir.version = !{!1}\n"
      "!1 = !{i32 2, i32 0, i32 3, i32 1}\n";

static CudaObjProgramOptions *
options_for (const char *arch)
{
  return g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, NULL);
}

/* A program that always runs its compiler: the cache has its own tests. */
static CudaObjProgram *
new_program (const char *code, CudaObjProgramCodeType code_type, CudaObjProgramOptions *options)
{
  CudaObjProgram *program = cuda_obj_program_new (code, code_type, options);
  cuda_obj_program_set_use_cache (program, FALSE);
  return program;
}

static char *
code_text (CudaObjObjectCode *code)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);
  return g_strndup (data, size);
}

static void
assert_magic (CudaObjObjectCode *code, const char *magic, gsize length)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);

  g_assert_cmpuint (size, >, length);
  g_assert_cmpmem (data, length, magic, length);
}

#define ELF_MAGIC "\177ELF"
#define LTOIR_MAGIC "\xed\x43\x4e\x7f"

/* A good compile right after a failure: the library is still usable. */
static void
assert_still_usable (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code
      = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_autofree char *ptx = NULL;

  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, ".entry scale("));
}

static void
test_ptx (gconstpointer data)
{
  const char *arch = data;
  g_autoptr (CudaObjProgramOptions) options = options_for (arch);
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autofree char *ptx = NULL, *target = NULL, *log = NULL;
  gsize size = 0;
  const char *bytes;

  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, CUDA_OBJ_CODE_TYPE_PTX);
  g_assert_cmpstr (cuda_obj_object_code_get_name (code), ==, "default_program");
  /* PTX comes NUL-terminated, ready for the driver. */
  bytes = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);
  g_assert_cmpint (bytes[size - 1], ==, '\0');
  ptx = code_text (code);
  target = g_strdup_printf ("\n.target %s\n", arch);
  g_assert_nonnull (strstr (ptx, ".version "));
  g_assert_nonnull (strstr (ptx, target));
  g_assert_nonnull (strstr (ptx, ".visible .entry scale("));
  /* An uninstantiated template makes no code. */
  g_assert_null (strstr (ptx, "saxpy"));
  log = cuda_obj_program_get_log (program);
  g_assert_cmpstr (log, ==, "");
}

static void
test_cubin (gconstpointer data)
{
  const char *arch = data;
  g_autoptr (CudaObjProgramOptions) options = options_for (arch);
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  gsize size = 0;
  const guchar *elf;

  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, CUDA_OBJ_CODE_TYPE_CUBIN);
  assert_magic (code, ELF_MAGIC, 4);
  elf = g_bytes_get_data (cuda_obj_object_code_get_code (code), &size);
  /* 64-bit little-endian ELF for the CUDA machine (190). */
  g_assert_cmpint (elf[4], ==, 2);
  g_assert_cmpint (elf[5], ==, 1);
  g_assert_cmpint (elf[18] | elf[19] << 8, ==, 190);
  /* The kernel's name is in the symbol table. */
  g_assert_nonnull (memmem (elf, size, "scale", 6));
}

static void
test_cubin_differs_by_arch (void)
{
  g_autoptr (CudaObjProgramOptions) options90 = options_for ("sm_90");
  g_autoptr (CudaObjProgramOptions) options75 = options_for ("sm_75");
  g_autoptr (CudaObjProgram) program90 = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options90);
  g_autoptr (CudaObjProgram) program75 = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options75);
  g_autoptr (CudaObjObjectCode) code90
      = cuda_obj_program_compile (program90, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, NULL);
  g_autoptr (CudaObjObjectCode) code75
      = cuda_obj_program_compile (program75, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, NULL);

  g_assert_false (
      g_bytes_equal (cuda_obj_object_code_get_code (code90), cuda_obj_object_code_get_code (code75)));
}

static void
test_ltoir (gconstpointer data)
{
  const char *arch = data;
  g_autoptr (CudaObjProgramOptions) options = options_for (arch);
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  gboolean lto = TRUE;

  /* LTO-IR without link-time-optimization in the options: it is implied. */
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_LTOIR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (code), ==, CUDA_OBJ_CODE_TYPE_LTOIR);
  assert_magic (code, LTOIR_MAGIC, 4);
  /* ... without changing the program's options. */
  g_object_get (options, "link-time-optimization", &lto, NULL);
  g_assert_false (lto);
}

static void
test_name_expressions (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  const char *names[] = { "saxpy<float>", "saxpy<double>", "&scale", NULL };
  g_auto (GStrv) listed = NULL;
  g_autofree char *ptx = NULL;
  const char *float_name, *double_name;

  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, names, &error);
  g_assert_no_error (error);
  float_name = cuda_obj_object_code_get_lowered_name (code, "saxpy<float>");
  double_name = cuda_obj_object_code_get_lowered_name (code, "saxpy<double>");
  g_assert_true (g_str_has_prefix (float_name, "_Z"));
  g_assert_true (g_str_has_prefix (double_name, "_Z"));
  g_assert_nonnull (strstr (float_name, "saxpy"));
  g_assert_cmpstr (float_name, !=, double_name);
  /* extern "C" names stay as they are. */
  g_assert_cmpstr (cuda_obj_object_code_get_lowered_name (code, "&scale"), ==, "scale");
  g_assert_null (cuda_obj_object_code_get_lowered_name (code, "saxpy<int>"));

  listed = cuda_obj_object_code_get_name_expressions (code);
  g_assert_true (g_strv_equal ((const char *const *) listed, names));

  /* Naming the instantiations made them: their entries are in the PTX. */
  ptx = code_text (code);
  {
    g_autofree char *entry = g_strdup_printf (".entry %s(", float_name);
    g_assert_nonnull (strstr (ptx, entry));
    g_clear_pointer (&entry, g_free);
    entry = g_strdup_printf (".entry %s(", double_name);
    g_assert_nonnull (strstr (ptx, entry));
  }
}

static void
test_no_name_expressions (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) code
      = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, (const char *[]){ NULL }, NULL);
  g_auto (GStrv) listed = cuda_obj_object_code_get_name_expressions (code);

  g_assert_nonnull (listed);
  g_assert_cmpuint (g_strv_length (listed), ==, 0);
}

static const char *macro_kernel = "#ifdef USE_B\n"
                                  "extern \"C\" __global__ void kernel_b(int *x) { x[0] = VALUE; }\n"
                                  "#else\n"
                                  "extern \"C\" __global__ void kernel_a(int *x) { x[0] = 1; }\n"
                                  "#endif\n";

static void
test_defines_change_result (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (macro_kernel, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) plain = NULL, defined = NULL, undefined = NULL;
  g_autofree char *plain_ptx = NULL, *defined_ptx = NULL, *undefined_ptx = NULL;
  g_autoptr (GError) error = NULL;

  plain = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  plain_ptx = code_text (plain);
  g_assert_nonnull (strstr (plain_ptx, ".entry kernel_a("));
  g_assert_null (strstr (plain_ptx, "kernel_b"));

  g_object_set (options, "define-macro", (const char *[]){ "USE_B", "VALUE=4242", NULL }, NULL);
  defined = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  defined_ptx = code_text (defined);
  g_assert_nonnull (strstr (defined_ptx, ".entry kernel_b("));
  g_assert_nonnull (strstr (defined_ptx, "4242"));
  g_assert_null (strstr (defined_ptx, "kernel_a"));

  g_object_set (options, "undefine-macro", (const char *[]){ "USE_B", NULL }, NULL);
  undefined = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  undefined_ptx = code_text (undefined);
  g_assert_nonnull (strstr (undefined_ptx, ".entry kernel_a("));
}

static const char *include_kernel
    = "#include \"config.cuh\"\n"
      "extern \"C\" __global__ void KERNEL_NAME(int *x) { x[0] = KERNEL_VALUE; }\n";

static void
test_include_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cudaobj-include-XXXXXX", &error);
  g_autofree char *header = NULL, *ptx = NULL;
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (include_kernel, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) code = NULL;

  g_assert_no_error (error);
  header = g_build_filename (dir, "config.cuh", NULL);
  g_assert_true (g_file_set_contents (
      header, "#define KERNEL_NAME from_include_path\n#define KERNEL_VALUE 7\n", -1, NULL));

  /* Without the include path the header is missing: the log names it. */
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_assert_nonnull (strstr (error->message, "config.cuh"));
  g_clear_error (&error);

  g_object_set (options, "include-path", (const char *[]){ dir, NULL }, NULL);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, ".entry from_include_path("));

  g_unlink (header);
  g_rmdir (dir);
}

static void
test_headers_in_memory (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (include_kernel, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ptx = NULL;
  g_auto (GStrv) names = NULL;

  cuda_obj_program_add_header (program, "config.cuh",
                               "#define KERNEL_NAME from_memory\n#define KERNEL_VALUE 9\n");
  g_object_get (program, "header-names", &names, NULL);
  g_assert_cmpstr (names[0], ==, "config.cuh");
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, ".entry from_memory("));

  /* The same headers as properties. */
  g_object_set (program, "header-names", (const char *[]){ "config.cuh", NULL }, "header-contents",
                (const char *[]){ "#define KERNEL_NAME from_property\n#define KERNEL_VALUE 1\n", NULL },
                NULL);
  g_clear_object (&code);
  g_clear_pointer (&ptx, g_free);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, ".entry from_property("));

  /* Names and contents must pair up. */
  g_object_set (program, "header-contents", (const char *[]){ NULL }, NULL);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1 header names but 0 header contents"));
  assert_still_usable ();
}

static void
test_log_after_success (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL, *property_log = NULL;

  program = new_program ("extern \"C\" __global__ void k(int *x) { int unused = 3; x[0] = 1; }\n",
                         CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "warning"));
  g_assert_nonnull (strstr (log, "\"unused\" was declared but never referenced"));
  g_object_get (program, "log", &property_log, NULL);
  g_assert_cmpstr (property_log, ==, log);
}

static void
test_ptx_to_cubin (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("compute_90");
  g_autoptr (CudaObjProgram) cxx = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjObjectCode) ptx = NULL, cubin = NULL;
  g_autoptr (CudaObjProgram) assembly = NULL;
  g_autoptr (CudaObjProgramOptions) assembly_options = NULL;
  g_autoptr (GError) error = NULL;
  gsize size = 0;
  const guchar *elf;

  ptx = cuda_obj_program_compile (cxx, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);

  assembly_options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "90", "max-register-count", 32,
                                   "lineinfo", TRUE, NULL);
  assembly = cuda_obj_program_new_from_bytes (cuda_obj_object_code_get_code (ptx),
                                              CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, assembly_options);
  cuda_obj_program_set_use_cache (assembly, FALSE);
  cubin = cuda_obj_program_compile (assembly, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_object_code_get_code_type (cubin), ==, CUDA_OBJ_CODE_TYPE_CUBIN);
  assert_magic (cubin, ELF_MAGIC, 4);
  elf = g_bytes_get_data (cuda_obj_object_code_get_code (cubin), &size);
  g_assert_nonnull (memmem (elf, size, "scale", 6));
}

static void
test_nvvm (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (nvvm_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  g_autoptr (CudaObjObjectCode) ptx = NULL, ltoir = NULL, cubin = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  text = code_text (ptx);
  g_assert_nonnull (strstr (text, ".target sm_90"));
  g_assert_nonnull (strstr (text, ".visible .entry average("));

  ltoir = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_LTOIR, NULL, &error);
  g_assert_no_error (error);
  assert_magic (ltoir, LTOIR_MAGIC, 4);

  cubin = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  assert_magic (cubin, ELF_MAGIC, 4);
}

static void
test_nvvm_bitcode_bytes (void)
{
  /* Text given as bytes works the same (bitcode is given this way). */
  g_autoptr (GBytes) bytes = g_bytes_new (nvvm_ir, strlen (nvvm_ir));
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_75");
  g_autoptr (CudaObjProgram) program
      = cuda_obj_program_new_from_bytes (bytes, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  g_autoptr (CudaObjObjectCode) ptx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *code_property = NULL;

  g_object_get (program, "code", &code_property, NULL);
  g_assert_cmpstr (code_property, ==, nvvm_ir);
  g_assert_true (g_bytes_equal (cuda_obj_program_get_code_bytes (program), bytes));
  cuda_obj_program_set_use_cache (program, FALSE);
  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  text = code_text (ptx);
  g_assert_nonnull (strstr (text, ".target sm_75"));
}

static void
test_properties (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = cuda_obj_program_new (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjProgram) bare = g_object_new (CUDA_OBJ_TYPE_PROGRAM, "code", "x", NULL);
  g_autoptr (CudaObjProgramOptions) got_options = NULL;
  g_autofree char *code = NULL, *log = NULL;
  CudaObjProgramCodeType code_type = -1;
  gboolean use_cache = FALSE;

  g_object_get (program, "code", &code, "code-type", &code_type, "options", &got_options, "use-cache",
                &use_cache, "log", &log, NULL);
  g_assert_cmpstr (code, ==, saxpy);
  g_assert_cmpint (code_type, ==, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX);
  g_assert_true (got_options == options);
  g_assert_true (cuda_obj_program_get_options (program) == options);
  g_assert_true (use_cache);
  g_assert_cmpstr (log, ==, "");
  g_assert_true (cuda_obj_program_get_cache (program) == cuda_obj_compile_cache_get_default ());
  /* Without options, a program has default ones. */
  g_assert_true (CUDA_OBJ_IS_PROGRAM_OPTIONS (cuda_obj_program_get_options (bare)));
  g_assert_cmpint (cuda_obj_program_get_code_type (bare), ==, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX);
}

/* Compile in a worker thread while the main loop runs. */
typedef struct
{
  GMainLoop *loop;
  GMainContext *context;
  GThread *thread;
  CudaObjObjectCode *code;
  GError *error;
  guint ticks;
} AsyncState;

static void
compiled (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncState *state = data;

  g_assert_true (g_thread_self () == state->thread);
  g_assert_true (g_main_context_get_thread_default () == state->context);
  state->code = cuda_obj_program_compile_finish (CUDA_OBJ_PROGRAM (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
tick (gpointer data)
{
  ((AsyncState *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
run_async (CudaObjProgram *program, CudaObjCodeType target, const char *const *names,
           GCancellable *cancellable, AsyncState *state)
{
  GSource *timeout;

  state->context = g_main_context_new ();
  g_main_context_push_thread_default (state->context);
  state->loop = g_main_loop_new (state->context, FALSE);
  state->thread = g_thread_self ();
  timeout = g_timeout_source_new (1);
  g_source_set_callback (timeout, tick, state, NULL);
  g_source_attach (timeout, state->context);

  cuda_obj_program_compile_async (program, target, names, cancellable, compiled, state);
  g_main_loop_run (state->loop);

  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_pop_thread_default (state->context);
  g_main_loop_unref (state->loop);
  g_main_context_unref (state->context);
}

static void
test_compile_async (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  AsyncState state = { 0 };
  g_autofree char *ptx = NULL;

  run_async (program, CUDA_OBJ_CODE_TYPE_PTX, (const char *[]){ "saxpy<float>", NULL }, NULL, &state);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.code);
  /* The loop kept turning while NVRTC worked. */
  g_assert_cmpuint (state.ticks, >, 0);
  g_test_message ("the main loop ticked %u times during the compile", state.ticks);
  ptx = code_text (state.code);
  g_assert_nonnull (strstr (ptx, cuda_obj_object_code_get_lowered_name (state.code, "saxpy<float>")));
  g_object_unref (state.code);
}

static void
test_compile_async_error (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program
      = new_program ("__global__ void broken( {\n", CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  AsyncState state = { 0 };
  g_autofree char *log = NULL;

  run_async (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, NULL, &state);
  g_assert_null (state.code);
  g_assert_error (state.error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  /* The log is the program's after finish, as after a synchronous compile. */
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "error"));
  g_assert_nonnull (strstr (state.error->message, log));
  g_clear_error (&state.error);
  assert_still_usable ();
}

static void
test_compile_async_cancelled (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncState state = { 0 };

  g_cancellable_cancel (cancellable);
  run_async (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, cancellable, &state);
  g_assert_null (state.code);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  assert_still_usable ();
}

static void
test_no_arch_without_device (void)
{
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, NULL);
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (cudaobj_test_have_gpu (&reason))
    {
      /* The device's own architecture. */
      g_assert_no_error (error);
      g_assert_nonnull (code);
      return;
    }
  g_assert_null (code);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "No architecture given"));
  assert_still_usable ();
}

/* Bad input: each a GError with the tool's log, and the library usable after. */

static void
test_bad_syntax (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;

  program = new_program ("extern \"C\" __global__ void k(float *x)\n{\n  x[0] = undefined_thing + 1;\n}\n",
                         CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_test_message ("%s", error->message);
  /* The message names the program, the line, the problem, and shows the source line. */
  g_assert_nonnull (strstr (error->message, "default_program(3): error"));
  g_assert_nonnull (strstr (error->message, "identifier \"undefined_thing\" is undefined"));
  g_assert_nonnull (strstr (error->message, "x[0] = undefined_thing + 1;"));
  g_assert_nonnull (strstr (error->message, "sm_90"));
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "x[0] = undefined_thing + 1;"));
  assert_still_usable ();
}

static void
test_bad_unknown_option (void)
{
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (GError) error = NULL;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "extra-options",
                          (const char *[]){ "--no-such-option", NULL }, NULL);
  program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "unrecognized option --no-such-option"));
  assert_still_usable ();
}

static void
test_bad_unsupported_arch (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_20");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "--gpu-architecture"));
  /* ... and which architectures would do. */
  g_assert_nonnull (strstr (error->message, "compiles for architectures"));
  g_assert_nonnull (strstr (error->message, "90"));
  assert_still_usable ();
}

static void
test_bad_malformed_arch (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("hopper");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "\"hopper\" is not a GPU architecture"));
  assert_still_usable ();
}

static void
test_bad_virtual_arch_for_cubin (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("compute_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjProgram) assembly = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "use sm_90, not compute_90"));
  g_clear_error (&error);

  assembly = new_program (".version 9.0\n.target sm_90\n.address_size 64\n", CUDA_OBJ_PROGRAM_CODE_TYPE_PTX,
                          options);
  g_assert_null (cuda_obj_program_compile (assembly, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "use sm_90, not compute_90"));
  assert_still_usable ();
}

static void
test_bad_empty_source (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  const char *sources[] = { "", "  \n\t\n", NULL };

  for (guint i = 0; sources[i] != NULL; i++)
    for (CudaObjProgramCodeType type = CUDA_OBJ_PROGRAM_CODE_TYPE_CXX;
         type <= CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM; type++)
      {
        g_autoptr (CudaObjProgram) program = new_program (sources[i], type, options);
        g_autoptr (GError) error = NULL;

        g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
        g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr (error->message, ==, "The program's code is empty");
      }
  assert_still_usable ();
}

static void
test_bad_nvvm_ir (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  const char *cases[] = { "this is not IR\n", NULL };

  for (guint i = 0; cases[i] != NULL; i++)
    {
      g_autoptr (CudaObjProgram) program = new_program (cases[i], CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);

      g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "libNVVM could not compile default_program for compute_90"));
      g_assert_nonnull (strstr (error->message, "parse"));
      log = cuda_obj_program_get_log (g_steal_pointer (&program));
      g_assert_nonnull (strstr (log, "parse"));
      g_clear_pointer (&log, g_free);
      g_clear_error (&error);
    }
  /* Opaque pointers are newer LLVM than libNVVM reads. */
  {
    g_autoptr (CudaObjProgram) program = new_program (
        "define void @f(ptr addrspace(1) %p) {\n  ret void\n}\n", CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
    g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
    g_assert_nonnull (strstr (error->message, "default_program (1, 15): parse expected type"));
    g_clear_error (&error);
  }
  /* A libNVVM option it does not know. */
  {
    g_autoptr (CudaObjProgramOptions) bad
        = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "extra-options",
                        (const char *[]){ "-bogus", NULL }, NULL);
    g_autoptr (CudaObjProgram) program = new_program (nvvm_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, bad);
    g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "NVVM_ERROR_INVALID_OPTION"));
    g_clear_error (&error);
  }
  assert_still_usable ();
}

static void
test_bad_ptx (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;

  program
      = new_program (".version 9.0\n.target sm_90\n.address_size 64\n.visible .entry k()\n{\n  bogus;\n}\n",
                     CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, options);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 6"));
  g_assert_nonnull (strstr (error->message, "bogus"));
  log = cuda_obj_program_get_log (program);
  g_assert_nonnull (strstr (log, "bogus"));
  assert_still_usable ();
}

static void
test_bad_target (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  struct
  {
    CudaObjProgramCodeType code_type;
    CudaObjCodeType target;
    const char *message;
  } cases[] = {
    { CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, CUDA_OBJ_CODE_TYPE_FATBIN,
      "C++ compiles to PTX, CUBIN or LTO-IR, not to a fatbin" },
    { CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, CUDA_OBJ_CODE_TYPE_PTX, "PTX compiles to CUBIN, not to PTX" },
    { CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, CUDA_OBJ_CODE_TYPE_LTOIR, "PTX compiles to CUBIN, not to LTO-IR" },
    { CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, CUDA_OBJ_CODE_TYPE_OBJECT,
      "NVVM IR compiles to PTX, CUBIN or LTO-IR, not to a host object" },
    { CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, (CudaObjCodeType) 42, "not to an unknown target" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CudaObjProgram) program = new_program (saxpy, cases[i].code_type, options);
      g_autoptr (GError) error = NULL;

      g_assert_null (cuda_obj_program_compile (program, cases[i].target, NULL, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
  assert_still_usable ();
}

static void
test_bad_name_expression (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (CudaObjProgram) ptx = new_program (".version 9.0\n", CUDA_OBJ_PROGRAM_CODE_TYPE_PTX, options);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX,
                                           (const char *[]){ "no_such<int>", NULL }, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_assert_nonnull (strstr (error->message, "no_such"));
  g_clear_error (&error);

  /* Name expressions mean nothing to PTX. */
  g_assert_null (
      cuda_obj_program_compile (ptx, CUDA_OBJ_CODE_TYPE_CUBIN, (const char *[]){ "k", NULL }, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "C++ programs only"));
  assert_still_usable ();
}

static void
test_bad_lto_to_ptx (void)
{
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "link-time-optimization", TRUE, NULL);
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  g_autoptr (GError) error = NULL;

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "LTO-IR only"));
  assert_still_usable ();
}

/* An int option out of its range is an error naming the option, from the
 * renderer of each compiler's command line (NVRTC's, libNVVM's and
 * nvJitLink's for assembly), not a GLib warning when it is set. */
typedef struct
{
  const char *path;
  CudaObjProgramCodeType code_type;
  CudaObjCodeType target;
  const char *property;
  int value;
  const char *message;
} OptionRangeCase;

static const char *tiny_ptx = ".version 9.0\n.target sm_90\n.address_size 64\n";

static const OptionRangeCase option_range_cases[] = {
  { "/program/bad-input/option-out-of-range/cxx/max-register-count", CUDA_OBJ_PROGRAM_CODE_TYPE_CXX,
    CUDA_OBJ_CODE_TYPE_PTX, "max-register-count", -5,
    "The option max-register-count is -5: it must be from 0 to 2147483647" },
  { "/program/bad-input/option-out-of-range/cxx/jump-table-density", CUDA_OBJ_PROGRAM_CODE_TYPE_CXX,
    CUDA_OBJ_CODE_TYPE_CUBIN, "jump-table-density", 500,
    "The option jump-table-density is 500: it must be from 0 to 101" },
  { "/program/bad-input/option-out-of-range/cxx/split-compile", CUDA_OBJ_PROGRAM_CODE_TYPE_CXX,
    CUDA_OBJ_CODE_TYPE_LTOIR, "split-compile", G_MININT,
    "The option split-compile is -2147483648: it must be from 0 to 2147483647" },
  { "/program/bad-input/option-out-of-range/ptx/max-register-count", CUDA_OBJ_PROGRAM_CODE_TYPE_PTX,
    CUDA_OBJ_CODE_TYPE_CUBIN, "max-register-count", -1,
    "The option max-register-count is -1: it must be from 0 to 2147483647" },
  { "/program/bad-input/option-out-of-range/ptx/split-compile", CUDA_OBJ_PROGRAM_CODE_TYPE_PTX,
    CUDA_OBJ_CODE_TYPE_CUBIN, "split-compile", -2,
    "The option split-compile is -2: it must be from 0 to 2147483647" },
  { "/program/bad-input/option-out-of-range/nvvm/jump-table-density", CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM,
    CUDA_OBJ_CODE_TYPE_PTX, "jump-table-density", -7,
    "The option jump-table-density is -7: it must be from 0 to 101" },
  { "/program/bad-input/option-out-of-range/nvvm-to-cubin/max-register-count",
    CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, CUDA_OBJ_CODE_TYPE_CUBIN, "max-register-count", -3,
    "The option max-register-count is -3: it must be from 0 to 2147483647" },
};

static void
test_bad_option_out_of_range (gconstpointer data)
{
  const OptionRangeCase *range_case = data;
  const char *code = range_case->code_type == CUDA_OBJ_PROGRAM_CODE_TYPE_CXX   ? saxpy
                     : range_case->code_type == CUDA_OBJ_PROGRAM_CODE_TYPE_PTX ? tiny_ptx
                                                                               : nvvm_ir;
  g_autoptr (CudaObjProgramOptions) options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90",
                                                            range_case->property, range_case->value, NULL);
  g_autoptr (CudaObjProgram) program = new_program (code, range_case->code_type, options);
  g_autoptr (GError) error = NULL;
  int stored = 0;

  /* Kept as given (the test runs with fatal warnings: setting it warned not). */
  g_object_get (options, range_case->property, &stored, NULL);
  g_assert_cmpint (stored, ==, range_case->value);

  g_assert_null (cuda_obj_program_compile (program, range_case->target, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, range_case->message);
  assert_still_usable ();
}

/* Programs that cannot compile as they were made: an error at compile,
 * synchronous or not, never a CRITICAL when they are made. */
typedef struct
{
  const char *path;
  CudaObjProgram *(*make) (void);
  int code; /* CudaObjError */
  const char *message;
} MisuseCase;

static CudaObjProgram *
make_without_code (void)
{
  return g_object_new (CUDA_OBJ_TYPE_PROGRAM, NULL);
}

static CudaObjProgram *
make_with_null_code (void)
{
  return cuda_obj_program_new (NULL, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, NULL);
}

static CudaObjProgram *
make_with_null_bytes (void)
{
  return cuda_obj_program_new_from_bytes (NULL, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, NULL);
}

static CudaObjProgram *
make_with_code_type_out_of_range (void)
{
  return cuda_obj_program_new (saxpy, (CudaObjProgramCodeType) 7, NULL);
}

static CudaObjProgram *
make_with_negative_code_type (void)
{
  return cuda_obj_program_new (saxpy, (CudaObjProgramCodeType) -1, NULL);
}

static CudaObjProgram *
make_with_header (const char *name, const char *contents)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  CudaObjProgram *program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);

  cuda_obj_program_add_header (program, "good.h", "#define GOOD 1\n");
  cuda_obj_program_add_header (program, name, contents);
  return program;
}

static CudaObjProgram *
make_with_header_without_name (void)
{
  return make_with_header (NULL, "#define X 1\n");
}

static CudaObjProgram *
make_with_header_with_empty_name (void)
{
  return make_with_header ("", "#define X 1\n");
}

static CudaObjProgram *
make_with_header_without_contents (void)
{
  return make_with_header ("x.h", NULL);
}

static const MisuseCase misuse_cases[] = {
  { "/program/uninitialized/no-code", make_without_code, CUDA_OBJ_ERROR_NOT_INITIALIZED,
    "The program has no code: make it with cuda_obj_program_new() or give it the code or code-bytes "
    "property" },
  { "/program/uninitialized/null-code", make_with_null_code, CUDA_OBJ_ERROR_NOT_INITIALIZED,
    "The program has no code: make it with cuda_obj_program_new() or give it the code or code-bytes "
    "property" },
  { "/program/uninitialized/null-bytes", make_with_null_bytes, CUDA_OBJ_ERROR_NOT_INITIALIZED,
    "The program has no code: make it with cuda_obj_program_new() or give it the code or code-bytes "
    "property" },
  { "/program/bad-input/code-type/out-of-range", make_with_code_type_out_of_range,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "7 is not a CudaObjProgramCodeType" },
  { "/program/bad-input/code-type/negative", make_with_negative_code_type, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
    "-1 is not a CudaObjProgramCodeType" },
  { "/program/bad-input/header/no-name", make_with_header_without_name, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
    "cuda_obj_program_add_header() was given no name" },
  { "/program/bad-input/header/empty-name", make_with_header_with_empty_name, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
    "cuda_obj_program_add_header() was given an empty name" },
  { "/program/bad-input/header/no-contents", make_with_header_without_contents,
    CUDA_OBJ_ERROR_INVALID_ARGUMENT, "cuda_obj_program_add_header() was given no contents" },
};

static void
test_misuse (gconstpointer data)
{
  const MisuseCase *misuse = data;
  g_autoptr (CudaObjProgram) program = misuse->make ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) code = NULL;
  g_autofree char *log = NULL;
  AsyncState state = { 0 };

  g_assert_nonnull (program);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, misuse->code);
  g_assert_cmpstr (error->message, ==, misuse->message);

  run_async (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, NULL, &state);
  g_assert_null (state.code);
  g_assert_error (state.error, CUDA_OBJ_ERROR, misuse->code);
  g_assert_cmpstr (state.error->message, ==, misuse->message);
  g_clear_error (&state.error);

  /* The getters still answer. */
  g_object_get (program, "code-bytes", &code, "log", &log, NULL);
  g_assert_nonnull (code);
  g_assert_cmpstr (log, ==, "");
  g_assert_nonnull (cuda_obj_program_get_options (program));

  /* Headers set whole replace a bad one added before. */
  if (g_str_has_prefix (misuse->path, "/program/bad-input/header/"))
    {
      g_autoptr (CudaObjObjectCode) ptx = NULL;

      g_object_set (program, "header-names", (const char *[]){ "good.h", NULL }, "header-contents",
                    (const char *[]){ "#define GOOD 1\n", NULL }, NULL);
      g_clear_error (&error);
      ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (ptx);
    }
  assert_still_usable ();
}

static void
test_bad_async_result (void)
{
  g_autoptr (CudaObjProgram) program = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, NULL);
  g_autoptr (CudaObjProgram) other = new_program (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, NULL);
  g_autoptr (GTask) foreign = g_task_new (program, NULL, NULL, NULL);
  g_autoptr (GTask) of_other = g_task_new (other, NULL, NULL, NULL);
  g_autoptr (GError) error = NULL;

  /* A task of this program's but not a compile's, and one of another object. */
  g_task_return_boolean (foreign, TRUE);
  g_task_set_source_tag (of_other, cuda_obj_program_compile_async);
  g_task_return_boolean (of_other, TRUE);
  for (GAsyncResult *const *result
       = (GAsyncResult *[]){ G_ASYNC_RESULT (foreign), G_ASYNC_RESULT (of_other), NULL };
       *result != NULL; result++)
    {
      g_assert_null (cuda_obj_program_compile_finish (program, *result, &error));
      g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "cuda_obj_program_compile_async"));
      g_clear_error (&error);
    }
  g_assert_null (cuda_obj_program_compile_finish (program, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  assert_still_usable ();
}

/* ------------------------------------------------------------------------ */
/* The toolkit's headers (toolkit-include-dirs) and libdevice (use-libdevice) */

/* The toolkit's header directories, or skips the test (returns NULL). */
static char **
toolkit_include_dirs_or_skip (void)
{
  g_autoptr (GError) error = NULL;
  char **dirs = cuda_obj_find_include_dirs (&error);

  if (dirs == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no CUDA toolkit headers here: %s", error->message);
      g_test_skip (reason);
    }
  return dirs;
}

/* A fake site-packages directory, searched first by the library discovery
 * while it lives; the previous CUDA_OBJ_SITE_PACKAGES comes back with
 * fake_site_free(). */
typedef struct
{
  char *root;
  char *previous;
} FakeSite;

static FakeSite *
fake_site_new (void)
{
  g_autoptr (GError) error = NULL;
  FakeSite *site = g_new0 (FakeSite, 1);

  site->root = g_dir_make_tmp ("cudaobj-site-XXXXXX", &error);
  g_assert_no_error (error);
  site->previous = g_strdup (g_getenv ("CUDA_OBJ_SITE_PACKAGES"));
  g_setenv ("CUDA_OBJ_SITE_PACKAGES", site->root, TRUE);
  return site;
}

/* Writes @contents to @relative below the site; returns the full path. */
static char *
fake_site_add (FakeSite *site, const char *relative, const char *contents)
{
  char *path = g_build_filename (site->root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fake_site_free (FakeSite *site)
{
  if (site->previous != NULL)
    g_setenv ("CUDA_OBJ_SITE_PACKAGES", site->previous, TRUE);
  else
    g_unsetenv ("CUDA_OBJ_SITE_PACKAGES");
  remove_tree (site->root);
  g_free (site->root);
  g_free (site->previous);
  g_free (site);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeSite, fake_site_free)

/* A cache of its own in a temporary directory, emptied and removed by
 * temporary_cache_free(). */
static CudaObjCompileCache *
temporary_cache_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cudaobj-cache-XXXXXX", &error);

  g_assert_no_error (error);
  return cuda_obj_compile_cache_new (dir);
}

static void
temporary_cache_free (CudaObjCompileCache *cache)
{
  g_autofree char *dir = NULL;

  g_object_get (cache, "directory", &dir, NULL);
  g_assert_true (cuda_obj_compile_cache_clear (cache, NULL));
  g_rmdir (dir);
  g_object_unref (cache);
}

/* A compile repeated with nothing changed gives the same object code again
 * and counts as a cache hit; any change, a cleared cache or a replaced
 * entry makes it look again. */
static void
test_repeat_memo (void)
{
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) first = NULL, again = NULL, other = NULL, after_clear = NULL;
  g_autoptr (CudaObjObjectCode) after_header = NULL, damaged = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjCompileCache *cache = temporary_cache_new ();
  g_autofree char *entry_dir = NULL;
  const char *name;
  GDir *dir;

  program = cuda_obj_program_new (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cuda_obj_program_set_cache (program, cache);
  first = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, (const char *[]){ "saxpy<float>", NULL },
                                    &error);
  g_assert_no_error (error);
  again = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, (const char *[]){ "saxpy<float>", NULL },
                                    &error);
  g_assert_no_error (error);
  g_assert_true (first == again);
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (cache), ==, 1);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 1);

  /* Other name expressions, another target, changed options: not the memo. */
  other = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (other != first);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 2);
  g_clear_object (&other);
  g_object_set (options, "define-macro", (const char *[]){ "CHANGED=1", NULL }, NULL);
  other = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 3);

  /* A cleared cache compiles again. */
  g_assert_true (cuda_obj_compile_cache_clear (cache, &error));
  after_clear = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (after_clear != other);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 4);

  /* A header added: compiled again. */
  cuda_obj_program_add_header (program, "unused.h", "#define UNUSED 1\n");
  after_header = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 5);

  /* An entry damaged on disk by someone else: found out, compiled again. */
  entry_dir = g_strdup (cuda_obj_compile_cache_get_directory (cache));
  dir = g_dir_open (entry_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (entry_dir, name, NULL);
      g_assert_true (g_file_set_contents (path, "not an entry", -1, NULL));
    }
  g_dir_close (dir);
  damaged = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (damaged != after_header);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cache), ==, 6);
  temporary_cache_free (cache);
}

/* Compiles @program to @target, asserting success, and checks the cache's
 * miss count afterwards. */
static void
compile_and_count (CudaObjProgram *program, CudaObjCodeType target, guint64 misses)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjObjectCode) code = cuda_obj_program_compile (program, target, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (code);
  g_assert_cmpuint (cuda_obj_compile_cache_get_misses (cuda_obj_program_get_cache (program)), ==, misses);
}

typedef struct
{
  const char *path;
  const char *header; /* as NVRTC names it when it is missing */
  const char *source;
  const char *entry;
} ToolkitHeaderCase;

/* clang-format off */
static const ToolkitHeaderCase toolkit_header_cases[] = {
  { "/program/cxx/toolkit-headers/cuda_fp16.h", "cuda_fp16.h",
    "#include <cuda_fp16.h>\n"
    "extern \"C\" __global__ void half_add(__half *x) { x[0] = __hadd(x[0], x[1]); }\n",
    ".entry half_add(" },
  { "/program/cxx/toolkit-headers/cuda_bf16.h", "cuda_bf16.h",
    "#include <cuda_bf16.h>\n"
    "extern \"C\" __global__ void bf16_mul(__nv_bfloat16 *x) { x[0] = __hmul(x[0], x[1]); }\n",
    ".entry bf16_mul(" },
  { "/program/cxx/toolkit-headers/cuda-std-atomic", "cuda/std/atomic",
    "#include <cuda/std/atomic>\n"
    "extern \"C\" __global__ void count(int *x) { cuda::std::atomic_ref<int> a(*x); a.fetch_add(1); }\n",
    ".entry count(" },
  { "/program/cxx/toolkit-headers/cuda-std-limits", "cuda/std/limits",
    "#include <cuda/std/limits>\n"
    "extern \"C\" __global__ void top(int *x) { *x = cuda::std::numeric_limits<int>::max(); }\n",
    ".entry top(" },
};
/* clang-format on */

/* With the default options a toolkit header compiles; without the
 * toolkit's directories NVRTC names the header it cannot open. */
static void
test_toolkit_header (gconstpointer data)
{
  const ToolkitHeaderCase *header_case = data;
  g_auto (GStrv) dirs = toolkit_include_dirs_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ptx = NULL, *missing = NULL;

  if (dirs == NULL)
    return;
  program = new_program (header_case->source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, header_case->entry));

  g_object_set (options, "toolkit-include-dirs", FALSE, NULL);
  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  missing = g_strdup_printf ("could not open source file \"%s\"", header_case->header);
  g_assert_nonnull (strstr (error->message, missing));
  assert_still_usable ();
}

/* The user's include path is searched before the toolkit's directories. */
static void
test_toolkit_headers_after_include_path (void)
{
  static const char *source = "#include <cuda_fp16.h>\n"
                              "#ifndef FROM_USER_DIRECTORY\n"
                              "#error the toolkit's cuda_fp16.h came first\n"
                              "#endif\n"
                              "extern \"C\" __global__ void mine(int *x) { *x = FROM_USER_DIRECTORY; }\n";
  g_auto (GStrv) dirs = toolkit_include_dirs_or_skip ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *header = NULL, *ptx = NULL;
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;

  if (dirs == NULL)
    return;
  dir = g_dir_make_tmp ("cudaobj-include-XXXXXX", &error);
  g_assert_no_error (error);
  header = g_build_filename (dir, "cuda_fp16.h", NULL);
  g_assert_true (g_file_set_contents (header, "#define FROM_USER_DIRECTORY 42\n", -1, NULL));
  g_object_set (options, "include-path", (const char *[]){ dir, NULL }, NULL);
  program = new_program (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, ".entry mine("));
  g_assert_nonnull (strstr (ptx, "42"));
  g_unlink (header);
  g_rmdir (dir);
}

/* The directories are the discovery's: a wheel's include directory, found
 * before the toolkit, is the one NVRTC searches. */
static void
test_toolkit_headers_from_wheel (void)
{
  static const char *source = "#include <cuda_fp16.h>\n"
                              "extern \"C\" __global__ void wheel(int *x) { *x = FROM_WHEEL; }\n";
  g_auto (GStrv) dirs = toolkit_include_dirs_or_skip ();
  g_autoptr (FakeSite) site = NULL;
  g_autofree char *runtime = NULL, *crt = NULL, *fp16 = NULL, *wheel_dir = NULL, *ptx = NULL;
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) found = NULL;

  if (dirs == NULL)
    return;
  site = fake_site_new ();
  runtime = fake_site_add (site, "nvidia/cu13/include/cuda_runtime.h", "/* a wheel's */\n");
  crt = fake_site_add (site, "nvidia/cu13/include/crt/host_defines.h", "\n");
  fp16 = fake_site_add (site, "nvidia/cu13/include/cuda_fp16.h", "#define FROM_WHEEL 1313\n");
  wheel_dir = g_path_get_dirname (runtime);
  found = cuda_obj_find_include_dirs (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (found[0], ==, wheel_dir);

  program = new_program (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  ptx = code_text (code);
  g_assert_nonnull (strstr (ptx, "1313"));
}

/* The switch and the directories themselves are part of the cache key. */
static void
test_toolkit_headers_cache_key (void)
{
  g_auto (GStrv) dirs = toolkit_include_dirs_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  CudaObjCompileCache *cache;

  if (dirs == NULL)
    return;
  cache = temporary_cache_new ();
  program = cuda_obj_program_new (saxpy, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cuda_obj_program_set_cache (program, cache);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 1);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 1);
  g_object_set (options, "toolkit-include-dirs", FALSE, NULL);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);
  g_object_set (options, "toolkit-include-dirs", TRUE, NULL);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);

  /* Other headers (a wheel's, found first): a new compile. */
  {
    g_autoptr (FakeSite) site = fake_site_new ();
    g_autofree char *runtime = fake_site_add (site, "nvidia/cu13/include/cuda_runtime.h", "\n");
    g_autofree char *crt = fake_site_add (site, "nvidia/cu13/include/crt/host_defines.h", "\n");

    compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
    compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
  }
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (cache), ==, 5);
  g_clear_object (&program);
  temporary_cache_free (cache);
}

/* Calls libdevice's sinf: NVVM IR as front ends emit it. */
static const char *nvvm_sine_ir
    = "target datalayout = \"e-p:64:64:64-i1:8:8-i8:8:8-i16:16:16-i32:32:32-i64:64:64-i128:128:128-"
      "f32:32:32-f64:64:64-v16:16:16-v32:32:32-v64:64:64-v128:128:128-n16:32:64\"\n"
      "target triple = \"nvptx64-nvidia-cuda\"\n"
      "\n"
      "declare float @__nv_sinf(float)\n"
      "\n"
      "define void @sine(float addrspace(1)* %out, float %a) {\n"
      "entry:\n"
      "  %s = call float @__nv_sinf(float %a)\n"
      "  store float %s, float addrspace(1)* %out\n"
      "  ret void\n"
      "}\n"
      "\n"
      "!nvvm.annotations = !{!0}\n"
      "!0 = !{void (float addrspace(1)*, float)* @sine, !\"kernel\", i32 1}\n"
      "!nvvmir.version = !{!1}\n"
      "!1 = !{i32 2, i32 0, i32 3, i32 1}\n";

/* libdevice's file, or skips the test (returns NULL). */
static char *
libdevice_or_skip (void)
{
  g_autoptr (GError) error = NULL;
  char *path = cuda_obj_find_libdevice (&error);

  if (path == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no libdevice here: %s", error->message);
      g_test_skip (reason);
    }
  return path;
}

/* By default libdevice's functions are linked into the program. */
static void
test_nvvm_libdevice (void)
{
  g_autofree char *libdevice = libdevice_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) ptx = NULL, ltoir = NULL, cubin = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (libdevice == NULL)
    return;
  program = new_program (nvvm_sine_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  text = code_text (ptx);
  g_assert_nonnull (strstr (text, ".visible .entry sine("));
  /* sinf's body is in the PTX, not a call of it. */
  g_assert_null (strstr (text, "__nv_sinf"));
  g_assert_null (strstr (text, ".extern"));

  cubin = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  assert_magic (cubin, ELF_MAGIC, 4);
  ltoir = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_LTOIR, NULL, &error);
  g_assert_no_error (error);
  assert_magic (ltoir, LTOIR_MAGIC, 4);
}

/* Without libdevice the call stays external, and a CUBIN cannot be made. */
static void
test_nvvm_without_libdevice (void)
{
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", "sm_90", "use-libdevice", FALSE, NULL);
  g_autoptr (CudaObjProgram) program = new_program (nvvm_sine_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  g_autoptr (CudaObjObjectCode) ptx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  text = code_text (ptx);
  g_assert_nonnull (strstr (text, ".extern .func"));
  g_assert_nonnull (strstr (text, "__nv_sinf"));

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_assert_nonnull (strstr (error->message, "Undefined reference to '__nv_sinf'"));
  assert_still_usable ();
}

/* The libdevice found is the one linked: a damaged one in a wheel, found
 * first, fails the compile; with use-libdevice off it is not read. */
static void
test_nvvm_libdevice_from_wheel (void)
{
  g_autoptr (FakeSite) site = fake_site_new ();
  g_autofree char *fake = fake_site_add (site, "nvidia/cu13/nvvm/libdevice/libdevice.10.bc", "not bitcode");
  g_autofree char *found = NULL;
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = new_program (nvvm_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GError) error = NULL;

  found = cuda_obj_find_libdevice (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, fake);

  g_assert_null (cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_COMPILE);
  g_assert_nonnull (strstr (error->message, "libNVVM could not compile default_program"));
  g_assert_nonnull (strstr (error->message, ", linked with libdevice "));
  g_assert_nonnull (strstr (error->message, fake));
  g_clear_error (&error);

  g_object_set (options, "use-libdevice", FALSE, NULL);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, NULL, &error);
  g_assert_no_error (error);
  assert_magic (code, "//", 2);
}

/* use-libdevice and the libdevice file are part of the cache key, even for
 * IR that calls none of its functions. */
static void
test_nvvm_libdevice_cache_key (void)
{
  g_autofree char *libdevice = libdevice_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = options_for ("sm_90");
  g_autoptr (CudaObjProgram) program = NULL;
  CudaObjCompileCache *cache;

  if (libdevice == NULL)
    return;
  cache = temporary_cache_new ();
  program = cuda_obj_program_new (nvvm_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  cuda_obj_program_set_cache (program, cache);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 1);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 1);
  g_object_set (options, "use-libdevice", FALSE, NULL);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);
  g_object_set (options, "use-libdevice", TRUE, NULL);
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 2);

  /* Another libdevice (a wheel's, found first): a new compile. */
  {
    g_autoptr (FakeSite) site = fake_site_new ();
    g_autofree char *copy = NULL, *contents = NULL;
    gsize size = 0;

    g_assert_true (g_file_get_contents (libdevice, &contents, &size, NULL));
    copy = fake_site_add (site, "nvidia/cu13/nvvm/libdevice/libdevice.10.bc", "");
    g_assert_true (g_file_set_contents (copy, contents, size, NULL));
    compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
    compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
  }
  compile_and_count (program, CUDA_OBJ_CODE_TYPE_PTX, 3);
  g_assert_cmpuint (cuda_obj_compile_cache_get_hits (cache), ==, 5);
  g_clear_object (&program);
  temporary_cache_free (cache);
}

/* On a GPU: what toolkit headers and libdevice compile into runs right. */

/* The kernel's one launch of @block threads on a fresh stream; returns
 * @size bytes of @out, filled with zeros before the launch. */
static GBytes *
run_on_device (CudaObjDevice *device, CudaObjObjectCode *code, const char *name, guint block, gsize size,
               float scalar)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = cuda_obj_device_create_stream (device, &error);
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new (1, block);
  g_autoptr (CudaObjBuffer) out = NULL;
  GBytes *result;

  g_assert_no_error (error);
  kernel = cuda_obj_object_code_get_kernel (code, name, &error);
  g_assert_no_error (error);
  out = cuda_obj_device_allocate (device, size, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_fill (out, 0, 1, 0, size, stream, &error));
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, out);
  if (cuda_obj_kernel_get_argument_count (kernel) > 1)
    cuda_obj_kernel_args_set_float (args, 1, scalar);
  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  result = cuda_obj_buffer_copy_to_bytes (out, 0, -1, stream, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  return result;
}

/* An NVVM IR kernel calling libdevice's __nv_sinf computes sin. */
static void
test_gpu_nvvm_libdevice_sine (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) cubin = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *arch = NULL;
  const float *value;

  if (device == NULL)
    return;
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = options_for (arch);
  program = new_program (nvvm_sine_ir, CUDA_OBJ_PROGRAM_CODE_TYPE_NVVM, options);
  cubin = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  result = run_on_device (device, cubin, "sine", 1, sizeof (float), 0.5f);
  value = g_bytes_get_data (result, NULL);
  /* sin(0.5) = 0.479425538...; libdevice's sinf is within 2 ulp. */
  g_assert_cmpfloat_with_epsilon (*value, 0.4794255386f, 1e-6f);
}

/* A C++ kernel with cuda_fp16.h and cuda/std/atomic, from the toolkit's
 * headers with no option set. */
static void
test_gpu_cxx_toolkit_headers (void)
{
  static const char *source
      = "#include <cuda_fp16.h>\n"
        "#include <cuda/std/atomic>\n"
        "extern \"C\" __global__ void count_halves(float *out)\n"
        "{\n"
        "  cuda::std::atomic_ref<float> total(out[0]);\n"
        "  total.fetch_add(__half2float(__hadd(__float2half(0.25f), __float2half(0.25f))));\n"
        "}\n";
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) cubin = NULL;
  g_autoptr (GBytes) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *arch = NULL;
  const float *value;

  if (device == NULL)
    return;
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = options_for (arch);
  program = new_program (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  cubin = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  g_assert_no_error (error);
  result = run_on_device (device, cubin, "count_halves", 256, sizeof (float), 0.0f);
  value = g_bytes_get_data (result, NULL);
  /* 256 threads each add 0.5: exact in float. */
  g_assert_cmpfloat (*value, ==, 128.0f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/program/cxx/ptx/sm_90", "sm_90", test_ptx);
  g_test_add_data_func ("/program/cxx/ptx/sm_75", "sm_75", test_ptx);
  g_test_add_data_func ("/program/cxx/cubin/sm_90", "sm_90", test_cubin);
  g_test_add_data_func ("/program/cxx/cubin/sm_75", "sm_75", test_cubin);
  g_test_add_func ("/program/cxx/cubin/differs-by-arch", test_cubin_differs_by_arch);
  g_test_add_data_func ("/program/cxx/ltoir/sm_90", "sm_90", test_ltoir);
  g_test_add_data_func ("/program/cxx/ltoir/sm_75", "sm_75", test_ltoir);
  g_test_add_func ("/program/cxx/name-expressions", test_name_expressions);
  g_test_add_func ("/program/cxx/no-name-expressions", test_no_name_expressions);
  g_test_add_func ("/program/cxx/defines-change-result", test_defines_change_result);
  g_test_add_func ("/program/cxx/include-path", test_include_path);
  g_test_add_func ("/program/cxx/headers-in-memory", test_headers_in_memory);
  g_test_add_func ("/program/cxx/log-after-success", test_log_after_success);
  for (guint i = 0; i < G_N_ELEMENTS (toolkit_header_cases); i++)
    g_test_add_data_func (toolkit_header_cases[i].path, &toolkit_header_cases[i], test_toolkit_header);
  g_test_add_func ("/program/cxx/toolkit-headers/after-include-path",
                   test_toolkit_headers_after_include_path);
  g_test_add_func ("/program/cxx/toolkit-headers/from-wheel", test_toolkit_headers_from_wheel);
  g_test_add_func ("/program/cxx/toolkit-headers/cache-key", test_toolkit_headers_cache_key);
  g_test_add_func ("/program/cache/repeat-memo", test_repeat_memo);
  g_test_add_func ("/program/ptx/to-cubin", test_ptx_to_cubin);
  g_test_add_func ("/program/nvvm/to-ptx-ltoir-cubin", test_nvvm);
  g_test_add_func ("/program/nvvm/from-bytes", test_nvvm_bitcode_bytes);
  g_test_add_func ("/program/nvvm/libdevice/linked", test_nvvm_libdevice);
  g_test_add_func ("/program/nvvm/libdevice/off", test_nvvm_without_libdevice);
  g_test_add_func ("/program/nvvm/libdevice/from-wheel", test_nvvm_libdevice_from_wheel);
  g_test_add_func ("/program/nvvm/libdevice/cache-key", test_nvvm_libdevice_cache_key);
  g_test_add_func ("/program/gpu/nvvm-libdevice-sine", test_gpu_nvvm_libdevice_sine);
  g_test_add_func ("/program/gpu/cxx-toolkit-headers", test_gpu_cxx_toolkit_headers);
  g_test_add_func ("/program/properties", test_properties);
  g_test_add_func ("/program/async/compile", test_compile_async);
  g_test_add_func ("/program/async/error", test_compile_async_error);
  g_test_add_func ("/program/async/cancelled", test_compile_async_cancelled);
  g_test_add_func ("/program/arch/from-device-or-error", test_no_arch_without_device);
  g_test_add_func ("/program/bad-input/syntax-error", test_bad_syntax);
  g_test_add_func ("/program/bad-input/unknown-option", test_bad_unknown_option);
  g_test_add_func ("/program/bad-input/unsupported-arch", test_bad_unsupported_arch);
  g_test_add_func ("/program/bad-input/malformed-arch", test_bad_malformed_arch);
  g_test_add_func ("/program/bad-input/virtual-arch-for-cubin", test_bad_virtual_arch_for_cubin);
  g_test_add_func ("/program/bad-input/empty-source", test_bad_empty_source);
  g_test_add_func ("/program/bad-input/nvvm-ir-does-not-parse", test_bad_nvvm_ir);
  g_test_add_func ("/program/bad-input/ptx-does-not-assemble", test_bad_ptx);
  g_test_add_func ("/program/bad-input/wrong-target", test_bad_target);
  g_test_add_func ("/program/bad-input/name-expression", test_bad_name_expression);
  g_test_add_func ("/program/bad-input/lto-to-ptx", test_bad_lto_to_ptx);
  for (guint i = 0; i < G_N_ELEMENTS (option_range_cases); i++)
    g_test_add_data_func (option_range_cases[i].path, &option_range_cases[i], test_bad_option_out_of_range);
  for (guint i = 0; i < G_N_ELEMENTS (misuse_cases); i++)
    g_test_add_data_func (misuse_cases[i].path, &misuse_cases[i], test_misuse);
  g_test_add_func ("/program/bad-input/foreign-async-result", test_bad_async_result);

  return g_test_run ();
}
