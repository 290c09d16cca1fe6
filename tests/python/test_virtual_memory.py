# SPDX-License-Identifier: LGPL-2.1-or-later
"""VirtualMemoryResource from Python: construction checks, rounding,
growth without copying (the handle is re-read after a grow), access for a
second device and fd export."""
import array
import os

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

Granularity = CudaObj.VirtualMemoryGranularity
HandleType = CudaObj.VirtualMemoryHandleType
Access = CudaObj.VirtualMemoryAccess


IOTA = r"""
extern "C" __global__ void iota(unsigned int *out, unsigned int first, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = first + (unsigned int) i;
}
"""


def pattern(size, seed=0):
    return bytes((i * 13 + seed) & 0xFF for i in range(size))


def assert_error(info, code):
    assert info.value.matches(CudaObj.error_quark(), code), info.value.message


# Without a GPU.

def test_uninitialized_resource_says_so():
    resource = GObject.new(CudaObj.VirtualMemoryResource)
    buffer, device = GObject.new(CudaObj.Buffer), GObject.new(CudaObj.Device)
    assert resource.get_granularity() == 0
    assert resource.props.granularity_mode == Granularity.RECOMMENDED
    assert resource.props.handle_type == HandleType.NONE
    for call in (lambda: resource.allocate(64, None),
                 lambda: resource.grow(buffer, 64),
                 lambda: resource.set_access(device, Access.READ_WRITE),
                 lambda: resource.get_access(device),
                 lambda: resource.get_n_chunks(buffer),
                 lambda: resource.export_handle(buffer, 0)):
        with pytest.raises(GLib.Error) as info:
            call()
        assert_error(info, CudaObj.Error.NOT_INITIALIZED)


def test_without_driver_raises(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.VirtualMemoryResource()
    assert_error(info, CudaObj.Error.LIBRARY_NOT_FOUND)


# With a GPU.

def test_allocate_rounds_to_granularity(device):
    resource = CudaObj.VirtualMemoryResource(device=device)
    granularity = resource.props.granularity
    assert granularity > 0 and granularity == resource.get_granularity()
    minimum = CudaObj.VirtualMemoryResource.new(device, Granularity.MINIMUM, HandleType.NONE)
    assert 0 < minimum.get_granularity() <= granularity
    buffer = resource.allocate(granularity + 1, None)
    assert buffer.props.size == 2 * granularity
    assert buffer.props.memory_resource is resource
    data = pattern(buffer.props.size, 5)
    buffer.copy_from_bytes(GLib.Bytes.new(data), 0, None)
    assert buffer.copy_to_bytes(0, -1, None).get_data() == data
    assert buffer.close(None)
    with pytest.raises(GLib.Error) as info:
        resource.allocate(0, None)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)


def test_grow_keeps_contents(device):
    resource = CudaObj.VirtualMemoryResource(device=device)
    granularity = resource.get_granularity()
    buffer = resource.allocate(granularity, None)
    head = pattern(granularity, 1)
    buffer.copy_from_bytes(GLib.Bytes.new(head), 0, None)
    moves = []
    buffer.connect("notify::handle", lambda b, _pspec: moves.append(b.props.handle))
    before = buffer.props.handle

    assert resource.grow(buffer, 4 * granularity - 1)
    assert buffer.props.size == 4 * granularity
    assert resource.get_n_chunks(buffer) == 2
    # Moved or not, the handle is the buffer's address now.
    assert (buffer.props.handle == before) == (moves == [])
    assert buffer.copy_to_bytes(0, granularity, None).get_data() == head
    tail = pattern(3 * granularity, 2)
    buffer.copy_from_bytes(GLib.Bytes.new(tail), granularity, None)
    assert buffer.copy_to_bytes(0, -1, None).get_data() == head + tail

    with pytest.raises(GLib.Error) as info:
        resource.grow(buffer, granularity)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    assert buffer.props.size == 4 * granularity
    buffer.close(None)
    with pytest.raises(GLib.Error) as info:
        resource.grow(buffer, 8 * granularity)
    assert_error(info, CudaObj.Error.CLOSED)


