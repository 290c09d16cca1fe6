#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what libcudaobj builds and tests with, from Debian 12's packages.
# The CUDA toolkit (headers; NVRTC, nvJitLink and libNVVM for the JIT tests)
# is expected in /usr/local/cuda, CUDA_PATH or CUDA_HOME.
set -e
packages="gcc pkg-config meson ninja-build python3 libglib2.0-dev gobject-introspection
libgirepository1.0-dev python3-gi python3-pytest python3-numpy gjs valac gi-docgen"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages
