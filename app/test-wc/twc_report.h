/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Everything one run of dpdk-test-wc measured, independent of how it is
 * printed: the table, CSV, JSON and SVG writers all read this, and unit
 * tests fill it by hand.
 */
#ifndef TWC_REPORT_H
#define TWC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "twc_head.h"
#include "twc_opts.h"
#include "twc_stats.h"

/* Index of a mapping in the report (same order as enum wc_mmio_attr). */
enum twc_map {
	TWC_MAP_UC = 0,
	TWC_MAP_WC = 1,
	TWC_NMAPS,
	/*
	 * Ordinary write-back memory, measured with the same loop as the
	 * BAR: the baseline rows. Not a phase of the BAR (no path, no PAT).
	 */
	TWC_MAP_WB = TWC_NMAPS,
};

enum twc_dir {
	TWC_DIR_WRITE = 0,
	TWC_DIR_READ,
};

/* How the unaligned sweep copies into the mapping. */
enum twc_method {
	TWC_METHOD_MEMCPY = 0,	/* libc memcpy: what a naive driver does */
	TWC_METHOD_WC_MMIO,	/* wc_mmio_copy_to with the mapping's attr */
	TWC_NMETHODS
};

/* One throughput configuration on one mapping. */
struct twc_tp_row {
	enum twc_map map;
	enum twc_dir dir;
	size_t size;		/* bytes per copy */
	unsigned int width;	/* WC max store width; 0 for UC and reads */
	unsigned int dst_offset; /* offset of each copy from a 64 B line */
	unsigned int lcores;	/* lcores copying at once */
	/*
	 * The store the copy actually used for the aligned middle (kind as
	 * wc_mmio_store_width() names it: "gpr", "avx", ..., "aligned" for
	 * the UC copy, "load" for reads) and its width in bytes.
	 */
	char store[16];
	unsigned int store_width;
	bool drained;		/* each sample ended with a read of the target */
	struct twc_stats mbps;	/* 10^6 bytes per second */
	bool verified;		/* the timed loop's own data read back and matched */
};

/* UC single-read latency: one naturally aligned 4-byte load at a time. */
struct twc_latency {
	bool done;
	unsigned int size;	/* bytes per read */
	struct twc_stats ns;	/* ns per read, one read per sample */
};

/* The PCIe link and placement of the device, from sysfs. */
struct twc_link {
	bool available;		/* speed and width known */
	char reason[448];	/* why not, when not (may quote a bus reason) */
	double gts;		/* current link speed, GT/s per lane */
	unsigned int width;	/* current link width, lanes */
	char speed_str[64];	/* as sysfs says it */
	double max_gts;
	unsigned int max_width;
	int mps;		/* Max_Payload_Size in bytes, -1 unknown */
	char mps_reason[96];	/* why unknown */
	int numa_node;		/* device's NUMA node, -1 none/unknown */
	int lcore_socket;	/* socket of the lcore that measured, -1 unknown */
	bool numa_mismatch;	/* both known and different */
};

/*
 * The TLP-efficiency ceiling of a link: the share of link bytes that are
 * payload for a posted write of p payload bytes is p / (p + overhead),
 * overhead being the TLP header (16 B, 64-bit address) plus framing,
 * sequence number and LCRC (8 B). What a 64-byte WC write can reach
 * against 8-byte UC writes is the ratio of the two shares.
 */
#define TWC_TLP_HEADER 16
#define TWC_TLP_FRAMING 8
double twc_tlp_efficiency(unsigned int payload);
/* The ceiling of WC over UC for copies of size bytes (row ratios). */
double twc_tlp_ceiling(size_t size);
/* Payload bytes per second of the link for payload p, 0 unknown. */
double twc_link_payload_mbps(const struct twc_link *l, unsigned int payload);

/* The host side of the run: CPU frequency policy and pinning. */
struct twc_host {
	char governor[48];	/* scaling_governor of the lcore's CPU */
	char governor_reason[96]; /* when not available */
	char pinning[128];	/* lcores and the CPUs each may run on */
	unsigned int main_cpu;	/* CPU the main lcore ran on at start */
};

#define TWC_UA_WORDS (TWC_UA_MAX_LENS / 64)

/* Unaligned sweep of one method on one mapping. */
struct twc_ua_result {
	bool done;
	unsigned int offsets;	/* destination offsets 0..offsets-1 */
	unsigned int lens;	/* lengths 1..lens */
	unsigned long attempts;
	unsigned long faults;	/* attempts a signal interrupted */
	unsigned long sigbus;
	unsigned long sigsegv;
	unsigned long verified;	/* completed and read back correctly */
	unsigned long mismatches; /* completed but read back wrong */
	/*
	 * Faults of the library in the sweep's own restores and read-backs
	 * (wc_mmio_copy_to, wc_mmio_verify), whatever the method swept.
	 */
	unsigned long own_faults;
	unsigned long own_sigbus;
	unsigned long own_sigsegv;
	/* Bit (len - 1) of [offset] is set when that attempt faulted. */
	uint64_t fault_map[TWC_UA_MAX_OFFSETS][TWC_UA_WORDS];
	uint64_t bad_map[TWC_UA_MAX_OFFSETS][TWC_UA_WORDS];
};