def test_launch_after_grow_uses_the_new_address(device):
    # CudaObj.launch caches a buffer's address between launches: a grow that
    # moves the buffer must not leave the old address in that cache.
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    kernel = CudaObj.Program.new(IOTA, CudaObj.ProgramCodeType.CXX, options).compile().get_kernel("iota")
    resource = CudaObj.VirtualMemoryResource(device=device)
    granularity = resource.get_granularity()
    buffer = resource.allocate(granularity, None)
    # Likely placed right after the buffer, so that growing has to move it.
    neighbour = resource.allocate(granularity, None)
    stream = device.create_stream()
    n = granularity // 4
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(n, 256), kernel, buffer, 1, n)
    stream.synchronize()
    before = buffer.props.handle

    assert resource.grow(buffer, 2 * granularity)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(2 * n, 256), kernel, buffer, 7, 2 * n)
    stream.synchronize()
    words = array.array("I", buffer.copy_to_bytes(0, -1, stream).get_data())
    assert len(words) == 2 * n
    assert words[0] == 7 and words[n] == 7 + n and words[-1] == 7 + 2 * n - 1
    print("grew", "in place" if buffer.props.handle == before else "by moving")
    for b in (buffer, neighbour):
        b.close(stream)
    stream.synchronize()


def test_grow_refuses_foreign_buffers(device):
    resource = CudaObj.VirtualMemoryResource(device=device)
    other = CudaObj.VirtualMemoryResource(device=device)
    for foreign in (device.allocate(1 << 20, None), other.allocate(1, None)):
        with pytest.raises(GLib.Error) as info:
            resource.grow(foreign, 1 << 24)
        assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
        assert "not allocated by this VirtualMemoryResource" in info.value.message
        foreign.close(None)


def test_access(device):
    resource = CudaObj.VirtualMemoryResource(device=device)
    assert resource.get_access(device) == Access.READ_WRITE
    assert resource.set_access(device, Access.READ_WRITE)
    with pytest.raises(GLib.Error) as info:
        resource.set_access(device, Access.NONE)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    if CudaObj.Device.get_count() < 2:
        pytest.skip("access from a second device needs two GPUs")
    peer = CudaObj.Device.get(1)
    if not peer.can_access_peer(device):
        with pytest.raises(GLib.Error) as info:
            resource.set_access(peer, Access.READ_WRITE)
        assert_error(info, CudaObj.Error.NOT_SUPPORTED)
        pytest.skip("device 1 cannot access device 0's memory as a peer")
    buffer = resource.allocate(1, None)
    assert resource.get_access(peer) == Access.NONE
    assert resource.set_access(peer, Access.READ_WRITE)
    assert resource.get_access(peer) == Access.READ_WRITE
    assert resource.grow(buffer, 2 * resource.get_granularity())
    assert resource.set_access(peer, Access.NONE)
    assert resource.get_access(peer) == Access.NONE
    buffer.close(None)


def test_export_needs_a_handle_type(device):
    plain = CudaObj.VirtualMemoryResource(device=device)
    buffer = plain.allocate(1, None)
    with pytest.raises(GLib.Error) as info:
        plain.export_handle(buffer, 0)
    assert_error(info, CudaObj.Error.NOT_SUPPORTED)
    buffer.close(None)
    if not device.get_attribute(CudaObj.DeviceAttribute.HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED):
        pytest.skip("the device cannot export memory as POSIX file descriptors")
    resource = CudaObj.VirtualMemoryResource(device=device, handle_type=HandleType.POSIX_FD)
    buffer = resource.allocate(1, None)
    fd, offset, size = resource.export_handle(buffer, 0)
    assert fd >= 0 and offset == 0 and size == resource.get_granularity()
    os.close(fd)
    with pytest.raises(GLib.Error) as info:
        resource.export_handle(buffer, 1)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    buffer.close(None)
