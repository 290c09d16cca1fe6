// SPDX-License-Identifier: LGPL-2.1-or-later
// vector-add-mmap: vector addition in memory from CUDA's virtual memory API,
// from GJS (run with `gjs -m vector-add-mmap.js`).
//
// CUDA's vectorAddMMAP sample: the three vectors come from a
// VirtualMemoryResource on device 0 (reserved address ranges with physical
// memory mapped into them), readable and writable by every other device
// that can reach device 0's memory as a peer. Device 0 adds them.
//
// Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device or it has no virtual memory management.
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

const N = 50000;

const toBytes = array => new GLib.Bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
const toFloat32Array = bytes => {
    const data = bytes.toArray();
    return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
};

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`vector-add-mmap: no CUDA device: ${e.message}`);
    System.exit(77);
}
if (!device.get_attribute(CudaObj.DeviceAttribute.VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED)) {
    printerr('vector-add-mmap: device 0 has no virtual memory management');
    System.exit(77);
}

// The memory lives on device 0; every device that can reach it as a peer
// may read and write it.
const resource = new CudaObj.VirtualMemoryResource({device});
resource.init(null);
const peers = CudaObj.Device.get_all().slice(1).filter(peer => peer.can_access_peer(device));
for (const peer of peers)
    resource.set_access(peer, CudaObj.VirtualMemoryAccess.READ_WRITE);

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
const kernel = program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('vector_add');

const a = new Float32Array(N);
const b = new Float32Array(N);
for (let i = 0; i < N; i++) {
    a[i] = Math.random();
    b[i] = Math.random();
}

// Allocation is synchronous; each buffer is rounded up to the granularity.
const [dA, dB, dC] = [0, 1, 2].map(() => resource.allocate(a.byteLength, null));
const stream = device.create_stream();
dA.copy_from_bytes(toBytes(a), 0, stream);
dB.copy_from_bytes(toBytes(b), 0, stream);

const args = CudaObj.KernelArgs.new_for_kernel(kernel);
args.set_buffer(0, dA);
args.set_buffer(1, dB);
args.set_buffer(2, dC);
args.set_uint64(3, N);
CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(N, 256), kernel, args);

const c = toFloat32Array(dC.copy_to_bytes(0, a.byteLength, stream));
const size = dC.size;
// Closing unmaps the memory once the stream has finished with it.
for (const buffer of [dA, dB, dC])
    buffer.close(stream);

let wrong = 0, first = -1;
for (let i = 0; i < N; i++) {
    if (c[i] !== Math.fround(a[i] + b[i]) && wrong++ === 0)
        first = i;
}
if (wrong > 0) {
    printerr(`vector-add-mmap: ${wrong} of ${N} elements wrong, first c[${first}] = ${c[first]}, ` +
        `expected ${Math.fround(a[first] + b[first])}`);
    System.exit(1);
}
print(`vector-add-mmap: ${N} elements on ${device.name}: all correct; buffers of ${size} bytes ` +
    `(granularity ${resource.granularity}), ${peers.length} peer device(s) with access`);
