/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What one run of the NVMe mode measured, independent of how it is
 * printed, and the pure arithmetic behind it (which placements exist,
 * which LBAs the commands use, what a command stores): the NVMe table,
 * CSV, JSON and SVG writers read this, and unit tests fill it by hand.
 */
#ifndef TWC_NVME_REPORT_H
#define TWC_NVME_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "twc_opts.h"
#include "twc_report.h"
#include "twc_stats.h"

/* Where a submission queue or command data lives. */
enum twc_nvme_where {
	TWC_NVME_HOST = 0,	/* host memory; the controller DMAs it */
	TWC_NVME_CMB_UC,	/* the CMB, its BAR mapped uncached */
	TWC_NVME_CMB_WC,	/* the CMB, its BAR mapped write-combining */
};

enum twc_nvme_op {
	TWC_NVME_WRITE = 0,
	TWC_NVME_READ,
};

struct twc_nvme_placement {
	enum twc_nvme_where sq;
	enum twc_nvme_where data;
};

/* Every placement, in the order they run: UC ones, then WC ones. */
#define TWC_NVME_NPLACEMENTS 7
extern const struct twc_nvme_placement
	twc_nvme_placements[TWC_NVME_NPLACEMENTS];

/* What the controller's CMB can hold (CMBSZ), as the PMD reports it. */
struct twc_nvme_cmb_caps {
	bool present;		/* a usable CMB */
	bool sqs;		/* submission queues */
	bool data;		/* read and write data (WDS and RDS) */
};

/*
 * Why placement p cannot run on a controller with caps: one phrase, or
 * NULL when it can (mapping aside: a CMB-WC placement also needs the BAR
 * mapped WC, which only trying tells).
 */
const char *twc_nvme_placement_unfit(const struct twc_nvme_placement *p,
		const struct twc_nvme_cmb_caps *caps);

/* Where the commands go: the start of the namespace. */
struct twc_nvme_plan {
	uint32_t op_bytes;	/* blocks * lba_size per command */
	unsigned int slots;	/* distinct LBA ranges, used in turn */
	uint64_t region_blocks;	/* slots * blocks, from LBA 0 */
};

/* The write region is kept to this, unless one queue depth needs more. */
#define TWC_NVME_REGION_BYTES (4u << 20)

/*
 * Plan ops commands of blocks blocks each at queue depths up to
 * max_depth on a namespace of nb_lbas blocks of lba_size bytes whose
 * controller moves at most max_xfer bytes per command. Commands use
 * slots 0, 1, ... in turn, wrapping; no two commands in flight at once
 * share a slot, so read-back is well defined. Returns 0, or -1 with one
 * line in err (blocks per command beyond max_xfer, namespace too small).
 */
int twc_nvme_plan(uint32_t lba_size, uint64_t nb_lbas, uint32_t max_xfer,
		unsigned int blocks, unsigned int ops, unsigned int max_depth,
		struct twc_nvme_plan *plan, char *err, size_t errlen);

/* First LBA of command i. */
uint64_t twc_nvme_op_lba(const struct twc_nvme_plan *plan,
		unsigned int blocks, unsigned int i);

/*
 * Bytes of PRP list a command of len bytes needs when its data starts on
 * a page boundary (NVMe: PRP1 covers the first page, PRP2 the second, or
 * points at a list of the others once more than two pages are touched).
 */
uint32_t twc_nvme_prp_list_bytes(uint32_t len, uint32_t page_size);

/* One placement at one queue depth in one direction. */
struct twc_nvme_row {
	struct twc_nvme_placement place;
	unsigned int depth;
	enum twc_nvme_op op;
	bool skipped;		/* not run: why says why */
	char why[448];		/* skipped or failed: one phrase, a bus reason in it */
	unsigned int commands;	/* completed (with or without error) */
	double seconds;		/* first submission to last completion */
	double cmds_per_s;
	struct twc_stats lat_us; /* submission to completion, microseconds */
	double lat_p99_us;
	/* The PMD's counters over the run (xstats, reset before it). */
	uint64_t x_commands;
	uint64_t sqe_stores;
	uint64_t data_stores;
	uint64_t prp_stores;
	uint64_t doorbells;
	uint64_t flushes;
	uint64_t errors;	/* commands that failed, as the app saw them */
	uint64_t timeouts;
	uint64_t op_mmio_stores; /* sum of each op's mmio_stores */
	unsigned int sqe_width;	/* bytes per SQ entry store; 0: SQ in host */
	uint64_t mmio_bytes;	/* bytes stored: CMB + 4 per doorbell */
	uint32_t bytes;		/* payload per command */
	uint64_t blocks_checked; /* read back and compared */
	uint64_t blocks_bad;
	bool verified;		/* no error, every block read back matched */
};

struct twc_nvme_report {
	/* The controller and its namespace. */
	char device[64];	/* PCI address */
	char pci_id[16];	/* vendor:device */
	char model[41];
	char serial[21];
	unsigned int version_major, version_minor;
	uint32_t nsid;
	uint32_t lba_size;
	uint64_t nb_lbas;
	uint32_t max_xfer;
	uint32_t page_size;
	uint64_t cmb_size;	/* 0: no CMB */
	unsigned int cmb_bar;
	struct twc_nvme_cmb_caps caps;
	/* What was run. */
	unsigned int blocks;	/* per command */
	unsigned int ops;	/* per cell and direction */
	unsigned int depths[TWC_NVME_MAX_DEPTHS];
	unsigned int ndepths;
	struct twc_nvme_plan plan;
	/* Where. */
	char arch[16];
	unsigned int max_width;
	char cpu_features[64];
	char environment[128];
	bool emulated;
	char label[128];
	/* The CMB BAR as each phase had it (path, reason, x86 PAT). */
	struct twc_phase phases[TWC_NMAPS];

	struct twc_nvme_row *rows;
	size_t nrows;
	size_t rows_cap;
	char notes[TWC_MAX_NOTES][TWC_NOTE_LEN];
	unsigned int nnotes;
};

/* A zeroed report; free its rows with twc_nvme_report_free. */
void twc_nvme_report_init(struct twc_nvme_report *r);
void twc_nvme_report_free(struct twc_nvme_report *r);

/* Append a row (copied); returns it, or NULL when out of memory. */
struct twc_nvme_row *twc_nvme_report_add_row(struct twc_nvme_report *r,
		const struct twc_nvme_row *row);

/* Add a note line (printf format); dropped silently once full. */
void twc_nvme_report_note(struct twc_nvme_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True when at least one row ran and every row that ran verified. */
bool twc_nvme_report_all_verified(const struct twc_nvme_report *r);

/* Per command, 0 when nothing ran. */
double twc_nvme_per_cmd(const struct twc_nvme_row *row, uint64_t total);

const char *twc_nvme_where_name(enum twc_nvme_where w); /* host, cmb-uc, cmb-wc */
const char *twc_nvme_op_name(enum twc_nvme_op op);	/* write, read */

/* --- writers (one file each) --- */
void twc_nvme_write_table(const struct twc_nvme_report *r, FILE *f);
int twc_nvme_write_csv(const struct twc_nvme_report *r, FILE *f);
int twc_nvme_write_json(const struct twc_nvme_report *r, FILE *f);
int twc_nvme_write_svg(const struct twc_nvme_report *r, FILE *f);

/* Write with one of the writers into path; one error line on failure. */
int twc_nvme_write_file(const struct twc_nvme_report *r, const char *path,
		int (*writer)(const struct twc_nvme_report *, FILE *));

#endif /* TWC_NVME_REPORT_H */
