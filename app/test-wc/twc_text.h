/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every report writer needs, whatever it reports: strings escaped
 * for JSON and for SVG text, and an output file opened and closed with
 * one error line when something goes wrong. Shared by the raw-BAR and
 * the NVMe writers so both escape the same way.
 */
#ifndef TWC_TEXT_H
#define TWC_TEXT_H

#include <stdbool.h>
#include <stdio.h>

/* s as a JSON string, quotes included. */
void twc_json_str(FILE *f, const char *s);

/*
 * before as it is (the punctuation and key in front of a value), then s
 * as a JSON string: one call per string member.
 */
void twc_json_field(FILE *f, const char *before, const char *s);

/* "true" or "false". */
const char *twc_bool(bool b);

/* s with XML's special characters escaped, for SVG text and attributes. */
void twc_xml_text(FILE *f, const char *s);

/* Open path for writing; NULL after one error line on stderr. */
FILE *twc_out_open(const char *path);

/*
 * Close f, opened by twc_out_open(path), after a writer returned ret.
 * Returns 0, or -1 (with one error line) when the writer, a write or the
 * close failed.
 */
int twc_out_close(FILE *f, const char *path, int ret);

#endif /* TWC_TEXT_H */
