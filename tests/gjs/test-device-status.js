// SPDX-License-Identifier: LGPL-2.1-or-later
// DeviceStatus from GJS: a property bound to an object, kept current by
// the periodic refresh in the main loop, as a GTK label would be.
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertThrows, run, SkipTest} from './tap.js';

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

function statusOrSkip(device, interval) {
    try {
        return CudaObj.DeviceStatus.new(device, interval);
    } catch (e) {
        if (e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND))
            throw new SkipTest(e.message);
        throw e;
    }
}

const Label = GObject.registerClass({
    Properties: {
        'text': GObject.ParamSpec.string('text', null, null, GObject.ParamFlags.READWRITE, ''),
    },
}, class Label extends GObject.Object {});

test('an uninitialized status raises', () => {
    const status = new CudaObj.DeviceStatus();
    assertThrows(() => status.refresh(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'refresh');
    assert(status.temperature === -1, 'no temperature');
});

test('a bound property follows the device in the main loop', () => {
    const device = deviceOrSkip();
    const status = statusOrSkip(device, 20);
    const label = new Label();
    status.bind_property_full('memory-used', label, 'text', GObject.BindingFlags.SYNC_CREATE,
        (binding, value) => [true, `${Math.floor(value / 1048576)} MiB`], null);
    const first = label.text;
    assert(first.endsWith(' MiB'), `synced at once: ${first}`);
    const buffer = CudaObj.SyncMemoryResource.new(device).allocate(512 * 1048576, null);
    const context = GLib.MainContext.default();
    const deadline = GLib.get_monotonic_time() + 10 * 1000000;
    while (label.text === first && GLib.get_monotonic_time() < deadline)
        context.iteration(true);
    assert(label.text !== first, `changed from ${first}`);
    status.update_interval = 0;
    buffer.close(null);
});

await run();
