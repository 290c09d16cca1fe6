#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""vector_add_mmap: vector addition in memory from CUDA's virtual memory API.

CUDA's vectorAddMMAP sample from Python: the three vectors come from a
VirtualMemoryResource on device 0 (reserved address ranges with physical
memory mapped into them), readable and writable by every other device that
can reach device 0's memory as a peer. Device 0 adds them; numpy checks.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device or it has no virtual memory management.
"""
import sys

import gi

try:
    import numpy
except ImportError:
    print("vector_add_mmap: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}
"""

N = 50000


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("vector_add_mmap: no CUDA device:", e.message, file=sys.stderr)
        return 77
    if not device.get_attribute(CudaObj.DeviceAttribute.VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED):
        print("vector_add_mmap: device 0 has no virtual memory management", file=sys.stderr)
        return 77

    # The memory lives on device 0; every device that can reach it as a
    # peer may read and write it.
    resource = CudaObj.VirtualMemoryResource(device=device)
    peers = [peer for peer in CudaObj.Device.get_all()[1:] if peer.can_access_peer(device)]
    for peer in peers:
        resource.set_access(peer, CudaObj.VirtualMemoryAccess.READ_WRITE)

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    kernel = program.compile(CudaObj.CodeType.CUBIN).get_kernel("vector_add")

    rng = numpy.random.default_rng(2024)
    a = rng.random(N, dtype=numpy.float32)
    b = rng.random(N, dtype=numpy.float32)

    # Allocation is synchronous; each buffer is rounded up to the granularity.
    d_a, d_b, d_c = (resource.allocate(a.nbytes, None) for _ in range(3))
    stream = device.create_stream()
    d_a.copy_from_numpy(a, stream=stream)
    d_b.copy_from_numpy(b, stream=stream)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(N, 256), kernel, d_a, d_b, d_c, N)
    c = d_c.copy_to_numpy(dtype=numpy.float32, stream=stream)[:N]
    size = d_c.props.size
    # Closing unmaps the memory once the stream has finished with it.
    for buffer in (d_a, d_b, d_c):
        buffer.close(stream)

    wrong = numpy.flatnonzero(c != a + b)
    if wrong.size:
        i = wrong[0]
        print("vector_add_mmap: %d of %d elements wrong, first c[%d] = %r, expected %r"
              % (wrong.size, N, i, c[i], a[i] + b[i]), file=sys.stderr)
        return 1
    print("vector_add_mmap: %d elements on %s: all correct; buffers of %d bytes (granularity %d), "
          "%d peer device(s) with access" % (N, device.props.name, size, resource.props.granularity, len(peers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
