// SPDX-License-Identifier: LGPL-2.1-or-later
// multi-gpu-vector-add: one vector add, split across every GPU present.
//
// Each device gets a contiguous slice of the vectors and its own stream.
// The kernel is compiled once per distinct architecture among the devices:
// a CudaObj.Kernel is independent of devices, so the one compiled for sm_90
// launches on every sm_90 device. All the work is queued before anything
// waits: each stream copies its slice of the inputs in, adds, and copies its
// slice of the sum into one result buffer on device 0. Between two devices
// that copy is a peer copy: direct where peer access to device 0 is enabled
// (below, wherever the devices allow it), staged through the host
// otherwise. Device 0's stream then waits for every other stream, the sum is
// copied to the host and every element checked; events on each stream time
// its steps. One device is a valid case. Exits with 77 (a skip for meson)
// when there is no CUDA device, with 1 on any error or wrong result.

// Odd on purpose: the slices of several devices differ by one element.
const int N = (1 << 24) + 7;

const string SOURCE = """
extern "C" __global__ void vector_add (const float *a, const float *b, float *c, size_t n)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i < n)
    c[i] = a[i] + b[i];
}
""";

// Inputs whose sums are exact in float: a[i] + b[i] == 3 a[i].
float a_at (int i) {
    return i % 4096;
}

// One device's part of the work: the elements [first, first + count).
class Slice {
    public CudaObj.Device device;
    public int first;
    public int count;
    public CudaObj.Stream stream;
    public CudaObj.Buffer a;
    public CudaObj.Buffer b;
    public CudaObj.Buffer c;
    // start, inputs copied in, added, gathered on device 0
    public CudaObj.Event[] events = new CudaObj.Event[4];

    // Makes the slice's stream and allocates its memory on its device:
    // cuMemAlloc memory, which peer access covers (memory from a
    // stream-ordered pool has an access list of its own instead).
    public Slice (CudaObj.Device device, int first, int count) throws GLib.Error {
        this.device = device;
        this.first = first;
        this.count = count;
        size_t bytes = count * sizeof (float);
        stream = device.create_stream ();
        var memory = new CudaObj.SyncMemoryResource (device);
        a = memory.allocate (bytes, stream);
        b = memory.allocate (bytes, stream);
        c = memory.allocate (bytes, stream);
    }

    // Queues the slice's whole part of the work on its stream, between
    // timing events: its inputs copied in, the add, and its part of the sum
    // copied into device 0's result at the slice's offset. Waits for nothing
    // (from pageable host memory the driver only stages the inputs before
    // the copy calls return).
    public void start (CudaObj.Kernel kernel, GLib.Bytes a_bytes, GLib.Bytes b_bytes,
                       CudaObj.Buffer result) throws GLib.Error {
        size_t offset = first * sizeof (float);
        size_t bytes = count * sizeof (float);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, a);
        args.set_buffer (1, b);
        args.set_buffer (2, c);
        args.set_uint64 (3, count);

        events[0] = stream.record (null);
        a.copy_from_bytes (new GLib.Bytes.from_bytes (a_bytes, offset, bytes), 0, stream);
        b.copy_from_bytes (new GLib.Bytes.from_bytes (b_bytes, offset, bytes), 0, stream);
        events[1] = stream.record (null);
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (count, 256), kernel, args);
        events[2] = stream.record (null);
        c.copy_to (result, 0, offset, bytes, stream);
        events[3] = stream.record (null);
    }
}

// Prints which devices each device can access as a peer, and enables peer
// access from every other device to device 0, which the gathering copies
// write to.
void set_up_peer_access (GLib.GenericArray<weak CudaObj.Device> devices) throws GLib.Error {
    for (int i = 0; i < devices.length; i++) {
        var peers = new GLib.StringBuilder ();
        for (int j = 0; j < devices.length; j++) {
            if (i != j && devices[i].can_access_peer (devices[j]))
                peers.append_printf (" %d", j);
        }
        print ("multi-gpu-vector-add: device %d: %s (sm_%s), peer access to:%s\n", i, devices[i].name,
               devices[i].arch, peers.len > 0 ? peers.str : " none");
    }
    for (int i = 1; i < devices.length; i++) {
        if (devices[i].can_access_peer (devices[0])) {
            devices[i].enable_peer_access (devices[0]);
            print ("multi-gpu-vector-add: peer access %d -> 0 enabled: direct copies\n", i);
        } else {
            print ("multi-gpu-vector-add: no peer access %d -> 0: copies staged through the host\n", i);
        }
    }
}

