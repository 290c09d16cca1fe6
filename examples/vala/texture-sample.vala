// SPDX-License-Identifier: LGPL-2.1-or-later
// texture-sample: an 8 x 8 RGBA image goes into a CUDA array; a kernel
// samples it through a texture at fractional coordinates, four samples a
// texel in each direction, with bilinear filtering and 8-bit channels read
// as floats in [0, 1]; the 32 x 32 result is read back and checked against
// the same filter computed on the host.
//
// Exits with 77 (a skip for meson) when there is no CUDA device, with 1 on
// any error or wrong result.

const int SIZE = 8;
const int SCALE = 4;
const int OUT = SIZE * SCALE;

const string SOURCE = """
extern "C" __global__ void upscale (cudaTextureObject_t image, float4 *out, int size, float scale)
{
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x < size && y < size)
    out[y * size + x] = tex2D<float4> (image, (x + 0.5f) / scale, (y + 0.5f) / scale);
}
""";

// A gradient in red and green, a checkerboard in blue, opaque.
uint8 channel (int x, int y, int c) {
    switch (c) {
    case 0: return (uint8) (x * 255 / (SIZE - 1));
    case 1: return (uint8) (y * 255 / (SIZE - 1));
    case 2: return (x + y) % 2 == 1 ? 255 : 0;
    default: return 255;
    }
}

// What the texture unit computes: texel centres at + 0.5, edges clamped.
double bilinear (double x, double y, int c) {
    int x0 = (int) Math.floor (x - 0.5), y0 = (int) Math.floor (y - 0.5);
    double a = x - 0.5 - x0, b = y - 0.5 - y0;
    int x1 = (x0 + 1).clamp (0, SIZE - 1), y1 = (y0 + 1).clamp (0, SIZE - 1);
    x0 = x0.clamp (0, SIZE - 1);
    y0 = y0.clamp (0, SIZE - 1);
    return ((1 - a) * (1 - b) * channel (x0, y0, c) + a * (1 - b) * channel (x1, y0, c)
            + (1 - a) * b * channel (x0, y1, c) + a * b * channel (x1, y1, c)) / 255.0;
}

int main () {
    CudaObj.Device device;
    try {
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        printerr ("texture-sample: no CUDA device: %s\n", e.message);
        return 77;
    }

    try {
        var stream = device.create_stream ();
        var pixels = new uint8[SIZE * SIZE * 4];
        for (int y = 0; y < SIZE; y++)
            for (int x = 0; x < SIZE; x++)
                for (int c = 0; c < 4; c++)
                    pixels[(y * SIZE + x) * 4 + c] = channel (x, y, c);
        var image = new CudaObj.Array (device, CudaObj.ArrayFormat.UINT8, 4, SIZE, SIZE, 0);
        image.copy_from_bytes (new GLib.Bytes (pixels), stream);
        // Bilinear filtering returns floats: read the channels as [0, 1].
        var texture = new CudaObj.TextureObject.for_array (image, CudaObj.TextureAddressMode.CLAMP,
                                                           CudaObj.TextureFilterMode.LINEAR,
                                                           CudaObj.TextureReadMode.NORMALIZED_FLOAT, false);

        var options = new CudaObj.ProgramOptions () { arch = "sm_" + device.arch, std = "c++17" };
        var program = new CudaObj.Program (SOURCE, CudaObj.ProgramCodeType.CXX, options);
        var kernel = program.compile (CudaObj.CodeType.CUBIN, null).get_kernel ("upscale");
        var out_buffer = device.allocate (OUT * OUT * 16, stream);
        var args = new CudaObj.KernelArgs.for_kernel (kernel);
        args.set_texture (0, texture);
        args.set_buffer (1, out_buffer);
        args.set_int32 (2, OUT);
        args.set_float (3, SCALE);
        CudaObj.launch (stream, new CudaObj.LaunchConfig.3d (OUT / 16, OUT / 16, 1, 16, 16, 1), kernel, args);

        var result = out_buffer.copy_to_bytes (0, -1, stream);
        unowned float[] samples = (float[]) result.get_data ();
        int wrong = 0;
        for (int y = 0; y < OUT; y++)
            for (int x = 0; x < OUT; x++)
                for (int c = 0; c < 4; c++) {
                    double expected = bilinear ((x + 0.5) / SCALE, (y + 0.5) / SCALE, c);
                    float got = samples[(y * OUT + x) * 4 + c];
                    if (Math.fabs (got - expected) > 2e-3 && wrong++ < 5)
                        printerr ("texture-sample: (%d, %d) channel %d is %g, expected %g\n", x, y, c, got, expected);
                }
        if (wrong > 0) {
            printerr ("texture-sample: %d of %d values are wrong\n", wrong, OUT * OUT * 4);
            return 1;
        }
        int at = (6 * OUT + 6) * 4;
        print ("texture-sample: %dx%d image sampled at %dx%d; at (1.625, 1.625) red %.4f green %.4f blue %.4f\n",
               SIZE, SIZE, OUT, OUT, samples[at], samples[at + 1], samples[at + 2]);
    } catch (GLib.Error e) {
        printerr ("texture-sample: %s\n", e.message);
        return 1;
    }
    return 0;
}
