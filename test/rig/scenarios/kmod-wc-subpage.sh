# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc and a prefetchable BAR smaller than a page (QEMU pci-testdev,
# membar=256: BAR2, 256 bytes, 64-bit prefetchable). x86: PAT reserves
# bytes but maps whole pages, so WC on this BAR would reach whatever shares
# its page: WC_BARS does not list it, a request is refused with EOPNOTSUPP,
# and the PAT list shows no write-combining entry on its page. arm64: WC is
# a property of each mapping, the BAR gets its alias. No data is written.
# devices: testdev-subpage
# modules: vfio_iommu_type1 vfio-pci-wc

rig_check '[ "$(rig_pci_id $TESTDEV_BDF)" = 1b36:0005 ]' "pci-testdev at $TESTDEV_BDF ($(rig_pci_id $TESTDEV_BDF))"
rig_check '[ "$(rig_bar_size $TESTDEV_BDF 2)" = 256 ]' "pci-testdev BAR2 is 256 bytes ($(rig_bar_size $TESTDEV_BDF 2))"
rig_check 'rig_bar_prefetchable $TESTDEV_BDF 2' "pci-testdev BAR2 is prefetchable memory (flags $(rig_bar_flags $TESTDEV_BDF 2))"
rig_bind "$TESTDEV_BDF" vfio-pci-wc || exit 1
pat=""
[ "$(uname -m)" = x86_64 ] && pat=--pat
wc_uapi_test --subpage --wc-bar 2 $pat "$TESTDEV_BDF"
rig_check "[ $? = 0 ]" "sub-page BAR: refused on x86, aliased on arm64"
rig_done
