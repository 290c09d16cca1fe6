// SPDX-License-Identifier: LGPL-2.1-or-later
// vector-add: c = a + b on the GPU, from GJS (run with `gjs -m vector-add.js`).
//
// The whole path: pick a device, compile CUDA C++ at run time (NVRTC) for
// that device's architecture, copy typed arrays in as GLib.Bytes, launch,
// copy the result out and check every element.
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

const N = 1 << 20;

// A typed array's memory as GLib.Bytes, and back.
const toBytes = array => new GLib.Bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
const toFloat32Array = bytes => {
    const data = bytes.toArray();
    return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
};

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`vector-add: no CUDA device: ${e.message}`);
    System.exit(77);
}

// Compile for exactly this GPU (sm_90 on an H100) straight to CUBIN. A
// compile error throws a GLib.Error whose message carries NVRTC's log.
const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
const kernel = program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('vector_add');

const a = new Float32Array(N);
const b = new Float32Array(N);
for (let i = 0; i < N; i++) {
    a[i] = Math.random();
    b[i] = Math.random();
}

// All the work is ordered on one stream: allocation, copies, launch, free.
const stream = device.create_stream();
const dA = device.allocate(a.byteLength, stream);
const dB = device.allocate(b.byteLength, stream);
const dC = device.allocate(a.byteLength, stream);
dA.copy_from_bytes(toBytes(a), 0, stream);
dB.copy_from_bytes(toBytes(b), 0, stream);

// The arguments, typed to match the kernel's parameters.
const args = CudaObj.KernelArgs.new_for_kernel(kernel);
args.set_buffer(0, dA);
args.set_buffer(1, dB);
args.set_buffer(2, dC);
args.set_uint64(3, N);
// One thread per element, 256 per block.
CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(N, 256), kernel, args);

// copy_to_bytes waits for the stream, so the kernel has finished too.
const c = toFloat32Array(dC.copy_to_bytes(0, -1, stream));
for (const buffer of [dA, dB, dC])
    buffer.close(stream);
stream.synchronize();

// Math.fround(a + b) is the float addition the GPU does, bit for bit.
let wrong = 0, first = -1;
for (let i = 0; i < N; i++) {
    if (c[i] !== Math.fround(a[i] + b[i]) && wrong++ === 0)
        first = i;
}
if (wrong > 0) {
    printerr(`vector-add: ${wrong} of ${N} elements wrong, first c[${first}] = ${c[first]}, ` +
        `expected ${Math.fround(a[first] + b[first])}`);
    System.exit(1);
}
print(`vector-add: ${N} elements on ${device.name} (sm_${device.arch}): all correct, ` +
    `c[${N - 1}] = ${c[N - 1].toFixed(6)}`);
