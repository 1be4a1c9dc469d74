# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest whose kernel panics must fail, with the reason.
# cells: x86_64-6.1
# expect: guest kernel panicked
# timeout: 60

echo c > /proc/sysrq-trigger
