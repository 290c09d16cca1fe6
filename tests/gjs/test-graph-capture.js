// SPDX-License-Identifier: LGPL-2.1-or-later
// Conditional graph nodes from GJS: a while loop whose condition a kernel
// sets on the GPU, and the errors of a condition made the wrong way.
import GObject from 'gi://GObject';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const SOURCE = `
#include <cuda_device_runtime_api.h>
extern "C" __global__ void count_down(unsigned int *counter, unsigned int *iterations,
                                      cudaGraphConditionalHandle again)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        *counter -= 1;
        *iterations += 1;
        cudaGraphSetConditional(again, *counter > 0);
    }
}
`;

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

function readUint32(buffer, stream) {
    const data = buffer.copy_to_bytes(0, 4, stream).toArray();
    return new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + 4))[0];
}

test('a condition is made by a capturing builder', () => {
    assertThrows(() => new CudaObj.GraphCondition().init(null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'direct construction');
    const builder = GObject.Object.new(CudaObj.GraphBuilder, {stream: GObject.Object.new(CudaObj.Stream, {})});
    assertThrows(() => builder.create_condition(0, CudaObj.GraphConditionFlags.NONE),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'uninitialized builder');
    assertThrows(() => builder.while_loop(GObject.Object.new(CudaObj.GraphCondition, {})),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'uninitialized builder');
});

test('a while loop runs until a kernel clears its condition', () => {
    const device = deviceOrSkip();
    const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
    const kernel = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
        .compile(CudaObj.CodeType.CUBIN, null).get_kernel('count_down');
    const stream = device.create_stream();
    const counter = device.allocate(4, stream);
    const iterations = device.allocate(4, stream);
    counter.fill(7, 4, 0, 1, stream);
    iterations.fill(0, 4, 0, 1, stream);
    stream.synchronize();

    const builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL);
    const again = builder.create_condition(1, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT);
    assert(again.handle !== 0, 'the condition has a handle');
    const body = builder.while_loop(again);
    assert(body.capturing && body.stream !== stream, 'the body captures its own stream');
    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    args.set_buffer(0, counter);
    args.set_buffer(1, iterations);
    args.set_condition(2, again);
    CudaObj.launch(body.stream, CudaObj.LaunchConfig.new(1, 1), kernel, args);
    body.end();
    builder.end();
    const graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, null);

    graph.launch(stream);
    assertEqual(readUint32(counter, stream), 0, 'counter');
    assertEqual(readUint32(iterations, stream), 7, 'iterations');
    counter.fill(3, 4, 0, 1, stream);
    graph.launch(stream);
    assertEqual(readUint32(iterations, stream), 10, 'iterations after a second launch');
    // A body after its end takes no more nodes.
    assertThrows(() => body.while_loop(again),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED), 'ended body');
});

await run();
