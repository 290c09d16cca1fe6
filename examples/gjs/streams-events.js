// SPDX-License-Identifier: LGPL-2.1-or-later
// streams-events: two kernels on two streams, timed with events, and told of
// their completion by the Event "completed" signal in a GLib main loop
// (run with `gjs -m streams-events.js`).
//
// Nothing here blocks while the GPU works: the main loop stays free (for a
// GTK window, say) until both streams' end events report completion; then
// each stream's kernel time is read from its pair of events.
//
// Exit status: 0 when both results are right, 1 when one is not (or the GPU
// never reports), 77 (skip) when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

// Two independent kernels on 32-bit integers, whose results the host can
// reproduce exactly: rounds of a linear congruential step and of xorshift.
const SOURCE = `
extern "C" __global__ void lcg(unsigned int *x, int rounds, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned int v = x[i];
        for (int r = 0; r < rounds; r++)
            v = v * 1664525u + 1013904223u;
        x[i] = v;
    }
}

extern "C" __global__ void xorshift(unsigned int *x, int rounds, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned int v = x[i];
        for (int r = 0; r < rounds; r++) {
            v ^= v << 13;
            v ^= v >> 17;
            v ^= v << 5;
        }
        x[i] = v;
    }
}
`;

const N = 1 << 20;
const ROUNDS = 64;
const TIMEOUT_SECONDS = 30;

// The same computations on the host, in unsigned 32-bit arithmetic.
function lcg(v) {
    for (let r = 0; r < ROUNDS; r++)
        v = (Math.imul(v, 1664525) + 1013904223) >>> 0;
    return v;
}

function xorshift(v) {
    for (let r = 0; r < ROUNDS; r++) {
        v ^= v << 13;
        v ^= v >>> 17;
        v = (v ^ (v << 5)) >>> 0;
    }
    return v;
}

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`streams-events: no CUDA device: ${e.message}`);
    System.exit(77);
}

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const code = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    .compile(CudaObj.CodeType.CUBIN, null);
const config = CudaObj.LaunchConfig.new_for_size(N, 256);
const inputs = new Uint32Array(N).map((_, i) => i + 1);
const inputBytes = new GLib.Bytes(new Uint8Array(inputs.buffer));

const loop = new GLib.MainLoop(null, false);
const jobs = [];
for (const [name, reference] of [['lcg', lcg], ['xorshift', xorshift]]) {
    const stream = device.create_stream();
    const buffer = device.allocate(inputs.byteLength, stream);
    buffer.copy_from_bytes(inputBytes, 0, stream);
    const job = {name, reference, stream, buffer, ms: null};

    // stream.record(null) makes a timing event at this point of the stream.
    job.start = stream.record(null);
    const kernel = code.get_kernel(name);
    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, buffer);
    args.set_int32(1, ROUNDS);
    args.set_uint64(2, N);
    CudaObj.launch(stream, config, kernel, args);
    job.end = device.create_event();

    // Connect before recording: each record made while a handler is
    // connected is reported once, in this thread's main context.
    job.end.connect('completed', event => {
        job.ms = job.start.elapsed_time(event);
        print(`streams-events: ${name.padEnd(8)} completed on stream 0x${stream.handle.toString(16)} ` +
            `in ${job.ms.toFixed(3)} ms`);
        if (jobs.every(j => j.ms !== null))
            loop.quit();
    });
    job.end.record(stream);
    jobs.push(job);
}

// A guard, so that a GPU that never reports does not hang the program.
let timedOut = false;
const guard = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, TIMEOUT_SECONDS, () => {
    timedOut = true;
    loop.quit();
    return GLib.SOURCE_REMOVE;
});
loop.run();
if (timedOut) {
    printerr(`streams-events: no completion within ${TIMEOUT_SECONDS} s`);
    System.exit(1);
}
GLib.source_remove(guard);

let failures = 0;
for (const {name, reference, stream, buffer} of jobs) {
    const data = buffer.copy_to_bytes(0, -1, stream).toArray();
    const result = new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    buffer.close(stream);
    let wrong = 0, first = -1;
    for (let i = 0; i < N; i++) {
        if (result[i] !== reference(inputs[i]) && wrong++ === 0)
            first = i;
    }
    if (wrong > 0) {
        printerr(`streams-events: ${name}: ${wrong} of ${N} elements wrong, first at ${first}`);
        failures++;
    } else {
        print(`streams-events: ${name.padEnd(8)} ${N} elements x ${ROUNDS} rounds: all correct`);
    }
    stream.close();
}
System.exit(failures > 0 ? 1 : 0);
