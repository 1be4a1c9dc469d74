/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Architectures without vector bodies: the WC copy uses the 8-byte
 * general-purpose body of wc_mmio_wc.c alone, whose stores (like every
 * MMIO access of the library) go through the accessors of
 * wc_mmio_internal.h.
 */
#include <stddef.h>

#include "wc_mmio_internal.h"

const struct wc_mmio_wc_body *
wc_mmio_wc_arch_bodies(unsigned int *nb)
{
	*nb = 0;
	return NULL;
}
