# SPDX-License-Identifier: LGPL-2.1-or-later
"""GraphBuilder beyond one stream from Python: split/join, embed, the
conditional nodes with a condition set on the GPU, and host functions that
run Python on the driver's thread in stream order."""
import ctypes
import struct
import threading
import time
import weakref

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

N = 3072  # 32-bit elements; divisible by 2 and 3

SOURCE = r"""
#include <cuda_device_runtime_api.h>
extern "C" __global__ void add_range (unsigned int *x, unsigned int value,
                                      unsigned long long first, unsigned long long count)
{
  unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
  if (i < count) x[first + i] += value;
}
extern "C" __global__ void set_condition (cudaGraphConditionalHandle handle, const unsigned int *value)
{
  if (blockIdx.x == 0 && threadIdx.x == 0) cudaGraphSetConditional (handle, *value);
}
extern "C" __global__ void count_down (unsigned int *counter, unsigned int *iterations,
                                       cudaGraphConditionalHandle handle)
{
  if (blockIdx.x == 0 && threadIdx.x == 0)
    {
      *counter -= 1;
      *iterations += 1;
      cudaGraphSetConditional (handle, *counter > 0);
    }
}
"""


def expect_error(code, func, *args, domain=None):
    with pytest.raises(GLib.Error) as info:
        func(*args)
    assert info.value.matches(domain or CudaObj.error_quark(), code), info.value.message
    return info.value.message


# Without a GPU.

def test_condition_is_not_constructed_directly():
    message = expect_error(CudaObj.Error.INVALID_ARGUMENT, CudaObj.GraphCondition)
    assert "create_condition" in message
    assert int(CudaObj.GraphConditionFlags.ASSIGN_DEFAULT) == 1


def test_uninitialized_builder_raises():
    # Made without GInitable's init, as a careless binding user can.
    stream = GObject.new(CudaObj.Stream)
    builder = GObject.new(CudaObj.GraphBuilder, stream=stream)
    condition = GObject.new(CudaObj.GraphCondition)
    assert condition.props.handle == 0
    for func, args in [(builder.split, (2,)), (builder.join, ([builder],)), (builder.embed, (builder,)),
                       (builder.create_condition, (0, CudaObj.GraphConditionFlags.NONE)),
                       (builder.if_then, (condition,)), (builder.if_else, (condition,)),
                       (builder.while_loop, (condition,)), (builder.switch_cases, (condition, 2))]:
        expect_error(CudaObj.Error.NOT_INITIALIZED, func, *args)


def test_host_func_on_uninitialized_stream_releases_once():
    stream = GObject.new(CudaObj.Stream)
    calls = []
    expect_error(CudaObj.Error.NOT_INITIALIZED, stream.launch_host_func, lambda: calls.append(1))
    assert calls == []


def test_condition_kernel_compiles_without_gpu():
    options = CudaObj.ProgramOptions(arch="sm_90", std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    try:
        ptx = program.compile(CudaObj.CodeType.PTX, None).get_code().get_data()
    except GLib.Error as e:
        if e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND):
            pytest.skip(e.message)
        raise
    assert b"cudaGraphSetConditional" in ptx


# With a GPU.

@pytest.fixture
def stream(device):
    with device.create_stream() as s:
        yield s


@pytest.fixture
def kernels(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    code = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN, None)
    return {name: code.get_kernel(name) for name in ("add_range", "set_condition", "count_down")}


def new_buffer(device, stream, n, value=0):
    buffer = device.allocate(n * 4, stream)
    assert buffer.fill(value, 4, 0, n, stream)
    assert stream.synchronize()
    return buffer


def read(buffer, stream, first=0, count=None):
    count = buffer.props.size // 4 - first if count is None else count
    data = buffer.copy_to_bytes(first * 4, count * 4, stream).get_data()
    return set(struct.unpack("<%dI" % count, data))


def add(kernels, builder, x, value, first=0, count=N):
    CudaObj.launch(builder.props.stream, CudaObj.LaunchConfig.new_for_size(count, 256), kernels["add_range"],
                   x, value, first, count)


def set_condition(kernels, builder, condition, source):
    CudaObj.launch(builder.props.stream, CudaObj.LaunchConfig.new(1, 1), kernels["set_condition"],
                   condition, source)


def begin(stream):
    return CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)


def complete(builder):
    return builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)


@pytest.mark.parametrize("n", [2, 3])
def test_split_join(device, stream, kernels, n):
    x = new_buffer(device, stream, N)
    builder = begin(stream)
    builders = builder.split(n)
    assert len(builders) == n and builders[0] is builder
    assert len({b.props.stream.get_handle() for b in builders}) == n
    region = N // n
    for i, b in enumerate(builders):
        add(kernels, b, x, i + 1, i * region, region)
    assert builder.join(builders)
    assert not any(b.props.capturing for b in builders[1:])
    assert builder.end()
    assert builder.get_node_count() == n
    graph = complete(builder)
    for _ in range(3):
        assert graph.launch(stream)
    for i in range(n):
        assert read(x, stream, i * region, region) == {3 * (i + 1)}


def test_embed(device, stream, kernels):
    x = new_buffer(device, stream, N)
    child = begin(device.create_stream())
    add(kernels, child, x, 5)
    assert child.end()
    builder = begin(stream)
    assert builder.embed(child)
    add(kernels, builder, x, 100)
    assert builder.embed(child)
    assert builder.end()
    assert builder.get_node_count() == 3
    assert complete(builder).launch(stream)
    assert read(x, stream) == {110}


