// SPDX-License-Identifier: LGPL-2.1-or-later
// memory-resources: the same kernel over memory from each kind of resource,
// in GJS (run with `gjs -m memory-resources.js`).
//
// - the device's default resource: stream-ordered memory from its pool
// - LegacyPinnedMemoryResource: page-locked host memory, which kernels reach over the bus
// - PinnedMemoryResource: the same from a pool, stream-ordered (CUDA 12.6 drivers)
// - ManagedMemoryResource: unified memory that migrates between host and device
// - SyncMemoryResource: plain cuMemAlloc/cuMemFree
// Every resource implements the CudaObj.MemoryResource interface, so the
// code that allocates, fills, launches and reads back is the same for all.
//
// Exit status: 0 when every result is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device.
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
extern "C" __global__ void affine(float *x, float a, float b, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        x[i] = a * x[i] + b;
}
`;

const N = 1 << 16;

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`memory-resources: no CUDA device: ${e.message}`);
    System.exit(77);
}

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const kernel = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    .compile(CudaObj.CodeType.CUBIN, null).get_kernel('affine');

const resources = [
    ['device pool', device.get_memory_resource()],
    ['legacy pinned', CudaObj.LegacyPinnedMemoryResource.new(device)],
    ['managed', CudaObj.ManagedMemoryResource.new(device)],
    ['sync', CudaObj.SyncMemoryResource.new(device)],
];
try {
    resources.push(['pinned pool', CudaObj.PinnedMemoryResource.new(device, -1)]);
} catch (e) {
    if (!e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED))
        throw e;
    // Without host pools (before CUDA 12.6) the legacy resource is the pinned memory there is.
    print(`memory-resources: no pinned pool: ${e.message}`);
}

const stream = device.create_stream();
const config = CudaObj.LaunchConfig.new_for_size(N, 256);
const x = new Float32Array(N).map((_, i) => i);
const input = new GLib.Bytes(new Uint8Array(x.buffer));
let failures = 0;
for (const [label, resource] of resources) {
    const buffer = resource.allocate(x.byteLength, stream);
    const address = buffer.handle;
    buffer.copy_from_bytes(input, 0, stream);

    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, buffer);
    args.set_float(1, 2.0);
    args.set_float(2, 1.0);
    args.set_uint64(3, N);
    CudaObj.launch(stream, config, kernel, args);

    const data = buffer.copy_to_bytes(0, -1, stream).toArray();
    const result = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    buffer.close(stream);

    // Whole numbers: 2 x + 1 is exact on both sides.
    const ok = result.every((value, i) => value === 2 * x[i] + 1);
    if (!ok)
        failures++;
    const type = GObject.type_name(resource.constructor.$gtype);
    const line = `memory-resources: ${label.padEnd(11)} ${type.padEnd(30)} ` +
        `host-accessible: ${resource.is_host_accessible ? 'yes' : 'no '} ${x.byteLength} bytes at ` +
        `0x${address.toString(16)}: ${ok ? 'correct' : 'WRONG'}`;
    (ok ? print : printerr)(line);
}
stream.synchronize();
System.exit(failures > 0 ? 1 : 0);
