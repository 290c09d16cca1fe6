// SPDX-License-Identifier: LGPL-2.1-or-later
// Memory resources and buffers from Vala, including a resource written in Vala.
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

static void assert_no_error (GLib.Error e) {
    GLib.error ("unexpected error: %s", e.message);
}

static GLib.Bytes pattern (size_t size, uint8 seed) {
    var data = new uint8[size];
    for (size_t i = 0; i < size; i++)
        data[i] = (uint8) (i * 7 + seed);
    return new GLib.Bytes (data);
}

// A resource implemented in Vala: memory from an inner resource, calls counted.
class Recording : GLib.Object, CudaObj.MemoryResource {
    public CudaObj.Device device { get; construct; }
    public bool is_device_accessible { get { return true; } }
    public bool is_host_accessible { get { return false; } }
    public CudaObj.MemoryResource? inner;
    public GLib.HashTable<uint64?, CudaObj.Buffer> live =
        new GLib.HashTable<uint64?, CudaObj.Buffer> (GLib.int64_hash, GLib.int64_equal);
    public uint deallocations = 0;
    public uint64 last_handle = 0;

    public Recording (CudaObj.Device? device, CudaObj.MemoryResource? inner) {
        Object (device: device);
        this.inner = inner;
    }

    public CudaObj.Buffer allocate (size_t size, CudaObj.Stream? stream) throws GLib.Error {
        if (inner == null)
            throw new CudaObj.Error.NOT_SUPPORTED ("no memory here");
        var block = inner.allocate (size, stream);
        live.insert (block.handle, block);
        return new CudaObj.Buffer.for_resource (this, block.handle, size);
    }

    public bool deallocate (uint64 handle, size_t size, CudaObj.Stream? stream) throws GLib.Error {
        deallocations++;
        last_handle = handle;
        var block = live.lookup (handle);
        if (block != null) {
            live.remove (handle);
            block.close (stream);
        }
        return true;
    }
}

static void test_vala_resource_dispatch () {
    var resource = new Recording (null, null);
    assert (resource.get_is_device_accessible () && !resource.get_is_host_accessible ());
    try {
        assert (((CudaObj.MemoryResource) resource).deallocate (4096, 16, null));
        assert (resource.deallocations == 1 && resource.last_handle == 4096);
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
    try {
        ((CudaObj.MemoryResource) resource).allocate (0, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
    try {
        ((CudaObj.MemoryResource) resource).allocate (64, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.NOT_SUPPORTED);
        assert (e.message == "no memory here");
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
        new CudaObj.LegacyPinnedMemoryResource (null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.LIBRARY_NOT_FOUND);
    }
    try {
        new CudaObj.DeviceMemoryResource (null, false);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.LIBRARY_NOT_FOUND);
    }
}

static void test_round_trip_fill_close () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var buffer = device.allocate (4096, null);
        assert (buffer.size == 4096 && buffer.handle != 0 && buffer.device == device && !buffer.closed);
        var data = pattern (4096, 3);
        buffer.copy_from_bytes (data, 0, null);
        assert (buffer.copy_to_bytes (0, -1, null).compare (data) == 0);
        buffer.fill ((uint32) 0xdeadbeefU, 4, 0, 1024, null);
        var out_bytes = buffer.copy_to_bytes (0, 4, null).get_data ();
        assert (out_bytes[0] == 0xef && out_bytes[3] == 0xde);
        assert (buffer.close (null));
        assert (buffer.closed && buffer.close (null));
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_each_resource () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var resources = new GLib.GenericArray<CudaObj.MemoryResource> ();
        resources.add (new CudaObj.LegacyPinnedMemoryResource (device));
        resources.add (new CudaObj.ManagedMemoryResource (device));
        resources.add (new CudaObj.SyncMemoryResource (device));
        if (device.memory_pools_supported)
            resources.add (new CudaObj.DeviceMemoryResource (device, true));
        var stream = device.create_stream ();
        foreach (var resource in resources) {
            var buffer = resource.allocate (512, stream);
            assert (buffer.memory_resource == resource);
            var data = pattern (512, 9);
            buffer.copy_from_bytes (data, 0, stream);
            assert (buffer.copy_to_bytes (0, -1, stream).compare (data) == 0);
            buffer.close (stream);
        }
        stream.synchronize ();
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

static void test_errors () {
    var device = device_or_skip ();
    if (device == null)
        return;
    CudaObj.Buffer buffer;
    try {
        buffer = device.allocate (128, null);
    } catch (GLib.Error e) {
        assert_no_error (e);
        return;
    }
    try {
        buffer.copy_from_bytes (pattern (129, 0), 0, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
        assert ("129 bytes at offset 0" in e.message);
    }
    try {
        device.allocate ((size_t) 1 << 50, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e.domain == CudaObj.DriverError.quark () && e.code == CudaObj.DriverError.OUT_OF_MEMORY);
    }
    try {
        buffer.close (null);
        buffer.fill (0, 1, 0, 1, null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.CLOSED);
    }
}

static void test_vala_resource_allocates () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var resource = new Recording (device, device.get_memory_resource ());
        var buffer = ((CudaObj.MemoryResource) resource).allocate (256, null);
        assert (buffer.memory_resource == resource && buffer.size == 256);
        var data = pattern (256, 1);
        buffer.copy_from_bytes (data, 0, null);
        assert (buffer.copy_to_bytes (0, -1, null).compare (data) == 0);
        var handle = buffer.handle;
        buffer.close (null);
        assert (resource.deallocations == 1 && resource.last_handle == handle);
        assert (resource.live.size () == 0);
    } catch (GLib.Error e) {
        assert_no_error (e);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/memory/resource-dispatch", test_vala_resource_dispatch);
    GLib.Test.add_func ("/vala/memory/no-driver", test_no_driver);
    GLib.Test.add_func ("/vala/memory/round-trip-fill-close", test_round_trip_fill_close);
    GLib.Test.add_func ("/vala/memory/each-resource", test_each_resource);
    GLib.Test.add_func ("/vala/memory/errors", test_errors);
    GLib.Test.add_func ("/vala/memory/vala-resource-allocates", test_vala_resource_allocates);
    return GLib.Test.run ();
}
