// SPDX-License-Identifier: LGPL-2.1-or-later
// StridedView from Vala: shapes and strides as arrays, bad layouts as errors,
// strided copies to and from GLib.Bytes, DLPack round trips.
using CudaObj;

static GLib.Bytes iota (int n) {
    var data = new int32[n];
    for (int i = 0; i < n; i++)
        data[i] = i;
    unowned uint8[] raw = (uint8[]) data;
    raw.length = n * 4;
    return new GLib.Bytes (raw);
}

static int32[] int32s (GLib.Bytes bytes) {
    var words = new int32[bytes.get_size () / 4];
    GLib.Memory.copy (words, bytes.get_data (), bytes.get_size ());
    return words;
}

static void assert_int32s (GLib.Bytes bytes, int32[] expected) {
    var words = int32s (bytes);
    assert_cmpint (words.length, GLib.CompareOperator.EQ, expected.length);
    for (int i = 0; i < expected.length; i++)
        assert_cmpint (words[i], GLib.CompareOperator.EQ, expected[i]);
}

static void test_shape_and_strides () {
    try {
        var view = new StridedView.for_bytes (iota (12), DataType.INT32, { 3, 4 }, null, 0);
        var shape = view.get_shape ();
        var strides = view.get_strides ();
        assert_cmpint (shape.length, GLib.CompareOperator.EQ, 2);
        assert_cmpint ((int) shape[0], GLib.CompareOperator.EQ, 3);
        assert_cmpint ((int) shape[1], GLib.CompareOperator.EQ, 4);
        assert_cmpint ((int) strides[0], GLib.CompareOperator.EQ, 4);
        assert_cmpint ((int) strides[1], GLib.CompareOperator.EQ, 1);
        assert_true (view.read_only);
        assert_true (view.get_is_contiguous ());
        assert_true (view.dlpack_device_type == DlpackDeviceType.CPU);
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_transposed_copy () {
    try {
        var view = new StridedView.for_bytes (iota (12), DataType.INT32, { 4, 3 }, { 1, 4 }, 0);
        assert_int32s (view.copy_to_bytes (null), { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 });
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_bad_layouts () {
    var bytes = iota (12);
    try {
        new StridedView.for_bytes (bytes, DataType.INT32, { 3, 5 }, null, 0);
        GLib.error ("a view larger than its memory was made");
    } catch (GLib.Error e) {
        assert_error (e, CudaObj.Error.quark (), CudaObj.Error.INVALID_ARGUMENT);
        assert_true ("reach outside" in e.message);
    }
    try {
        new StridedView.for_bytes (bytes, DataType.BYTE, { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, null, 0);
        GLib.error ("a view of rank 9 was made");
    } catch (GLib.Error e) {
        assert_error (e, CudaObj.Error.quark (), CudaObj.Error.INVALID_ARGUMENT);
        assert_true ("at most 8" in e.message);
    }
    try {
        new StridedView.for_bytes (bytes, (DataType) 77, { 1 }, null, 0);
        GLib.error ("a view of an unknown data type was made");
    } catch (GLib.Error e) {
        assert_error (e, CudaObj.Error.quark (), CudaObj.Error.INVALID_ARGUMENT);
    }
}

static void test_dlpack_round_trip () {
    try {
        var view = new StridedView.for_bytes (iota (12), DataType.INT32, { 3, 2 }, { 4, 2 }, 4);
        var address = view.to_dlpack (true, DlpackDeviceType.NONE);
        var back = new StridedView.from_dlpack (address, true);
        assert_true (back.data == view.data);
        assert_true (back.read_only);
        assert_int32s (back.copy_to_bytes (null), { 1, 3, 5, 7, 9, 11 });
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_device_scatter () {
    uint count = 0;
    try {
        count = CudaObj.Device.get_count ();
    } catch (GLib.Error e) {
        GLib.Test.skip ("no usable CUDA driver: " + e.message);
        return;
    }
    if (count == 0) {
        GLib.Test.skip ("the CUDA driver found no device");
        return;
    }
    try {
        var device = CudaObj.Device.get (0);
        var buffer = device.allocate (48, null);
        buffer.fill (0, 1, 0, 48, null);
        var view = new StridedView (buffer, DataType.INT32, { 3, 2 }, { 4, 2 }, 0);
        int32[] values = { 1, 2, 3, 4, 5, 6 };
        unowned uint8[] raw = (uint8[]) values;
        raw.length = 24;
        view.copy_from_bytes (new GLib.Bytes (raw), null);
        assert_int32s (buffer.copy_to_bytes (0, -1, null), { 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0 });
        assert_true (view.data == buffer.handle);
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

public static int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/view/shape-and-strides-are-arrays", test_shape_and_strides);
    GLib.Test.add_func ("/view/transposed-copy", test_transposed_copy);
    GLib.Test.add_func ("/view/bad-layouts-are-errors", test_bad_layouts);
    GLib.Test.add_func ("/view/dlpack-round-trip", test_dlpack_round_trip);
    GLib.Test.add_func ("/view/device-scatter", test_device_scatter);
    return GLib.Test.run ();
}
