# SPDX-License-Identifier: LGPL-2.1-or-later
"""Explicit graphs from Python: GraphDefinition and GraphNode, every node
kind, edges, host functions called on the driver's thread, kernel node
parameters changed on an executable graph, errors."""
import struct
import threading

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

# The C API as introspected, for objects the overrides would initialize.
C = get_introspection_module("CudaObj")

N = 1024  # 32-bit elements

SOURCE = r"""
extern "C" __global__ void add_u32(unsigned int *data, unsigned int value, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) data[i] += value;
}
"""


def values(buffer, stream):
    data = buffer.copy_to_bytes(0, -1, stream).get_data()
    return set(struct.unpack("<%dI" % (len(data) // 4), data))


def new_buffer(device, stream, value=0):
    buffer = device.allocate(N * 4, stream)
    assert buffer.fill(value, 4, 0, N, stream)
    assert stream.synchronize()
    return buffer


def add_args(address, value, count=N):
    args = CudaObj.KernelArgs.new(3)
    args.set_pointer(0, address)
    args.set_uint32(1, value)
    args.set_uint64(2, count)
    return args


# Without a GPU.

def test_definition_without_device_raises():
    with pytest.raises(GLib.Error) as info:
        CudaObj.GraphDefinition()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "device" in info.value.message


def test_node_is_not_constructed_directly():
    with pytest.raises(GLib.Error) as info:
        CudaObj.GraphNode()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    node = C.GraphNode()
    assert node.props.node_type == CudaObj.GraphNodeType.EMPTY
    assert node.props.definition is None
    with pytest.raises(GLib.Error) as info:
        node.get_dependencies()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)


def test_uninitialized_definition_raises():
    definition = C.GraphDefinition()
    for call in (lambda: definition.add_empty(None),
                 lambda: definition.get_nodes(),
                 lambda: definition.get_edges(),
                 lambda: definition.instantiate(CudaObj.GraphInstantiateFlags.NONE, None),
                 lambda: definition.to_dot(CudaObj.GraphDotFlags.VERBOSE)):
        with pytest.raises(GLib.Error) as info:
            call()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)


def test_enums_mirror_the_driver():
    assert int(CudaObj.GraphNodeType.KERNEL) == 0
    assert int(CudaObj.GraphNodeType.CHILD_GRAPH) == 4
    assert int(CudaObj.GraphNodeType.MEMORY_ALLOCATE) == 10
    assert int(CudaObj.GraphNodeType.CONDITIONAL) == 13
    assert int(CudaObj.GraphDotFlags.VERBOSE) == 1
    assert int(CudaObj.GraphDotFlags.HANDLES) == 1 << 10


# With a GPU.

@pytest.fixture
def stream(device):
    with device.create_stream() as s:
        yield s


@pytest.fixture
def kernel(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch)
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    return program.compile(CudaObj.CodeType.CUBIN, None).get_kernel("add_u32")


def test_every_node_kind_and_edges(device, stream, kernel):
    a = new_buffer(device, stream)
    b = new_buffer(device, stream)
    ready = device.create_event()
    done = device.create_event()
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    calls = []

    child = CudaObj.GraphDefinition.new(device)
    child_fill = child.add_memset(a, 2, 4, 0, N, None)

    d = CudaObj.GraphDefinition.new(device)
    wait = d.add_event_wait(ready, None)
    sub = d.add_child_graph(child, [wait])
    kern = d.add_kernel(config, kernel, add_args(a.props.handle, 3), [sub])
    host = d.add_host_function(lambda *_: calls.append(threading.get_ident()), [kern])
    alloc = d.add_memory_allocate(N * 4, [host])
    scratch = CudaObj.Buffer.new_from_handle(device, alloc.props.address, N * 4, alloc)
    copy_in = d.add_memcpy(scratch, 0, a, 0, N * 4, [alloc])
    fill = d.add_memset(b, 0, 4, 0, N, None)
    join = d.add_empty([copy_in, fill])
    copy_out = d.add_memcpy(b, 0, scratch, 0, N * 4, [join])
    free = d.add_memory_free(alloc.get_address(), [copy_out])
    record = d.add_event_record(done, [free])

    kinds = {node.props.node_type for node in d.get_nodes()}
    assert kinds == {CudaObj.GraphNodeType.EVENT_WAIT, CudaObj.GraphNodeType.CHILD_GRAPH,
                     CudaObj.GraphNodeType.KERNEL, CudaObj.GraphNodeType.HOST,
                     CudaObj.GraphNodeType.MEMORY_ALLOCATE, CudaObj.GraphNodeType.MEMCPY,
                     CudaObj.GraphNodeType.MEMSET, CudaObj.GraphNodeType.EMPTY,
                     CudaObj.GraphNodeType.MEMORY_FREE, CudaObj.GraphNodeType.EVENT_RECORD}
    assert len(d.get_nodes()) == 11
    assert alloc.props.size == N * 4 and alloc.props.address != 0
    assert kern.get_definition() is d and child_fill.props.definition is child
    assert set(join.get_dependencies()) == {copy_in, fill}
    assert join.get_dependents() == [copy_out]
    sources, targets = d.get_edges()
    edges = set(zip(sources, targets))
    assert len(sources) == len(targets) == len(edges)
    for edge in ((wait, sub), (sub, kern), (kern, host), (copy_in, join), (fill, join), (join, copy_out),
                 (copy_out, free)):
        assert edge in edges
    assert (free, record) in set(zip(sources, targets))

    dot = d.to_dot(CudaObj.GraphDotFlags.VERBOSE)
    assert dot.startswith("digraph")

    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, stream)
    for i in range(3):
        assert ready.record(stream)
        assert graph.launch(stream)
        assert done.synchronize()
        assert values(b, stream) == {5}
    assert stream.synchronize()
    # The host function ran on the driver's thread, once per launch.
    assert len(calls) == 3
    assert threading.get_ident() not in calls


