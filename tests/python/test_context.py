# SPDX-License-Identifier: LGPL-2.1-or-later
"""Contexts from Python: primary, created, green (SM partitions), foreign;
streams in them; launch attributes; driver entry points through ctypes."""
import ctypes

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void record_sm(unsigned int *out)
{
    unsigned int sm;
    asm volatile("mov.u32 %0, %%smid;" : "=r"(sm));
    long long start = clock64();
    while (clock64() - start < 20000) { }
    if (threadIdx.x == 0) out[blockIdx.x] = sm;
}
extern "C" __global__ void produce(int *data, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    long long start = clock64();
    while (clock64() - start < 100000) { }
    if (i < n) data[i] = i;
    asm volatile("griddepcontrol.launch_dependents;");
}
extern "C" __global__ void consume(const int *data, int *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    asm volatile("griddepcontrol.wait;" ::: "memory");
    if (i < n) out[i] = 2 * data[i];
}
"""

BLOCKS = 1024


@pytest.fixture
def code(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    return CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN)


def sms_used(device, code, stream):
    with device.allocate(BLOCKS * 4, stream) as out:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(BLOCKS, 128), code.get_kernel("record_sm"), out)
        return len(set(out.copy_to_numpy(dtype=numpy.uint32, stream=stream)))


def test_uninitialized_context_and_resource():
    context = CudaObj.Context()
    assert context.is_closed()
    assert context.props.handle == 0
    with pytest.raises(GLib.Error) as info:
        context.make_current()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)
    with pytest.raises(GLib.Error) as info:
        CudaObj.Stream(context=context)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)
    resource = CudaObj.DeviceResource()
    assert resource.props.sm_count == 0
    with pytest.raises(GLib.Error) as info:
        resource.split_by_count(16, 1)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)


@pytest.mark.parametrize("name, version", [("", 12000), ("cuMemGetInfo", 0), ("cuMemGetInfo", 1999)])
def test_get_proc_bad_arguments(name, version):
    with pytest.raises(GLib.Error) as info:
        CudaObj.driver_get_proc(name, version)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)


def test_launch_config_attributes():
    config = CudaObj.LaunchConfig(programmatic_stream_serialization=True, priority=-1)
    assert config.get_programmatic_stream_serialization()
    assert config.props.priority == -1
    config.set_priority(0)
    assert config.get_priority() == 0


def test_primary_context(device, code):
    context = device.get_primary_context()
    assert context.props.is_primary and not context.props.owns_handle
    assert context.props.device == device
    assert context.props.sm_count == device.props.multiprocessor_count
    context.make_current()
    with CudaObj.Stream(context=context, non_blocking=True) as stream:
        assert stream.props.context == context
        assert sms_used(device, code, stream) > 0


def test_created_context(device, code):
    context = device.create_context(CudaObj.ContextFlags.SCHED_BLOCKING_SYNC)
    assert context.props.owns_handle and not context.props.is_primary
    assert context.props.flags & CudaObj.ContextFlags.SCHED_BLOCKING_SYNC
    stream = context.create_stream(True, 0)
    assert stream.props.device == device
    stream.synchronize()
    context.synchronize()
    context.close()
    with pytest.raises(GLib.Error) as info:
        stream.synchronize()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)


@pytest.mark.parametrize("flags", [
    CudaObj.ContextFlags.SCHED_SPIN | CudaObj.ContextFlags.SCHED_YIELD,
    CudaObj.ContextFlags.SCHED_YIELD | CudaObj.ContextFlags.SCHED_BLOCKING_SYNC,
])
def test_created_context_two_schedules(device, flags):
    with pytest.raises(GLib.Error) as info:
        device.create_context(flags)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)


def test_context_manager_closes(device):
    with device.create_context(CudaObj.ContextFlags.NONE) as context:
        stream = context.create_stream(True, 0)
        stream.synchronize()
    assert context.is_closed()
    with pytest.raises(GLib.Error) as info:
        stream.synchronize()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)


def test_foreign_context(device):
    owner = device.create_context(CudaObj.ContextFlags.NONE)
    wrapped = CudaObj.Context.new_from_handle(device, owner.props.handle)
    assert not wrapped.props.owns_handle
    assert wrapped.props.handle == owner.props.handle
    wrapped.close()
    owner.create_stream(True, 0).synchronize()
    assert CudaObj.Context.new_from_handle(device, device.get_primary_context().props.handle).props.is_primary
    with pytest.raises(GLib.Error) as info:
        CudaObj.Context.new_from_handle(device, 0)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    owner.close()


def test_green_context_keeps_to_its_sms(device, code):
    if device.props.compute_capability_major < 9:
        with pytest.raises(GLib.Error) as info:
            device.get_sm_resource()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED)
        return
    whole = device.get_sm_resource()
    assert whole.props.sm_count == device.props.multiprocessor_count
    groups, rest = whole.split_by_count(16, 1)
    assert len(groups) == 1 and groups[0].props.sm_count >= 16
    assert groups[0].props.sm_count + rest.props.sm_count == whole.props.sm_count
    green = CudaObj.Context.new_green(groups[0])
    assert green.props.is_green and green.props.sm_count == groups[0].props.sm_count
    with green.create_stream(False, 0) as stream:
        assert stream.props.non_blocking
        assert 0 < sms_used(device, code, stream) <= green.props.sm_count
    with CudaObj.Context.new_green(rest).create_stream(True, 0) as stream:
        assert sms_used(device, code, stream) <= rest.props.sm_count
    green.close()


@pytest.mark.parametrize("min_count, n_groups", [(0, 1), (100000, 1), (16, 100000)])
def test_impossible_split(device, min_count, n_groups):
    if device.props.compute_capability_major < 9:
        pytest.skip("green contexts need compute capability 9.0")
    with pytest.raises(GLib.Error) as info:
        device.get_sm_resource().split_by_count(min_count, n_groups)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)


def test_programmatic_dependent_launch(device, code):
    n = 64 * 256
    config = CudaObj.LaunchConfig.new(64, 256)
    dependent = CudaObj.LaunchConfig.new(64, 256)
    dependent.props.programmatic_stream_serialization = True
    with device.create_stream() as stream, device.allocate(n * 4, stream) as data, \
            device.allocate(n * 4, stream) as out:
        for _ in range(3):
            out.fill(0xff, 1, 0, n * 4, stream)
            CudaObj.launch(stream, config, code.get_kernel("produce"), data, n)
            CudaObj.launch(stream, dependent, code.get_kernel("consume"), data, out, n)
            numpy.testing.assert_array_equal(out.copy_to_numpy(dtype=numpy.int32, stream=stream),
                                             2 * numpy.arange(n, dtype=numpy.int32))


def test_driver_get_proc_through_ctypes(device):
    address = CudaObj.driver_get_proc("cuMemGetInfo", 3020)
    mem_get_info = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_size_t),
                                    ctypes.POINTER(ctypes.c_size_t))(address)
    device.make_current()
    free, total = ctypes.c_size_t(), ctypes.c_size_t()
    assert mem_get_info(ctypes.byref(free), ctypes.byref(total)) == 0
    assert total.value == device.props.total_memory
    with pytest.raises(GLib.Error) as info:
        CudaObj.driver_get_proc("cuNoSuchEntryPoint", 12000)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.SYMBOL_NOT_FOUND)
