// SPDX-License-Identifier: LGPL-2.1-or-later
// Streams and events from GJS.
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

// Runs a main loop until quit() is called, failing after 30 s.
function runLoop(body) {
    const loop = new GLib.MainLoop(null, false);
    let timedOut = false;
    const timeout = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 30, () => {
        timedOut = true;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    body(() => loop.quit());
    loop.run();
    if (!timedOut)
        GLib.source_remove(timeout);
    assert(!timedOut, 'timed out waiting for the GPU');
}

test('construction without a device raises', () => {
    let expected = CudaObj.Error.INVALID_ARGUMENT;
    try {
        CudaObj.Library.load(CudaObj.Library.DRIVER);
    } catch (e) {
        expected = CudaObj.Error.LIBRARY_NOT_FOUND;
    }
    // GJS constructs without initializing: init() is the fallible step.
    const stream = new CudaObj.Stream();
    assertThrows(() => stream.init(null), e => e.matches(CudaObj.error_quark(), expected), 'Stream');
    // Until initialized, methods raise instead of crashing.
    assertThrows(() => stream.synchronize(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'uninitialized stream');
    const event = new CudaObj.Event({timing: false});
    assertThrows(() => event.init(null), e => e.matches(CudaObj.error_quark(), expected), 'Event');
    assertThrows(() => event.query(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'uninitialized event');
});

test('stream properties and priorities', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    assert(stream.handle > 0, 'handle');
    assert(stream.non_blocking && stream.owns_handle && !stream.closed, 'flags');
    assert(stream.device === device, 'device');
    const [ok, lowest, highest] = CudaObj.Stream.get_priority_range(device);
    assert(ok && lowest === 0 && highest < 0, 'range');
    const high = new CudaObj.Stream({device, priority: highest});
    assert(high.init(null), 'init');
    assertEqual(high.priority, highest, 'priority');
    assert(high.synchronize(), 'usable once initialized');
    assertThrows(() => CudaObj.Stream.new(device, true, highest - 1),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'bad priority');
    assert(stream.query() && stream.synchronize(), 'idle');
});

test('record, completed signal in the main loop, elapsed time', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const start = stream.record(null);
    const end = device.create_event();
    let emissions = 0;
    runLoop(quit => {
        end.connect('completed', ev => {
            emissions++;
            assert(ev.query(), 'complete when emitted');
            quit();
        });
        assert(end.record(stream), 'record');
    });
    assertEqual(emissions, 1, 'one emission');
    assert(end.recorded, 'recorded');
    assert(start.elapsed_time(end) >= 0, 'elapsed time');
    const untimed = CudaObj.Event.new(device, false, false);
    stream.record(untimed);
    assertThrows(() => start.elapsed_time(untimed),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'timing off');
});

test('synchronize_async and wait_async call back in the loop', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const event = stream.record(null);
    const order = [];
    runLoop(quit => {
        stream.synchronize_async(null, (source, result) => {
            order.push(source.synchronize_finish(result));
            event.wait_async(null, (ev, res) => {
                order.push(ev.wait_finish(res));
                quit();
            });
        });
    });
    assertEqual(order.join(), 'true,true', 'both finished');
});

test('closed stream raises and the library stays usable', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    assert(stream.close() && stream.closed && stream.close(), 'close');
    const err = assertThrows(() => stream.synchronize(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED), 'synchronize');
    assertEqual(err.message, 'Stream is closed', 'message');
    assertThrows(() => device.create_event().record(stream),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED), 'record');
    const wrapper = CudaObj.Stream.new_from_handle(device, 0, null);
    assert(!wrapper.owns_handle && wrapper.synchronize(), 'legacy stream');
    assert(device.create_stream().synchronize(), 'new stream');
});

await run();