def test_host_function_takes_the_gil(device, stream):
    """Python code on the driver's thread while this thread waits in C."""
    d = CudaObj.GraphDefinition.new(device)
    seen = []

    def busy(*_):
        # Pure Python work: only runs while holding the GIL.
        seen.append(sum(range(10000)))

    first = d.add_host_function(busy, None)
    d.add_host_function(busy, [first])
    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    for _ in range(20):
        assert graph.launch(stream)
    assert stream.synchronize()
    assert seen == [sum(range(10000))] * 40


def test_host_function_data_released_after_last_graph(device, stream):
    d = CudaObj.GraphDefinition.new(device)
    released = threading.Event()

    class Payload:
        def __call__(self):
            pass

        def __del__(self):
            released.set()

    d.add_host_function(Payload(), None)
    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    assert graph.launch(stream)
    assert stream.synchronize()
    del d
    assert not released.is_set()
    del graph
    assert released.wait(10)


def test_diamond_and_replay(device, stream, kernel):
    a = new_buffer(device, stream)
    out = new_buffer(device, stream)
    config = CudaObj.LaunchConfig.new_for_size(N // 2, 256)
    half = N // 2
    d = CudaObj.GraphDefinition.new(device)
    root = d.add_memset(a, 1, 4, 0, N, None)
    left = d.add_kernel(config, kernel, add_args(a.props.handle, 10, half), [root])
    right = d.add_kernel(config, kernel, add_args(a.props.handle + half * 4, 20, half), [root])
    join = d.add_memcpy(out, 0, a, 0, N * 4, [left])
    assert d.add_dependency(right, join)
    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    for _ in range(5):
        assert out.fill(0, 4, 0, N, stream)
        assert graph.launch(stream)
        data = struct.unpack("<%dI" % N, out.copy_to_bytes(0, -1, stream).get_data())
        assert set(data[:half]) == {11} and set(data[half:]) == {21}


def test_set_kernel_node_params_changes_next_replay(device, stream, kernel):
    a = new_buffer(device, stream)
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    d = CudaObj.GraphDefinition.new(device)
    fill = d.add_memset(a, 0, 4, 0, N, None)
    args = add_args(a.props.handle, 1)
    node = d.add_kernel(config, kernel, args, [fill])
    args.set_uint32(1, 99)  # copied at add time: no effect
    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    assert graph.launch(stream)
    assert values(a, stream) == {1}
    assert graph.set_kernel_node_params(node, config, kernel, add_args(a.props.handle, 42))
    assert graph.launch(stream)
    assert values(a, stream) == {42}

    with pytest.raises(GLib.Error) as info:
        graph.set_kernel_node_params(fill, config, kernel, args)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error) as info:
        graph.set_kernel_node_params(node, config, kernel, CudaObj.KernelArgs.new(2))
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)


