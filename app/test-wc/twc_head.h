/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The part of a report the raw-BAR and the NVMe modes share: where the
 * run ran (CPU, environment, label), how the BAR was mapped in each
 * phase, and the notes. Each mode's report lends a view of those fields
 * (TWC_HEAD_OF), so both modes' table, JSON and SVG writers print this
 * part with the same code and the same bytes, and a change to it reaches
 * both.
 */
#ifndef TWC_HEAD_H
#define TWC_HEAD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define TWC_MAX_NOTES 8
#define TWC_NOTE_LEN 200

struct twc_phase;

/* Borrowed from a report; valid while the report is. */
struct twc_head {
	const char *device;	/* PCI address */
	const char *pci_id;	/* vendor:device */
	const char *arch;
	unsigned int max_width;	/* widest store the CPU has */
	const char *cpu_features;
	const char *environment;
	bool emulated;
	const char *label;
	const struct twc_phase *phases;	/* TWC_NMAPS of them */
	const char (*notes)[TWC_NOTE_LEN];
	unsigned int nnotes;
};

/*
 * The view of report r, of either mode: both name these fields alike,
 * so one list serves both types.
 */
#define TWC_HEAD_OF(r) ((struct twc_head){ \
	.device = (r)->device, .pci_id = (r)->pci_id, .arch = (r)->arch, \
	.max_width = (r)->max_width, .cpu_features = (r)->cpu_features, \
	.environment = (r)->environment, .emulated = (r)->emulated, \
	.label = (r)->label, .phases = (r)->phases, .notes = (r)->notes, \
	.nnotes = (r)->nnotes, \
})

/*
 * Add a note to notes (nnotes used so far); dropped silently once all
 * TWC_MAX_NOTES are used.
 */
void twc_head_vnote(char notes[][TWC_NOTE_LEN], unsigned int *nnotes,
		const char *fmt, va_list ap);

/*
 * The table's lines about the CPU, the environment (with the emulation
 * warning), each phase's mapping (each line starting with what, then the
 * mapping's name) and the notes.
 */
void twc_head_table(const struct twc_head *h, const char *what, FILE *f);

/*
 * The table's last lines: the verdict on the data, then, when emulated,
 * the reminder that only the behaviour (what behaviour lists) means
 * anything there.
 */
void twc_head_table_end(const struct twc_head *h, const char *data,
		const char *behaviour, FILE *f);

/*
 * The JSON members "tool", "mode" (unless mode is NULL) and
 * "environment", then the start of "device" with its "pci" and "id":
 * the caller adds the mode's own device keys and closes the object.
 */
void twc_head_json(const struct twc_head *h, const char *mode, FILE *f);

/* The JSON members "mappings" (the phases that ran) and "notes". */
void twc_head_json_mappings(const struct twc_head *h, FILE *f);

/*
 * The SVG lines below the title: the environment (red, with the warning,
 * when emulated) and the label when there is one.
 */
void twc_head_svg(const struct twc_head *h, FILE *f);

#endif /* TWC_HEAD_H */
