# SPDX-License-Identifier: LGPL-2.1-or-later
"""Library discovery from Python: site directories, pip-wheel layouts,
search reports, headers, libdevice and the cudaobj-pathfinder command."""
import glob
import json
import os
import site
import subprocess

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

TOOLKIT_LIB = "/usr/local/cuda/lib64"
SEARCH_VARIABLES = ("CUDA_OBJ_SITE_PACKAGES", "CONDA_PREFIX", "CUDA_PATH", "CUDA_HOME")


@pytest.fixture
def clean_env(monkeypatch):
    for name in SEARCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # The test environment may point an override at a fetched library
    # (libnvfatbin from its wheel); the layouts under test come after it.
    for library in all_libraries():
        monkeypatch.delenv(CudaObj.Library.get_override_variable(library), raising=False)
    return monkeypatch


def all_libraries():
    return [v for v in CudaObj.Library.__enum_values__.values()]


def plant(directory, soname):
    """A symlink to the toolkit's file when this machine has it, else a placeholder."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, soname)
    real = os.path.join(TOOLKIT_LIB, soname)
    if os.path.isfile(real):
        os.symlink(real, path)
    else:
        with open(path, "wb") as f:
            f.write(b"\x7fELF placeholder")
    return path


def newest_soname(library):
    """The first bare soname of the search: the system search's newest."""
    paths = CudaObj.Library.get_search_paths(library)
    return next(p for p in paths if not p.startswith("/"))


def test_every_library_has_a_name_and_an_override_variable():
    names = set()
    for library in all_libraries():
        name = CudaObj.Library.get_name(library)
        assert name and name not in names
        names.add(name)
        variable = CudaObj.Library.get_override_variable(library)
        assert variable.startswith("CUDA_OBJ_") and variable.endswith("_LIBRARY")
    assert {"cudart", "nvrtc", "nvjitlink", "nvvm", "nvfatbin", "cublas", "cublaslt", "cufft", "curand",
            "cusolver", "cusparse", "nppc", "npps", "nvjpeg", "cufile", "nccl", "nvshmem", "cutensor",
            "cudss", "driver"} <= names


def test_python_site_directories_are_added_once(clean_env):
    # What the PyGObject overrides do at import.
    for directory in site.getsitepackages() + [site.getusersitepackages()]:
        CudaObj.Library.add_site_directory(directory)
        CudaObj.Library.add_site_directory(directory)
    dirs = CudaObj.Library.get_site_directories()
    for directory in site.getsitepackages():
        assert dirs.count(directory) == 1


def test_site_packages_variable_comes_first(clean_env, tmp_path):
    clean_env.setenv("CUDA_OBJ_SITE_PACKAGES", f"{tmp_path}/a:{tmp_path}/b")
    CudaObj.Library.add_site_directory(str(tmp_path / "c"))
    dirs = CudaObj.Library.get_site_directories()
    assert dirs[:2] == [f"{tmp_path}/a", f"{tmp_path}/b"]
    assert str(tmp_path / "c") in dirs[2:]


@pytest.mark.parametrize("library", all_libraries(), ids=lambda v: CudaObj.Library.get_name(v))
def test_find_in_a_cuda_path_tree(clean_env, tmp_path, library):
    if library in (CudaObj.Library.DRIVER, CudaObj.Library.NVML):
        pytest.skip("the driver and NVML are only taken from the system search")
    soname = newest_soname(library)
    sub = {"nvvm": "nvvm/lib64", "cupti": "extras/CUPTI/lib64"}.get(CudaObj.Library.get_name(library), "lib64")
    expected = plant(str(tmp_path / sub), soname)
    clean_env.setenv("CUDA_PATH", str(tmp_path))
    assert CudaObj.Library.find(library) == expected
    report = CudaObj.Library.get_search_report(library)
    assert report[-1] == f"CUDA_PATH: {expected}: found"


def test_find_in_a_wheel_added_at_run_time(clean_env, tmp_path):
    expected = plant(str(tmp_path / "nvidia" / "cu13" / "lib"), "libcublas.so.13")
    CudaObj.Library.add_site_directory(str(tmp_path))
    assert CudaObj.Library.find(CudaObj.Library.CUBLAS) == expected
    # NCCL's wheel has its own directory, not nvidia/cu13.
    expected = plant(str(tmp_path / "nvidia" / "nccl" / "lib"), "libnccl.so.2")
    assert CudaObj.Library.find(CudaObj.Library.NCCL) == expected


def test_find_failure_lists_every_place(clean_env):
    clean_env.setenv("CUDA_OBJ_CUDSS_LIBRARY", "/nonexistent/libcudss.so.0")
    with pytest.raises(GLib.Error) as info:
        CudaObj.Library.find(CudaObj.Library.CUDSS)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)
    assert "CUDA_OBJ_CUDSS_LIBRARY: /nonexistent/libcudss.so.0: no such file" in info.value.message


def test_load_and_version_of_a_real_library(clean_env):
    path = os.path.join(TOOLKIT_LIB, "libcurand.so.10")
    if not os.path.isfile(path):
        pytest.skip("the toolkit here has no cuRAND")
    CudaObj.Library.load(CudaObj.Library.CURAND)
    assert CudaObj.Library.is_loaded(CudaObj.Library.CURAND)
    assert "libcurand.so.10" in CudaObj.Library.get_path(CudaObj.Library.CURAND)
    assert CudaObj.Library.get_version(CudaObj.Library.CURAND).startswith("10")


