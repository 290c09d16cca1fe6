// SPDX-License-Identifier: LGPL-2.1-or-later
// vector-add: the whole path from CUDA C++ source to a checked result.
//
// Compiles a kernel with NVRTC for the GPU's own architecture, copies two
// vectors to device memory, adds them there, copies the sum back and checks
// every element. Exits with 77 (a skip for meson) when there is no CUDA
// device, with 1 on any error or wrong result.

const int N = 1 << 20;

// extern "C" keeps the kernel's name unmangled, so it is found as "vector_add".
const string SOURCE = """
extern "C" __global__ void vector_add (const float *a, const float *b, float *c, size_t n)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i < n)
    c[i] = a[i] + b[i];
}
""";

int main () {
    // Device 0; without a driver or a device this is where it stops.
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("vector-add: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        // Compile to CUBIN for exactly this GPU: "sm_" + its arch ("90" on an H100).
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var code = program.compile (CudaObj.CodeType.CUBIN, null);
        var kernel = code.get_kernel ("vector_add");

        // Inputs whose sums are exact in float: a[i] + b[i] == 3 i.
        var a = new float[N];
        var b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
            b[i] = 2.0f * i;
        }

        // Device memory from the device's default (stream-ordered) resource;
        // the allocations, copies and the launch are all ordered on one stream.
        // (uint8[]) views a float array as its bytes.
        var stream = device.create_stream ();
        var a_buffer = device.allocate (N * sizeof (float), stream);
        var b_buffer = device.allocate (N * sizeof (float), stream);
        var c_buffer = device.allocate (N * sizeof (float), stream);
        a_buffer.copy_from_bytes (new GLib.Bytes ((uint8[]) a), 0, stream);
        b_buffer.copy_from_bytes (new GLib.Bytes ((uint8[]) b), 0, stream);

        // One thread per element, 256 per block; the arguments are checked
        // against the kernel's parameters before anything is launched.
        var config = new CudaObj.LaunchConfig.for_size (N, 256);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, a_buffer);
        args.set_buffer (1, b_buffer);
        args.set_buffer (2, c_buffer);
        args.set_uint64 (3, N); // size_t is 64 bits on the device
        CudaObj.launch (stream, config, kernel, args);

        // copy_to_bytes waits for the stream, so the kernel has finished.
        var result = c_buffer.copy_to_bytes (0, -1, stream);
        unowned float[] sum = (float[]) result.get_data ();
        int n_bad = 0;
        for (int i = 0; i < N; i++) {
            if (sum[i] != 3.0f * i && n_bad++ < 5)
                printerr ("vector-add: c[%d] is %g, expected %g\n", i, sum[i], 3.0f * i);
        }
        if (n_bad > 0) {
            printerr ("vector-add: %d of %d elements are wrong\n", n_bad, N);
            return 1;
        }
    } catch (GLib.Error e) {
        // The message says which call failed and why (NVRTC's log for a compile error).
        printerr ("vector-add: %s\n", e.message);
        return 1;
    }

    print ("vector-add: %d elements OK on %s (sm_%s)\n", N, device.name, device.arch);
    return 0;
}
