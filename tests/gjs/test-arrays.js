// SPDX-License-Identifier: LGPL-2.1-or-later
// Array, TextureObject, SurfaceObject and TensorMap from GJS: each class's
// checks without a device, then its use on the GPU (a texture sampled and a
// surface written by kernels, a tensor map passed as a kernel argument).
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

const SOURCE = `
extern "C" __global__ void sample(cudaTextureObject_t texture, float *out, unsigned int n)
{
    unsigned int i = threadIdx.x;
    if (i < n) out[i] = tex2D<float>(texture, 0.5f * i + 0.5f, 0.5f);
}
extern "C" __global__ void fill(cudaSurfaceObject_t surface, unsigned int width)
{
    unsigned int x = threadIdx.x;
    if (x < width) surf1Dwrite((float) (3 * x), surface, (int) (x * sizeof(float)));
}`;

function deviceOrSkip() {
    let count;
    try {
        count = CudaObj.Device.get_count();
    } catch (e) {
        throw new SkipTest(`no usable CUDA driver: ${e.message}`);
    }
    if (count === 0)
        throw new SkipTest('the CUDA driver found no device');
    return CudaObj.Device.get(0);
}

const isError = code => e => e.matches(CudaObj.error_quark(), code);

function kernel(device, name) {
    const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`});
    return CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
        .compile(CudaObj.CodeType.CUBIN, null).get_kernel(name);
}

function floats(bytes) {
    const data = bytes.toArray();
    return Array.from(new Float32Array(data.buffer, data.byteOffset, data.length / 4));
}

const floatBytes = values => new GLib.Bytes(new Uint8Array(Float32Array.from(values).buffer));

test('Array: shapes are checked, data round-trips', () => {
    assertThrows(() => new CudaObj.Array({width: 4, channels: 3}).init(null),
        isError(CudaObj.Error.INVALID_ARGUMENT));
    const empty = new CudaObj.Array({width: 4, height: 2, channels: 2});
    assertEqual(empty.get_size(), 4 * 2 * 2 * 4, 'size');
    assertThrows(() => empty.copy_to_bytes(null), isError(CudaObj.Error.NOT_INITIALIZED));

    const device = deviceOrSkip();
    const array = CudaObj.Array.new(device, CudaObj.ArrayFormat.FLOAT, 1, 6, 3, 0);
    const values = Array.from({length: 18}, (_, i) => i * 0.5);
    array.copy_from_bytes(floatBytes(values), null);
    assertEqual(JSON.stringify(floats(array.copy_to_bytes(null))), JSON.stringify(values), 'round trip');
    assertEqual(JSON.stringify(floats(array.copy_region_to_bytes(2, 1, 0, 2, 1, 1, null))),
        JSON.stringify([values[8], values[9]]), 'region');
});

test('TextureObject: configuration is checked, kernels sample it', () => {
    const integers = new CudaObj.Array({width: 4, height: 4, format: CudaObj.ArrayFormat.UINT8});
    assertThrows(() => CudaObj.TextureObject.new_for_array(integers, CudaObj.TextureAddressMode.CLAMP,
        CudaObj.TextureFilterMode.LINEAR, CudaObj.TextureReadMode.ELEMENT_TYPE, false),
    isError(CudaObj.Error.INVALID_ARGUMENT));
    assertThrows(() => CudaObj.KernelArgs.new(1).set_texture(0, new CudaObj.TextureObject()),
        isError(CudaObj.Error.NOT_INITIALIZED));

    const device = deviceOrSkip();
    const array = CudaObj.Array.new(device, CudaObj.ArrayFormat.FLOAT, 1, 4, 1, 0);
    array.copy_from_bytes(floatBytes([0, 10, 20, 30]), null);
    const texture = CudaObj.TextureObject.new_for_array(array, CudaObj.TextureAddressMode.CLAMP,
        CudaObj.TextureFilterMode.LINEAR, CudaObj.TextureReadMode.ELEMENT_TYPE, false);
    assert(texture.handle > 0, 'handle');
    const stream = device.create_stream();
    const out = device.allocate(7 * 4, stream);
    const args = CudaObj.KernelArgs.new(3);
    args.set_texture(0, texture);
    args.set_buffer(1, out);
    args.set_uint32(2, 7);
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel(device, 'sample'), args);
    // Every half texel: the texels, and halfway between them.
    const got = floats(out.copy_to_bytes(0, -1, stream));
    [0, 5, 10, 15, 20, 25, 30].forEach((expected, i) =>
        assert(Math.abs(got[i] - expected) < 1e-3, `sample ${i}: ${got[i]}, expected ${expected}`));
});

test('SurfaceObject: needs surface load and store, kernels write it', () => {
    assertThrows(() => CudaObj.SurfaceObject.new(new CudaObj.Array({width: 4})),
        isError(CudaObj.Error.INVALID_ARGUMENT));

    const device = deviceOrSkip();
    const array = CudaObj.Array.new_full(device, CudaObj.ArrayFormat.FLOAT, 1, 16, 0, 0, 0,
        CudaObj.ArrayFlags.SURFACE_LOAD_STORE);
    const surface = CudaObj.SurfaceObject.new(array);
    const args = CudaObj.KernelArgs.new(2);
    args.set_surface(0, surface);
    args.set_uint32(1, 16);
    const stream = device.create_stream();
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel(device, 'fill'), args);
    assertEqual(JSON.stringify(floats(array.copy_to_bytes(stream))),
        JSON.stringify(Array.from({length: 16}, (_, x) => 3 * x)), 'written');
});

test('TensorMap: layouts are checked, the map is a 128-byte argument', () => {
    const host = CudaObj.StridedView.new_for_bytes(new GLib.Bytes(new Uint8Array(4096)),
        CudaObj.DataType.FLOAT32, [8, 3], null, 0);
    assertThrows(() => CudaObj.TensorMap.new_tiled(host, [4, 4], null, CudaObj.TensorMapInterleave.NONE,
        CudaObj.TensorMapSwizzle.NONE, CudaObj.TensorMapL2Promotion.NONE, CudaObj.TensorMapOobFill.ZERO),
    isError(CudaObj.Error.INVALID_ARGUMENT));
    const empty = GObject.Object.new(CudaObj.TensorMap, {});
    assertEqual(empty.get_bytes(), null, 'empty map');

    const device = deviceOrSkip();
    if (device.compute_capability_major < 9)
        throw new SkipTest('tensor maps need compute capability 9.0 or later');
    const buffer = device.allocate(64 * 64 * 4, null);
    const map = CudaObj.TensorMap.new_tiled(buffer.view(CudaObj.DataType.FLOAT32, [64, 64], null, 0),
        [32, 32], null, CudaObj.TensorMapInterleave.NONE, CudaObj.TensorMapSwizzle.BYTES_128,
        CudaObj.TensorMapL2Promotion.BYTES_256, CudaObj.TensorMapOobFill.NAN);
    assertEqual(map.rank, 2, 'rank');
    assertEqual(map.address, buffer.handle, 'address');
    assertEqual(map.get_bytes().get_size(), CudaObj.TENSOR_MAP_SIZE, 'size');
    const args = CudaObj.KernelArgs.new(1);
    args.set_tensor_map(0, map);
    assertEqual(args.get_size(0), 128, 'argument size');
});

await run();
