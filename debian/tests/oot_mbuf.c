/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An out-of-tree DPDK application for the oot-build autopkgtest, built
 * with the installed dpdk-wc-dev and nothing else:
 *
 *   cc -o oot_mbuf oot_mbuf.c $(pkg-config --cflags --libs dpdk-wc)
 *   ./oot_mbuf --no-huge --no-pci -m 128 --no-shconf --lcores 40@0
 *
 * Every argument goes to rte_eal_init. The program checks that the
 * headers were configured for many cores and NUMA nodes (RTE_MAX_LCORE
 * >= 128, RTE_MAX_NUMA_NODES >= 32), that EAL runs it on lcore 40, and
 * that an mbuf pool with a per-lcore cache hands out mbufs into which
 * rte_memcpy copies patterns of many sizes and alignments (the inline
 * SIMD copy of rte_memcpy.h, which needs the -march dpdk-wc was built
 * with) and back, byte for byte, without touching a byte around them.
 * It prints one summary line and exits 0 only if every check held.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_build_config.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>

#define WANT_LCORE 40u
#define WANT_MAX_LCORE 128
#define WANT_MAX_NUMA_NODES 32

#define POOL_SIZE 511u	/* 2^n - 1: the ring's best fill */
#define POOL_CACHE 32u
#define NB_MBUFS 4u
#define GUARD 0xa5	/* what surrounds a copy in the host buffer */
#define MAX_OFF 16u	/* largest misalignment tried */

static unsigned int checks;
static unsigned int failed;

