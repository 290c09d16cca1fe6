# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared fixtures of the PyGObject tests."""
import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402


def _gpu_or_reason():
    try:
        count = CudaObj.Device.get_count()
    except GLib.Error as e:
        return None, "no usable CUDA driver: " + e.message
    if count == 0:
        return None, "the CUDA driver found no device"
    return CudaObj.Device.get(0), None


@pytest.fixture
def device():
    dev, reason = _gpu_or_reason()
    if dev is None:
        pytest.skip(reason)
    return dev


@pytest.fixture
def no_driver():
    try:
        CudaObj.Library.load(CudaObj.Library.DRIVER)
    except GLib.Error:
        return True
    pytest.skip("a CUDA driver is present; the no-driver path is tested where there is none")
