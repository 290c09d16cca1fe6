// SPDX-License-Identifier: LGPL-2.1-or-later
// compile-template: compile a C++ template for two types and show what NVRTC
// made of it, without a GPU.
//
// The name expressions "scale<float>" and "scale<double>" make NVRTC
// instantiate the template and record each instantiation's mangled
// ("lowered") name; the PTX has one .entry per instantiation under those
// names. The architecture is the first argument (default sm_90); leave arch
// unset to compile for device 0.
using CudaObj;

const string SOURCE = """
template <typename T>
__global__ void scale(T *data, T factor, unsigned n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        data[i] *= factor;
}
""";

int main (string[] args) {
    string[] name_expressions = { "scale<float>", "scale<double>" };
    var options = new CudaObj.ProgramOptions ();
    options.arch = args.length > 1 ? args[1] : "sm_90";
    options.std = "c++17";
    try {
        print ("NVRTC options: %s\n", string.joinv (" ", options.to_argv ()));
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var ptx = program.compile (CudaObj.CodeType.PTX, name_expressions);

        foreach (var name in name_expressions)
            print ("%-14s -> %s\n", name, ptx.get_lowered_name (name));
        unowned uint8[] data = ptx.get_code ().get_data ();
        var text = ((string) data).dup ();
        print ("PTX entries:\n");
        foreach (var line in text.split ("\n")) {
            if (".entry " in line)
                print ("  %s\n", line.strip ());
        }
    } catch (GLib.Error e) {
        printerr ("compile-template: %s\n", e.message);
        return 1;
    }
    return 0;
}
