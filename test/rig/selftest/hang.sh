# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest that never answers must fail at its timeout.
# cells: x86_64-6.1
# expect: guest hung: no verdict within 20s
# timeout: 20

while :; do sleep 1; done
