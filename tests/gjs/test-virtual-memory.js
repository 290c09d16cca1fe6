// SPDX-License-Identifier: LGPL-2.1-or-later
// VirtualMemoryResource from GJS: construction checks, rounding, growth
// without copying, access settings.
import GLib from 'gi://GLib';
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

function pattern(size, seed = 0) {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++)
        data[i] = (i * 13 + seed) & 0xff;
    return data;
}

function sameBytes(bytes, expected) {
    const data = bytes.toArray();
    return data.length === expected.length && data.every((value, i) => value === expected[i]);
}

const isError = code => e => e.matches(CudaObj.error_quark(), code);

function newResource(device, handleType = CudaObj.VirtualMemoryHandleType.NONE) {
    const resource = new CudaObj.VirtualMemoryResource({device, handle_type: handleType});
    resource.init(null);
    return resource;
}

test('an uninitialized resource says so', () => {
    const resource = new CudaObj.VirtualMemoryResource();
    const buffer = new CudaObj.Buffer();
    assertEqual(resource.get_granularity(), 0, 'granularity');
    assertEqual(resource.granularity_mode, CudaObj.VirtualMemoryGranularity.RECOMMENDED, 'mode');
    assertThrows(() => resource.allocate(64, null), isError(CudaObj.Error.NOT_INITIALIZED), 'allocate');
    assertThrows(() => resource.grow(buffer, 64), isError(CudaObj.Error.NOT_INITIALIZED), 'grow');
    assertThrows(() => resource.get_n_chunks(buffer), isError(CudaObj.Error.NOT_INITIALIZED), 'get_n_chunks');
});

test('sizes are rounded up to the granularity', () => {
    const device = deviceOrSkip();
    const resource = newResource(device);
    const granularity = resource.get_granularity();
    assert(granularity > 0, 'granularity > 0');
    const buffer = resource.allocate(granularity + 1, null);
    assertEqual(buffer.get_size(), 2 * granularity, 'size');
    assertEqual(resource.get_access(device), CudaObj.VirtualMemoryAccess.READ_WRITE, 'own access');
    assertThrows(() => resource.allocate(0, null), isError(CudaObj.Error.INVALID_ARGUMENT), 'zero size');
    buffer.close(null);
});

test('a buffer grows and keeps its contents', () => {
    const device = deviceOrSkip();
    const resource = newResource(device);
    const granularity = resource.get_granularity();
    const buffer = resource.allocate(granularity, null);
    const head = pattern(granularity, 1);
    buffer.copy_from_bytes(new GLib.Bytes(head), 0, null);
    let moved = 0;
    buffer.connect('notify::handle', () => moved++);
    const before = buffer.handle;

    assert(resource.grow(buffer, 3 * granularity), 'grow');
    assertEqual(buffer.get_size(), 3 * granularity, 'size after grow');
    assertEqual(buffer.handle === before, moved === 0, 'handle notified when it moved');
    assert(sameBytes(buffer.copy_to_bytes(0, granularity, null), head), 'old bytes kept');
    const tail = pattern(2 * granularity, 2);
    buffer.copy_from_bytes(new GLib.Bytes(tail), granularity, null);
    assert(sameBytes(buffer.copy_to_bytes(granularity, -1, null), tail), 'new bytes usable');
    assertThrows(() => resource.grow(buffer, granularity), isError(CudaObj.Error.INVALID_ARGUMENT), 'shrink');

    const foreign = device.allocate(4096, null);
    assertThrows(() => resource.grow(foreign, 1 << 24), isError(CudaObj.Error.INVALID_ARGUMENT), 'foreign');
    foreign.close(null);
    buffer.close(null);
});

await run();
