// SPDX-License-Identifier: LGPL-2.1-or-later
// Library discovery from GJS: find, the search report, site directories,
// headers and libdevice.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run, SkipTest} from './tap.js';

function plantPlaceholder(dir, soname) {
    GLib.mkdir_with_parents(dir, 0o755);
    const path = GLib.build_filenamev([dir, soname]);
    GLib.file_set_contents(path, '\x7fELF placeholder');
    return path;
}

test('every library has a name and an override variable', () => {
    for (const [key, value] of Object.entries(CudaObj.Library)) {
        if (typeof value !== 'number')
            continue;
        assert(CudaObj.Library.get_name(value), `name of ${key}`);
        assert(CudaObj.Library.get_override_variable(value).startsWith('CUDA_OBJ_'), `variable of ${key}`);
    }
    assertEqual(CudaObj.Library.get_name(CudaObj.Library.CUTENSOR), 'cutensor');
});

test('a wheel in an added site directory is found first', () => {
    const root = GLib.dir_make_tmp('cudaobj-gjs-XXXXXX');
    const expected = plantPlaceholder(GLib.build_filenamev([root, 'nvidia', 'nvshmem', 'lib']),
        'libnvshmem_host.so.3');
    CudaObj.Library.add_site_directory(root);
    assert(CudaObj.Library.get_site_directories().includes(root), 'site directory listed');
    assertEqual(CudaObj.Library.find(CudaObj.Library.NVSHMEM), expected);
    const report = CudaObj.Library.get_search_report(CudaObj.Library.NVSHMEM);
    assertEqual(report[report.length - 1], `site-packages: ${expected}: found`);
    GLib.unlink(expected);
    for (const dir of ['nvidia/nvshmem/lib', 'nvidia/nvshmem', 'nvidia', ''])
        GLib.rmdir(GLib.build_filenamev([root, dir]));
});

test('a missing override is a clear GError', () => {
    GLib.setenv('CUDA_OBJ_CUDSS_LIBRARY', '/nonexistent/libcudss.so.0', true);
    const err = assertThrows(() => CudaObj.Library.find(CudaObj.Library.CUDSS),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND), 'find');
    assert(err.message.includes('/nonexistent/libcudss.so.0: no such file'), 'message names the file');
    GLib.unsetenv('CUDA_OBJ_CUDSS_LIBRARY');
});

test('include directories and libdevice', () => {
    if (!GLib.file_test('/usr/local/cuda/include/cuda_runtime.h', GLib.FileTest.EXISTS))
        throw new SkipTest('no toolkit headers here');
    const dirs = CudaObj.find_include_dirs();
    assert(GLib.file_test(GLib.build_filenamev([dirs[0], 'cuda_fp16.h']), GLib.FileTest.EXISTS), 'cuda_fp16.h');
    assert(CudaObj.find_libdevice().endsWith('libdevice.10.bc'), 'libdevice');
});

run();
