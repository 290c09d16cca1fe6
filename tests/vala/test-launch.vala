// SPDX-License-Identifier: LGPL-2.1-or-later
// Compile, launch and check from Vala: the vector-add path and the
// "completed" signal in a main loop.
using CudaObj;

const string SOURCE = """
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}""";

static CudaObj.Device? device_or_skip () {
    try {
        if (CudaObj.Device.get_count () == 0) {
            GLib.Test.skip ("the CUDA driver found no device");
            return null;
        }
        return CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        GLib.Test.skip ("no usable CUDA driver: " + e.message);
        return null;
    }
}

static CudaObj.Kernel compile_vector_add (CudaObj.Device device) throws GLib.Error {
    var options = new CudaObj.ProgramOptions ();
    options.arch = "sm_" + device.arch;
    var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
    return program.compile (CudaObj.CodeType.CUBIN, null).get_kernel ("vector_add");
}

static void test_config_and_args () {
    var config = new CudaObj.LaunchConfig.for_size (1000, 256);
    uint x, y, z;
    config.get_grid (out x, out y, out z);
    assert (x == 4 && y == 1 && z == 1);
    var args = new CudaObj.KernelArgs (2);
    args.set_double (0, 2.5);
    args.set_int8 (1, -1);
    assert (args.get_size (0) == 8 && args.get_size (1) == 1);
}

static void test_vector_add () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var kernel = compile_vector_add (device);
        const int N = 10000;
        var a = new float[N];
        var b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
            b[i] = 2 * i;
        }
        var stream = device.create_stream ();
        var da = device.allocate (N * sizeof (float), stream);
        var db = device.allocate (N * sizeof (float), stream);
        var dc = device.allocate (N * sizeof (float), stream);
        da.copy_from_bytes (new GLib.Bytes ((uint8[]) a), 0, stream);
        db.copy_from_bytes (new GLib.Bytes ((uint8[]) b), 0, stream);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, da);
        args.set_buffer (1, db);
        args.set_buffer (2, dc);
        args.set_uint64 (3, N);
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);
        var result = dc.copy_to_bytes (0, -1, stream);
        unowned float[] out_values = (float[]) result.get_data ();
        for (int i = 0; i < N; i++)
            assert (out_values[i] == 3.0f * i);
        // A wrong argument count is an error, and the library stays usable.
        try {
            CudaObj.launch (stream, new CudaObj.LaunchConfig (1, 32), kernel, new CudaObj.KernelArgs (1));
            assert_not_reached ();
        } catch (CudaObj.Error e) {
            assert (e is CudaObj.Error.INVALID_ARGUMENT);
        }
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);
        stream.synchronize ();
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_completed_signal () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var kernel = compile_vector_add (device);
        var stream = device.create_stream ();
        const int N = 1 << 20;
        var buffer = device.allocate (N * sizeof (float), stream);
        buffer.fill (0, 4, 0, N, stream); // the kernel reads it: defined values
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        for (uint i = 0; i < 3; i++)
            args.set_buffer (i, buffer);
        args.set_uint64 (3, N);
        var event = device.create_event ();
        var loop = new GLib.MainLoop ();
        int completed = 0;
        event.completed.connect (() => {
            completed++;
            loop.quit ();
        });
        var guard = GLib.Timeout.add_seconds (30, () => {
            loop.quit ();
            return GLib.Source.REMOVE;
        });
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);
        event.record (stream);
        loop.run ();
        GLib.Source.remove (guard);
        assert (completed == 1);
        assert (event.query ());
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/launch/config-and-args", test_config_and_args);
    GLib.Test.add_func ("/vala/launch/vector-add", test_vector_add);
    GLib.Test.add_func ("/vala/launch/completed-signal", test_completed_signal);
    return GLib.Test.run ();
}
