# SPDX-License-Identifier: LGPL-2.1-or-later
"""Communicator from Python: unique ids as text, constructor errors, the
context manager, the error signal's type, and on a GPU a communicator of
one rank running collectives on NumPy data. Runs without a GPU where it
can; the rest skips."""
import os
import sys

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

os.environ.setdefault("NCCL_NVLS_ENABLE", "0")


def assert_error(info, code, fragment=None):
    assert info.value.matches(CudaObj.error_quark(), code), info.value
    if fragment is not None:
        assert fragment in info.value.message


@pytest.fixture
def nccl():
    try:
        CudaObj.Library.load(CudaObj.Library.NCCL)
    except GLib.Error as e:
        pytest.skip("no NCCL: " + e.message)


def test_unique_id_text_round_trip():
    raw = bytes(range(128))
    text = CudaObj.Communicator.unique_id_to_string(GLib.Bytes.new(raw))
    assert text == raw.hex()
    back = CudaObj.Communicator.unique_id_from_string(text.upper() + "\n")
    assert back.get_data() == raw


@pytest.mark.parametrize("text, fragment", [
    ("", "not 0 characters"),
    ("ab" * 127, "not 254 characters"),
    ("x" * 256, "character 0 is not one"),
])
def test_unique_id_bad_text(text, fragment):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Communicator.unique_id_from_string(text)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, fragment)


@pytest.mark.parametrize("properties, fragment", [
    (dict(n_ranks=0), "at least one rank, not 0"),
    (dict(n_ranks=2, rank=2), "rank 2 is out of range"),
    (dict(n_ranks=2, rank=-1), "rank -1 is out of range"),
    (dict(n_ranks=2, rank=1), "unique_id must not be NULL"),
    (dict(n_ranks=2, rank=1, unique_id=GLib.Bytes.new(b"short")), "not 5"),
    (dict(n_ranks=2, rank=1, unique_id=GLib.Bytes.new(bytes(128))), "device must not be NULL"),
])
def test_constructor_errors(properties, fragment):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Communicator(**properties)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, fragment)


def test_group_end_without_start():
    with pytest.raises(GLib.Error) as info:
        CudaObj.Communicator.group_end()
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "no group was started")


def test_error_signal_carries_a_gerror():
    query = GObject.signal_query("error", CudaObj.Communicator)
    assert [t.name for t in query.param_types] == ["GError"]


def one_rank(device):
    uid = CudaObj.Communicator.get_unique_id()
    assert uid.get_size() == CudaObj.COMMUNICATOR_UNIQUE_ID_SIZE
    return CudaObj.Communicator(device=device, n_ranks=1, rank=0, unique_id=uid, timeout=30000)


def test_one_rank_all_reduce(device, nccl):
    values = numpy.arange(1, 257, dtype=numpy.float32)
    stream = CudaObj.Stream.new(device, True, 0)
    with one_rank(device) as comm:
        assert (comm.props.rank, comm.props.n_ranks, comm.props.timeout) == (0, 1, 30000)
        send = CudaObj.Buffer.from_numpy(values, device)
        recv = CudaObj.Buffer.from_numpy(numpy.zeros_like(values), device)
        comm.all_reduce(send, recv, values.size, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.SUM, stream)
        numpy.testing.assert_array_equal(recv.copy_to_numpy(dtype=numpy.float32, stream=stream), values)
        # In place, with the average.
        comm.all_reduce(None, recv, values.size, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.AVG, stream)
        numpy.testing.assert_array_equal(recv.copy_to_numpy(dtype=numpy.float32, stream=stream), values)
    assert comm.get_closed()


def test_one_rank_all_gather_and_broadcast(device, nccl):
    values = numpy.arange(-50, 50, dtype=numpy.int64)
    with one_rank(device) as comm:
        send = CudaObj.Buffer.from_numpy(values, device)
        recv = CudaObj.Buffer.from_numpy(numpy.zeros_like(values), device)
        comm.all_gather(send, recv, values.size, CudaObj.DataType.INT64, None)
        numpy.testing.assert_array_equal(recv.copy_to_numpy(dtype=numpy.int64), values)
        recv.fill(0, 1, 0, recv.get_size(), None)
        comm.broadcast(send, recv, values.size, CudaObj.DataType.INT64, 0, None)
        numpy.testing.assert_array_equal(recv.copy_to_numpy(dtype=numpy.int64), values)


def test_one_rank_errors(device, nccl):
    comm = one_rank(device)
    small = device.allocate(8, None)
    with pytest.raises(GLib.Error) as info:
        comm.all_reduce(None, small, 3, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.SUM, None)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "need 12 bytes")
    with pytest.raises(GLib.Error) as info:
        comm.reduce(None, small, 1, CudaObj.DataType.COMPLEX128, CudaObj.ReduceOp.SUM, 0, None)
    assert_error(info, CudaObj.Error.NOT_SUPPORTED, "complex128")
    with pytest.raises(GLib.Error) as info:
        comm.send(small, 1, CudaObj.DataType.BYTE, 1, None)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "peer 1 is out of range")
    small.close(None)
    with pytest.raises(GLib.Error) as info:
        comm.broadcast(None, small, 1, CudaObj.DataType.BYTE, 0, None)
    assert_error(info, CudaObj.Error.CLOSED, "the recv buffer is closed")
    comm.abort()
    with pytest.raises(GLib.Error) as info:
        comm.check()
    assert_error(info, CudaObj.Error.CLOSED, "aborted")


def test_one_rank_split(device, nccl):
    with one_rank(device) as comm:
        child = comm.split(0, 0)
        assert child.props.n_ranks == 1 and child.props.device == device
        assert comm.split(-1, 0) is None
        child.close()


def test_new_all_one_device(device, nccl):
    comms = CudaObj.Communicator.new_all([device])
    assert [c.props.rank for c in comms] == [0]
    assert comms[0].props.unique_id is None


def test_one_rank_views(device, nccl):
    values = numpy.linspace(-1, 1, 96, dtype=numpy.float64)
    with one_rank(device) as comm:
        send = CudaObj.Buffer.from_numpy(values, device)
        recv = CudaObj.Buffer.from_numpy(numpy.zeros_like(values), device)
        send_view = CudaObj.StridedView.new(send, CudaObj.DataType.FLOAT64, [8, 12], None, 0)
        recv_view = CudaObj.StridedView.new(recv, CudaObj.DataType.FLOAT64, [8, 12], None, 0)
        comm.all_reduce_view(send_view, recv_view, CudaObj.ReduceOp.MIN, None)
        numpy.testing.assert_array_equal(recv.copy_to_numpy(dtype=numpy.float64), values)
        ints = CudaObj.StridedView.new(send, CudaObj.DataType.INT64, [96], None, 0)
        with pytest.raises(GLib.Error) as info:
            comm.broadcast_view(ints, recv_view, 0, None)
        assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "the send view holds int64 and the recv view float64")


def test_two_processes_through_the_launcher(device, nccl):
    """The multi-process example on two GPUs, one process each, the unique
    id going through the launcher's file."""
    import subprocess
    if CudaObj.Device.get_count() < 2:
        pytest.skip("needs two GPUs; this machine has fewer")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    result = subprocess.run(["sh", os.path.join(root, "examples", "nccl-launch.sh"), "2", sys.executable,
                             os.path.join(root, "examples", "python", "nccl_all_reduce.py")],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    for rank in (0, 1):
        assert "rank %d of 2" % rank in result.stdout, result.stdout
