#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what libcudaobj builds and tests with, from Debian 12's packages.
# The CUDA toolkit (headers; NVRTC, nvJitLink and libNVVM for the JIT tests)
# is expected in /usr/local/cuda, CUDA_PATH or CUDA_HOME.
set -e
packages="gcc pkg-config meson ninja-build python3 libglib2.0-dev gobject-introspection
libgirepository1.0-dev python3-gi python3-pytest python3-numpy python3-pip unzip gjs valac gi-docgen
gir1.2-gtk-4.0 gir1.2-gdkpixbuf-2.0 xvfb xauth"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages

# nvFatbin.h (fatbin output, optional) when the toolkit lacks it: NVIDIA ships
# the header with its libnvfatbin only as the nvidia-nvfatbin wheel, fetched
# from PyPI into .deps/nvfatbin, where meson.build looks when
# -Dnvfatbin_include_dir is not given. Set CUDA_OBJ_NO_FETCH=1 to skip this.
root=$(cd "$(dirname "$0")/.." && pwd)
cuda=${CUDA_PATH:-${CUDA_HOME:-/usr/local/cuda}}
if [ -z "${CUDA_OBJ_NO_FETCH:-}" ] && [ ! -e "$cuda/include/nvFatbin.h" ] &&
   [ ! -e "$root/.deps/nvfatbin/nvidia/cu13/include/nvFatbin.h" ]; then
  tmp=$(mktemp -d)
  if /usr/bin/python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "nvidia-nvfatbin==13.0.*"; then
    mkdir -p "$root/.deps/nvfatbin" && unzip -q -o "$tmp"/nvidia_nvfatbin-*.whl -d "$root/.deps/nvfatbin"
  else
    echo "install-deps: could not fetch nvidia-nvfatbin; fatbin output stays off" >&2
  fi
  rm -rf "$tmp"
fi

# nccl.h (the Communicator; required) when neither the toolkit nor the system
# has it: NVIDIA ships it in the nvidia-nccl-cu13 wheel, of which only the
# header is unpacked, into .deps/nccl (libnccl is found at run time).
if [ -z "${CUDA_OBJ_NO_FETCH:-}" ] && [ ! -e "$cuda/include/nccl.h" ] && [ ! -e /usr/include/nccl.h ] &&
   [ ! -e /usr/local/include/nccl.h ] && [ ! -e "$root/.deps/nccl/nvidia/nccl/include/nccl.h" ]; then
  tmp=$(mktemp -d)
  if /usr/bin/python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "nvidia-nccl-cu13"; then
    mkdir -p "$root/.deps/nccl" && unzip -q -o "$tmp"/nvidia_nccl_cu13-*.whl 'nvidia/nccl/include/*' -d "$root/.deps/nccl"
  else
    echo "install-deps: could not fetch nvidia-nccl-cu13; give -Dnccl_include_dir= to a directory with nccl.h" >&2
  fi
  rm -rf "$tmp"
fi
# nvml.h (DeviceStatus) and cufile.h (FileHandle), when the toolkit lacks
# them, from the nvidia-nvml-dev and nvidia-cufile wheels: only their headers
# are kept, in .deps/nvml and .deps/cufile, where meson.build looks.
for spec in "nvml nvml.h nvidia-nvml-dev==13.0.* nvidia_nvml_dev" "cufile cufile.h nvidia-cufile nvidia_cufile"; do
  set -- $spec
  if [ -n "${CUDA_OBJ_NO_FETCH:-}" ] || [ -e "$cuda/include/$2" ] ||
     [ -e "$root/.deps/$1/nvidia/cu13/include/$2" ]; then
    continue
  fi
  tmp=$(mktemp -d)
  if /usr/bin/python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "$3"; then
    mkdir -p "$root/.deps/$1" && unzip -q -o "$tmp"/"$4"-*.whl "nvidia/cu13/include/*" -d "$root/.deps/$1"
  else
    echo "install-deps: could not fetch $3; $2 stays missing" >&2
  fi
  rm -rf "$tmp"
done
