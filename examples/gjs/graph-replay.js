// SPDX-License-Identifier: LGPL-2.1-or-later
// graph-replay: what a CUDA graph saves when many small kernels run in a
// chain, from GJS (run with `gjs -m graph-replay.js`).
//
// A chain of KERNELS tiny kernels, each adding 1 to every element of a
// buffer of 1024 ints, is first launched kernel by kernel ITERATIONS times,
// then captured once into a graph (a GraphBuilder on the stream), completed,
// uploaded and replayed ITERATIONS times. Both runs are timed on the host
// clock, from the first submission until the stream is done, and each must
// leave exactly ITERATIONS * KERNELS in every element.
//
// Exit status: 0 when both runs leave the right values, 1 when one does
// not, 77 (skip) when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
extern "C" __global__ void add_one(int *x, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        x[i] += 1;
}
`;

const N = 1024;          // ints in the buffer
const KERNELS = 20;      // kernels in the chain
const ITERATIONS = 200;  // runs of the chain, individually and as graph replays

// The buffer must hold ITERATIONS * KERNELS everywhere; exits 1 if not.
function check(buffer, stream, what) {
    const data = buffer.copy_to_bytes(0, -1, stream).toArray();
    const values = new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    const expected = ITERATIONS * KERNELS;
    let wrong = 0, first = -1;
    for (let i = 0; i < N; i++) {
        if (values[i] !== expected && wrong++ === 0)
            first = i;
    }
    if (wrong > 0) {
        printerr(`graph-replay: after the ${what}, ${wrong} of ${N} elements wrong, ` +
            `first x[${first}] = ${values[first]}, expected ${expected}`);
        System.exit(1);
    }
}

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`graph-replay: no CUDA device: ${e.message}`);
    System.exit(77);
}

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
const kernel = program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('add_one');

const stream = device.create_stream();
const buffer = device.allocate(N * 4, stream);
const config = CudaObj.LaunchConfig.new_for_size(N, 256);

// The arguments are prepared once and every launch reuses them, so that the
// individual launches cost only their submission (what a graph saves), not
// the setting of arguments at each call.
const args = CudaObj.KernelArgs.new_for_kernel(kernel);
args.set_buffer(0, buffer);
args.set_int32(1, N);

print(`graph-replay: a chain of ${KERNELS} kernels on ${N} ints, run ${ITERATIONS} times, ` +
    `on ${device.name} (sm_${device.arch})`);

// 1. Kernel by kernel. One untimed round first loads the kernel onto the
// device, then the buffer starts again from zero.
for (let k = 0; k < KERNELS; k++)
    CudaObj.launch(stream, config, kernel, args);
buffer.fill(0, 4, 0, N, stream);
stream.synchronize();
let start = GLib.get_monotonic_time();
for (let i = 0; i < ITERATIONS; i++) {
    for (let k = 0; k < KERNELS; k++)
        CudaObj.launch(stream, config, kernel, args);
}
stream.synchronize();
const individualUs = GLib.get_monotonic_time() - start;
check(buffer, stream, 'individual launches');

// 2. The same chain captured once: while the builder captures, the
// launches are recorded into it, not run.
const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
try {
    for (let k = 0; k < KERNELS; k++)
        CudaObj.launch(stream, config, kernel, args);
    builder.end();
} finally {
    if (builder.capturing)
        builder.abort();
}
const graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, null);
const nodes = graph.get_node_count();
if (nodes !== KERNELS) {
    printerr(`graph-replay: the graph has ${nodes} nodes, expected ${KERNELS}`);
    System.exit(1);
}
// Uploading prepares the device for the graph ahead of its first launch;
// one untimed replay more, then the buffer starts again from zero.
graph.upload(stream);
graph.launch(stream);
buffer.fill(0, 4, 0, N, stream);
stream.synchronize();
start = GLib.get_monotonic_time();
for (let i = 0; i < ITERATIONS; i++)
    graph.launch(stream);
stream.synchronize();
const replayUs = GLib.get_monotonic_time() - start;
check(buffer, stream, 'graph replays');

buffer.close(stream);
stream.close();

// A run's line: how many launches took how long, and the cost per kernel.
const launches = ITERATIONS * KERNELS;
const timing = (count, us) => `${String(count).padStart(5)} launches in ` +
    `${(us / 1e3).toFixed(3).padStart(8)} ms, ${(us / launches).toFixed(2).padStart(6)} us per kernel`;
print(`graph-replay: individual launches: ${timing(launches, individualUs)}`);
print(`graph-replay: graph replay:        ${timing(ITERATIONS, replayUs)} (${nodes} nodes each)`);
print(`graph-replay: every element is ${ITERATIONS * KERNELS} after each run: correct`);
// The monotonic clock counts whole microseconds; neither time is taken as 0.
const [individual, replay] = [Math.max(individualUs, 1), Math.max(replayUs, 1)];
if (replay <= individual)
    print(`graph replay: ${(individual / replay).toFixed(1)}x faster than individual launches`);
else
    print(`graph replay: ${(replay / individual).toFixed(1)}x slower than individual launches`);
