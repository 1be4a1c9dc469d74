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
	TWC_NMAPS
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
	struct twc_stats mbps;	/* 10^6 bytes per second */
	bool verified;		/* data read back and matched */
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

const char *twc_map_name(enum twc_map m);	/* "uc", "wc" */
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
