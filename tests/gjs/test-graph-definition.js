// SPDX-License-Identifier: LGPL-2.1-or-later
// Explicit graphs from GJS: a definition built node by node, its nodes and
// edges, replay, and new kernel node parameters on the executable graph.
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const N = 1024; // 32-bit elements

const SOURCE = `
extern "C" __global__ void add_u32(unsigned int *data, unsigned int value, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) data[i] += value;
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

// The distinct 32-bit values of a buffer, sorted, as a string.
function values(buffer, stream) {
    const bytes = new Uint8Array(buffer.copy_to_bytes(0, -1, stream).toArray());
    const words = new Uint32Array(bytes.buffer);
    return [...new Set(words)].sort((x, y) => x - y).join();
}

function addArgs(buffer, value) {
    const args = CudaObj.KernelArgs.new(3);
    args.set_buffer(0, buffer);
    args.set_uint32(1, value);
    args.set_uint64(2, N);
    return args;
}

test('an uninitialized definition and node refuse work', () => {
    const definition = new CudaObj.GraphDefinition();
    assertThrows(() => definition.init(null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'no device');
    assertThrows(() => definition.add_empty(null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'add_empty');
    const node = new CudaObj.GraphNode();
    assertThrows(() => node.get_dependencies(),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED), 'node');
    assertEqual(CudaObj.GraphNodeType.MEMORY_ALLOCATE, 10, 'node type value');
});

test('a definition: fill, two kernels joined, copy; replay and new parameters', () => {
    const device = deviceOrSkip();
    const stream = device.create_stream();
    const a = device.allocate(N * 4, stream);
    const out = device.allocate(N * 4, stream);
    const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`});
    const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
    const kernel = program.compile(CudaObj.CodeType.CUBIN, null).get_kernel('add_u32');
    const config = CudaObj.LaunchConfig.new_for_size(N, 256);

    const definition = CudaObj.GraphDefinition.new(device);
    const fill = definition.add_memset(a, 1, 4, 0, N, null);
    const first = definition.add_kernel(config, kernel, addArgs(a, 10), [fill]);
    const second = definition.add_kernel(config, kernel, addArgs(a, 100), [first]);
    const copy = definition.add_memcpy(out, 0, a, 0, N * 4, [second]);
    assertEqual(definition.get_nodes().length, 4, 'nodes');
    assertEqual(copy.node_type, CudaObj.GraphNodeType.MEMCPY, 'node type');
    const deps = second.get_dependencies();
    assertEqual(deps.length, 1, 'one dependency');
    assert(deps[0] === first, 'the same node object');
    const [sources, targets] = definition.get_edges();
    assertEqual(sources.length, 3, 'edges');
    assertEqual(targets.length, 3, 'edge targets');
    assert(definition.to_dot(CudaObj.GraphDotFlags.NONE).startsWith('digraph'), 'DOT');

    const graph = definition.instantiate(CudaObj.GraphInstantiateFlags.NONE, stream);
    for (let i = 0; i < 3; i++) {
        out.fill(0, 4, 0, N, stream);
        graph.launch(stream);
        assertEqual(values(out, stream), '111', `replay ${i}`);
    }
    graph.set_kernel_node_params(second, config, kernel, addArgs(a, 5));
    graph.launch(stream);
    assertEqual(values(out, stream), '16', 'new parameters');
    assertThrows(() => graph.set_kernel_node_params(fill, config, kernel, addArgs(a, 5)),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'not a kernel node');
});

run();
