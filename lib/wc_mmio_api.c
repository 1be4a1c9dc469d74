/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The public entry points of wc_mmio.h that are not copies themselves:
 * choosing the copy for an attribute, the flush, verification, names.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio.h"
#include "wc_mmio_internal.h"

/* Pieces wc_mmio_piece() takes for len bytes at d: the UC copy's stores. */
static size_t
piece_count(uintptr_t d, size_t len)
{
	size_t n = 0, size;

	while (len != 0 && (d & (WC_MMIO_PIECE_MAX - 1)) != 0) {
		size = wc_mmio_piece(d, len);
		d += size;
		len -= size;
		n++;
	}
	n += len / WC_MMIO_PIECE_MAX;
	d += len - len % WC_MMIO_PIECE_MAX;
	len %= WC_MMIO_PIECE_MAX;
	while (len != 0) {
		size = wc_mmio_piece(d, len);
		d += size;
		len -= size;
		n++;
	}
	return n;
}

size_t
wc_mmio_store_count(uintptr_t dst, size_t len, enum wc_mmio_attr attr,
		unsigned int max_width)
{
	if (attr != WC_MMIO_WC)
		return piece_count(dst, len);
	/* The split of the body wc_mmio_copy_to() resolves to. */
	return wc_mmio_wc_count(wc_mmio_wc_body_for(max_width), dst, len);
}

void
wc_mmio_copy_from(void *dst, const volatile void *src, size_t len)
{
	wc_mmio_uc_copy_from(dst, src, len);
}

unsigned int
wc_mmio_store_width(enum wc_mmio_attr attr, unsigned int max_width,
		const char **kind)
{
	const struct wc_mmio_wc_body *body;

	if (attr != WC_MMIO_WC) {
		if (kind != NULL)
			*kind = "aligned";
		return WC_MMIO_PIECE_MAX;
	}
	body = wc_mmio_wc_body_for(max_width);
	if (kind != NULL)
		*kind = body->name;
	return body->width;
}

void
wc_mmio_flush(enum wc_mmio_attr attr)
{
	if (attr != WC_MMIO_WC) {
		/* Uncached stores are in order already; keep the compiler's. */
		__asm__ volatile("" : : : "memory");
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	/* Drains the WC buffers; orders MOVDIR64B too. */
	__asm__ volatile("sfence" : : : "memory");
#elif defined(__aarch64__)
	/*
	 * Normal-NC stores may sit in a buffer and pass a later Device store
	 * (the doorbell). DMB OSHST orders every earlier store before every
	 * later one as the outer-shareable domain, which holds the device,
	 * observes them: that is all a doorbell needs, and unlike DSB ST it
	 * does not stall the CPU until the stores have completed. It is the
	 * barrier DPDK's rte_io_wmb()/rte_wmb() use on arm64 for this job.
	 */
	__asm__ volatile("dmb oshst" : : : "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

size_t
wc_mmio_verify(const volatile void *mmio, const void *expect, size_t len)
{
	const uint8_t *e = expect;
	uintptr_t m = (uintptr_t)mmio;
	uint8_t buf[64];
	size_t off = 0, n, i;

	while (off < len) {
		/*
		 * Chunks end on 64-byte boundaries of the mapping, so they
		 * never split what would have been one aligned 8-byte load.
		 */
		n = sizeof(buf) - ((m + off) & (sizeof(buf) - 1));
		if (n > len - off)
			n = len - off;
		wc_mmio_uc_copy_from(buf, (const volatile void *)(m + off), n);
		if (memcmp(buf, e + off, n) != 0) {
			for (i = 0; buf[i] == e[off + i]; i++)
				;
			return off + i;
		}
		off += n;
	}
	return len;
}

const char *
wc_mmio_attr_name(enum wc_mmio_attr attr)
{
	switch (attr) {
	case WC_MMIO_UC:
		return "uc";
	case WC_MMIO_WC:
		return "wc";
	}
	return "unknown";
}