/* One check: counted; a line only if it failed. */
static void
check(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failed++;
	printf("oot_mbuf: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A byte of the pattern for copy number 'seed' at position 'i'. */
static uint8_t
pattern(unsigned int seed, size_t i)
{
	return (uint8_t)((i * 131u) ^ (seed * 29u) ^ (i >> 8));
}

/* Index of the first byte where a and b differ, or n if none. */
static size_t
first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

/*
 * Copy len bytes of a pattern from src + soff into the mbuf's data at
 * offset moff and from there to dst + doff, comparing byte for byte
 * after each copy. Returns 1 if the round trip held.
 */
static int
round_trip(struct rte_mbuf *m, unsigned int seed, size_t len,
	   size_t soff, size_t moff, size_t doff)
{
	static uint8_t src[RTE_MBUF_DEFAULT_DATAROOM + 2 * MAX_OFF];
	static uint8_t dst[RTE_MBUF_DEFAULT_DATAROOM + 2 * MAX_OFF];
	uint8_t *data;
	size_t i, at;

	for (i = 0; i < sizeof(src); i++)
		src[i] = pattern(seed, i);
	memset(dst, GUARD, sizeof(dst));

	rte_pktmbuf_reset(m);
	data = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(moff + len));
	if (data == NULL) {
		check(0, "rte_pktmbuf_append(%zu) found no room", moff + len);
		return 0;
	}
	rte_memcpy(data + moff, src + soff, len);
	at = first_diff(data + moff, src + soff, len);
	if (at != len) {
		check(0, "rte_memcpy into the mbuf, %zu bytes (src +%zu, mbuf +%zu): byte %zu is 0x%02x, not 0x%02x",
		      len, soff, moff, at, data[moff + at], src[soff + at]);
		return 0;
	}

	rte_memcpy(dst + doff, rte_pktmbuf_mtod_offset(m, const uint8_t *, moff), len);
	at = first_diff(dst + doff, src + soff, len);
	if (at != len) {
		check(0, "rte_memcpy out of the mbuf, %zu bytes (mbuf +%zu, dst +%zu): byte %zu is 0x%02x, not 0x%02x",
		      len, moff, doff, at, dst[doff + at], src[soff + at]);
		return 0;
	}
	for (i = 0; i < sizeof(dst); i++) {
		if ((i < doff || i >= doff + len) && dst[i] != GUARD) {
			check(0, "rte_memcpy of %zu bytes to dst +%zu wrote byte %zu outside the copy",
			      len, doff, i);
			return 0;
		}
	}
	check(1, "round trip");
	return 1;
}

int
main(int argc, char **argv)
{
	/* Below, at and above 16, 32, 64, 128 and 256 (rte_memcpy's size
	 * classes), odd sizes, and a frame. */
	static const size_t sizes[] = {
		1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100,
		127, 128, 129, 200, 255, 256, 257, 511, 512, 513, 1000, 1514,
	};
	static const size_t offs[][3] = { /* src, mbuf, dst */
		{ 0, 0, 0 }, { 1, 0, 3 }, { 0, 5, 0 }, { 3, 7, 1 },
		{ 15, 1, 13 }, { 8, 16, 9 },
	};
	struct rte_mbuf *mbufs[NB_MBUFS];
	struct rte_mempool *pool;
	unsigned int copies = 0, seed = 0, lcore = 0;
	unsigned int n, s, o, in_use = 0, avail = 0;
	int ret;

	/* Lines in order with EAL's log on stderr when both go to a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("oot_mbuf: RTE_MAX_LCORE %d, RTE_MAX_NUMA_NODES %d (want >= %d, >= %d)\n",
	       RTE_MAX_LCORE, RTE_MAX_NUMA_NODES, WANT_MAX_LCORE, WANT_MAX_NUMA_NODES);
	check(RTE_MAX_LCORE >= WANT_MAX_LCORE, "RTE_MAX_LCORE is %d, not >= %d",
	      RTE_MAX_LCORE, WANT_MAX_LCORE);
	check(RTE_MAX_NUMA_NODES >= WANT_MAX_NUMA_NODES, "RTE_MAX_NUMA_NODES is %d, not >= %d",
	      RTE_MAX_NUMA_NODES, WANT_MAX_NUMA_NODES);

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		check(0, "rte_eal_init: %s", rte_strerror(rte_errno));
		printf("oot_mbuf: FAIL: %u of %u checks failed (EAL did not start)\n",
		       failed, checks);
		return 1;
	}

	lcore = rte_lcore_id();
	printf("oot_mbuf: main lcore %u on socket %u\n", lcore, rte_socket_id());
	check(lcore == WANT_LCORE, "rte_lcore_id() is %u, not %u", lcore, WANT_LCORE);

	pool = rte_pktmbuf_pool_create("oot_mbuf_pool", POOL_SIZE, POOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	check(pool != NULL, "rte_pktmbuf_pool_create(%u mbufs, cache %u): %s",
	      POOL_SIZE, POOL_CACHE, rte_strerror(rte_errno));
	if (pool != NULL) {
		check(pool->cache_size == POOL_CACHE, "the pool's cache is %u, not %u",
		      pool->cache_size, POOL_CACHE);
		ret = rte_pktmbuf_alloc_bulk(pool, mbufs, NB_MBUFS);
		check(ret == 0, "rte_pktmbuf_alloc_bulk(%u): %d", NB_MBUFS, ret);
		if (ret == 0) {
			in_use = rte_mempool_in_use_count(pool);
			check(in_use == NB_MBUFS, "%u mbufs in use after allocating %u",
			      in_use, NB_MBUFS);
			for (n = 0; n < NB_MBUFS; n++)
				for (s = 0; s < RTE_DIM(sizes); s++)
					for (o = 0; o < RTE_DIM(offs); o++)
						copies += round_trip(mbufs[n], seed++, sizes[s],
								     offs[o][0], offs[o][1],
								     offs[o][2]);
			rte_pktmbuf_free_bulk(mbufs, NB_MBUFS);
		}
		/* The freed mbufs sit in lcore 40's cache: still counted. */
		in_use = rte_mempool_in_use_count(pool);
		avail = rte_mempool_avail_count(pool);
		check(in_use == 0 && avail == POOL_SIZE,
		      "after freeing: %u mbufs in use, %u available of %u",
		      in_use, avail, POOL_SIZE);
		rte_mempool_free(pool);
	}

	ret = rte_eal_cleanup();
	check(ret == 0, "rte_eal_cleanup: %d", ret);

	if (failed == 0) {
		printf("oot_mbuf: PASS: %u checks (main lcore %u, RTE_MAX_LCORE %d, RTE_MAX_NUMA_NODES %d, %u mbufs, %u rte_memcpy round trips)\n",
		       checks, lcore, RTE_MAX_LCORE, RTE_MAX_NUMA_NODES, NB_MBUFS, copies);
		return 0;
	}
	printf("oot_mbuf: FAIL: %u of %u checks failed\n", failed, checks);
	return 1;
}