int main () {
    // Every device, in ordinal order; none (or no driver) is a skip.
    GLib.GenericArray<weak CudaObj.Device> devices;
    try {
        devices = CudaObj.Device.get_all ();
    } catch (GLib.Error e) {
        printerr ("multi-gpu-vector-add: no CUDA device: %s\n", e.message);
        return 77;
    }
    if (devices.length == 0) {
        printerr ("multi-gpu-vector-add: no CUDA device: the CUDA driver found none\n");
        return 77;
    }

    try {
        set_up_peer_access (devices);

        // One compile per distinct architecture.
        var kernels = new GLib.HashTable<string, CudaObj.Kernel> (GLib.str_hash, GLib.str_equal);
        foreach (unowned CudaObj.Device device in devices) {
            if (device.arch in kernels)
                continue;
            var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
            var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
            var code = program.compile (CudaObj.CodeType.CUBIN, null);
            kernels[device.arch] = code.get_kernel ("vector_add");
            print ("multi-gpu-vector-add: compiled vector_add for sm_%s\n", device.arch);
        }

        var a = new float[N];
        var b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = a_at (i);
            b[i] = 2.0f * a_at (i);
        }
        var a_bytes = new GLib.Bytes ((uint8[]) a);
        var b_bytes = new GLib.Bytes ((uint8[]) b);

        // The whole sum goes to device 0.
        var result = new CudaObj.SyncMemoryResource (devices[0]).allocate (N * sizeof (float), null);

        // Device k takes the elements [N k / K, N (k + 1) / K), on its own
        // stream and in its own memory.
        Slice[] slices = {};
        for (int k = 0; k < devices.length; k++) {
            int first = (int) ((int64) N * k / devices.length);
            int end = (int) ((int64) N * (k + 1) / devices.length);
            slices += new Slice (devices[k], first, end - first);
        }

        // Everything is queued, one device after the other, with no wait in
        // between: the devices work at the same time.
        int64 launched = GLib.get_monotonic_time ();
        foreach (var slice in slices)
            slice.start (kernels[slice.device.arch], a_bytes, b_bytes, result);
        int64 queued_us = GLib.get_monotonic_time () - launched;

        // Device 0's stream waits (on the GPU, not here) for every other
        // stream, so once it is idle the whole sum is in place;
        // copy_to_bytes waits for exactly that.
        var gather_stream = slices[0].stream;
        for (int k = 1; k < slices.length; k++)
            gather_stream.wait_stream (slices[k].stream);
        var sum_bytes = result.copy_to_bytes (0, -1, gather_stream);
        int64 done_us = GLib.get_monotonic_time () - launched;

        unowned float[] sum = (float[]) sum_bytes.get_data ();
        int n_bad = 0;
        for (int i = 0; i < N; i++) {
            if (sum[i] != 3.0f * a_at (i) && n_bad++ < 5)
                printerr ("multi-gpu-vector-add: c[%d] is %g, expected %g\n", i, sum[i], 3.0f * a_at (i));
        }
        if (n_bad > 0) {
            printerr ("multi-gpu-vector-add: %d of %d elements are wrong\n", n_bad, N);
            return 1;
        }

        // Every stream's events have completed: device 0's stream waited for them.
        for (int k = 0; k < slices.length; k++) {
            unowned Slice slice = slices[k];
            print ("multi-gpu-vector-add: device %d: elements [%d, %d): "
                   + "copy in %.3f ms, add %.3f ms, copy to device 0 %.3f ms\n",
                   k, slice.first, slice.first + slice.count,
                   slice.events[0].elapsed_time (slice.events[1]),
                   slice.events[1].elapsed_time (slice.events[2]),
                   slice.events[2].elapsed_time (slice.events[3]));
        }
        print ("multi-gpu-vector-add: all queued in %.3f ms, the sum on the host after %.3f ms\n",
               queued_us / 1000.0, done_us / 1000.0);
    } catch (GLib.Error e) {
        // The message says which call failed and why.
        printerr ("multi-gpu-vector-add: %s\n", e.message);
        return 1;
    }

    print ("multi-gpu-vector-add: %d elements over %d device(s) OK\n", N, devices.length);
    return 0;
}
