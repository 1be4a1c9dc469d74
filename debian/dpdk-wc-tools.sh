#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# After "meson install" into DESTDIR (debian/rules): give DPDK's own tools
# names of their own and write dpdk-wc.pc, the one pkg-config file an
# out-of-tree driver or app needs.
#
#   dpdk-wc-tools.sh DESTDIR PRIVLIB VERSION
set -eu
dest=$1 privlib=$2 version=$3

# dpdk-testpmd, dpdk-devbind.py, ... are also in Debian's "dpdk" package:
# ours become dpdk-wc-testpmd, dpdk-wc-devbind.py, ... Our own program
# (dpdk-test-wc) has a name of its own already.
for f in "$dest"/usr/bin/dpdk-*; do
	name=${f##*/}
	[ "$name" = dpdk-test-wc ] && continue
	new=$dest/usr/bin/dpdk-wc-${name#dpdk-}
	mv "$f" "$new"
	# Debian's python3, not whatever "env python3" finds first in PATH.
	sed -i '1s|^#! */usr/bin/env python3$|#!/usr/bin/python3|' "$new"
done

# DPDK's libdpdk.pc stays in the private directory (Debian's libdpdk-dev
# owns the public one). dpdk-wc.pc spells out its flags, so
# "pkg-config dpdk-wc" alone is enough, adds the RUNPATH that finds the
# private libraries, the PCI bus and rawdev libraries a PCI PMD links
# (DPDK lists drivers only for static linking) and our MMIO copies.
pcdir=$dest$privlib/pkgconfig
# Without DPDK's -march (x86: corei7, what platform=generic means): a
# public .pc file must not choose the user's CPU baseline (lintian:
# pkg-config-bad-directive). A program that uses DPDK's SSE4.2 inlines
# (rte_hash_crc.h and the like) adds -msse4.2 itself.
cflags=$(PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR= \
	pkg-config --cflags libdpdk | sed 's/ *-march=[^ ]*//g; s/ *-mcpu=[^ ]*//g')
libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --libs libdpdk)
multiarch_pc=$dest${privlib%/dpdk-wc}/pkgconfig
mkdir -p "$multiarch_pc"
cat > "$multiarch_pc/dpdk-wc.pc" <<PC
# dpdk-wc: DPDK 22.11 with write-combining PCI BARs (private library
# directory $privlib).
libdir=$privlib
includedir=/usr/include/dpdk-wc

Name: dpdk-wc
Description: DPDK 22.11 with the write-combining PCI bus, for out-of-tree PMDs and apps
Version: $version
Cflags: $cflags
Libs: -L\${libdir} -Wl,-rpath,\${libdir} $libs -lrte_bus_pci -lrte_bus_vdev -lwc_mmio -lpthread
PC
