// SPDX-License-Identifier: LGPL-2.1-or-later
// Copy batches and managed-memory advice from Vala.
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
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_copy_batch_checks () {
    var batch = new CudaObj.CopyBatch ();
    assert (batch.count == 0);
    assert (!batch.used_batch_api);
    var closed = (CudaObj.Buffer) GLib.Object.new (typeof (CudaObj.Buffer));
    try {
        batch.submit (null);
        batch.add (closed, 0, closed, 0, 16, CudaObj.CopyHints.NONE);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.CLOSED);
    }
    assert (batch.get_count () == 0);
}

static void test_copy_batch_round_trip () {
    var device = device_or_skip ();
    if (device == null)
        return;
    const size_t CHUNK = 4096;
    const uint CHUNKS = 32;
    try {
        var stream = device.create_stream ();
        var data = new uint8[CHUNK * CHUNKS];
        for (size_t i = 0; i < data.length; i++)
            data[i] = (uint8) (i * 13 + i / CHUNK);
        var src = device.allocate (data.length, stream);
        src.copy_from_bytes (new GLib.Bytes (data), 0, stream);
        var dst = device.allocate (data.length, stream);

        var batch = new CudaObj.CopyBatch ();
        for (uint i = 0; i < CHUNKS; i++)
            batch.add (dst, i * CHUNK, src, (CHUNKS - 1 - i) * CHUNK, CHUNK, CudaObj.CopyHints.NONE);
        batch.submit (stream);
        assert (batch.used_batch_api);
        var out_data = dst.copy_to_bytes (0, -1, stream).get_data ();
        for (uint i = 0; i < CHUNKS; i++)
            for (size_t j = 0; j < CHUNK; j++)
                assert (out_data[i * CHUNK + j] == data[(CHUNKS - 1 - i) * CHUNK + j]);
        src.close (stream);
        dst.close (stream);
        stream.synchronize ();
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

static void test_advice_needs_managed () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var buffer = device.allocate (64, null);
        try {
            buffer.advise (CudaObj.MemoryAdvice.SET_READ_MOSTLY, null);
            assert_not_reached ();
        } catch (GLib.Error e) {
            assert (e is CudaObj.Error.INVALID_ARGUMENT);
        }
        var managed = new CudaObj.ManagedMemoryResource (device).allocate (64, null);
        managed.advise (CudaObj.MemoryAdvice.SET_PREFERRED_LOCATION, device);
        managed.advise (CudaObj.MemoryAdvice.UNSET_PREFERRED_LOCATION, null);
        buffer.close (null);
        managed.close (null);
    } catch (GLib.Error e) {
        GLib.error ("unexpected error: %s", e.message);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/memory-pools/copy-batch/checks", test_copy_batch_checks);
    GLib.Test.add_func ("/vala/memory-pools/copy-batch/round-trip", test_copy_batch_round_trip);
    GLib.Test.add_func ("/vala/memory-pools/advice/needs-managed", test_advice_needs_managed);
    return GLib.Test.run ();
}
