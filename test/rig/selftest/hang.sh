# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest that hangs after our /init started must fail at
# its timeout, once (never booted again), naming scenario, arch and kernel.
# cells: x86_64-6.1
# expect: ^FAIL hang \[x86_64, linux 6\.1\.0-[0-9]+-amd64\]: guest hung after init started: no verdict within 20s of it; console log: \S+$
# timeout: 20

while :; do sleep 1; done
