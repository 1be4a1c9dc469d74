/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copies that issue only naturally aligned 1, 2, 4 and 8-byte accesses on
 * the mapping side. That is the one access pattern every mapping accepts:
 * arm64 Device memory faults on anything unaligned, and an uncached store
 * leaves the CPU as its own transaction anyway, so nothing is lost by
 * never using wider ones. The ordinary-memory side may have any alignment.
 */
#include <stddef.h>
#include <stdint.h>

/*
 * Test hook. test/unit/meson.build compiles this file a second time with
 * -DWC_MMIO_UC_TRACE=<function>: every access to the mapping then first
 * calls that function with its address, size and direction (1: store),
 * and the functions get a _traced suffix so both copies link into the
 * test. The unit test uses it to prove the alignment claim above rather
 * than assume it. In the library the hook compiles to nothing.
 */
#ifdef WC_MMIO_UC_TRACE
void WC_MMIO_UC_TRACE(uintptr_t addr, size_t size, int store);
#define UC_ACCESS(addr, size, store) WC_MMIO_UC_TRACE(addr, size, store)
#define WC_MMIO_STORE_HOOK(addr, size) WC_MMIO_UC_TRACE(addr, size, 1)
#define UC_FN(name) name##_traced
#else
#define UC_ACCESS(addr, size, store) do { } while (0)
#define UC_FN(name) name
#endif

#include "wc_mmio_internal.h"

/*
 * The same pieces as a loop of wc_mmio_piece() would take, with the
 * sizes found by bit tests (wc_mmio_store_pieces()): a run of aligned
 * stores with no search between them.
 */
void
UC_FN(wc_mmio_uc_copy_to)(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_store_pieces((uintptr_t)dst, src, len);
}

void
UC_FN(wc_mmio_uc_copy_from)(void *dst, const volatile void *src, size_t len)
{
	uintptr_t s = (uintptr_t)src;
	uint8_t *d = dst;
	size_t size;

	while (len != 0) {
		size = wc_mmio_piece(s, len);
		UC_ACCESS(s, size, 0);
		wc_mmio_load_piece(d, s, size);
		d += size;
		s += size;
		len -= size;
	}
}
