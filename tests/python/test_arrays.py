# SPDX-License-Identifier: LGPL-2.1-or-later
"""Array, TextureObject, SurfaceObject and TensorMap from Python: the checks
that need no device, then round trips, sampling, surface writes and a TMA
copy through CudaObj.launch, which takes textures, surfaces and tensor maps
as arguments."""
import struct

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

Format = CudaObj.ArrayFormat
Flags = CudaObj.ArrayFlags
Address = CudaObj.TextureAddressMode
Filter = CudaObj.TextureFilterMode
Read = CudaObj.TextureReadMode
DataType = CudaObj.DataType

KERNELS = r"""
extern "C" __global__ void sample2d(cudaTextureObject_t texture, const float2 *xy, float *out, unsigned int n)
{
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = tex2D<float>(texture, xy[i].x, xy[i].y);
}

extern "C" __global__ void fill(cudaSurfaceObject_t surface, unsigned int width, unsigned int height)
{
    unsigned int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < width && y < height)
        surf2Dwrite((int) (x * y), surface, (int) (x * sizeof(int)), (int) y);
}
"""

# One block copies a 32 x 32 tile at (x, y) through shared memory, as 2 v + 1.
TMA = r"""
struct __align__(64) TensorMap { unsigned long long opaque[16]; };
extern "C" __global__ void tma(const __grid_constant__ TensorMap in_map,
                               const __grid_constant__ TensorMap out_map, int x, int y)
{
    __shared__ __align__(128) float tile[32 * 32];
    __shared__ __align__(8) unsigned long long barrier;
    unsigned int t = (unsigned int) __cvta_generic_to_shared(tile);
    unsigned int b = (unsigned int) __cvta_generic_to_shared(&barrier);
    unsigned int done = 0;
    if (threadIdx.x == 0) {
        asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" :: "r"(b));
        asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;"
                     :: "r"(b), "r"((unsigned int) sizeof tile) : "memory");
        asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes"
                     " [%0], [%1, {%2, %3}], [%4];"
                     :: "r"(t), "l"((unsigned long long) &in_map), "r"(x), "r"(y), "r"(b) : "memory");
    }
    while (!done)
        asm volatile("{\n .reg .pred p;\n mbarrier.try_wait.parity.shared::cta.b64 p, [%1], 0;\n"
                     " selp.u32 %0, 1, 0, p;\n}" : "=r"(done) : "r"(b) : "memory");
    for (unsigned int i = threadIdx.x; i < 32 * 32; i += blockDim.x)
        tile[i] = 2.0f * tile[i] + 1.0f;
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (threadIdx.x == 0) {
        asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%1, %2}], [%3];"
                     :: "l"((unsigned long long) &out_map), "r"(x), "r"(y), "r"(t) : "memory");
        asm volatile("cp.async.bulk.commit_group;" ::: "memory");
        asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory");
    }
}
"""


def assert_error(info, code):
    assert info.value.matches(CudaObj.error_quark(), code), info.value.message


def compile_kernel(device, source, name):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    return CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options).compile().get_kernel(name)


def host_view(data_type, shape, strides=None, offset=0, size=4096):
    return CudaObj.StridedView.new_for_bytes(GLib.Bytes(bytes(size)), data_type, shape, strides, offset)


# Without a GPU.

@pytest.mark.parametrize("properties, message", [
    (dict(channels=3, width=4), "1, 2 or 4"),
    (dict(width=0), "width is 0"),
    (dict(width=4, height=4, depth=2, layers=2), "not both"),
    (dict(width=4, depth=2), "needs a height"),
    (dict(width=4, height=4), "needs a device"),
])
def test_array_refuses_a_shape(properties, message):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Array(**properties)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    assert message in info.value.message


def test_uninitialized_array_has_no_memory():
    array = GObject.new(CudaObj.Array, width=4, height=2, format=Format.UINT16, channels=2)
    assert array.get_size() == 4 * 2 * 4
    assert array.props.handle == 0
    with pytest.raises(GLib.Error) as info:
        array.copy_to_bytes(None)
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)
    with pytest.raises(GLib.Error) as info:
        array.copy_from_bytes(GLib.Bytes(bytes(16)), None)
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)
    # Plain bytes-like objects are taken too, and reach the same check.
    for data in (bytes(16), bytearray(16), memoryview(bytes(16))):
        with pytest.raises(GLib.Error) as info:
            array.copy_from_bytes(data)
        assert_error(info, CudaObj.Error.NOT_INITIALIZED)
    with pytest.raises(TypeError):
        array.copy_from_bytes(16)


def test_texture_refuses_linear_filtering_of_integers():
    array = GObject.new(CudaObj.Array, width=4, height=4, format=Format.UINT8)
    with pytest.raises(GLib.Error) as info:
        CudaObj.TextureObject(array=array, filter_mode=Filter.LINEAR)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    assert "normalized-float" in info.value.message
    with pytest.raises(GLib.Error) as info:
        CudaObj.TextureObject(array=array, address_mode=Address.WRAP)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)


def test_surface_needs_surface_load_store():
    with pytest.raises(GLib.Error) as info:
        CudaObj.SurfaceObject(array=GObject.new(CudaObj.Array, width=4))
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error) as info:
        CudaObj.SurfaceObject(array=GObject.new(CudaObj.Array, width=4, flags=Flags.SURFACE_LOAD_STORE))
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)


