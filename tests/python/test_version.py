# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's version from Python: the numbers, the typelib's constants,
and the run-time compatibility check."""
import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj  # noqa: E402


def current():
    return (CudaObj.get_major_version(), CudaObj.get_minor_version(), CudaObj.get_micro_version())


def test_version_numbers_match_typelib_constants():
    assert current() == (CudaObj.MAJOR_VERSION, CudaObj.MINOR_VERSION, CudaObj.MICRO_VERSION)
    assert "%d.%d.%d" % current() == CudaObj.VERSION_S
    assert current()[0] >= 1


def test_check_version_compatible_returns_none():
    assert CudaObj.check_version(*current()) is None
    assert CudaObj.check_version(current()[0], 0, 0) is None


@pytest.mark.parametrize("delta, problem", [
    ((0, 0, 1), "libcudaobj version too old (micro mismatch)"),
    ((0, 1, 0), "libcudaobj version too old (minor mismatch)"),
    ((1, 0, 0), "libcudaobj version too old (major mismatch)"),
    ((-1, 0, 0), "libcudaobj version too new (major mismatch)"),
])
def test_check_version_incompatible_says_why(delta, problem):
    required = [v + d for v, d in zip(current(), delta)]
    assert CudaObj.check_version(*required) == problem


def test_check_version_rejects_negative_numbers():
    # guint arguments: PyGObject refuses a negative number before the call.
    with pytest.raises((OverflowError, ValueError, TypeError)):
        CudaObj.check_version(-1, 0, 0)
