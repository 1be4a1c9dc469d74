# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest whose first boot never reaches our /init (its
# vCPUs are held stopped, so the console stays as silent as a firmware
# hang) is killed at the boot deadline and booted once more; the second
# boot passes and the result line says the first one hung.
# cells: x86_64-6.1
# inject: boot-hang-once
# boot-deadline: 15 (the frozen first boot only; the second gets the run's deadline)
# timeout: 60
# expect-pass: ^PASS boot-hang \[x86_64, linux 6\.1\.0-[0-9]+-amd64\] \(booted twice: the first boot never reached init within 15s \(console stopped at: nothing on the console\)\)$

echo "rig: second boot reached the scenario"
