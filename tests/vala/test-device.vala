// SPDX-License-Identifier: LGPL-2.1-or-later
// Device, loader and errors from Vala.
using CudaObj;

static CudaObj.Device? device_or_skip () {
    uint count;
    try {
        count = CudaObj.Device.get_count ();
    } catch (GLib.Error e) {
        GLib.Test.skip ("no usable CUDA driver: " + e.message);
        return null;
    }
    if (count == 0) {
        GLib.Test.skip ("the CUDA driver found no device");
        return null;
    }
    try {
        return CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        assert_no_error (e);
        return null;
    }
}

static void test_enums () {
    assert (CudaObj.DriverError.OUT_OF_MEMORY == 2);
    assert (CudaObj.DriverError.get_name (2) == "CUDA_ERROR_OUT_OF_MEMORY");
    assert (CudaObj.DeviceAttribute.WARP_SIZE == 10);
}

static void test_loader () {
    try {
        CudaObj.Library.NVRTC.load ();
        int major, minor;
        CudaObj.get_nvrtc_version (out major, out minor);
        assert (major >= 12);
        assert ("libnvrtc" in CudaObj.Library.NVRTC.get_path ());
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_no_driver () {
    try {
        CudaObj.Library.DRIVER.load ();
        GLib.Test.skip ("a CUDA driver is present; the no-driver path is tested where there is none");
        return;
    } catch (GLib.Error e) {
    }
    try {
        CudaObj.Device.get (0);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.LIBRARY_NOT_FOUND);
        assert ("libcuda.so.1" in e.message);
    }
}

static void test_device () {
    var device = device_or_skip ();
    if (device == null)
        return;
    assert (device.name.length > 0);
    assert (device.arch == "%d%d".printf (device.compute_capability_major, device.compute_capability_minor));
    assert (device.warp_size == 32);
    assert (device.total_memory > (1 << 30));
    try {
        assert (device.get_attribute (CudaObj.DeviceAttribute.WARP_SIZE) == 32);
        assert (CudaObj.Device.get (0) == device);
        uint64 free_bytes, total_bytes;
        device.get_memory_info (out free_bytes, out total_bytes);
        assert (free_bytes > 0 && free_bytes <= total_bytes);
        assert (device.can_access_peer (device));
        device.synchronize ();
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_device_bad_input () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        CudaObj.Device.get (CudaObj.Device.get_count ());
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.NO_DEVICE);
    }
    try {
        device.get_attribute ((CudaObj.DeviceAttribute) 100000);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e.code == CudaObj.DriverError.INVALID_VALUE);
    }
}

static void assert_no_error (GLib.Error e) {
    GLib.error ("unexpected error: %s", e.message);
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/enums", test_enums);
    GLib.Test.add_func ("/vala/loader", test_loader);
    GLib.Test.add_func ("/vala/no-driver", test_no_driver);
    GLib.Test.add_func ("/vala/device", test_device);
    GLib.Test.add_func ("/vala/device-bad-input", test_device_bad_input);
    return GLib.Test.run ();
}