def test_include_dirs_and_libdevice(clean_env):
    if not os.path.isfile("/usr/local/cuda/include/cuda_runtime.h"):
        pytest.skip("no toolkit headers here")
    dirs = CudaObj.find_include_dirs()
    assert os.path.isfile(os.path.join(dirs[0], "cuda_fp16.h"))
    assert any(os.path.isfile(os.path.join(d, "cuda", "std", "version")) for d in dirs)
    libdevice = CudaObj.find_libdevice()
    assert libdevice.endswith("libdevice.10.bc") and os.path.isfile(libdevice)


def pathfinder():
    path = os.environ.get("CUDA_OBJ_TEST_PATHFINDER")
    if not path or not os.path.exists(path):
        pytest.skip("the test environment names no cudaobj-pathfinder")
    return path


def test_pathfinder_json_finds_a_wheel(tmp_path):
    expected = plant(str(tmp_path / "nvidia" / "cu13" / "lib"), "libnvrtc.so.13")
    env = dict(os.environ, CUDA_OBJ_SITE_PACKAGES=str(tmp_path))
    out = subprocess.run([pathfinder(), "--json", "--no-load"], env=env, check=True,
                         capture_output=True, text=True).stdout
    data = json.loads(out)
    libraries = {entry["name"]: entry for entry in data["libraries"]}
    assert len(libraries) == len(all_libraries())
    assert libraries["nvrtc"]["path"] == expected
    assert libraries["nvrtc"]["status"] == "found"
    assert data["site_directories"][0] == str(tmp_path)
    for entry in libraries.values():
        assert entry["status"] in ("found", "not found")
        assert (entry["path"] is None) == (entry["why"] is not None)


def test_pathfinder_text_lists_every_library():
    out = subprocess.run([pathfinder(), "--no-load"], check=True, capture_output=True, text=True).stdout
    for library in all_libraries():
        assert f"\n{CudaObj.Library.get_name(library)} " in out
    assert f"of {len(all_libraries())} libraries found" in out


def nvidia_site_directories():
    """Site directories of this machine's Pythons that hold NVIDIA wheels."""
    patterns = ["/usr/lib/python3*/site-packages", "/usr/lib/python3/dist-packages",
                "/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages",
                os.path.expanduser("~/.local/lib/python3*/site-packages"), "/opt/*/lib/python3*/site-packages"]
    found = []
    for pattern in patterns:
        found += [d for d in glob.glob(pattern) if os.path.isdir(os.path.join(d, "nvidia"))]
    return found


def test_real_nvidia_wheels_are_found(clean_env):
    dirs = nvidia_site_directories()
    if not dirs:
        pytest.skip("no NVIDIA pip wheels installed on this machine")
    clean_env.setenv("CUDA_OBJ_SITE_PACKAGES", ":".join(dirs))
    found = {}
    for library in all_libraries():
        try:
            found[CudaObj.Library.get_name(library)] = CudaObj.Library.find(library)
        except GLib.Error:
            pass
    from_wheels = {name: path for name, path in found.items() if "/nvidia/" in path}
    print("found in wheels:", from_wheels)
    assert from_wheels, f"no library found in the wheels of {dirs}"
    for name, soname in (("cublas", "libcublas.so.*"), ("nccl", "libnccl.so.*"), ("cufft", "libcufft.so.*")):
        installed = [p for d in dirs for sub in (name, "cu13")
                     for p in glob.glob(os.path.join(d, "nvidia", sub, "lib", soname))]
        if installed:
            assert name in from_wheels, f"{name} not found in wheels ({installed}): {found.get(name)}"


def compile_ptx(source, arch="compute_80"):
    options = CudaObj.ProgramOptions(arch=arch, relocatable_device_code=True)
    program = CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options)
    return program.compile(CudaObj.CodeType.PTX, None)


def test_linker_reports_its_backend():
    linker = CudaObj.Linker.new(CudaObj.LinkerOptions(arch="sm_90"))
    assert linker.props.backend == CudaObj.LinkerBackend.NONE
    linker.add(compile_ptx('extern "C" __global__ void k(int *x) { *x = 1; }', "compute_90"))
    code = linker.link()
    assert code.get_code_type() == CudaObj.CodeType.CUBIN
    assert linker.get_backend() == CudaObj.LinkerBackend.NVJITLINK


def test_linker_fatbin_for_two_architectures(device_or_none):
    linker = CudaObj.Linker.new(None)
    linker.add(compile_ptx('extern "C" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }'))
    try:
        fatbin = linker.link_fatbin(["sm_80", "sm_90"])
    except GLib.Error as e:
        if e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED) or \
                e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND):
            pytest.skip(e.message)
        raise
    assert fatbin.get_code_type() == CudaObj.CodeType.FATBIN
    assert fatbin.get_code().get_data().count(b"\x7fELF") == 2
    if device_or_none is not None:
        assert fatbin.get_kernel("scale") is not None


def test_linker_fatbin_rejects_a_bad_architecture():
    linker = CudaObj.Linker.new(None)
    linker.add(compile_ptx('extern "C" __global__ void k() {}'))
    with pytest.raises(GLib.Error) as info:
        linker.link_fatbin(["sm_90", "gfx90a"])
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert '"gfx90a" is not an architecture' in info.value.message


@pytest.fixture
def device_or_none():
    try:
        if CudaObj.Device.get_count() > 0:
            return CudaObj.Device.get(0)
    except GLib.Error:
        pass
    return None


def test_overrides_add_this_pythons_site_directories():
    import site
    added = CudaObj.Library.get_site_directories()
    for directory in site.getsitepackages():
        assert directory in added
