# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc teardown while the alias is mapped write-combining.
# 1. A holder is killed (SIGKILL) with the alias mapped: the device unbinds
#    at once (no user left), x86 keeps no WC memtype on the BAR, and after
#    rebinding a new user gets its alias and the whole uAPI check passes.
# 2. A holder registered a request eventfd (VFIO_PCI_REQ_IRQ_INDEX), as
#    DPDK does, and the device is unbound under it: the kernel signals the
#    holder, which closes the fd (the unbind still waits: the mapping holds
#    the device) and unmaps; then the unbind completes; x86 keeps no WC
#    memtype; the module unloads; under
#    plain vfio-pci the BAR maps uncached again (x86: PAT uncached-minus;
#    arm64: unaligned stores fault, Device memory).
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 360

dev=/sys/bus/pci/devices/$NVME_BDF
if [ "$(uname -m)" = x86_64 ]; then
	pat=--pat
	full="--pat --decode"
	plain=--pat
else
	pat=""
	full="--unaligned --decode"
	plain=--unaligned
fi

# Wait up to $2 seconds for holder log $1 to say "holding:".
wait_holding() {
	i=0
	until grep -q '^holding:' "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# Unbind in the background (the write blocks while a user holds the
# device) and wait up to $1 seconds for the write to return: a leaked user
# becomes a FAIL here, not a hung guest. (The "driver" link goes away as
# soon as the unbind starts, so it cannot tell.)
unbind_within() {
	rm -f /tmp/unbound
	( echo "$NVME_BDF" > /sys/bus/pci/drivers/vfio-pci-wc/unbind
	  touch /tmp/unbound ) &
	i=0
	while [ ! -e /tmp/unbound ]; do
		i=$((i + 1))
		[ "$i" -gt $(($1 * 10)) ] && return 1
		sleep 0.1
	done
}

echo "== 1. SIGKILL while the alias is mapped"
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test --hold kill $pat "$NVME_BDF" > /tmp/kill.log 2>&1 &
holder=$!
wait_holding /tmp/kill.log 60
rig_check "[ $? = 0 ]" "holder has the alias mapped"
kill -9 "$holder"
wait "$holder"
rc=$?
cat /tmp/kill.log
rig_check "[ $rc = 137 ]" "holder killed by SIGKILL while mapped (status $rc)"
wc_uapi_test --no-wc-left "$NVME_BDF"
rig_check "[ $? = 0 ]" "killed holder left no write-combining memtype"
unbind_within 20
rig_check "[ $? = 0 ]" "unbind completes at once: the killed holder left no user"
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test $full "$NVME_BDF"
rig_check "[ $? = 0 ]" "after rebinding, a new user's request and every uAPI check pass"

echo "== 2. unbind with a request eventfd while the alias is mapped"
# The test unbinds the device from a child of its own, so it can tell
# exactly when the unbind returns.
wc_uapi_test --hold request $pat "$NVME_BDF"
rig_check "[ $? = 0 ]" "holder got the request, unmapped and closed; then the unbind completed"
rig_check "[ ! -e $dev/driver ]" "device unbound"
wc_uapi_test --no-wc-left "$NVME_BDF"
rig_check "[ $? = 0 ]" "no write-combining memtype left after the unbind"
rmmod vfio_pci_wc
rig_check "[ $? = 0 ]" "rmmod vfio_pci_wc"
rig_check "! grep -q '^vfio_pci_wc ' /proc/modules" "vfio_pci_wc is gone from /proc/modules"

echo "== 3. the same BAR under plain vfio-pci"
rig_bind "$NVME_BDF" vfio-pci || exit 1
wc_uapi_test --plain $plain "$NVME_BDF"
rig_check "[ $? = 0 ]" "plain vfio-pci maps the BAR uncached"
rig_done
