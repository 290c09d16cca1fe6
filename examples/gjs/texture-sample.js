// SPDX-License-Identifier: LGPL-2.1-or-later
// texture-sample: sample an image at fractional coordinates through a
// texture, in GJS (run with `gjs -m texture-sample.js`).
//
// An 8 x 8 RGBA image goes into a CUDA array; a kernel samples it through a
// texture, four samples a texel in each direction, with bilinear filtering
// and the 8-bit channels read as floats in [0, 1]; the 32 x 32 result is
// read back and checked against the same filter computed here.
//
// Exit status: 0 when every value is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
extern "C" __global__ void upscale(cudaTextureObject_t image, float4 *out, int size, float scale)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < size && y < size)
        out[y * size + x] = tex2D<float4>(image, (x + 0.5f) / scale, (y + 0.5f) / scale);
}
`;

const SIZE = 8, SCALE = 4, OUT = SIZE * SCALE;

// A gradient in red and green, a checkerboard in blue, opaque.
const channel = (x, y, c) =>
    [Math.floor(x * 255 / (SIZE - 1)), Math.floor(y * 255 / (SIZE - 1)), (x + y) % 2 ? 255 : 0, 255][c];

// What the texture unit computes: texel centres at + 0.5, edges clamped.
function bilinear(x, y, c) {
    const clamp = i => Math.min(Math.max(i, 0), SIZE - 1);
    const texel = (i, j) => channel(clamp(i), clamp(j), c);
    const x0 = Math.floor(x - 0.5), y0 = Math.floor(y - 0.5);
    const a = x - 0.5 - x0, b = y - 0.5 - y0;
    return ((1 - a) * (1 - b) * texel(x0, y0) + a * (1 - b) * texel(x0 + 1, y0) +
        (1 - a) * b * texel(x0, y0 + 1) + a * b * texel(x0 + 1, y0 + 1)) / 255;
}

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`texture-sample: no CUDA device: ${e.message}`);
    System.exit(77);
}
const stream = device.create_stream();

const pixels = new Uint8Array(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
        for (let c = 0; c < 4; c++)
            pixels[(y * SIZE + x) * 4 + c] = channel(x, y, c);
    }
}
const image = CudaObj.Array.new(device, CudaObj.ArrayFormat.UINT8, 4, SIZE, SIZE, 0);
image.copy_from_bytes(new GLib.Bytes(pixels), stream);
// Bilinear filtering returns floats: read the channels as [0, 1].
const texture = CudaObj.TextureObject.new_for_array(image, CudaObj.TextureAddressMode.CLAMP,
    CudaObj.TextureFilterMode.LINEAR, CudaObj.TextureReadMode.NORMALIZED_FLOAT, false);

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const kernel = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    .compile(CudaObj.CodeType.CUBIN, null).get_kernel('upscale');
const out = device.allocate(OUT * OUT * 16, stream);
const args = CudaObj.KernelArgs.new_for_kernel(kernel);
args.set_texture(0, texture);
args.set_buffer(1, out);
args.set_int32(2, OUT);
args.set_float(3, SCALE);
CudaObj.launch(stream, CudaObj.LaunchConfig.new_3d(OUT / 16, OUT / 16, 1, 16, 16, 1), kernel, args);

const data = out.copy_to_bytes(0, -1, stream).toArray();
const samples = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
let wrong = 0;
for (let y = 0; y < OUT; y++) {
    for (let x = 0; x < OUT; x++) {
        for (let c = 0; c < 4; c++) {
            const expected = bilinear((x + 0.5) / SCALE, (y + 0.5) / SCALE, c);
            const got = samples[(y * OUT + x) * 4 + c];
            if (Math.abs(got - expected) > 2e-3 && wrong++ < 5)
                printerr(`texture-sample: (${x}, ${y}) channel ${c} is ${got}, expected ${expected}`);
        }
    }
}
if (wrong > 0) {
    printerr(`texture-sample: ${wrong} of ${OUT * OUT * 4} values are wrong`);
    System.exit(1);
}
const at = (6 * OUT + 6) * 4;
print(`texture-sample: ${SIZE}x${SIZE} image sampled at ${OUT}x${OUT}; at (1.625, 1.625) ` +
    `red ${samples[at].toFixed(4)} green ${samples[at + 1].toFixed(4)} blue ${samples[at + 2].toFixed(4)}`);
