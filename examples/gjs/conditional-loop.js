// SPDX-License-Identifier: LGPL-2.1-or-later
// conditional-loop: iterate a kernel until a residual falls below a
// tolerance, decided on the GPU by a while node of a CUDA graph, from GJS
// (run with `gjs -m conditional-loop.js`).
//
// The kernel halves a residual and counts its steps; it sets the graph's
// condition to 0 once the residual is below the tolerance. The kernel is
// captured into the body of builder.while_loop(condition), so one launch of
// the graph runs as many steps as the data needs, with no round trip to the
// host between them. The graph runs twice: from 1.0 (20 halvings below
// 1e-6) and from 1024.0 (30 halvings).
//
// Exit status: 0 when both runs give the right result, 1 when one does
// not, 77 (skip) when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

// cudaGraphSetConditional() comes from the toolkit's device runtime header,
// which Program finds in the toolkit's include directory.
const SOURCE = `
#include <cuda_device_runtime_api.h>
extern "C" __global__ void halve(float *residual, unsigned int *steps, float tolerance,
                                 cudaGraphConditionalHandle again)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        *residual *= 0.5f;
        *steps += 1;
        cudaGraphSetConditional(again, *residual >= tolerance);
    }
}
`;

const TOLERANCE = 1e-6;

function readFirst(buffer, stream, ArrayType) {
    const data = buffer.copy_to_bytes(0, 4, stream).toArray();
    return new ArrayType(data.buffer.slice(data.byteOffset, data.byteOffset + 4))[0];
}

// Starts the residual at start, runs the graph once and checks the result.
function solve(graph, stream, residual, steps, start, expectedSteps) {
    residual.copy_from_bytes(new GLib.Bytes(new Uint8Array(new Float32Array([start]).buffer)), 0, stream);
    steps.fill(0, 4, 0, 1, stream);
    graph.launch(stream);
    const result = readFirst(residual, stream, Float32Array);
    const nSteps = readFirst(steps, stream, Uint32Array);
    print(`conditional-loop: from ${start}: ${nSteps} steps on the GPU, residual ${result} ` +
        `(tolerance ${TOLERANCE})`);
    if (nSteps !== expectedSteps || result >= TOLERANCE || result < TOLERANCE / 2) {
        printerr(`conditional-loop: expected ${expectedSteps} steps and a residual in ` +
            `[${TOLERANCE / 2}, ${TOLERANCE})`);
        System.exit(1);
    }
}

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`conditional-loop: no CUDA device: ${e.message}`);
    System.exit(77);
}

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
const kernel = program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('halve');
const stream = device.create_stream();
const residual = device.allocate(4, stream);
const steps = device.allocate(4, stream);

// Capture: a while node whose condition starts at 1 at every launch, and the
// kernel as its body, launched on the body builder's stream.
const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
const again = builder.create_condition(1, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT);
const body = builder.while_loop(again);
const args = CudaObj.KernelArgs.new_for_kernel(kernel);
args.set_buffer(0, residual);
args.set_buffer(1, steps);
args.set_float(2, TOLERANCE);
args.set_condition(3, again);
CudaObj.launch(body.stream, CudaObj.LaunchConfig.new(1, 1), kernel, args);
body.end();
builder.end();
const graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, stream);

print(`conditional-loop: a while loop in a graph on ${device.name} (sm_${device.arch})`);
// 2^-20 < 1e-6 <= 2^-19, and 1024 = 2^10.
solve(graph, stream, residual, steps, 1.0, 20);
solve(graph, stream, residual, steps, 1024.0, 30);
