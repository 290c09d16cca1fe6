// SPDX-License-Identifier: LGPL-2.1-or-later
// Contexts and green contexts from GJS.
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

test('an uninitialized context raises instead of crashing', () => {
    const context = new CudaObj.Context();
    assert(context.is_closed(), 'closed until initialized');
    assertEqual(context.handle, 0);
    assertThrows(() => context.synchronize(), isError(CudaObj.Error.NOT_INITIALIZED), 'synchronize');
    const stream = new CudaObj.Stream({context});
    assertThrows(() => stream.init(null), isError(CudaObj.Error.NOT_INITIALIZED), 'stream in it');
});

test('the primary context and a created one', () => {
    const device = deviceOrSkip();
    const primary = device.get_primary_context();
    assert(primary.is_primary && !primary.owns_handle, 'primary, not owned');
    const created = device.create_context(CudaObj.ContextFlags.SCHED_YIELD);
    assert(created.owns_handle && created.handle !== primary.handle, 'a context of its own');
    assert(created.flags & CudaObj.ContextFlags.SCHED_YIELD, 'its flags');
    const stream = created.create_stream(true, 0);
    assertEqual(stream.context, created);
    stream.synchronize();
    created.close();
    assertThrows(() => stream.synchronize(), isError(CudaObj.Error.CLOSED), 'stream of a closed context');
});

test('a green context on a share of the SMs', () => {
    const device = deviceOrSkip();
    if (device.compute_capability_major < 9)
        throw new SkipTest('green contexts need compute capability 9.0');
    const whole = device.get_sm_resource();
    assertEqual(whole.sm_count, device.multiprocessor_count);
    const [groups, rest] = whole.split_by_count(16, 1);
    assertEqual(groups.length, 1);
    assertEqual(groups[0].sm_count + rest.sm_count, whole.sm_count);
    const green = CudaObj.Context.new_green(groups[0]);
    assert(green.is_green, 'green');
    assertEqual(green.sm_count, groups[0].sm_count);
    const stream = green.create_stream(false, 0);
    assert(stream.non_blocking, 'green streams are non-blocking');
    stream.synchronize();
    stream.close();
    green.close();
    assertThrows(() => whole.split_by_count(whole.sm_count + 1, 1), isError(CudaObj.Error.INVALID_ARGUMENT),
        'a group larger than the device');
});

await run();
