// SPDX-License-Identifier: LGPL-2.1-or-later
// multi-gpu-vector-add: c = a + b split across every GPU present, from GJS
// (run with `gjs -m multi-gpu-vector-add.js`).
//
// Each device gets a contiguous slice of the vectors, its own stream and its
// own compiled kernel (devices may differ in architecture). All the work of
// all devices is queued before the program waits for anything: copies in,
// the kernel, and the copy of the slice's result into one buffer on device 0
// (Buffer.copy_to between devices: a direct peer copy where peer access is
// enabled, staged through the host otherwise). Device 0's stream then waits
// for the others, the result comes back to the host and every element is
// checked. One device is a valid case: its slice is the whole vector.
//
// Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}
`;

const N = 1 << 24;

let devices;
try {
    devices = CudaObj.Device.get_all();
} catch (e) {
    printerr(`multi-gpu-vector-add: no CUDA device: ${e.message}`);
    System.exit(77);
}
if (devices.length === 0) {
    printerr('multi-gpu-vector-add: no CUDA device: the driver found none');
    System.exit(77);
}
const count = devices.length;
for (const device of devices)
    print(`multi-gpu-vector-add: device ${device.ordinal}: ${device.name} (sm_${device.arch})`);
if (count === 1)
    print('multi-gpu-vector-add: one device: no peers, the gather is a copy on device 0');

// Peer access between device 0 and each other device, in both directions,
// where the hardware allows it.
for (let k = 1; k < count; k++) {
    const states = [[k, 0], [0, k]].map(([a, b]) => {
        if (!devices[a].can_access_peer(devices[b]))
            return `${a} -> ${b}: not possible`;
        devices[a].enable_peer_access(devices[b]);
        return `${a} -> ${b}: enabled`;
    });
    print(`multi-gpu-vector-add: peer access ${states.join(', ')}`);
}

// One compilation per architecture present.
const kernels = new Map();
for (const device of devices) {
    if (kernels.has(device.arch))
        continue;
    const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
    const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
    kernels.set(device.arch, program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('vector_add'));
}

const a = new Float32Array(N);
const b = new Float32Array(N);
for (let i = 0; i < N; i++) {
    a[i] = Math.random();
    b[i] = Math.random();
}
// Part of a typed array's memory as GLib.Bytes (a copy).
const slice = (array, lo, hi) => new GLib.Bytes(new Uint8Array(array.buffer, lo * 4, (hi - lo) * 4));

const streams = devices.map(device => device.create_stream());
// The result is allocated in stream order on device 0's stream: the other
// streams wait for that before their copies write into it.
const result = devices[0].allocate(N * 4, streams[0]);

const started = GLib.get_monotonic_time();
const jobs = devices.map((device, k) => {
    const stream = streams[k];
    const lo = Math.floor(k * N / count), hi = Math.floor((k + 1) * N / count);
    const size = (hi - lo) * 4;
    const [dA, dB, dC] = [0, 1, 2].map(() => device.allocate(size, stream));
    dA.copy_from_bytes(slice(a, lo, hi), 0, stream);
    dB.copy_from_bytes(slice(b, lo, hi), 0, stream);

    const kernel = kernels.get(device.arch);
    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, dA);
    args.set_buffer(1, dB);
    args.set_buffer(2, dC);
    args.set_uint64(3, hi - lo);
    const begin = stream.record(null);
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(hi - lo, 256), kernel, args);
    const computed = stream.record(null);
    stream.wait_stream(streams[0]); // the result buffer exists
    dC.copy_to(result, 0, lo * 4, size, stream);
    const gathered = stream.record(null);
    return {device, stream, lo, hi, buffers: [dA, dB, dC], begin, computed, gathered};
});
const queued = GLib.get_monotonic_time();

// Everything is queued; now device 0's stream waits for the others, and
// copy_to_bytes waits for device 0's stream.
for (const stream of streams.slice(1))
    streams[0].wait_stream(stream);
const data = result.copy_to_bytes(0, -1, streams[0]).toArray();
const c = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
const finished = GLib.get_monotonic_time();

for (const {device, stream, lo, hi, buffers, begin, computed, gathered} of jobs) {
    print(`multi-gpu-vector-add: device ${device.ordinal}: elements [${lo}, ${hi}): ` +
        `kernel ${begin.elapsed_time(computed).toFixed(3)} ms, ` +
        `copy to device 0 ${computed.elapsed_time(gathered).toFixed(3)} ms`);
    for (const buffer of buffers)
        buffer.close(stream);
}
result.close(streams[0]);
for (const stream of streams) {
    stream.synchronize();
    stream.close();
}
print(`multi-gpu-vector-add: queued in ${((queued - started) / 1e3).toFixed(3)} ms, ` +
    `result on the host after ${((finished - started) / 1e3).toFixed(3)} ms`);

// Math.fround(a + b) is the float addition the GPU does, bit for bit.
let wrong = 0, first = -1;
for (let i = 0; i < N; i++) {
    if (c[i] !== Math.fround(a[i] + b[i]) && wrong++ === 0)
        first = i;
}
if (wrong > 0) {
    printerr(`multi-gpu-vector-add: ${wrong} of ${N} elements wrong, first c[${first}] = ${c[first]}, ` +
        `expected ${Math.fround(a[first] + b[first])}`);
    System.exit(1);
}
print(`multi-gpu-vector-add: ${N} elements over ${count} device(s) OK`);
