// SPDX-License-Identifier: LGPL-2.1-or-later
// nccl-all-reduce: one all-reduce over every GPU of the host, from GJS
// (run with `gjs -m nccl-all-reduce.js`).
//
// CudaObj.Communicator.new_all makes one communicator per device (rank i on
// device i); one thread drives them all, so their all-reduces go between
// group_start and group_end. Device i contributes i + 1 in every element
// and every device checks the sum. One GPU is a valid case.
//
// Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device or no NCCL.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const N = 1 << 16;

// NVLink multicast off, where the platform lacks it.
if (GLib.getenv('NCCL_NVLS_ENABLE') === null)
    GLib.setenv('NCCL_NVLS_ENABLE', '0', false);

let devices;
try {
    devices = CudaObj.Device.get_all();
    CudaObj.Library.load(CudaObj.Library.NCCL);
} catch (e) {
    printerr(`nccl-all-reduce: no GPU or no NCCL: ${e.message}`);
    System.exit(77);
}
if (devices.length === 0) {
    printerr('nccl-all-reduce: no GPU: the driver found none');
    System.exit(77);
}

const comms = CudaObj.Communicator.new_all(devices);
const streams = devices.map(d => CudaObj.Stream.new(d, true, 0));
const buffers = devices.map((d, i) => {
    const values = new Float32Array(N).fill(i + 1);
    const buffer = d.allocate(N * 4, streams[i]);
    buffer.copy_from_bytes(new GLib.Bytes(new Uint8Array(values.buffer)), 0, streams[i]);
    return buffer;
});

CudaObj.Communicator.group_start();
try {
    comms.forEach((comm, i) => comm.all_reduce(null, buffers[i], N, CudaObj.DataType.FLOAT32,
        CudaObj.ReduceOp.SUM, streams[i]));
} finally {
    CudaObj.Communicator.group_end();
}

const expected = devices.length * (devices.length + 1) / 2;
for (let i = 0; i < devices.length; i++) {
    const data = buffers[i].copy_to_bytes(0, -1, streams[i]).toArray();
    streams[i].synchronize();
    const sums = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    const wrong = sums.findIndex(v => v !== expected);
    if (wrong >= 0) {
        printerr(`nccl-all-reduce: device ${i}: element ${wrong} is ${sums[wrong]}, expected ${expected}`);
        System.exit(1);
    }
}
comms.forEach(comm => comm.close());
print(`all-reduce of ${N} floats over ${devices.length} GPU(s): correct (${expected})`);
