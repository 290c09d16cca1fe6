#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""memory_resources: the same kernel over memory from each kind of resource,
and a memory resource written in Python.

- the device's default resource: stream-ordered memory from its pool
- LegacyPinnedMemoryResource: page-locked host memory, which kernels reach over the bus
- PinnedMemoryResource: the same from a pool, stream-ordered (CUDA 12.6 drivers)
- ManagedMemoryResource: unified memory that migrates between host and device
- SyncMemoryResource: plain cuMemAlloc/cuMemFree
- CountingResource (below): any Python class implementing CudaObj.MemoryResource

Host-accessible memory (pinned, managed) is used in place through numpy;
device memory is copied in and out.

Exit status: 0 when every result is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device.
"""
import ctypes
import sys

import gi

try:
    import numpy
except ImportError:
    print("memory_resources: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

SOURCE = r"""
extern "C" __global__ void affine(float *x, float a, float b, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        x[i] = a * x[i] + b;
}
"""

N = 1 << 16


class CountingResource(GObject.Object, CudaObj.MemoryResource):
    """Takes memory from an upstream resource and keeps count of what is
    live: the C library, and every language, allocates through it like
    through any other resource."""

    # The interface's properties.
    device = GObject.Property(type=CudaObj.Device)
    is_device_accessible = GObject.Property(type=bool, default=True)
    is_host_accessible = GObject.Property(type=bool, default=False)

    def __init__(self, upstream):
        super().__init__(device=upstream.get_device(),
                         is_device_accessible=upstream.get_is_device_accessible(),
                         is_host_accessible=upstream.get_is_host_accessible())
        self.upstream = upstream
        self.blocks = {}  # handle -> the upstream's Buffer
        self.live_bytes = self.peak_bytes = self.allocations = 0

    def do_allocate(self, size, stream):
        block = self.upstream.allocate(size, stream)
        self.blocks[block.get_handle()] = block
        self.allocations += 1
        self.live_bytes += size
        self.peak_bytes = max(self.peak_bytes, self.live_bytes)
        # A Buffer of this resource: closing it calls do_deallocate.
        return CudaObj.Buffer.new_for_resource(self, block.get_handle(), size)

    def do_deallocate(self, handle, size, stream):
        self.blocks.pop(handle).close(stream)
        self.live_bytes -= size
        return True


def host_view(buffer, count):
    """A numpy array over host-accessible memory, without copying."""
    pointer = ctypes.cast(buffer.get_handle(), ctypes.POINTER(ctypes.c_float))
    return numpy.ctypeslib.as_array(pointer, shape=(count,))


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("memory_resources: no CUDA device:", e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    kernel = program.compile(CudaObj.CodeType.CUBIN).get_kernel("affine")

    counting = CountingResource(device.get_memory_resource())
    resources = [
        ("device pool", device.get_memory_resource()),
        ("legacy pinned", CudaObj.LegacyPinnedMemoryResource.new(device)),
        ("managed", CudaObj.ManagedMemoryResource.new(device)),
        ("sync", CudaObj.SyncMemoryResource.new(device)),
        ("python", counting),
    ]
    try:
        resources.append(("pinned pool", CudaObj.PinnedMemoryResource(device=device)))
    except GLib.Error as e:
        if not e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED):
            raise
        # Without host pools (before CUDA 12.6) the legacy resource is the pinned memory there is.
        print("memory_resources: no pinned pool:", e.message)

    stream = device.create_stream()
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    x = numpy.arange(N, dtype=numpy.float32)
    expected = 2 * x + 1  # whole numbers: exact on both sides
    failures = 0
    for label, resource in resources:
        buffer = resource.allocate(x.nbytes, stream)
        address = buffer.get_handle()
        in_place = buffer.get_is_host_accessible()
        if in_place:
            # Touch host-visible memory only while the stream is idle (some
            # devices allow no host access to managed memory during GPU work).
            stream.synchronize()
            view = host_view(buffer, N)
            view[:] = x
        else:
            buffer.copy_from_numpy(x, 0, stream)

        CudaObj.launch(stream, config, kernel, buffer, 2.0, 1.0, N)

        if in_place:
            stream.synchronize()  # the kernel has written the memory numpy sees
            result = view.copy()
            del view
        else:
            result = buffer.copy_to_numpy(dtype=numpy.float32, stream=stream)
        buffer.close(stream)

        ok = numpy.array_equal(result, expected)
        failures += not ok
        print("memory_resources: %-11s %-28s %s %d bytes at 0x%x: %s"
              % (label, type(resource).__name__, "in place" if in_place else "copied  ",
                 x.nbytes, address, "correct" if ok else "WRONG"),
              file=sys.stdout if ok else sys.stderr)
    stream.synchronize()

    print("memory_resources: CountingResource: %d allocation(s), peak %d bytes, %d bytes live"
          % (counting.allocations, counting.peak_bytes, counting.live_bytes))
    if counting.live_bytes != 0 or counting.blocks:
        print("memory_resources: CountingResource leaked", file=sys.stderr)
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
