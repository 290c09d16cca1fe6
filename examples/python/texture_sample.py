#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""texture_sample: sample an image at fractional coordinates through a texture.

An 8 x 8 RGBA image goes into a CUDA array; a kernel samples it through a
texture, four samples a texel in each direction, with bilinear filtering and
the 8-bit channels read as floats in [0, 1]; the 32 x 32 result is read back
and checked against the same filter computed here.

Exit status: 0 when every value is right, 1 when one is not, 77 (skip) when
there is no usable CUDA device.
"""
import math
import struct
import sys

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void upscale(cudaTextureObject_t image, float4 *out, int size, float scale)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < size && y < size)
        out[y * size + x] = tex2D<float4>(image, (x + 0.5f) / scale, (y + 0.5f) / scale);
}
"""

SIZE, SCALE = 8, 4
OUT = SIZE * SCALE


def channel(x, y, c):
    """A gradient in red and green, a checkerboard in blue, opaque."""
    return (x * 255 // (SIZE - 1), y * 255 // (SIZE - 1), 255 if (x + y) % 2 else 0, 255)[c]


def bilinear(x, y, c):
    """What the texture unit computes: texel centres at + 0.5, edges clamped."""
    xb, yb = x - 0.5, y - 0.5
    x0, y0 = math.floor(xb), math.floor(yb)
    a, b = xb - x0, yb - y0

    def texel(i, j):
        return channel(min(max(i, 0), SIZE - 1), min(max(j, 0), SIZE - 1), c)

    return ((1 - a) * (1 - b) * texel(x0, y0) + a * (1 - b) * texel(x0 + 1, y0)
            + (1 - a) * b * texel(x0, y0 + 1) + a * b * texel(x0 + 1, y0 + 1)) / 255


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("texture_sample: no CUDA device: %s" % e.message, file=sys.stderr)
        return 77
    stream = device.create_stream()

    pixels = bytes(channel(x, y, c) for y in range(SIZE) for x in range(SIZE) for c in range(4))
    image = CudaObj.Array(device=device, format=CudaObj.ArrayFormat.UINT8, channels=4, width=SIZE, height=SIZE)
    image.copy_from_bytes(pixels, stream)
    # Bilinear filtering returns floats: read the channels as [0, 1].
    texture = CudaObj.TextureObject(array=image, filter_mode=CudaObj.TextureFilterMode.LINEAR,
                                    read_mode=CudaObj.TextureReadMode.NORMALIZED_FLOAT)

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    kernel = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile().get_kernel("upscale")
    out = device.allocate(OUT * OUT * 16, stream)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_3d(OUT // 16, OUT // 16, 1, 16, 16, 1), kernel,
                   texture, out, OUT, float(SCALE))
    samples = struct.unpack("%df" % (OUT * OUT * 4), out.copy_to_bytes(0, -1, stream).get_data())

    wrong = [(x, y, c) for y in range(OUT) for x in range(OUT) for c in range(4)
             if abs(samples[(y * OUT + x) * 4 + c] - bilinear((x + 0.5) / SCALE, (y + 0.5) / SCALE, c)) > 2e-3]
    if wrong:
        x, y, c = wrong[0]
        print("texture_sample: %d of %d values are wrong; (%d, %d) channel %d is %g, expected %g"
              % (len(wrong), OUT * OUT * 4, x, y, c, samples[(y * OUT + x) * 4 + c],
                 bilinear((x + 0.5) / SCALE, (y + 0.5) / SCALE, c)), file=sys.stderr)
        return 1
    at = (6 * OUT + 6) * 4
    print("texture_sample: %dx%d image sampled at %dx%d; at (1.625, 1.625) red %.4f green %.4f blue %.4f"
          % (SIZE, SIZE, OUT, OUT, samples[at], samples[at + 1], samples[at + 2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
