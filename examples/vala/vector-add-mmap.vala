// SPDX-License-Identifier: LGPL-2.1-or-later
// vector-add-mmap: vector addition in memory from CUDA's virtual memory API.
//
// CUDA's vectorAddMMAP sample in Vala: the three vectors come from a
// VirtualMemoryResource on device 0 (reserved address ranges with physical
// memory mapped into them), readable and writable by every other device
// that can reach device 0's memory as a peer. Device 0 adds them and the sum
// is checked. Exits with 77 (a skip for meson) when there is no CUDA device
// or it has no virtual memory management, with 1 on any error or wrong result.

const int N = 50000;

const string SOURCE = """
extern "C" __global__ void vector_add (const float *a, const float *b, float *c, size_t n)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i < n)
    c[i] = a[i] + b[i];
}
""";

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
        if (device.get_attribute (CudaObj.DeviceAttribute.VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED) == 0) {
            printerr ("vector-add-mmap: device 0 has no virtual memory management\n");
            return 77;
        }
    } catch (GLib.Error e) {
        printerr ("vector-add-mmap: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        // The memory lives on device 0; every device that can reach it as a
        // peer may read and write it.
        var resource = new CudaObj.VirtualMemoryResource (device, CudaObj.VirtualMemoryGranularity.RECOMMENDED,
                                                          CudaObj.VirtualMemoryHandleType.NONE);
        var devices = CudaObj.Device.get_all ();
        int n_peers = 0;
        for (uint i = 1; i < devices.length; i++) {
            if (devices[i].can_access_peer (device)) {
                resource.set_access (devices[i], CudaObj.VirtualMemoryAccess.READ_WRITE);
                n_peers++;
            }
        }

        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var kernel = program.compile (CudaObj.CodeType.CUBIN, null).get_kernel ("vector_add");

        var a = new float[N];
        var b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
            b[i] = 2.0f * i;
        }

        // Allocation is synchronous; each buffer is rounded up to the granularity.
        var a_buffer = resource.allocate (N * sizeof (float), null);
        var b_buffer = resource.allocate (N * sizeof (float), null);
        var c_buffer = resource.allocate (N * sizeof (float), null);
        var stream = device.create_stream ();
        a_buffer.copy_from_bytes (new GLib.Bytes ((uint8[]) a), 0, stream);
        b_buffer.copy_from_bytes (new GLib.Bytes ((uint8[]) b), 0, stream);

        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, a_buffer);
        args.set_buffer (1, b_buffer);
        args.set_buffer (2, c_buffer);
        args.set_uint64 (3, N);
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);

        var result = c_buffer.copy_to_bytes (0, N * (ssize_t) sizeof (float), stream);
        unowned float[] sum = (float[]) result.get_data ();
        int n_bad = 0;
        for (int i = 0; i < N; i++) {
            if (sum[i] != 3.0f * i && n_bad++ < 5)
                printerr ("vector-add-mmap: c[%d] is %g, expected %g\n", i, sum[i], 3.0f * i);
        }
        if (n_bad > 0) {
            printerr ("vector-add-mmap: %d of %d elements are wrong\n", n_bad, N);
            return 1;
        }
        var size = c_buffer.size;
        // Closing unmaps the memory once the stream has finished with it.
        a_buffer.close (stream);
        b_buffer.close (stream);
        c_buffer.close (stream);
        print ("vector-add-mmap: %d elements OK on %s; buffers of %" + uint64.FORMAT + " bytes (granularity %"
               + uint64.FORMAT + "), %d peer device(s) with access\n",
               N, device.name, size, resource.granularity, n_peers);
    } catch (GLib.Error e) {
        printerr ("vector-add-mmap: %s\n", e.message);
        return 1;
    }
    return 0;
}
