// SPDX-License-Identifier: LGPL-2.1-or-later
// graph-replay: a chain of small kernels, launched one by one and then
// replayed as one CUDA graph.
//
// Each of the KERNELS kernels of the chain adds 1 to 1024 ints: so little
// work that the chain costs mostly launch overhead. The chain is first
// launched kernel by kernel, ITERATIONS times. Then the same calls are
// captured once on the stream with a CudaObj.GraphBuilder (they are
// recorded, not run), the recording is instantiated as a CudaObj.Graph and
// uploaded, and the graph is launched ITERATIONS times: one launch per
// chain. Both loops are timed on the host up to the stream being idle
// again, and after each every int must have gained exactly ITERATIONS x
// KERNELS. Last, a second graph records a host callback after the chain:
// the main loop gets it once per replay. Exits with 77 (a skip for meson)
// when there is no CUDA device, with 1 on any error, wrong result or
// time-out.

const int N_INTS = 1024;
const int KERNELS = 20;
const int ITERATIONS = 200;
const int COUNTED_REPLAYS = 5;

const string SOURCE = """
extern "C" __global__ void add_one (int *x, unsigned int n)
{
  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    x[i] += 1;
}
""";

// Enqueues the whole chain: KERNELS launches, each after the previous one.
void enqueue_chain (CudaObj.Stream stream, CudaObj.LaunchConfig config, CudaObj.Kernel kernel,
                    CudaObj.KernelArgs args) throws GLib.Error {
    for (int k = 0; k < KERNELS; k++)
        CudaObj.launch (stream, config, kernel, args);
}

// Waits for the stream and checks that every int of x is expected.
bool check (CudaObj.Buffer x, CudaObj.Stream stream, int expected, string after) throws GLib.Error {
    var bytes = x.copy_to_bytes (0, -1, stream);
    unowned int32[] values = (int32[]) bytes.get_data ();
    int n_bad = 0;
    for (int i = 0; i < N_INTS; i++) {
        if (values[i] != expected && n_bad++ < 5)
            printerr ("graph-replay: after %s, x[%d] is %d, expected %d\n", after, i, values[i], expected);
    }
    if (n_bad > 0)
        printerr ("graph-replay: after %s, %d of %d ints are wrong\n", after, n_bad, N_INTS);
    return n_bad == 0;
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("graph-replay: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var kernel = program.compile (CudaObj.CodeType.CUBIN, null).get_kernel ("add_one");
        var stream = device.create_stream ();
        var x = device.allocate (N_INTS * sizeof (int32), stream);

        // One launch configuration and one set of arguments serve every launch.
        var config = new CudaObj.LaunchConfig.for_size (N_INTS, 256);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, x);
        args.set_uint32 (1, N_INTS);

        // A first chain, not timed, loads the kernel onto the device; then
        // the ints start from 0.
        enqueue_chain (stream, config, kernel, args);
        x.fill (0, 4, 0, N_INTS, stream);
        stream.synchronize ();
        print ("graph-replay: %d iterations of a chain of %d add_one kernels on %d ints, on %s (sm_%s)\n",
               ITERATIONS, KERNELS, N_INTS, device.name, device.arch);

        // 1. Kernel by kernel: ITERATIONS x KERNELS launches.
        int64 start = GLib.get_monotonic_time ();
        for (int i = 0; i < ITERATIONS; i++)
            enqueue_chain (stream, config, kernel, args);
        stream.synchronize ();
        int64 individual_us = GLib.get_monotonic_time () - start;
        if (!check (x, stream, ITERATIONS * KERNELS, "the launches kernel by kernel"))
            return 1;
        print ("graph-replay: kernel by kernel: %5d launches     in %8.3f ms, %6.3f us per kernel\n",
               ITERATIONS * KERNELS, individual_us / 1000.0, (double) individual_us / (ITERATIONS * KERNELS));

        // 2. The same calls, captured once: while the builder captures the
        // stream, each launch becomes a node of its graph instead of
        // running. The graph is then instantiated and uploaded, so that its
        // first launch is as fast as the others.
        start = GLib.get_monotonic_time ();
        var builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        enqueue_chain (stream, config, kernel, args);
        builder.end ();
        var graph = builder.complete (CudaObj.GraphInstantiateFlags.NONE, null);
        graph.upload (stream);
        stream.synchronize ();
        int64 build_us = GLib.get_monotonic_time () - start;
        print ("graph-replay: captured %d launches into a graph of %u nodes, "
               + "instantiated and uploaded in %.3f ms\n",
               KERNELS, (uint) graph.get_node_count (), build_us / 1000.0);

        // ITERATIONS launches of the graph run as many kernels as before.
        start = GLib.get_monotonic_time ();
        for (int i = 0; i < ITERATIONS; i++)
            graph.launch (stream);
        stream.synchronize ();
        int64 graph_us = GLib.get_monotonic_time () - start;
        if (!check (x, stream, 2 * ITERATIONS * KERNELS, "the graph replays"))
            return 1;
        print ("graph-replay: graph replays:   %5d graph launches in %8.3f ms, %6.3f us per kernel\n",
               ITERATIONS, graph_us / 1000.0, (double) graph_us / (ITERATIONS * KERNELS));
        print ("graph-replay: graph replay: %.1fx faster than individual launches\n",
               (double) individual_us / int64.max (graph_us, 1));

        // 3. Host callbacks are recorded too: this graph calls the closure
        // in the main loop each time a replay has finished its chain. The
        // graph keeps the closure as long as it may call it.
        var loop = new GLib.MainLoop ();
        int replays = 0;
        var counted_builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        enqueue_chain (stream, config, kernel, args);
        stream.add_callback (() => {
            replays++;
            print ("graph-replay: host callback: replay %d of %d finished\n", replays, COUNTED_REPLAYS);
            if (replays == COUNTED_REPLAYS)
                loop.quit ();
        });
        counted_builder.end ();
        var counted = counted_builder.complete (CudaObj.GraphInstantiateFlags.NONE, stream);
        for (int i = 0; i < COUNTED_REPLAYS; i++)
            counted.launch (stream);

        // The main loop sleeps until the last replay was counted; a failed
        // kernel never gets there, hence the time-out.
        bool timed_out = false;
        var timeout_id = GLib.Timeout.add_seconds (60, () => {
            timed_out = true;
            loop.quit ();
            return GLib.Source.REMOVE;
        });
        loop.run ();
        if (timed_out) {
            printerr ("graph-replay: timed out after %d of %d replays\n", replays, COUNTED_REPLAYS);
            return 1;
        }
        GLib.Source.remove (timeout_id);
        if (!check (x, stream, (2 * ITERATIONS + COUNTED_REPLAYS) * KERNELS, "the counted replays"))
            return 1;
    } catch (GLib.Error e) {
        // The message says which call failed and why.
        printerr ("graph-replay: %s\n", e.message);
        return 1;
    }

    print ("graph-replay: every int is (2 x %d + %d) x %d = %d: OK on %s\n", ITERATIONS, COUNTED_REPLAYS,
           KERNELS, (2 * ITERATIONS + COUNTED_REPLAYS) * KERNELS, device.name);
    return 0;
}
