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
# owns the public one). It gets the RUNPATH too, in libdpdk-libs.pc, which
# it requires and which holds the shared libraries' Libs: a program built
# with it must run our EAL, not the unpatched one ld.so's cache finds
# first when Debian's librte-eal23 is installed (same SONAME).
pcdir=$dest$privlib/pkgconfig
grep -q '^Libs: ' "$pcdir/libdpdk-libs.pc" ||
	{ echo "dpdk-wc-tools: no Libs: line in libdpdk-libs.pc" >&2; exit 1; }
sed -i 's|^Libs: |Libs: -Wl,-rpath,${libdir} |' "$pcdir/libdpdk-libs.pc"
# dpdk-wc.pc spells out its flags, so "pkg-config dpdk-wc" alone is
# enough, adds the RUNPATH that finds the private libraries, the PCI bus
# and rawdev libraries a PCI PMD links (DPDK lists drivers only for static
# linking) and our MMIO copies. It keeps DPDK's -march (x86_64: corei7,
# what platform=generic means; arm64: armv8-a+crc), as DPDK's own
# libdpdk.pc does: the inline functions of DPDK's public headers
# (rte_memcpy.h, rte_mbuf.h, ...) need that ISA and do not compile
# without it (debian/dpdk-wc-dev.lintian-overrides).
cflags=$(PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR= pkg-config --cflags libdpdk)
libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --libs libdpdk | sed 's|-Wl,-rpath,[^ ]* *||')
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
