// SPDX-License-Identifier: LGPL-2.1-or-later
// Memory resources and buffers from GJS, including a resource written in JS.
import GLib from 'gi://GLib';
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

function pattern(size, seed = 0) {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++)
        data[i] = (i * 7 + seed) & 0xff;
    return data;
}

function sameBytes(bytes, expected) {
    const data = bytes.toArray();
    if (data.length !== expected.length)
        return false;
    return data.every((value, i) => value === expected[i]);
}

const isError = code => e => e.matches(CudaObj.error_quark(), code);

// A resource implemented in JS: memory from an inner resource, calls counted.
const Recording = GObject.registerClass({
    Implements: [CudaObj.MemoryResource],
    Properties: {
        'device': GObject.ParamSpec.override('device', CudaObj.MemoryResource),
        'is-device-accessible': GObject.ParamSpec.override('is-device-accessible', CudaObj.MemoryResource),
        'is-host-accessible': GObject.ParamSpec.override('is-host-accessible', CudaObj.MemoryResource),
    },
}, class Recording extends GObject.Object {
    _init(inner) {
        super._init({device: inner ? inner.get_device() : null});
        this.inner = inner;
        this.live = new Map();
        this.deallocations = [];
    }

    get device() {
        return this._device ?? null;
    }

    set device(value) {
        this._device = value;
    }

    get is_device_accessible() {
        return true;
    }

    get is_host_accessible() {
        return false;
    }

    vfunc_allocate(size, stream) {
        if (!this.inner)
            throw new GLib.Error(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED, 'no memory here');
        const block = this.inner.allocate(size, stream);
        this.live.set(block.get_handle(), block);
        return CudaObj.Buffer.new_for_resource(this, block.get_handle(), size);
    }

    vfunc_deallocate(handle, size, stream) {
        this.deallocations.push([handle, size, stream]);
        const block = this.live.get(handle);
        if (block) {
            this.live.delete(handle);
            block.close(stream);
        }
        return true;
    }
});

test('a JS resource: dispatch and errors without a device', () => {
    const resource = new Recording(null);
    assert(resource.get_is_device_accessible() && !resource.get_is_host_accessible(), 'flags');
    assert(resource.deallocate(4096, 16, null), 'deallocate');
    assertEqual(resource.deallocations.length, 1, 'deallocations');
    assertEqual(resource.deallocations[0][0], 4096, 'handle');
    assertThrows(() => resource.allocate(0, null), isError(CudaObj.Error.INVALID_ARGUMENT), 'zero size');
    assertThrows(() => resource.allocate(64, null), isError(CudaObj.Error.NOT_SUPPORTED), 'JS error');
    assertThrows(() => CudaObj.Buffer.new_for_resource(resource, 4096, 64),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'no device');
});

test('resources without a driver raise', () => {
    try {
        CudaObj.Library.load(CudaObj.Library.DRIVER);
    } catch (e) {
        assertThrows(() => CudaObj.LegacyPinnedMemoryResource.new(null),
            isError(CudaObj.Error.LIBRARY_NOT_FOUND), 'pinned');
        assertThrows(() => CudaObj.DeviceMemoryResource.new(null, false),
            isError(CudaObj.Error.LIBRARY_NOT_FOUND), 'device');
        return;
    }
    throw new SkipTest('a CUDA driver is present; the no-driver path is tested where there is none');
});

test('allocate, copy round trip, close', () => {
    const device = deviceOrSkip();
    const buffer = device.allocate(4096, null);
    assertEqual(buffer.size, 4096, 'size');
    assert(buffer.handle > 0 && buffer.device === device && !buffer.closed, 'properties');
    const data = pattern(4096);
    buffer.copy_from_bytes(new GLib.Bytes(data), 0, null);
    assert(sameBytes(buffer.copy_to_bytes(0, -1, null), data), 'round trip');
    assert(sameBytes(buffer.copy_to_bytes(10, 5, null), data.slice(10, 15)), 'range');
    assert(buffer.close(null) && buffer.closed && buffer.close(null), 'close twice');
    assertThrows(() => buffer.copy_to_bytes(0, -1, null), isError(CudaObj.Error.CLOSED), 'closed');
});

test('each resource, fill and copy_to', () => {
    const device = deviceOrSkip();
    const resources = [CudaObj.LegacyPinnedMemoryResource.new(device), CudaObj.ManagedMemoryResource.new(device),
        CudaObj.SyncMemoryResource.new(device)];
    if (device.memory_pools_supported)
        resources.push(CudaObj.DeviceMemoryResource.new(device, true));
    const stream = device.create_stream();
    const target = device.allocate(1024, stream);
    for (const resource of resources) {
        const buffer = resource.allocate(1024, stream);
        assert(buffer.memory_resource === resource, 'memory resource');
        buffer.fill(0xbeef, 2, 0, 512, stream);
        buffer.copy_to(target, 0, 0, 1024, stream);
        const out = target.copy_to_bytes(0, 4, stream).toArray();
        assert(out[0] === 0xef && out[1] === 0xbe && out[3] === 0xbe, `fill via ${resource}`);
        buffer.close(stream);
    }
    stream.synchronize();
});

test('errors leave the library usable', () => {
    const device = deviceOrSkip();
    const buffer = device.allocate(128, null);
    assertThrows(() => buffer.copy_from_bytes(new GLib.Bytes(pattern(129)), 0, null),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'too big');
    assertThrows(() => buffer.fill(0, 3, 0, 1, null), isError(CudaObj.Error.INVALID_ARGUMENT), 'width');
    assertThrows(() => device.allocate(2 ** 50, null),
        e => e.matches(CudaObj.driver_error_quark(), CudaObj.DriverError.OUT_OF_MEMORY), 'out of memory');
    buffer.copy_from_bytes(new GLib.Bytes(pattern(128, 1)), 0, null);
    assert(sameBytes(buffer.copy_to_bytes(0, -1, null), pattern(128, 1)), 'still works');
});

test('a JS resource allocates buffers that call back on close', () => {
    const device = deviceOrSkip();
    const resource = new Recording(device.get_memory_resource());
    const buffer = resource.allocate(256, null);
    assert(buffer.memory_resource === resource && buffer.size === 256, 'buffer');
    buffer.fill(0x5a, 1, 0, 256, null);
    assert(sameBytes(buffer.copy_to_bytes(0, -1, null), new Uint8Array(256).fill(0x5a)), 'contents');
    const handle = buffer.handle;
    buffer.close(null);
    assertEqual(resource.deallocations.length, 1, 'one deallocation');
    assertEqual(resource.deallocations[0][0], handle, 'handle');
    assertEqual(resource.deallocations[0][1], 256, 'size');
    assertEqual(resource.live.size, 0, 'inner freed');
});

await run();
