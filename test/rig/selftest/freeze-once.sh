# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest whose first run stops as a whole after our /init
# started (all vCPUs stopped through QEMU's monitor: no stall report, no
# kernel message) is run once more; the second run passes and the result
# line says what happened to the first.
# cells: x86_64-6.1
# inject: freeze-after-init-once
# timeout: 20
# expect-pass: ^PASS freeze-once \[x86_64, linux 6\.1\.0-[0-9]+-amd64\] \(second run: the first guest hung after init started: no verdict within 20s of it; no stall report at 15s either: the whole guest stopped, not only the scenario, and its kernel printed nothing after our init\)$

echo "rig: second run reached the scenario"