@pytest.mark.parametrize("shape, strides, box, message", [
    ((8, 3), None, (4, 4), "multiples of 16"),
    ((8, 8), (16, 2), (4, 4), "contiguous"),
    ((8, 16), None, (4, 3), "multiple of 16"),
    ((8, 16), None, (4,), "box sizes"),
    ((8, 16), None, (4, 4), "not device memory"),
])
def test_tensor_map_checks_the_layout(shape, strides, box, message):
    view = host_view(DataType.FLOAT32, shape, strides)
    with pytest.raises(GLib.Error) as info:
        CudaObj.TensorMap.new_tiled(view, box, None, CudaObj.TensorMapInterleave.NONE,
                                    CudaObj.TensorMapSwizzle.NONE, CudaObj.TensorMapL2Promotion.NONE,
                                    CudaObj.TensorMapOobFill.ZERO)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    assert message in info.value.message


def test_empty_tensor_map():
    tensor_map = GObject.new(CudaObj.TensorMap)
    assert tensor_map.get_bytes() is None
    assert tensor_map.props.rank == 0
    with pytest.raises(GLib.Error) as info:
        tensor_map.replace_address(4096)
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)
    with pytest.raises(GLib.Error) as info:
        CudaObj.KernelArgs.new(1).set_tensor_map(0, tensor_map)
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)


# On the GPU.

def test_array_round_trip(device):
    array = CudaObj.Array(device=device, format=Format.INT16, channels=2, width=7, height=5, depth=3)
    data = bytes((i * 31) & 0xFF for i in range(array.get_size()))
    assert array.copy_from_bytes(data)
    assert array.copy_to_bytes(None).get_data() == data
    region = array.copy_region_to_bytes(1, 2, 1, 3, 2, 2, None).get_data()
    element = 4
    expected = b"".join(data[((z * 5 + y) * 7 + 1) * element:((z * 5 + y) * 7 + 4) * element]
                        for z in (1, 2) for y in (2, 3))
    assert region == expected
    with pytest.raises(GLib.Error) as info:
        array.copy_from_bytes(GLib.Bytes(data[:-1]), None)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT)
    assert str(array.get_size()) in info.value.message


def test_texture_sampling_through_launch(device):
    stream = device.create_stream()
    array = CudaObj.Array(device=device, format=Format.FLOAT, channels=1, width=4, height=2)
    # Texel (x, y) is x + 10 y.
    array.copy_from_bytes(GLib.Bytes(struct.pack("8f", *[x + 10 * y for y in range(2) for x in range(4)])),
                          stream)
    texture = CudaObj.TextureObject(array=array, filter_mode=Filter.LINEAR)
    assert texture.props.handle != 0
    points = [(0.5, 0.5), (1.0, 0.5), (2.5, 1.0), (3.5, 1.5)]
    xy = device.allocate(8 * 4, stream)
    xy.copy_from_bytes(GLib.Bytes(struct.pack("8f", *[c for p in points for c in p])), 0, stream)
    out = device.allocate(4 * 4, stream)
    kernel = compile_kernel(device, KERNELS, "sample2d")
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, texture, xy, out, 4)
    got = struct.unpack("4f", out.copy_to_bytes(0, -1, stream).get_data())
    assert got == pytest.approx([0.0, 0.5, 7.0, 13.0], abs=1e-4)

    # A texture for the 4-byte count is refused before anything launches.
    with pytest.raises(TypeError):
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, texture, xy, out, texture)


def test_surface_write_through_launch(device):
    stream = device.create_stream()
    array = CudaObj.Array(device=device, format=Format.INT32, width=20, height=6, flags=Flags.SURFACE_LOAD_STORE)
    surface = CudaObj.SurfaceObject(array=array)
    kernel = compile_kernel(device, KERNELS, "fill")
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_3d(2, 1, 1, 16, 8, 1), kernel, surface, 20, 6)
    got = struct.unpack("120i", array.copy_to_bytes(stream).get_data())
    assert list(got) == [x * y for y in range(6) for x in range(20)]


def test_tensor_map_copy_through_launch(device):
    if device.props.compute_capability_major < 9:
        pytest.skip("tensor maps need compute capability 9.0 or later")
    n = 64
    stream = device.create_stream()
    source = device.allocate(n * n * 4, stream)
    source.copy_from_bytes(GLib.Bytes(struct.pack("%df" % (n * n), *range(n * n))), 0, stream)
    target = device.allocate(n * n * 4, stream)
    target.fill(0, 4, 0, n * n, stream)

    def tile_map(buffer):
        view = buffer.view(DataType.FLOAT32, (n, n))
        return CudaObj.TensorMap.new_tiled(view, (32, 32), None, CudaObj.TensorMapInterleave.NONE,
                                           CudaObj.TensorMapSwizzle.NONE, CudaObj.TensorMapL2Promotion.BYTES_128,
                                           CudaObj.TensorMapOobFill.ZERO)

    in_map, out_map = tile_map(source), tile_map(target)
    assert len(in_map.get_bytes().get_data()) == CudaObj.TENSOR_MAP_SIZE
    kernel = compile_kernel(device, TMA, "tma")
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 128), kernel, in_map, out_map, 16, 32)
    got = struct.unpack("%df" % (n * n), target.copy_to_bytes(0, -1, stream).get_data())
    for r in range(n):
        for c in range(n):
            inside = 16 <= c < 48 and 32 <= r < 64
            assert got[r * n + c] == (2.0 * (r * n + c) + 1.0 if inside else 0.0), (r, c)
