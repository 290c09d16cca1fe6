// SPDX-License-Identifier: LGPL-2.1-or-later
// Device, loader and errors from GJS.
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

test('driver error enum', () => {
    assertEqual(CudaObj.DriverError.OUT_OF_MEMORY, 2);
    assertEqual(CudaObj.driver_error_get_name(2), 'CUDA_ERROR_OUT_OF_MEMORY');
    assertEqual(CudaObj.DeviceAttribute.WARP_SIZE, 10);
});

test('loader loads NVRTC and reports versions', () => {
    CudaObj.Library.load(CudaObj.Library.NVRTC);
    assert(CudaObj.Library.get_path(CudaObj.Library.NVRTC).includes('libnvrtc'), 'nvrtc path');
    const [ok, major] = CudaObj.get_nvrtc_version();
    assert(ok && major >= 12, 'nvrtc version');
    assert(CudaObj.get_loader_report().includes('NVRTC'), 'report');
});

test('no driver: a clear GError', () => {
    try {
        CudaObj.Library.load(CudaObj.Library.DRIVER);
    } catch (e) {
        const err = assertThrows(() => CudaObj.Device.get(0),
            e2 => e2.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND), 'Device.get');
        assert(err.message.includes('libcuda.so.1'), 'message names the library');
        return;
    }
    throw new SkipTest('a CUDA driver is present; the no-driver path is tested where there is none');
});

test('device properties', () => {
    const device = deviceOrSkip();
    assert(device.name.length > 0, 'name');
    assertEqual(device.arch, `${device.compute_capability_major}${device.compute_capability_minor}`, 'arch');
    assert(device.total_memory > 2 ** 30, 'total memory');
    assertEqual(device.warp_size, 32, 'warp size');
    assertEqual(device.get_attribute(CudaObj.DeviceAttribute.WARP_SIZE), 32, 'attribute');
    assert(CudaObj.Device.get(0) === device, 'shared instance');
    const [ok, free, total] = device.get_memory_info();
    assert(ok && free > 0 && free <= total, 'memory info');
});

test('device bad input raises and leaves it usable', () => {
    const device = deviceOrSkip();
    assertThrows(() => CudaObj.Device.get(CudaObj.Device.get_count()),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NO_DEVICE), 'ordinal');
    assert(device.synchronize(), 'synchronize');
    assert(device.can_access_peer(device) && device.enable_peer_access(device), 'peer self');
});

await run();
