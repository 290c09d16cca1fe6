// SPDX-License-Identifier: LGPL-2.1-or-later
// memory-resources: the same kernel over memory from each kind of resource.
//
// A CudaObj.MemoryResource hands out CudaObj.Buffers. This example takes one
// buffer from each of libcudaobj's resources: the device's default
// stream-ordered pool, page-locked (pinned) host memory (legacy, and from a
// pool where the driver has host pools), unified (managed) memory and plain
// synchronous cuMemAlloc memory. Host-accessible buffers
// are written and read directly through their address; the others are
// filled and read with copies. The kernel runs over each, every element is
// checked, and a copy from each buffer into device memory is timed with
// events. Exits with 77 (a skip for meson) when there is no CUDA device,
// with 1 on any error or wrong result.

const int N = 1 << 22;
const size_t BYTES = N * sizeof (float);

const string SOURCE = """
extern "C" __global__ void scale_add (float *x, float a, float b, size_t n)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i < n)
    x[i] = a * x[i] + b;
}
""";

// Input and expected output, exact in float.
float input_at (int i) {
    return i % 1000;
}

float expected_at (int i) {
    return 2.0f * input_at (i) + 1.0f;
}

// Fills a buffer from one resource, runs the kernel over it, times a copy
// of it into scratch (device memory) and checks the result. Returns the
// number of wrong elements.
int run_on_resource (string label, CudaObj.MemoryResource resource, CudaObj.Kernel kernel,
                     CudaObj.Stream stream, CudaObj.Buffer scratch) throws GLib.Error {
    var buffer = resource.allocate (BYTES, stream);

    // Pinned and managed memory live at one address for host and device:
    // write the input straight through it, once the stream has reached the
    // allocation (pools allocate in stream order). Device memory needs a copy.
    bool host_accessible = buffer.is_host_accessible;
    if (host_accessible) {
        stream.synchronize ();
        float* host = (float*) (uintptr) buffer.handle;
        for (int i = 0; i < N; i++)
            host[i] = input_at (i);
    } else {
        var input = new float[N];
        for (int i = 0; i < N; i++)
            input[i] = input_at (i);
        buffer.copy_from_bytes (new GLib.Bytes ((uint8[]) input), 0, stream);
    }

    // The kernel is the same whatever the memory: x = 2 x + 1.
    var args = new CudaObj.KernelArgs.for_kernel (kernel);
    args.set_buffer (0, buffer);
    args.set_float (1, 2.0f);
    args.set_float (2, 1.0f);
    args.set_uint64 (3, N);
    CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);

    // A copy into device memory, between two timing events; then wait until
    // the stream is idle (which also completes the end event).
    var start = stream.record (null);
    buffer.copy_to (scratch, 0, 0, BYTES, stream);
    var end = stream.record (null);
    stream.synchronize ();
    double ms = start.elapsed_time (end);

    // No work is running now, so the host may read what the kernel wrote:
    // host-accessible memory in place, the rest through a copy.
    GLib.Bytes? result = null;
    float* output;
    if (host_accessible) {
        output = (float*) (uintptr) buffer.handle;
    } else {
        result = buffer.copy_to_bytes (0, -1, stream);
        output = (float*) result.get_data ();
    }
    int n_bad = 0;
    for (int i = 0; i < N; i++) {
        if (output[i] != expected_at (i) && n_bad++ < 5)
            printerr ("memory-resources: %s: x[%d] is %g, expected %g\n", label, i, output[i],
                      expected_at (i));
    }
    if (n_bad == 0)
        print ("memory-resources: %-8s %-29s %-15s %d floats OK; "
               + "%u MiB copy to device memory %.3f ms (%.1f GB/s)\n",
               label, resource.get_type ().name (), host_accessible ? "host-accessible" : "device-only", N,
               (uint) (BYTES >> 20), ms, BYTES / (ms * 1e6));

    // Give the memory back in stream order (dropping the last reference
    // would too, on the legacy default stream).
    buffer.close (stream);
    return n_bad;
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("memory-resources: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var code = program.compile (CudaObj.CodeType.CUBIN, null);
        var kernel = code.get_kernel ("scale_add");
        var stream = device.create_stream ();
        var scratch = device.allocate (BYTES, stream);

        // The device's default resource: its stream-ordered memory pool (or
        // cuMemAlloc memory on a device without pools). The others are made here.
        string[] labels = { "default", "legacy pinned", "managed", "sync" };
        CudaObj.MemoryResource[] resources = {
            device.get_memory_resource (),
            new CudaObj.LegacyPinnedMemoryResource (device),
            new CudaObj.ManagedMemoryResource (device),
            new CudaObj.SyncMemoryResource (device)
        };
        // Pools of pinned host memory need a CUDA 12.6 driver: without one,
        // the legacy resource above is the pinned memory there is.
        try {
            resources += new CudaObj.PinnedMemoryResource (device, -1);
            labels += "pinned pool";
        } catch (CudaObj.Error.NOT_SUPPORTED e) {
            print ("memory-resources: no pinned pool: %s\n", e.message);
        }
        for (int i = 0; i < resources.length; i++) {
            int n_bad = run_on_resource (labels[i], resources[i], kernel, stream, scratch);
            if (n_bad > 0) {
                printerr ("memory-resources: %s: %d of %d elements are wrong\n", labels[i], n_bad, N);
                return 1;
            }
        }
        print ("memory-resources: %d resources OK on %s\n", resources.length, device.name);
    } catch (GLib.Error e) {
        printerr ("memory-resources: %s\n", e.message);
        return 1;
    }
    return 0;
}
