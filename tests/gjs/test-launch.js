// SPDX-License-Identifier: LGPL-2.1-or-later
// Compile, launch and check from GJS: the vector-add path and the
// "completed" signal in a main loop.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const SOURCE = `
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}`;

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

function compile(device) {
    const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`});
    const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
    return program.compile(CudaObj.CodeType.CUBIN, null);
}

function bytesOf(floats) {
    return new GLib.Bytes(new Uint8Array(floats.buffer));
}

test('launch checks arguments without a GPU-independent shortcut', () => {
    // KernelArgs and LaunchConfig are plain data: usable anywhere.
    const args = CudaObj.KernelArgs.new(2);
    args.set_float(0, 1.5);
    args.set_uint64(1, 7);
    assertEqual(args.get_size(0), 4);
    assertEqual(args.get_size(1), 8);
    const config = CudaObj.LaunchConfig.new_for_size(1000, 256);
    assertEqual(config.grid_x, 4);
    assertEqual(config.block_x, 256);
});

test('vector add', () => {
    const device = deviceOrSkip();
    const kernel = compile(device).get_kernel('vector_add');
    assertEqual(kernel.argument_count, 4);
    const n = 10000;
    const a = new Float32Array(n), b = new Float32Array(n);
    for (let i = 0; i < n; i++) {
        a[i] = i;
        b[i] = 2 * i;
    }
    const stream = device.create_stream();
    const da = device.allocate(a.byteLength, stream);
    const db = device.allocate(b.byteLength, stream);
    const dc = device.allocate(a.byteLength, stream);
    da.copy_from_bytes(bytesOf(a), 0, stream);
    db.copy_from_bytes(bytesOf(b), 0, stream);
    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, da);
    args.set_buffer(1, db);
    args.set_buffer(2, dc);
    args.set_uint64(3, n);
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(n, 256), kernel, args);
    const out = new Float32Array(dc.copy_to_bytes(0, -1, stream).toArray().buffer);
    for (let i = 0; i < n; i++)
        assertEqual(out[i], 3 * i, `element ${i}`);
    // Wrong argument count: a GError, then a correct launch works.
    assertThrows(() => CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, CudaObj.KernelArgs.new(2)),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'argument count');
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(n, 256), kernel, args);
    stream.synchronize();
    for (const buffer of [da, db, dc])
        buffer.close(stream);
    stream.close();
});

test('"completed" after a launch, in the main loop', () => {
    const device = deviceOrSkip();
    const kernel = compile(device).get_kernel('vector_add');
    const stream = device.create_stream();
    const n = 1 << 20;
    const buffer = device.allocate(4 * n, stream);
    buffer.fill(0, 4, 0, n, stream); // the kernel reads it: defined values
    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, buffer);
    args.set_buffer(1, buffer);
    args.set_buffer(2, buffer);
    args.set_uint64(3, n);
    const event = device.create_event();
    const loop = new GLib.MainLoop(null, false);
    let completed = 0;
    event.connect('completed', () => {
        completed++;
        loop.quit();
    });
    const guard = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 30, () => {
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(n, 256), kernel, args);
    event.record(stream);
    loop.run();
    GLib.source_remove(guard);
    assertEqual(completed, 1, 'completed emissions');
    assert(event.query(), 'event finished');
    buffer.close(stream);
});

await run();
