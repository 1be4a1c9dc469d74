# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest that stops as a whole once our /init has started
# (the runner stops every vCPU through QEMU's monitor when the init marker
# shows) prints no stall report, and its kernel nothing; it is run once
# more, stops again, and must fail saying so for both runs.
# cells: x86_64-6.1
# inject: freeze-after-init
# timeout: 20
# expect: ^FAIL freeze \[x86_64, linux 6\.1\.0-[0-9]+-amd64\]: guest hung after init started: no verdict within 20s of it; no stall report at 15s either: the whole guest stopped, not only the scenario, and its kernel printed nothing after our init \(second run: the first guest hung after init started: no verdict within 20s of it; no stall report at 15s either: .*\); console log: \S+$

echo "freeze: running"
while :; do sleep 1; done
