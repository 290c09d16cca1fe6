// SPDX-License-Identifier: LGPL-2.1-or-later
// Copy batches, pool-based pinned memory, managed advice and a replaceable
// Device:memory-resource from GJS.
import GObject from 'gi://GObject';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

function deviceOrSkip() {
    let count;
    try {
        count = CudaObj.Device.get_count();
    } catch (e) {
        throw new SkipTest(`no usable CUDA driver: ${e.message}`);
    }
    if (count === 0)
        throw new SkipTest('the CUDA driver found no device');
    return CudaObj.Device.get(0);
}

const isError = code => e => e.matches(CudaObj.error_quark(), code);

test('a copy batch checks its copies without a device', () => {
    const batch = new CudaObj.CopyBatch();
    assertEqual(batch.count, 0);
    assertEqual(batch.used_batch_api, false);
    batch.submit(null);
    const closed = GObject.Object.new(CudaObj.Buffer.$gtype, []);
    assertThrows(() => batch.add(closed, 0, closed, 0, 8, CudaObj.CopyHints.NONE),
        isError(CudaObj.Error.CLOSED));
    assertEqual(batch.get_count(), 0);
});

test('a pinned pool refuses a NUMA node below -1', () => {
    assertThrows(() => CudaObj.PinnedMemoryResource.new(null, -3), isError(CudaObj.Error.INVALID_ARGUMENT));
});

test('copy batch: pinned pool to device and back', () => {
    const device = deviceOrSkip();
    let pinned;
    try {
        pinned = CudaObj.PinnedMemoryResource.new(device, -1);
    } catch (e) {
        if (e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED))
            throw new SkipTest(e.message);
        throw e;
    }
    const stream = device.create_stream();
    const size = 4096, chunks = 8;
    const host = pinned.allocate(size * chunks, stream);
    host.fill(0x5c, 1, 0, size * chunks, stream);
    const middle = device.allocate(size * chunks, stream);
    const back = device.allocate(size * chunks, stream);
    back.fill(0, 1, 0, size * chunks, stream);

    const there = new CudaObj.CopyBatch();
    const home = new CudaObj.CopyBatch();
    for (let i = 0; i < chunks; i++) {
        there.add(middle, i * size, host, i * size, size, CudaObj.CopyHints.PREFER_OVERLAP_WITH_COMPUTE);
        home.add(back, i * size, middle, i * size, size, CudaObj.CopyHints.NONE);
    }
    there.submit(stream);
    home.submit(stream);
    assert(there.used_batch_api, 'a stream takes the batch call');
    const data = back.copy_to_bytes(0, -1, stream).toArray();
    assert(data.every(v => v === 0x5c), 'every byte came back');
    for (const buffer of [host, middle, back])
        buffer.close(stream);
    stream.synchronize();
});

test('Device:memory-resource can be replaced and restored', () => {
    const device = deviceOrSkip();
    const initial = device.memory_resource;
    const managed = CudaObj.ManagedMemoryResource.new(device);
    device.set_memory_resource(managed);
    try {
        assertEqual(device.memory_resource, managed);
        const buffer = device.allocate(64, null);
        assertEqual(buffer.memory_resource, managed);
        assert(buffer.is_host_accessible, 'managed memory reaches the host');
        buffer.close(null);
    } finally {
        device.memory_resource = null;
    }
    assertEqual(device.memory_resource, initial);
});

test('advice on a buffer that is not managed is an error', () => {
    const device = deviceOrSkip();
    const buffer = device.allocate(64, null);
    assertThrows(() => buffer.advise(CudaObj.MemoryAdvice.SET_READ_MOSTLY, null),
        isError(CudaObj.Error.INVALID_ARGUMENT));
    buffer.close(null);
});

await run();
