/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef WC_DPDK_CHECK_H
#define WC_DPDK_CHECK_H

/*
 * Our drivers and bus code rely on hook points that only exist in a DPDK
 * carrying our patch series (subprojects/packagefiles/dpdk/). Fail the build
 * here, with a sentence, rather than at run time with a missing hook.
 */
#include <rte_build_config.h>

#define WC_DPDK_HOOKS_REQUIRED 1

#if !defined(RTE_DPDK_WC_HOOKS)
#error "this DPDK lacks the dpdk-wc patch series: build it through this project's meson (subprojects/dpdk.wrap)"
#elif RTE_DPDK_WC_HOOKS < WC_DPDK_HOOKS_REQUIRED
#error "this DPDK carries an older dpdk-wc patch series: wipe subprojects/dpdk-stable-* and reconfigure"
#endif

#endif /* WC_DPDK_CHECK_H */
