// SPDX-License-Identifier: LGPL-2.1-or-later
// streams-events: two kernels on two streams, timed with events, and a main
// loop told of their completion by the events' "completed" signal.
//
// Each stream records a timing event, runs its kernel and records a second
// event whose "completed" signal is connected. The signal is emitted in the
// main loop (never on a CUDA driver thread) once the GPU has finished the
// work before the event, so the program sleeps in MainLoop.run () instead of
// blocking on the GPU; the loop quits when both streams are done. Then each
// kernel's GPU time comes from its pair of events, and both results are
// checked. Exits with 77 (a skip for meson) when there is no CUDA device,
// with 1 on any error, wrong result or time-out.

const int N = 1 << 22;
const int ROUNDS = 64;

// Two kernels with results the host can recompute: per element, ROUNDS
// steps of a linear congruential generator, or of xorshift.
const string SOURCE = """
extern "C" __global__ void lcg (unsigned int *out, size_t n, int rounds)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  unsigned int v = (unsigned int) i;
  for (int r = 0; r < rounds; r++)
    v = v * 1664525u + 1013904223u;
  out[i] = v;
}
extern "C" __global__ void xorshift (unsigned int *out, size_t n, int rounds)
{
  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  unsigned int v = (unsigned int) i + 1u;
  for (int r = 0; r < rounds; r++)
    {
      v ^= v << 13;
      v ^= v >> 17;
      v ^= v << 5;
    }
  out[i] = v;
}
""";

uint32 lcg_reference (uint32 i) {
    uint32 v = i;
    for (int r = 0; r < ROUNDS; r++)
        v = v * 1664525U + 1013904223U;
    return v;
}

uint32 xorshift_reference (uint32 i) {
    uint32 v = i + 1;
    for (int r = 0; r < ROUNDS; r++) {
        v ^= v << 13;
        v ^= v >> 17;
        v ^= v << 5;
    }
    return v;
}

delegate uint32 Reference (uint32 i);

// What the main loop waits for.
class Waiter {
    public GLib.MainLoop loop = new GLib.MainLoop ();
    public int pending = 0;
    public bool timed_out = false;
}

// One kernel on its own stream, between two events.
class Job {
    public string kernel_name;
    public Reference reference;
    public CudaObj.Stream stream;
    public CudaObj.Buffer output;
    public CudaObj.Event start_event;
    public CudaObj.Event end_event;

    public Job (string kernel_name, owned Reference reference) {
        this.kernel_name = kernel_name;
        this.reference = (owned) reference;
    }

    // Queues start event, kernel and end event on a new stream; returns at once.
    public void start (CudaObj.Device device, CudaObj.ObjectCode code, Waiter waiter) throws GLib.Error {
        var kernel = code.get_kernel (kernel_name);
        stream = device.create_stream ();
        output = device.allocate (N * sizeof (uint32), stream);

        // record (null) makes and records a new timing event.
        start_event = stream.record (null);

        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, output);
        args.set_uint64 (1, N);
        args.set_int32 (2, ROUNDS);
        CudaObj.launch (stream, new CudaObj.LaunchConfig.for_size (N, 256), kernel, args);

        // Connect before recording: only records made while a handler is
        // connected are reported, in the thread-default main context of the
        // thread that records (here the global default one, which the loop runs).
        end_event = device.create_event ();
        end_event.completed.connect (() => {
            print ("streams-events: %s completed\n", kernel_name);
            if (--waiter.pending == 0)
                waiter.loop.quit ();
        });
        end_event.record (stream);
        waiter.pending++;
    }

    // After completion: the GPU time between the events, and the check.
    // Returns the number of wrong elements.
    public int finish (int index) throws GLib.Error {
        double ms = start_event.elapsed_time (end_event);
        var result = output.copy_to_bytes (0, -1, stream);
        unowned uint32[] values = (uint32[]) result.get_data ();
        int n_bad = 0;
        for (uint32 i = 0; i < N; i++) {
            if (values[i] != reference (i) && n_bad++ < 5)
                printerr ("streams-events: %s: out[%u] is %u, expected %u\n", kernel_name, i, values[i],
                          reference (i));
        }
        if (n_bad == 0)
            print ("streams-events: stream %d: %-8s %d elements OK, %.3f ms on the GPU\n", index, kernel_name,
                   N, ms);
        return n_bad;
    }
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("streams-events: no CUDA device: %s\n", e.message);
        return 77;
    }

    var waiter = new Waiter ();
    Job[] jobs = { new Job ("lcg", lcg_reference), new Job ("xorshift", xorshift_reference) };
    try {
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var code = program.compile (CudaObj.CodeType.CUBIN, null);

        // Both streams get their work at once; neither waits for the other.
        int64 launched = GLib.get_monotonic_time ();
        foreach (var job in jobs)
            job.start (device, code, waiter);

        // Sleep in the main loop until both "completed" signals came; a
        // failed kernel never completes, hence the time-out.
        var timeout_id = GLib.Timeout.add_seconds (60, () => {
            waiter.timed_out = true;
            waiter.loop.quit ();
            return GLib.Source.REMOVE;
        });
        waiter.loop.run ();
        if (waiter.timed_out) {
            printerr ("streams-events: timed out waiting for the GPU\n");
            return 1;
        }
        GLib.Source.remove (timeout_id);
        print ("streams-events: both streams done %.3f ms after the first launch\n",
               (GLib.get_monotonic_time () - launched) / 1000.0);

        for (int i = 0; i < jobs.length; i++) {
            int n_bad = jobs[i].finish (i + 1);
            if (n_bad > 0) {
                printerr ("streams-events: %s: %d of %d elements are wrong\n", jobs[i].kernel_name, n_bad, N);
                return 1;
            }
        }
    } catch (GLib.Error e) {
        printerr ("streams-events: %s\n", e.message);
        return 1;
    }

    print ("streams-events: 2 kernels on 2 streams OK on %s\n", device.name);
    return 0;
}
