# SPDX-License-Identifier: BSD-3-Clause
# The one place that pins the DPDK we build on (sourced by shell scripts).
# Keep subprojects/dpdk.wrap in step with these values.
DPDK_VERSION=22.11.11
DPDK_DEB_VERSION=22.11.11-0+deb12u1
DPDK_ORIG=dpdk_22.11.11.orig.tar.xz
DPDK_ORIG_SHA256=27a3bb1f57e02eb68c7c0a6f8bbf9fb74ec198c5aab74ed602da5b71c492a476
