// SPDX-License-Identifier: LGPL-2.1-or-later
// conditional-loop: iterate a kernel until a residual falls below a
// tolerance, decided on the GPU by a while node of a CUDA graph.
//
// The kernel halves a residual and counts its steps; it sets the graph's
// condition to 0 once the residual is below the tolerance. The kernel is
// captured into the body of builder.while_loop (condition), so one launch
// of the graph runs as many steps as the data needs, with no round trip to
// the host between them. The graph runs twice: from 1.0 (20 halvings below
// 1e-6) and from 1024.0 (30 halvings). Exits with 77 (a skip for meson)
// when there is no CUDA device, with 1 on any error or wrong result.

const float TOLERANCE = 1e-6f;

// cudaGraphSetConditional () comes from the toolkit's device runtime
// header, which Program finds in the toolkit's include directory.
const string SOURCE = """
#include <cuda_device_runtime_api.h>
extern "C" __global__ void halve (float *residual, unsigned int *steps, float tolerance,
                                  cudaGraphConditionalHandle again)
{
  if (blockIdx.x == 0 && threadIdx.x == 0)
    {
      *residual *= 0.5f;
      *steps += 1;
      cudaGraphSetConditional (again, *residual >= tolerance);
    }
}
""";

// Starts the residual at start, runs the graph once and checks the result.
bool solve (CudaObj.Graph graph, CudaObj.Stream stream, CudaObj.Buffer residual, CudaObj.Buffer steps,
            float start, uint expected_steps) throws GLib.Error {
    // The float's 32 bits, as the fill pattern.
    uint32 start_bits = *((uint32*) (&start));
    residual.fill (start_bits, 4, 0, 1, stream);
    steps.fill (0, 4, 0, 1, stream);
    graph.launch (stream);
    float result = ((float[]) residual.copy_to_bytes (0, 4, stream).get_data ())[0];
    uint32 n_steps = ((uint32[]) steps.copy_to_bytes (0, 4, stream).get_data ())[0];
    print ("conditional-loop: from %g: %u steps on the GPU, residual %g (tolerance %g)\n",
           start, n_steps, result, TOLERANCE);
    if (n_steps != expected_steps || result >= TOLERANCE || result < TOLERANCE / 2) {
        printerr ("conditional-loop: expected %u steps and a residual in [%g, %g)\n",
                  expected_steps, TOLERANCE / 2, TOLERANCE);
        return false;
    }
    return true;
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("conditional-loop: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var kernel = program.compile (CudaObj.CodeType.CUBIN, null).get_kernel ("halve");
        var stream = device.create_stream ();
        var residual = device.allocate (4, stream);
        var steps = device.allocate (4, stream);

        // Capture: a while node whose condition starts at 1 at every launch,
        // and the kernel as its body, launched on the body builder's stream.
        var builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        var again = builder.create_condition (1, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT);
        var body = builder.while_loop (again);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_buffer (0, residual);
        args.set_buffer (1, steps);
        args.set_float (2, TOLERANCE);
        args.set_condition (3, again);
        CudaObj.launch (body.stream, new CudaObj.LaunchConfig (1, 1), kernel, args);
        body.end ();
        builder.end ();
        var graph = builder.complete (CudaObj.GraphInstantiateFlags.NONE, stream);

        print ("conditional-loop: a while loop in a graph on %s (sm_%s)\n", device.name, device.arch);
        // 2^-20 < 1e-6 <= 2^-19, and 1024 = 2^10.
        if (!solve (graph, stream, residual, steps, 1.0f, 20) || !solve (graph, stream, residual, steps, 1024.0f, 30))
            return 1;
    } catch (GLib.Error e) {
        printerr ("conditional-loop: %s\n", e.message);
        return 1;
    }
    return 0;
}
