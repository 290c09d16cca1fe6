// SPDX-License-Identifier: LGPL-2.1-or-later
// Communicator from GJS: unique ids as text, constructor errors, and on a
// GPU a communicator of one rank running an all-reduce and a split.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

GLib.setenv('NCCL_NVLS_ENABLE', '0', false);

const isInvalid = e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT);

function deviceWithNcclOrSkip() {
    let count;
    try {
        count = CudaObj.Device.get_count();
    } catch (e) {
        throw new SkipTest(`no usable CUDA driver: ${e.message}`);
    }
    if (count === 0)
        throw new SkipTest('the CUDA driver found no device');
    try {
        CudaObj.Library.load(CudaObj.Library.NCCL);
    } catch (e) {
        throw new SkipTest(`no NCCL: ${e.message}`);
    }
    return CudaObj.Device.get(0);
}

test('a unique id travels as 256 hexadecimal digits', () => {
    const raw = new Uint8Array(CudaObj.COMMUNICATOR_UNIQUE_ID_SIZE).map((_, i) => (i * 7) & 0xff);
    const text = CudaObj.Communicator.unique_id_to_string(new GLib.Bytes(raw));
    assertEqual(text.length, 256, 'length');
    assertEqual(text.slice(0, 8), '00070e15', 'first bytes');
    const back = CudaObj.Communicator.unique_id_from_string(`${text}\n`).toArray();
    assert(back.every((b, i) => b === raw[i]), 'round trip');
});

test('bad text and bad arguments are INVALID_ARGUMENT errors', () => {
    assertThrows(() => CudaObj.Communicator.unique_id_from_string('abc'), isInvalid, 'short text');
    assertThrows(() => CudaObj.Communicator.unique_id_to_string(new GLib.Bytes(new Uint8Array(3))), isInvalid,
        'short id');
    const comm = new CudaObj.Communicator({n_ranks: 2, rank: 5, unique_id: new GLib.Bytes(new Uint8Array(128))});
    const e = assertThrows(() => comm.init(null), isInvalid, 'rank out of range');
    assert(e.message.includes('rank 5 is out of range'), e.message);
    assertThrows(() => CudaObj.Communicator.group_end(), isInvalid, 'group end without start');
});

test('one rank all-reduces, splits and closes', () => {
    const device = deviceWithNcclOrSkip();
    const id = CudaObj.Communicator.get_unique_id();
    const comm = CudaObj.Communicator.new(device, 1, 0, id, null);
    assertEqual(comm.n_ranks, 1, 'n-ranks');
    const values = new Float32Array(64).map((_, i) => i - 10);
    const buffer = device.allocate(values.byteLength, null);
    buffer.copy_from_bytes(new GLib.Bytes(new Uint8Array(values.buffer)), 0, null);
    comm.all_reduce(null, buffer, values.length, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.SUM, null);
    const data = buffer.copy_to_bytes(0, -1, null).toArray();
    const sums = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    assert(sums.every((v, i) => v === values[i]), 'sums of one rank');
    const child = comm.split(0, 0);
    assertEqual(child.rank, 0, 'child rank');
    assertEqual(comm.split(-1, 0), null, 'no color');
    child.close();
    comm.close();
    assert(comm.closed, 'closed');
});

run();