def test_if_then_and_if_else(device, stream, kernels):
    x = new_buffer(device, stream, N)
    flag = new_buffer(device, stream, 1, 1)
    builder = begin(stream)
    condition = builder.create_condition(0, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT)
    assert condition.props.handle != 0 and condition.props.default_value == 0
    set_condition(kernels, builder, condition, flag)
    body = builder.if_then(condition)
    add(kernels, body, x, 1)
    assert body.end()
    # A condition drives one node: the if/else node after the first gets its
    # own, set from the same flag.
    message = expect_error(CudaObj.Error.INVALID_ARGUMENT, builder.if_else, condition)
    assert "another conditional node" in message
    second = builder.create_condition(0, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT)
    set_condition(kernels, builder, second, flag)
    then_body, else_body = builder.if_else(second)
    add(kernels, then_body, x, 10)
    add(kernels, else_body, x, 1000)
    assert then_body.end() and else_body.end()
    assert builder.end()
    graph = complete(builder)
    assert graph.launch(stream)
    assert read(x, stream) == {11}
    assert flag.fill(0, 4, 0, 1, stream)
    assert graph.launch(stream)
    assert read(x, stream) == {1011}


def test_while_loop(device, stream, kernels):
    counter = new_buffer(device, stream, 1, 6)
    iterations = new_buffer(device, stream, 1, 0)
    builder = begin(stream)
    condition = builder.create_condition(1, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT)
    body = builder.while_loop(condition)
    CudaObj.launch(body.props.stream, CudaObj.LaunchConfig.new(1, 1), kernels["count_down"],
                   counter, iterations, condition)
    assert body.end()
    assert builder.end()
    graph = complete(builder)
    assert graph.launch(stream)
    assert read(counter, stream) == {0} and read(iterations, stream) == {6}
    assert counter.fill(20, 4, 0, 1, stream)
    assert graph.launch(stream)
    assert read(iterations, stream) == {26}


def test_switch(device, stream, kernels):
    x = new_buffer(device, stream, N)
    selector = new_buffer(device, stream, 1, 0)
    builder = begin(stream)
    condition = builder.create_condition(0, CudaObj.GraphConditionFlags.NONE)
    set_condition(kernels, builder, condition, selector)
    bodies = builder.switch_cases(condition, 3)
    for value, body in zip((1, 10, 100), bodies):
        add(kernels, body, x, value)
        assert body.end()
    assert builder.end()
    graph = complete(builder)
    total = 0
    for case, value in enumerate((1, 10, 100, 0)):
        assert selector.fill(case, 4, 0, 1, stream)
        assert graph.launch(stream)
        total += value
        assert read(x, stream) == {total}


def test_errors(device, stream, kernels):
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), kernels["set_condition"],
                       GObject.new(CudaObj.GraphCondition), new_buffer(device, stream, 1))
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)
    builder = begin(stream)
    expect_error(CudaObj.Error.INVALID_ARGUMENT, builder.split, 0)
    other = begin(device.create_stream())
    other_fork = other.split(2)[1]
    message = expect_error(CudaObj.Error.INVALID_ARGUMENT, builder.join, [other_fork])
    assert "another capture" in message
    condition = builder.create_condition(0, CudaObj.GraphConditionFlags.NONE)
    expect_error(CudaObj.Error.INVALID_ARGUMENT, builder.switch_cases, condition, 0)
    body = builder.if_then(condition)
    expect_error(CudaObj.Error.INVALID_ARGUMENT, builder.end)
    assert body.end()
    expect_error(CudaObj.Error.CLOSED, body.while_loop, condition)
    expect_error(CudaObj.Error.INVALID_ARGUMENT, body.complete, CudaObj.GraphInstantiateFlags.NONE, None)
    assert builder.end()
    assert other.join([other_fork]) and other.abort()
    assert not other_fork.props.capturing


def test_host_func_runs_python_in_stream_order(device, stream):
    pinned = CudaObj.LegacyPinnedMemoryResource.new(device).allocate(4, stream)
    x = new_buffer(device, stream, 1)
    view = (ctypes.c_uint32 * 1).from_address(pinned.get_handle())
    view[0] = 1
    seen = []

    def write_late():
        # On the driver's thread: plain Python, no CUDA. Late enough that
        # a copy not ordered after it would read the old value.
        seen.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.05)
        view[0] = 0xC0FFEE

    assert stream.launch_host_func(write_late)
    assert pinned.copy_to(x, 0, 0, 4, stream)
    assert read(x, stream) == {0xC0FFEE}
    assert seen == [False]


class Recorder:
    def __init__(self):
        self.threads = []

    def __call__(self):
        self.threads.append(threading.get_ident())


def test_host_func_captured_runs_every_replay(device, stream):
    recorder = Recorder()
    builder = begin(stream)
    assert stream.launch_host_func(recorder)
    assert builder.end()
    graph = complete(builder)
    assert recorder.threads == []
    for _ in range(5):
        assert graph.launch(stream)
    assert stream.synchronize()
    assert len(recorder.threads) == 5
    assert threading.get_ident() not in recorder.threads
    # The graph holds the function until it is gone, then lets it go once.
    alive = weakref.ref(recorder)
    del recorder
    assert alive() is not None
    del builder, graph
    for _ in range(1000):
        if alive() is None:
            break
        time.sleep(0.01)
    assert alive() is None
