// SPDX-License-Identifier: LGPL-2.1-or-later
// StridedView from GJS: shapes and strides as arrays, bad layouts as errors,
// strided copies to and from GLib.Bytes, DLPack round trips.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

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

// 0, 1, ..., n - 1 as int32 bytes.
function iota(n) {
    return new GLib.Bytes(new Uint8Array(Int32Array.from({length: n}, (_, i) => i).buffer));
}

function int32s(bytes) {
    const data = bytes.toArray();
    return Array.from(new Int32Array(data.buffer, data.byteOffset, data.length / 4));
}

function sameArray(actual, expected, message) {
    assertEqual(JSON.stringify(actual), JSON.stringify(expected), message);
}

test('shape and strides are arrays', () => {
    const view = CudaObj.StridedView.new_for_bytes(iota(12), CudaObj.DataType.INT32, [3, 4], null, 0);
    sameArray(view.get_shape(), [3, 4], 'shape');
    sameArray(view.get_strides(), [4, 1], 'strides');
    assertEqual(view.n_dims, 2, 'n-dims');
    assertEqual(view.n_elements, 12, 'n-elements');
    assertEqual(view.data_type, CudaObj.DataType.INT32, 'data-type');
    assertEqual(view.read_only, true, 'read-only');
    assertEqual(view.dlpack_device_type, CudaObj.DlpackDeviceType.CPU, 'dlpack-device-type');
    assertEqual(view.get_is_contiguous(), true, 'contiguous');
});

test('data types have sizes and names', () => {
    assertEqual(CudaObj.DataType.get_item_size(CudaObj.DataType.COMPLEX128), 16, 'complex128');
    assertEqual(CudaObj.DataType.get_name(CudaObj.DataType.BFLOAT16), 'bfloat16', 'bfloat16');
});

test('transposed copy honours the strides', () => {
    const view = CudaObj.StridedView.new_for_bytes(iota(12), CudaObj.DataType.INT32, [4, 3], [1, 4], 0);
    assertEqual(view.get_is_contiguous(), false, 'contiguous');
    sameArray(int32s(view.copy_to_bytes(null)), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], 'transposed');
});

test('negative strides walk backwards', () => {
    const view = CudaObj.StridedView.new_for_bytes(iota(12), CudaObj.DataType.INT32, [4], [-3], 36);
    sameArray(int32s(view.copy_to_bytes(null)), [9, 6, 3, 0], 'reversed');
});

test('bad layouts are errors', () => {
    const bytes = iota(12);
    const invalid = isError(CudaObj.Error.INVALID_ARGUMENT);
    let e = assertThrows(() => CudaObj.StridedView.new_for_bytes(bytes, CudaObj.DataType.INT32, [3, 5], null, 0),
        invalid, 'too large');
    assert(e.message.includes('reach outside'), e.message);
    e = assertThrows(() => CudaObj.StridedView.new_for_bytes(bytes, CudaObj.DataType.BYTE,
        [1, 1, 1, 1, 1, 1, 1, 1, 1], null, 0), invalid, 'rank 9');
    assert(e.message.includes('at most 8'), e.message);
    e = assertThrows(() => CudaObj.StridedView.new_for_bytes(bytes, CudaObj.DataType.INT32, [3, 4], [1], 0),
        invalid, 'stride count');
    assert(e.message.includes('1 strides for a shape of 2'), e.message);
    // GJS itself refuses a value outside the enum before the call.
    assertThrows(() => CudaObj.StridedView.new_for_bytes(bytes, 77, [1], null, 0),
        x => invalid(x) || /not a valid value/.test(x.message), 'data type');
});

test('read-only views refuse writes', () => {
    const view = CudaObj.StridedView.new_for_bytes(iota(4), CudaObj.DataType.INT32, [4], null, 0);
    assertThrows(() => view.copy_from_bytes(iota(4), null), isError(CudaObj.Error.INVALID_ARGUMENT), 'write');
});

test('an uninitialized view is an error, not a crash', () => {
    const view = new CudaObj.StridedView();
    assertThrows(() => view.copy_to_bytes(null), isError(CudaObj.Error.NOT_INITIALIZED), 'copy');
    assertEqual(view.get_data(), 0, 'data');
});

test('DLPack round trip keeps the memory', () => {
    const view = CudaObj.StridedView.new_for_bytes(iota(12), CudaObj.DataType.INT32, [3, 2], [4, 2], 4);
    const address = view.to_dlpack(true, CudaObj.DlpackDeviceType.NONE);
    const back = CudaObj.StridedView.new_from_dlpack(address, true);
    assertEqual(back.get_data(), view.get_data(), 'data pointer');
    sameArray(back.get_strides(), [4, 2], 'strides');
    sameArray(int32s(back.copy_to_bytes(null)), [1, 3, 5, 7, 9, 11], 'elements');
    const unused = view.to_dlpack(false, CudaObj.DlpackDeviceType.NONE);
    CudaObj.StridedView.delete_dlpack(unused, false);
});

test('a strided device view scatters and gathers', () => {
    const device = deviceOrSkip();
    const buffer = device.allocate(48, null);
    buffer.fill(0, 1, 0, 48, null);
    const view = CudaObj.StridedView.new(buffer, CudaObj.DataType.INT32, [3, 2], [4, 2], 0);
    view.copy_from_bytes(new GLib.Bytes(new Uint8Array(Int32Array.from([1, 2, 3, 4, 5, 6]).buffer)), null);
    sameArray(int32s(buffer.copy_to_bytes(0, -1, null)), [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0], 'buffer');
    sameArray(int32s(view.copy_to_bytes(null)), [1, 2, 3, 4, 5, 6], 'view');
    assertEqual(view.data, buffer.handle, 'data pointer');
});

await run();
