// SPDX-License-Identifier: LGPL-2.1-or-later
// saxpy: one C++ template, two instantiations, found by name expression.
//
// NVRTC instantiates saxpy<float> and saxpy<double> because they are given
// as name expressions, and records the mangled ("lowered") name each became;
// get_kernel () then finds each kernel by its C++ name. Both run over the
// same values, y = a x + y, and every element is checked. Exits with 77
// (a skip for meson) when there is no CUDA device, with 1 on any error or
// wrong result.

const int N = 1 << 20;
const double A = 2.5;

const string SOURCE = """
template <typename T>
__global__ void saxpy (T a, const T *x, T *y, size_t n)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}
""";

// The inputs, and the expected result: all exact in float and in double.
double x_at (int i) {
    return i % 1024;
}

double y_at (int i) {
    return i % 7;
}

// A host vector of floats or doubles as bytes, copied into new device memory.
CudaObj.Buffer upload (CudaObj.Stream stream, bool is_double, bool is_x) throws GLib.Error {
    GLib.Bytes bytes;
    if (is_double) {
        var values = new double[N];
        for (int i = 0; i < N; i++)
            values[i] = is_x ? x_at (i) : y_at (i);
        bytes = new GLib.Bytes ((uint8[]) values);
    } else {
        var values = new float[N];
        for (int i = 0; i < N; i++)
            values[i] = (float) (is_x ? x_at (i) : y_at (i));
        bytes = new GLib.Bytes ((uint8[]) values);
    }
    var buffer = stream.device.allocate (bytes.get_size (), stream);
    buffer.copy_from_bytes (bytes, 0, stream);
    return buffer;
}

// Runs one instantiation and checks its result; returns the number of wrong elements.
int run_saxpy (CudaObj.ObjectCode code, CudaObj.Stream stream, string name_expression,
               bool is_double) throws GLib.Error {
    // The name expression finds the instantiation.
    var kernel = code.get_kernel (name_expression);
    var x = upload (stream, is_double, true);
    var y = upload (stream, is_double, false);

    // The scalar must match the kernel's T: 4 bytes for float, 8 for double
    // (a mismatch is an error from launch (), not a crash).
    var args = new CudaObj.KernelArgs.for_kernel (kernel);
    if (is_double)
        args.set_double (0, A);
    else
        args.set_float (0, (float) A);
    args.set_buffer (1, x);
    args.set_buffer (2, y);
    args.set_uint64 (3, N);
    CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);

    // Waits for the stream, then checks every element.
    var result = y.copy_to_bytes (0, -1, stream);
    unowned double[] doubles = (double[]) result.get_data ();
    unowned float[] floats = (float[]) result.get_data ();
    int n_bad = 0;
    for (int i = 0; i < N; i++) {
        double got = is_double ? doubles[i] : floats[i];
        double expected = A * x_at (i) + y_at (i);
        if (got != expected && n_bad++ < 5)
            printerr ("saxpy: %s: y[%d] is %g, expected %g\n", name_expression, i, got, expected);
    }
    return n_bad;
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("saxpy: no CUDA device: %s\n", e.message);
        return 77;
    }

    string[] name_expressions = { "saxpy<float>", "saxpy<double>" };
    try {
        // One compile makes both instantiations.
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var code = program.compile (CudaObj.CodeType.CUBIN, name_expressions);
        var stream = device.create_stream ();

        foreach (var name_expression in name_expressions) {
            int n_bad = run_saxpy (code, stream, name_expression, name_expression == "saxpy<double>");
            if (n_bad > 0) {
                printerr ("saxpy: %s: %d of %d elements are wrong\n", name_expression, n_bad, N);
                return 1;
            }
            // The symbol NVRTC gave the instantiation, as the driver knows it.
            print ("saxpy: %-14s -> %-26s %d elements OK\n", name_expression,
                   code.get_lowered_name (name_expression), N);
        }
    } catch (GLib.Error e) {
        printerr ("saxpy: %s\n", e.message);
        return 1;
    }

    print ("saxpy: float and double OK on %s (sm_%s)\n", device.name, device.arch);
    return 0;
}
