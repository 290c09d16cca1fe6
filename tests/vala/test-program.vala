// SPDX-License-Identifier: LGPL-2.1-or-later
// JIT compilation from Vala: ProgramOptions, Program, Linker, ObjectCode, the compile cache.
using CudaObj;

const string SAXPY = """
template <typename T>
__global__ void saxpy(T a, const T *x, T *y, unsigned n)
{
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}
extern "C" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }
""";

static CudaObj.Program new_program (string code, string arch = "sm_90") {
    var options = new CudaObj.ProgramOptions ();
    options.arch = arch;
    var program = new CudaObj.Program (code, CudaObj.ProgramCodeType.CXX, options);
    program.use_cache = false;
    return program;
}

static string text_of (CudaObj.ObjectCode code) {
    unowned uint8[] data = code.get_code ().get_data ();
    return ((string) data).dup ();
}

static void assert_no_error (GLib.Error e) {
    GLib.error ("unexpected error: %s", e.message);
}

static void test_options () {
    var options = (CudaObj.ProgramOptions) GLib.Object.@new (typeof (CudaObj.ProgramOptions),
        "std", "c++17", "arch", "sm_90", "use-fast-math", true);
    options.define_macro = { "N=4" };
    assert (options.prec_sqrt);
    try {
        assert (string.joinv (" ", options.to_argv ()) ==
                "--gpu-architecture=sm_90 --std=c++17 --use_fast_math --define-macro=N=4");
        var copy = options.copy ();
        copy.std = "c++20";
        assert (options.std == "c++17");
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_targets () {
    foreach (var arch in new string[] { "sm_90", "sm_75" }) {
        var program = new_program (SAXPY, arch);
        try {
            var ptx = text_of (program.compile (CudaObj.CodeType.PTX, null));
            assert (".visible .entry scale(" in ptx);
            assert (".target " + arch in ptx);
            unowned uint8[] cubin = program.compile (CudaObj.CodeType.CUBIN, null).get_code ().get_data ();
            assert (cubin[0] == 0x7f && cubin[1] == 'E' && cubin[2] == 'L' && cubin[3] == 'F');
            unowned uint8[] ltoir = program.compile (CudaObj.CodeType.LTOIR, null).get_code ().get_data ();
            assert (ltoir[0] == 0xed && ltoir[1] == 0x43 && ltoir[2] == 0x4e && ltoir[3] == 0x7f);
        } catch (GLib.Error e) {
            assert_no_error (e);
        }
    }
}

static void test_name_expressions () {
    try {
        var code = new_program (SAXPY).compile (CudaObj.CodeType.PTX, { "saxpy<float>" });
        var lowered = code.get_lowered_name ("saxpy<float>");
        assert (lowered.has_prefix ("_Z"));
        assert (code.get_lowered_name ("saxpy<int>") == null);
        assert (code.get_name_expressions ()[0] == "saxpy<float>");
        assert ((".entry " + lowered + "(") in text_of (code));
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_bad_input () {
    var program = new_program ("extern \"C\" __global__ void k(float *x)\n{\n  x[0] = nope + 1;\n}\n");
    try {
        program.compile (CudaObj.CodeType.CUBIN, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.COMPILE);
        assert ("x[0] = nope + 1;" in e.message);
        assert ("\"nope\" is undefined" in program.log);
    }
    try {
        new_program (SAXPY, "sm_20").compile (CudaObj.CodeType.CUBIN, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
    try {
        assert (new_program (SAXPY).compile (CudaObj.CodeType.PTX, null) != null);
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_compile_async () {
    var loop = new GLib.MainLoop ();
    var program = new_program (SAXPY);
    CudaObj.ObjectCode? code = null;
    program.compile_async.begin (CudaObj.CodeType.PTX, { "saxpy<double>" }, null, (obj, result) => {
        try {
            code = program.compile_async.end (result);
        } catch (GLib.Error e) {
            assert_no_error (e);
        }
        loop.quit ();
    });
    loop.run ();
    assert (code != null);
    assert (code.get_lowered_name ("saxpy<double>").has_prefix ("_Z"));
}

static void test_cache () {
    try {
        var dir = GLib.DirUtils.make_tmp ("cudaobj-vala-XXXXXX");
        var cache = new CudaObj.CompileCache (dir);
        CudaObj.ObjectCode[] codes = {};
        for (var i = 0; i < 2; i++) {
            var options = new CudaObj.ProgramOptions ();
            options.arch = "sm_90";
            var program = new CudaObj.Program (SAXPY, CudaObj.ProgramCodeType.CXX, options);
            program.cache = cache;
            codes += program.compile (CudaObj.CodeType.CUBIN, { "saxpy<float>" });
        }
        assert (cache.hits == 1 && cache.misses == 1);
        assert (codes[0].get_code ().compare (codes[1].get_code ()) == 0);
        assert (codes[1].get_lowered_name ("saxpy<float>") == codes[0].get_lowered_name ("saxpy<float>"));
        cache.clear ();
        GLib.DirUtils.remove (dir);
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_link () {
    try {
        var main_unit = new_program ("extern __device__ float helper(float);\n"
                                     + "extern \"C\" __global__ void apply(float *x) { x[0] = helper(x[0]); }\n")
            .compile (CudaObj.CodeType.LTOIR, null);
        var helper_unit = new_program ("__device__ float helper(float v) { return v * 3.0f; }\n")
            .compile (CudaObj.CodeType.LTOIR, null);
        var options = new CudaObj.LinkerOptions ();
        options.arch = "sm_90";
        options.link_time_optimization = true;
        options.ptx = true;
        var linker = new CudaObj.Linker (options);
        linker.add (main_unit);
        linker.add (helper_unit);
        var ptx = linker.link ();
        assert (ptx.code_type == CudaObj.CodeType.PTX);
        assert (".entry apply(" in text_of (ptx));

        var lonely = new CudaObj.Linker (null);
        lonely.get_options ().arch = "sm_90";
        lonely.add (main_unit);
        try {
            lonely.link ();
            assert_not_reached ();
        } catch (GLib.Error e) {
            assert (e is CudaObj.Error.LINK);
        }
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/program/options", test_options);
    GLib.Test.add_func ("/vala/program/targets", test_targets);
    GLib.Test.add_func ("/vala/program/name-expressions", test_name_expressions);
    GLib.Test.add_func ("/vala/program/bad-input", test_bad_input);
    GLib.Test.add_func ("/vala/program/compile-async", test_compile_async);
    GLib.Test.add_func ("/vala/program/cache", test_cache);
    GLib.Test.add_func ("/vala/program/link", test_link);
    return GLib.Test.run ();
}