def test_errors(device, stream, kernel):
    a = new_buffer(device, stream)
    d = CudaObj.GraphDefinition.new(device)
    other = CudaObj.GraphDefinition.new(device)
    foreign = other.add_empty(None)
    for call, code in (
            (lambda: d.add_empty([foreign]), CudaObj.Error.INVALID_ARGUMENT),
            (lambda: d.add_kernel(CudaObj.LaunchConfig.new(1, 1), kernel, CudaObj.KernelArgs.new(1), None),
             CudaObj.Error.INVALID_ARGUMENT),
            (lambda: d.add_memset(a, 0, 4, 0, N + 1, None), CudaObj.Error.INVALID_ARGUMENT),
            (lambda: d.add_memory_allocate(0, None), CudaObj.Error.INVALID_ARGUMENT)):
        with pytest.raises(GLib.Error) as info:
            call()
        assert info.value.matches(CudaObj.error_quark(), code), info.value.message
    b = new_buffer(device, stream)
    assert b.close(stream)
    with pytest.raises(GLib.Error) as info:
        d.add_memcpy(b, 0, a, 0, 4, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
    assert d.get_nodes() == []

    # A node that outlives its definition.
    del other
    assert foreign.props.definition is None
    with pytest.raises(GLib.Error) as info:
        foreign.get_dependents()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)


def test_empty_definition_instantiates(device, stream):
    d = CudaObj.GraphDefinition.new(device)
    graph = d.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    assert graph.launch(stream)
    assert stream.synchronize()
    assert graph.get_node_count() == 0


def test_definition_new_from_handle_zero_raises():
    # A device never initialized: the handle is checked first.
    with pytest.raises(GLib.Error) as info:
        CudaObj.GraphDefinition.new_from_handle(C.Device(), 0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "handle 0" in info.value.message


def test_definition_new_from_handle_without_driver_raises(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.GraphDefinition.new_from_handle(C.Device(), 0x1234, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)


def test_definition_new_from_handle(device, stream, kernel):
    a = new_buffer(device, stream, 1)
    owned = CudaObj.GraphDefinition.new(device)
    first = owned.add_empty(None)
    wrapper = CudaObj.GraphDefinition.new_from_handle(device, owned.props.handle, owned)
    assert wrapper.props.handle == owned.props.handle
    assert owned.props.owns_handle and not wrapper.props.owns_handle
    # The node added through the owner is adopted with its type.
    nodes = wrapper.get_nodes()
    assert len(nodes) == 1 and nodes[0].props.node_type == CudaObj.GraphNodeType.EMPTY
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    wrapper.add_kernel(config, kernel, add_args(a.props.handle, 4), [nodes[0]])
    graph = wrapper.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    assert graph.get_node_count() == 2
    assert graph.launch(stream)
    assert values(a, stream) == {5}
    del graph, wrapper
    # The CUgraph lives on, with the node the wrapper added.
    assert len(owned.get_nodes()) == 2 and first in owned.get_nodes()
    assert owned.instantiate(CudaObj.GraphInstantiateFlags.NONE, None).launch(stream)
    assert values(a, stream) == {9}
