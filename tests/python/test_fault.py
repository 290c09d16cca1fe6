# SPDX-License-Identifier: LGPL-2.1-or-later
"""A faulting kernel does not end the application: Device.lost fires once in
the main context, Device.reset() recovers in the same process, old objects
raise CLOSED and a good kernel runs afterwards. Each fault runs in a child
process of its own (this file, run as a script), so that one fault's outcome
cannot leak into another's."""
import os
import subprocess
import sys
import time

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

# What <assert.h> expands to in device code; NVRTC declares __assertfail.
SOURCE = r"""
#define assert(e) ((e) ? (void) 0 : __assertfail(#e, __FILE__, __LINE__, __func__, sizeof(char)))
extern "C" __global__ void write_illegal_address(int *p) { *(volatile int *) p = 42; }
extern "C" __global__ void trap(int *p)
{
    if (threadIdx.x == 0) __trap();
    p[threadIdx.x] = 1;
}
extern "C" __global__ void fail_assert(int *p) { assert(p == nullptr); }
extern "C" __global__ void add_one(int *x, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] += 1;
}
"""

# name: (kernel, driver error the first call reports)
FAULTS = {
    "illegal-address": ("write_illegal_address", CudaObj.DriverError.ILLEGAL_ADDRESS),
    "trap": ("trap", CudaObj.DriverError.LAUNCH_FAILED),
    "assert": ("fail_assert", CudaObj.DriverError.ASSERT),
}


def _compile(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    return program.compile(CudaObj.CodeType.CUBIN, None)


def _iterate_until(predicate, timeout=5.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        if not context.iteration(False):
            time.sleep(0.001)


def _assert_closed_by_reset(call):
    with pytest.raises(GLib.Error) as info:
        call()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
    assert "reset of device" in info.value.message


def _good_kernel_runs(device, code):
    stream = device.create_stream()
    x = numpy.arange(256, dtype=numpy.int32) * 3
    buf = CudaObj.Buffer.from_numpy(x, device, stream)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(2, 128), code.get_kernel("add_one"), buf, 256)
    out = buf.copy_to_numpy(dtype=numpy.int32, stream=stream)
    numpy.testing.assert_array_equal(out, x + 1)
    stream.synchronize()


def run_fault(device, code, name):
    """One fault, from launch to reset; raises AssertionError on failure.
    Returns whether the driver gave the process a new context."""
    kernel_name, driver_error = FAULTS[name]
    fault_name = CudaObj.driver_error_get_name(int(driver_error))
    emissions, notifications, in_main = [], [], []

    def on_lost(dev):
        emissions.append(dev.props.lost)
        in_main.append(GLib.MainContext.default().is_owner())

    lost_id = device.connect("lost", on_lost)
    notify_id = device.connect("notify::lost", lambda dev, pspec: notifications.append(dev.props.lost))
    try:
        assert not device.props.lost
        stream = device.create_stream()
        event = device.create_event()
        buf = CudaObj.Buffer.from_numpy(numpy.zeros(32, dtype=numpy.int32), device, stream)
        arg = 0x10 if name == "illegal-address" else buf

        with pytest.raises(GLib.Error) as info:
            CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), code.get_kernel(kernel_name), arg)
            stream.synchronize()
        assert info.value.matches(CudaObj.driver_error_quark(), int(driver_error)), info.value.message
        assert fault_name in info.value.message
        assert device.props.lost

        with pytest.raises(GLib.Error) as info:
            device.synchronize()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.DEVICE_LOST), info.value.message
        assert fault_name in info.value.message

        # Delivered by the main context, not by the failing call; once.
        assert emissions == []
        _iterate_until(lambda: emissions)
        assert emissions == [True]
        assert in_main == [True]
        assert notifications == [True]
        _iterate_until(lambda: False, timeout=0.1)
        assert len(emissions) == 1

        # The reset closes the old objects whatever the driver decides; after a
        # sticky error the drivers we know give the process no new context.
        try:
            device.reset()
            recovered = True
        except GLib.Error as e:
            assert e.matches(CudaObj.error_quark(), CudaObj.Error.DEVICE_LOST), e.message
            assert "restart the process" in e.message
            recovered = False
        assert device.props.lost == (not recovered)
        assert notifications == ([True, False] if recovered else [True])
        _assert_closed_by_reset(stream.synchronize)
        _assert_closed_by_reset(event.query)
        _assert_closed_by_reset(lambda: buf.copy_to_bytes(0, -1, None))
        assert buf.get_closed()
        if recovered:
            # A launch naming a buffer of the old context refuses it, even though
            # the overrides cached its address before the reset.
            with pytest.raises(GLib.Error) as info:
                CudaObj.launch(device.create_stream(), CudaObj.LaunchConfig.new(1, 32),
                               code.get_kernel("add_one"), buf, 32)
            assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED), info.value.message
            _good_kernel_runs(device, code)
        else:
            # Still lost: new work is refused with an error, never a crash.
            with pytest.raises(GLib.Error) as info:
                device.create_stream()
            assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.DEVICE_LOST), info.value.message
        assert len(emissions) == 1
        return recovered
    finally:
        device.disconnect(lost_id)
        device.disconnect(notify_id)


def _child(names):
    device = CudaObj.Device.get(0)
    code = _compile(device)
    for name in names:
        if not run_fault(device, code, name):
            break  # no new context in this process: the GPU work of this one ends


def _healthy_here(device):
    # The fault was in a child: this process and the GPU work on.
    assert not device.props.lost
    _good_kernel_runs(device, _compile(device))


def _run_child(device, *names):
    # A fresh process per case; the parent holds no context worth sharing.
    result = subprocess.run([sys.executable, os.path.abspath(__file__)] + list(names),
                            env=os.environ.copy(), capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_lost_once_then_reset(device, name):
    _run_child(device, name)
    _healthy_here(device)


def test_faults_repeated_in_one_process(device):
    _run_child(device, *(sorted(FAULTS) * 2))
    _healthy_here(device)


def test_reset_of_uninitialized_device_raises():
    # No GPU needed: a Device made without Device.get() has nothing to reset.
    device = GObject.new(CudaObj.Device)
    with pytest.raises(GLib.Error) as info:
        device.reset()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)
    assert not device.props.lost


def test_fault_kernels_compile():
    # NVRTC only, no GPU: a broken kernel source shows here first.
    try:
        options = CudaObj.ProgramOptions(arch="sm_90", std="c++17")
        program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
        ptx = program.compile(CudaObj.CodeType.PTX, None).get_code().get_data().decode()
    except GLib.Error as e:
        if e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND):
            pytest.skip(e.message)
        raise
    for kernel, _ in FAULTS.values():
        assert kernel in ptx
    assert "trap;" in ptx and "__assertfail" in ptx


if __name__ == "__main__":
    _child(sys.argv[1:])
