#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Downloads, on a Debian 12 machine, the packages that run the GJS fractal
# explorer's window under a virtual X server on a machine that has none of
# GTK, X or fonts (Ubuntu 24.04 with the GLib/GJS set of .gpu/debs), for
# examples/gtk/screenshot.sh.
#
# The set is the dependency closure of gir1.2-gtk-4.0 and xvfb (Depends and
# Pre-Depends, first alternative), pruned of
#  - packages any Ubuntu 24.04 has (BASE below),
#  - packages already in the GLib/GJS set (GPU_DEBS, default .gpu/debs),
#  - heavy optional ones the Cairo renderer under Xvfb does without (SKIP).
#
# Usage: prepare-gpu-gtk.sh [DIR]      (default .gtk; the .debs go to DIR/debs)
set -euo pipefail
dir=${1:-.gtk}
gpu_debs=${GPU_DEBS:-.gpu/debs}
roots="gir1.2-gtk-4.0 xvfb fonts-dejavu-core hicolor-icon-theme"

# Ubuntu 24.04 has these (some under a t64 name with the same soname); not
# libssl3 (for Kerberos, under CUPS, under GTK) in its smallest installs.
BASE="libc6 libgcc-s1 libstdc++6 gcc-12-base zlib1g libexpat1 libffi8 libselinux1 libpcre2-8-0
  libmount1 libblkid1 libuuid1 libsmartcols1 debconf dpkg tar perl-base mount util-linux passwd adduser
  init-system-helpers lsb-base sensible-utils procps libproc2-0 libsystemd0 libudev1 libcap2 libcap-ng0
  libaudit1 libaudit-common libgcrypt20 libgpg-error0 liblz4-1 liblzma5 libzstd1 libbz2-1.0 libacl1
  libattr1 libcrypt1 libseccomp2 libtinfo6 libncursesw6 libgmp10 libgnutls30 libhogweed6 libnettle8
  libidn2-0 libunistring2 libp11-kit0 libtasn1-6 libcom-err2 libdb5.3 libpam0g libpam-modules
  libpam-modules-bin libpam-runtime libsemanage2 libsemanage-common libsepol2 usr-is-merged usrmerge"
# Optional here: GTK 4 draws its own widgets' icons from its resources and
# uses GSettings' memory backend without dconf; Xvfb starts without GLX
# drivers (Mesa's pull in LLVM); xkbcomp needs only libX11 and libxkbfile;
# libfontconfig1 needs fontconfig-config, not fontconfig's tools.
SKIP="adwaita-icon-theme dconf-gsettings-backend gsettings-backend libgl1-mesa-dri libglx-mesa0
  shared-mime-info x11-common libxaw7 libxt6 libxmu6 libxpm4 libsm6 libice6 xauth
  libgtk-4-common fontconfig"

declare -A exclude=()
for p in $BASE $SKIP; do exclude[$p]=1; done
if [ -d "$gpu_debs" ]; then
  for f in "$gpu_debs"/*.deb; do b=$(basename "$f"); exclude[${b%%_*}]=1; done
else
  echo "prepare-gpu-gtk.sh: $gpu_debs not found: only BASE and SKIP are left out" >&2
fi

# First alternative of each Depends/PreDepends group (a virtual package's
# first provider).
direct_deps() {
  apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "$1" | awk '
      /^ *\|?(Pre)?Depends:/ { if (!cont) { want = 1; first = $2 }
                               cont = ($1 ~ /^\|/); if (!want) next
                               if (first ~ /^</) { virt = 1; next }
                               print first; want = 0; next }
      /^    / && virt { print $1; virt = 0; want = 0 }'
}

declare -A seen=()
queue=($roots)
while [ ${#queue[@]} -gt 0 ]; do
  p=${queue[0]}; queue=("${queue[@]:1}")
  p=${p%:amd64}
  [ -n "${seen[$p]:-}" ] || [ -n "${exclude[$p]:-}" ] && continue
  seen[$p]=1
  for d in $(direct_deps "$p"); do queue+=("$d"); done
done

mkdir -p "$dir/debs"
rm -f "$dir"/debs/*.deb
packages=$(printf '%s\n' "${!seen[@]}" | sort)
(cd "$dir/debs" && apt-get download $packages >/dev/null)
# Documentation, manual pages and translations are most of some packages
# (changelogs of megabytes): build each again without them. The result is
# only for dpkg -x.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$dir"/debs/*.deb; do
  rm -rf "$tmp/p" && mkdir -p "$tmp/p"
  dpkg-deb -R "$f" "$tmp/p"
  rm -rf "$tmp/p/usr/share/doc" "$tmp/p/usr/share/man" "$tmp/p/usr/share/locale" "$tmp/p/usr/share/lintian"
  dpkg-deb -Zxz -b "$tmp/p" "$f" >/dev/null
done
echo "$(echo $packages | wc -w) packages in $dir/debs:" $packages
echo "total: $(du -sh "$dir/debs" | cut -f1)"
