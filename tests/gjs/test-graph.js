// SPDX-License-Identifier: LGPL-2.1-or-later
// Graphs and host callbacks from GJS.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const N = 1024; // 32-bit elements

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

// Runs a main loop until done() holds, failing after 30 s.
function runLoopUntil(done) {
    const loop = new GLib.MainLoop(null, false);
    let timedOut = false;
    const timeout = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 30, () => {
        timedOut = true;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5, () => {
        if (!done())
            return GLib.SOURCE_CONTINUE;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    loop.run();
    if (!timedOut)
        GLib.source_remove(timeout);
    assert(!timedOut, 'timed out waiting for the GPU');
}

// The distinct 32-bit values of a buffer, sorted, as a string.
function values(buffer, stream) {
    const bytes = new Uint8Array(buffer.copy_to_bytes(0, -1, stream).toArray());
    const words = new Uint32Array(bytes.buffer);
    return [...new Set(words)].sort((x, y) => x - y).join();
}

function newBuffer(device, stream) {
    const buffer = device.allocate(N * 4, stream);
    buffer.fill(0, 4, 0, N, stream);
    stream.synchronize();
    return buffer;
}

test('a builder needs a stream, a graph comes from complete()', () => {
    const builder = new CudaObj.GraphBuilder();
    assertThrows(() => builder.init(null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'builder');
    assertThrows(() => builder.end(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'uninitialized builder');
    const graph = new CudaObj.Graph();
    assertThrows(() => graph.init(null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'graph');
    assertThrows(() => graph.get_node_count(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'bare graph');
    assertEqual(CudaObj.CaptureMode.RELAXED, 2, 'capture mode');
    // An uninitialized stream refuses callbacks.
    let calls = 0;
    assertThrows(() => new CudaObj.Stream().add_callback(() => calls++),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'callback');
    assertEqual(calls, 0, 'never called');
});

test('capture fills and a copy, replay, update', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const a = newBuffer(device, stream);
    const b = newBuffer(device, stream);
    const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
    assert(builder.capturing && builder.stream === stream, 'capturing');
    a.fill(7, 4, 0, N, stream);
    a.copy_to(b, 0, 0, N * 4, stream);
    assertEqual(builder.get_node_count(), 2, 'nodes');
    assert(builder.end() && builder.ended, 'ended');
    assert(builder.to_dot(false).includes('digraph'), 'dot');
    assertEqual(values(b, stream), '0', 'nothing ran');

    const graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, stream);
    for (let i = 0; i < 3; i++) {
        b.fill(100 + i, 4, 0, N, stream);
        graph.launch(stream);
        assertEqual(values(b, stream), '7', `launch ${i}`);
    }

    const again = new CudaObj.GraphBuilder({stream, mode: CudaObj.CaptureMode.RELAXED});
    assert(again.init(null), 'init');
    a.fill(8, 4, 0, N, stream);
    a.copy_to(b, 0, 0, N * 4, stream);
    again.end();
    graph.update(again);
    graph.launch(stream);
    assertEqual(values(b, stream), '8', 'updated');

    const other = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
    a.fill(9, 4, 0, N, stream);
    other.end();
    const err = assertThrows(() => graph.update(other),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'other shape');
    assert(err.message.includes('topology changed'), err.message);
    b.fill(0, 4, 0, N, stream);
    graph.launch(stream);
    assertEqual(values(b, stream), '8', 'unchanged');
});

test('a capture error leaves the stream usable', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const a = newBuffer(device, stream);
    const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
    a.fill(5, 4, 0, N, stream);
    assertThrows(() => stream.synchronize(), null, 'synchronize during capture');
    assertThrows(() => builder.end(),
        e => e.matches(CudaObj.driver_error_quark(), CudaObj.DriverError.STREAM_CAPTURE_INVALIDATED),
        'end');
    assert(!builder.capturing, 'not capturing');
    a.fill(6, 4, 0, N, stream);
    assertEqual(values(a, stream), '6', 'usable');
});

test('host callbacks in the main loop, once per graph launch', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const a = newBuffer(device, stream);
    let plain = 0;
    stream.add_callback(() => plain++);
    runLoopUntil(() => plain === 1);

    const seen = [];
    const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
    a.fill(3, 4, 0, N, stream);
    stream.add_callback(() => seen.push(values(a, stream)));
    builder.end();
    const graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, null);
    for (let i = 0; i < 3; i++)
        graph.launch(stream);
    runLoopUntil(() => seen.length === 3);
    assertEqual(seen.join(';'), '3;3;3', 'every launch');
    assertEqual(plain, 1, 'the plain callback ran once');
});

await run();