/* A mapping as it was while it was measured. */
struct twc_phase {
	bool done;
	char path[32];		/* vfio, vfio-wc-alias, uio, uio-wc */
	char reason[384];	/* the bus's one-line reason (RTE_PCI_WC_REASON_LEN) */
	char pat[64];		/* x86 PAT memory type of the BAR, "" unknown */
};

struct twc_report {
	/* What ran where. */
	char device[64];	/* PCI address */
	char pci_id[16];	/* vendor:device */
	unsigned int bar;
	uint64_t bar_size;
	uint64_t bar_phys;
	bool prefetchable;
	uint64_t offset;	/* window start in the BAR */
	size_t window;
	char arch[16];
	unsigned int max_width;	/* widest store the CPU has */
	char cpu_features[64];
	char environment[128];	/* "QEMU TCG emulation", "bare metal?", ... */
	bool emulated;		/* numbers are not hardware numbers */
	char label[128];
	unsigned int reps;
	unsigned int warmup;
	size_t batch;
	unsigned int lcores;

	struct twc_phase phases[TWC_NMAPS];
	struct twc_latency uc_read;	/* UC single-read latency */
	struct twc_link link;
	struct twc_host host;
	size_t wb_window;	/* bytes of the write-back baseline buffer */
	struct twc_tp_row *rows;
	size_t nrows;
	size_t rows_cap;
	struct twc_ua_result ua[TWC_NMAPS][TWC_NMETHODS];
	char notes[TWC_MAX_NOTES][TWC_NOTE_LEN]; /* things the reader must know */
	unsigned int nnotes;
};

/* A zeroed report; free its rows with twc_report_free. */
void twc_report_init(struct twc_report *r);
void twc_report_free(struct twc_report *r);

/* Append a row (copied). Returns 0 or -1 when out of memory. */
int twc_report_add_row(struct twc_report *r, const struct twc_tp_row *row);

/* Add a note line (printf format); dropped silently once full. */
void twc_report_note(struct twc_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The UC row the WC row w compares against: same direction, size,
 * offset and lcores (UC has no store width). NULL if none.
 */
const struct twc_tp_row *twc_report_uc_peer(const struct twc_report *r,
		const struct twc_tp_row *w);

/*
 * Room for one more row in an array of nrows rows of elem bytes with
 * room for *cap: rows itself while there is room, else rows moved into
 * twice as much (first rows the first time) with *cap updated; NULL,
 * with rows and *cap as they were, when out of memory. Both modes'
 * reports grow their rows with it.
 */
void *twc_rows_room(void *rows, size_t nrows, size_t *cap, size_t elem,
		size_t first);

/* True when every row and every completed sweep attempt verified. */
bool twc_report_all_verified(const struct twc_report *r);

/*
 * The run's verdict on what it measured, which its exit status follows:
 * 0 when every row and sweep attempt verified and the library's own copy
 * never faulted; 1 otherwise, with msg set to one line saying what went
 * wrong (a fault of wc_mmio_copy_to first: it is the library's core
 * promise that it never faults, on either mapping). Plain memcpy faulting
 * is what the sweep is there to show, not a failure.
 */
int twc_report_verdict(const struct twc_report *r, char *msg, size_t len);

const char *twc_map_name(enum twc_map m);	/* "uc", "wc", "wb" */

/* How each timed write sample ends (JSON "drain", the table). */
#define TWC_DRAIN_TEXT "after the last copy and flush of a write sample, one 4-byte read of the target itself (the BAR; posted writes reach the device before the read completes), inside the clock"
const char *twc_dir_name(enum twc_dir d);	/* "write", "read" */
const char *twc_method_name(enum twc_method m);	/* "memcpy", "wc_mmio" */

/*
 * "1-7,9,12-15": the lengths whose bit is set in a sweep map row, for
 * humans and CSV. Writes "" when none. Returns buf.
 */
char *twc_len_ranges(const uint64_t map[TWC_UA_WORDS], unsigned int lens,
		char *buf, size_t len);

/* Human-readable size: 8, 512, 4K, 1M. Returns buf. */
char *twc_size_str(size_t size, char *buf, size_t len);

/* --- writers (one file each) --- */

/* The human table on stdout-like streams. */
void twc_write_table(const struct twc_report *r, FILE *f);
int twc_write_csv(const struct twc_report *r, FILE *f);
int twc_write_json(const struct twc_report *r, FILE *f);
int twc_write_svg(const struct twc_report *r, FILE *f);

/* Write with one of the writers into path; one error line on failure. */
int twc_write_file(const struct twc_report *r, const char *path,
		int (*writer)(const struct twc_report *, FILE *));

#endif /* TWC_REPORT_H */
