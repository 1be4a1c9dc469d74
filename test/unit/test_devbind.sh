#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The series' dpdk-devbind.py (patch 5/5; packaged as dpdk-wc-devbind.py)
# against a sysfs and an lspci made up here, in a mount namespace of its
# own so the real /sys is never touched: a vfio-pci variant driver (a
# module holding vfio_pci_core) counts as DPDK-compatible, "--status" lists
# the device bound to it, and "-b vfio-pci-wc BDF" moves an NVMe controller
# from nvme through driver_override and bind. The guest rig proves the
# same with a real kernel.
#   test_devbind.sh SOURCE_DIR     (root: unshare -m; skipped otherwise)
set -u
src=$1
devbind=$(ls "$src"/subprojects/dpdk-stable-*/usertools/dpdk-devbind.py 2>/dev/null | head -n 1)
[ -n "$devbind" ] || { echo "no extracted DPDK source under $src/subprojects"; exit 1; }
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs root and unshare -m"
	exit 77
fi
grep -q vfio_pci_core_drivers "$devbind" ||
	{ echo "FAIL: $devbind is not patched (re-extract the DPDK source)"; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
s=$t/sys
nic=0000:00:03.0 nvme=0000:00:04.0
mkdir -p "$s/module/vfio_pci_core/holders/vfio_pci_wc" "$s/module/vfio_pci_wc" \
	"$s/module/nvme" "$s/bus/pci/drivers/vfio-pci-wc" "$s/bus/pci/drivers/nvme" \
	"$s/bus/pci/devices/$nic" "$s/bus/pci/devices/$nvme"
ln -s ../../../../module/vfio_pci_wc "$s/bus/pci/drivers/vfio-pci-wc/module"
ln -s ../../../../module/nvme "$s/bus/pci/drivers/nvme/module"
for f in bind unbind new_id; do
	: > "$s/bus/pci/drivers/vfio-pci-wc/$f"
	: > "$s/bus/pci/drivers/nvme/$f"
done
: > "$s/bus/pci/devices/$nic/driver_override"
: > "$s/bus/pci/devices/$nvme/driver_override"

# lspci as devbind calls it (-Dvmmnnk, -vmmks BDF); a file says which
# driver the NVMe controller has now.
mkdir -p "$t/bin"
echo nvme > "$t/nvme-driver"
cat > "$t/bin/lspci" <<LSPCI
#!/bin/sh
nvme_drv=\$(cat "$t/nvme-driver")
nic() { printf 'Slot:\t$nic\nClass:\tEthernet controller [0200]\nVendor:\tIntel Corporation [8086]\nDevice:\t82574L Gigabit Network Connection [10d3]\nDriver:\tvfio-pci-wc\nModule:\te1000e\n\n'; }
nvme() { printf 'Slot:\t$nvme\nClass:\tNon-Volatile memory controller [0108]\nVendor:\tRed Hat, Inc. [1b36]\nDevice:\tQEMU NVM Express Controller [0010]\nDriver:\t%s\nModule:\tnvme\n\n' "\$nvme_drv"; }
case "\$*" in
*-s*$nvme*) nvme ;;
*-s*$nic*) nic ;;
*) nic; nvme ;;
esac
LSPCI
chmod +x "$t/bin/lspci"

run() { # devbind arguments...
	PATH=$t/bin:$PATH unshare -m sh -c 'mount --bind "$1" /sys && shift && exec python3 "$@"' \
		- "$s" "$devbind" "$@"
}

fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

status=$(run --status-dev net 2>&1)
echo "$status"
echo "$status" | sed -n '/DPDK-compatible driver/,/^$/p' | grep -q "$nic.*drv=vfio-pci-wc" &&
	ok "--status lists $nic under the DPDK-compatible drivers (drv=vfio-pci-wc)" ||
	fail "--status does not list $nic as bound to a DPDK-compatible driver"

status=$(run --status-dev misc 2>&1)
echo "$status"
echo "$status" | grep -q "$nvme.*drv=nvme" &&
	ok "--status-dev misc lists the NVMe controller $nvme" ||
	fail "--status-dev misc does not list the NVMe controller"

out=$(run -b vfio-pci-wc "$nvme" 2>&1)
echo "$out"
[ "$(cat "$s/bus/pci/drivers/nvme/unbind")" = "$nvme" ] &&
	ok "-b unbound $nvme from nvme" || fail "-b did not unbind $nvme from nvme"
[ "$(cat "$s/bus/pci/drivers/vfio-pci-wc/bind")" = "$nvme" ] &&
	ok "-b wrote $nvme to vfio-pci-wc's bind" || fail "-b did not bind $nvme to vfio-pci-wc"
# driver_override was set to vfio-pci-wc, then cleared with a NUL after
# the bind, as devbind does for vfio-pci.
[ "$(od -An -c "$s/bus/pci/devices/$nvme/driver_override" | tr -d ' ')" = '\0' ] &&
	ok "driver_override was used (cleared after the bind)" ||
	fail "driver_override was not used for $nvme"
[ -s "$s/bus/pci/drivers/vfio-pci-wc/new_id" ] &&
	fail "-b fell back to new_id" || ok "no new_id write (driver_override path)"

[ $fails = 0 ] && echo "devbind: all checks passed" && exit 0
echo "devbind: $fails check(s) failed"
exit 1
