// SPDX-License-Identifier: LGPL-2.1-or-later
// Sharing between processes from GJS: descriptor and D-Bus handle checks
// (no GPU needed) and, on a GPU, the descriptors an ipc-enabled pool and an
// interprocess event make.
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const isError = code => e => e.matches(CudaObj.error_quark(), code);

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

function descriptor(magic, version, size, length) {
    const data = new Uint8Array(length);
    const view = new DataView(data.buffer);
    for (let i = 0; i < Math.min(8, length); i++)
        data[i] = magic.charCodeAt(i);
    if (length >= 12)
        view.setUint32(8, version, true);
    if (length >= 24)
        view.setBigUint64(16, BigInt(size), true);
    return new GLib.Bytes(data);
}

test('bad buffer descriptors are refused before the driver', () => {
    const mr = GObject.Object.new(CudaObj.DeviceMemoryResource, {});
    for (const [bytes, what] of [
        [descriptor('CudaObjB', 1, 64, 40), 'short'],
        [descriptor('CudaObjX', 1, 64, 88), 'magic'],
        [descriptor('CudaObjB', 2, 64, 88), 'version'],
        [descriptor('CudaObjB', 1, 0, 88), 'size'],
    ])
        assertThrows(() => mr.import_buffer(bytes), isError(CudaObj.Error.INVALID_ARGUMENT), what);
    assertThrows(() => mr.import_buffer(descriptor('CudaObjB', 1, 64, 88)),
        isError(CudaObj.Error.NOT_INITIALIZED), 'well formed, resource never initialized');
});

test('bad event descriptors are refused before the driver', () => {
    assertThrows(() => CudaObj.Event.new_from_ipc(null, descriptor('CudaObjE', 1, 0, 79)),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'short');
    assertThrows(() => CudaObj.Event.new_from_ipc(null, descriptor('CudaObjE', 3, 0, 80)),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'version');
});

test('a D-Bus handle must name a descriptor of the list', () => {
    const fdList = Gio.UnixFDList.new();
    assertThrows(() => CudaObj.ipc_pool_from_dbus(null, new GLib.Variant('s', 'fd'), fdList),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'not a handle');
    assertThrows(() => CudaObj.ipc_pool_from_dbus(null, new GLib.Variant('h', 2), fdList),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'past the end');
});

test('an ipc-enabled pool and an interprocess event describe themselves', () => {
    const device = deviceOrSkip();
    if (!device.memory_pools_supported)
        throw new SkipTest('the device has no memory pools');
    let mr;
    try {
        mr = GObject.Object.new(CudaObj.DeviceMemoryResource, {device, ipc_enabled: true});
        mr.init(null);
    } catch (e) {
        if (e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED))
            throw new SkipTest(e.message);
        throw e;
    }
    assert(mr.ipc_enabled && mr.own_pool && !mr.is_imported, 'a shareable pool of its own');
    const buffer = mr.allocate(4096, null);
    const bufferDescriptor = mr.export_buffer(buffer);
    assertEqual(bufferDescriptor.get_size(), 88);
    assertEqual(new TextDecoder().decode(bufferDescriptor.toArray().slice(0, 8)), 'CudaObjB');
    buffer.close(null);

    const fdList = Gio.UnixFDList.new();
    const handle = CudaObj.ipc_pool_to_dbus(mr, fdList);
    assertEqual(handle.get_type_string(), 'h');
    assertEqual(handle.get_handle(), 0);
    assertEqual(fdList.get_length(), 1);

    const event = GObject.Object.new(CudaObj.Event, {device, ipc: true, timing: false});
    event.init(null);
    assertEqual(event.export_ipc().get_size(), 80);
    assertThrows(() => GObject.Object.new(CudaObj.Event, {device, ipc: true, timing: true}).init(null),
        isError(CudaObj.Error.INVALID_ARGUMENT), 'timing and ipc');
});

run();
