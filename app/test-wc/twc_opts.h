/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line of dpdk-test-wc after EAL's "--": what to measure, how
 * often, and where to write results. Parsing is pure (no DPDK, no device)
 * so the unit tests can drive it.
 */
#ifndef TWC_OPTS_H
#define TWC_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TWC_MAX_SIZES 32
#define TWC_MAX_DST_OFFSETS 8
#define TWC_MAX_STORES 6
#define TWC_MAX_SIZE_LIMIT (64u << 20)	/* largest accepted transfer */
#define TWC_UA_MAX_OFFSETS 64		/* unaligned sweep: offsets 0..63 */
#define TWC_UA_MAX_LENS 256		/* unaligned sweep: lengths 1..256 */
#define TWC_NVME_MAX_DEPTHS 4		/* --nvme-depths entries */
#define TWC_NVME_MAX_DEPTH 1023		/* the PMD's queues hold 1024, one free */
#define TWC_NVME_MAX_BLOCKS 65536	/* NVMe: NLB is 16 bits, zero-based */
#define TWC_NVME_MAX_OPS 1000000	/* --nvme-ops */

/* Measurement modes, combinable. */
#define TWC_MODE_THROUGHPUT 0x1
#define TWC_MODE_UNALIGNED 0x2

/* Mappings to measure, as bits of enum wc_mmio_attr. */
#define TWC_PHASE_UC 0x1
#define TWC_PHASE_WC 0x2

/* Store widths for WC writes, as bits: 8, 16, 32, 64 bytes. */
#define TWC_WIDTH_BIT(w) ((w) == 8 ? 0x1u : (w) == 16 ? 0x2u : \
			  (w) == 32 ? 0x4u : (w) == 64 ? 0x8u : 0u)
#define TWC_WIDTHS_ALL 0x0u	/* every width the CPU has */
#define TWC_WIDTHS_WIDEST 0x10u	/* only the widest the CPU has */

struct twc_opts {
	int bar;			/* -1: first prefetchable memory BAR */
	unsigned int modes;		/* TWC_MODE_* */
	unsigned int phases;		/* TWC_PHASE_* */
	size_t sizes[TWC_MAX_SIZES];	/* transfer sizes, ascending */
	unsigned int nsizes;
	size_t max_size;		/* sizes above are dropped */
	unsigned int widths;		/* TWC_WIDTH_BIT mask or TWC_WIDTHS_* */
	/*
	 * --store: the store kinds asked for by name ("gpr", "sse2", "avx",
	 * "avx512f", "movdir64b", "neon"), 0 of them: by --widths.
	 */
	const char *stores[TWC_MAX_STORES];
	unsigned int nstores;
	unsigned int dst_offsets[TWC_MAX_DST_OFFSETS]; /* from a 64 B line */
	unsigned int ndst_offsets;
	unsigned int reps;		/* timed samples per configuration */
	unsigned int warmup;		/* untimed samples before them */
	size_t batch;			/* at least this many bytes per sample */
	bool reads;			/* measure reads as well as writes */
	bool parallel;			/* every EAL lcore writes its own slice */
	uint64_t offset;		/* where the window starts in the BAR */
	size_t window;			/* bytes of the BAR used; 0: up to 64 MiB */
	unsigned int ua_offsets;	/* unaligned sweep: offsets 0..n-1 */
	unsigned int ua_lens;		/* unaligned sweep: lengths 1..n */
	bool force;			/* allow a non-prefetchable BAR */
	bool require_wc;		/* fail when no WC mapping is obtained */
	bool quick;
	/* NVMe mode: commands through the nvme_cmb rawdev PMD. */
	bool nvme;
	unsigned int nvme_blocks;	/* logical blocks per command */
	unsigned int nvme_ops;		/* writes, then as many reads, per cell */
	unsigned int nvme_depths[TWC_NVME_MAX_DEPTHS]; /* queue depths */
	unsigned int nnvme_depths;
	const char *csv;
	const char *json;
	const char *plot;
	const char *label;
};

/* Fill opts with the defaults documented in --help. */
void twc_opts_defaults(struct twc_opts *opts);

/*
 * Parse the application arguments (those after EAL's "--"; argv[0] is the
 * program name). Returns 0 when parsed, 1 when --help was asked (nothing
 * else is checked), -1 on an error described in err (one line, no
 * newline). argv is not modified; file names point into it.
 */
int twc_opts_parse(struct twc_opts *opts, int argc, char *const argv[],
		char *err, size_t errlen);

/*
 * "4K" -> 4096, "1M", "64", "2G": a byte count with an optional binary
 * suffix. Returns 0, or -1 when s is not such a number or overflows.
 */
int twc_parse_size(const char *s, uint64_t *out);

/*
 * The store width of a --store kind name ("avx" -> 32), 0 when it is not
 * one. The kind names are wc_mmio_store_width()'s.
 */
unsigned int twc_store_kind_width(const char *kind);

/* Print the --help text. */
void twc_opts_usage(const char *prog, FILE *stream);

#endif /* TWC_OPTS_H */
