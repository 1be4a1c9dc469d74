/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "twc_head.h"
#include "twc_report.h"
#include "twc_text.h"

void
twc_head_vnote(char notes[][TWC_NOTE_LEN], unsigned int *nnotes,
		const char *fmt, va_list ap)
{
	if (*nnotes >= TWC_MAX_NOTES)
		return;
	vsnprintf(notes[(*nnotes)++], TWC_NOTE_LEN, fmt, ap);
}

void
twc_head_table(const struct twc_head *h, const char *what, FILE *f)
{
	unsigned int i;
	int m;

	fprintf(f, "cpu %s, widest store %u B (%s)\n", h->arch, h->max_width,
		h->cpu_features);
	fprintf(f, "environment: %s%s%s\n", h->environment,
		h->label[0] ? "; label: " : "", h->label);
	if (h->emulated)
		fprintf(f, "*** emulated/virtual machine: these timings are NOT hardware numbers ***\n");
	for (m = 0; m < TWC_NMAPS; m++) {
		const struct twc_phase *p = &h->phases[m];

		if (!p->done)
			continue;
		fprintf(f, "%s %s: path %s, PAT %s; %s\n", what,
			twc_map_name(m), p->path, p->pat[0] ? p->pat : "n/a",
			p->reason);
	}
	for (i = 0; i < h->nnotes; i++)
		fprintf(f, "note: %s\n", h->notes[i]);
}

void
twc_head_table_end(const struct twc_head *h, const char *data,
		const char *behaviour, FILE *f)
{
	fprintf(f, "\ndata: %s\n", data);
	if (h->emulated)
		fprintf(f, "reminder: measured on %s: the timings say nothing about hardware; only the behaviour (%s) is meaningful\n",
			h->environment, behaviour);
}

void
twc_head_json(const struct twc_head *h, const char *mode, FILE *f)
{
	fputs("  \"tool\": \"dpdk-test-wc\",\n", f);
	if (mode != NULL)
		fprintf(f, "  \"mode\": \"%s\",\n", mode);
	twc_json_field(f, "  \"environment\": {\"description\": ",
		       h->environment);
	fprintf(f, ", \"emulated\": %s, \"hardware_numbers\": %s",
		twc_bool(h->emulated), twc_bool(!h->emulated));
	twc_json_field(f, ", \"label\": ", h->label);
	twc_json_field(f, ", \"arch\": ", h->arch);
	fprintf(f, ", \"max_store_width\": %u", h->max_width);
	twc_json_field(f, ", \"cpu_features\": ", h->cpu_features);
	twc_json_field(f, "},\n  \"device\": {\"pci\": ", h->device);
	twc_json_field(f, ", \"id\": ", h->pci_id);
}

void
twc_head_json_mappings(const struct twc_head *h, FILE *f)
{
	bool first = true;
	unsigned int i;
	int m;

	fputs("  \"mappings\": [", f);
	for (m = 0; m < TWC_NMAPS; m++) {
		const struct twc_phase *p = &h->phases[m];

		if (!p->done)
			continue;
		fprintf(f, "%s\n    {\"mapping\": \"%s\"", first ? "" : ",",
			twc_map_name(m));
		twc_json_field(f, ", \"path\": ", p->path);
		twc_json_field(f, ", \"pat\": ", p->pat);
		twc_json_field(f, ", \"reason\": ", p->reason);
		fputc('}', f);
		first = false;
	}
	fputs(first ? "],\n" : "\n  ],\n", f);
	fputs("  \"notes\": [", f);
	for (i = 0; i < h->nnotes; i++) {
		fputs(i ? ", " : "", f);
		twc_json_str(f, h->notes[i]);
	}
	fputs("],\n", f);
}

void
twc_head_svg(const struct twc_head *h, FILE *f)
{
	fprintf(f, "<text x=\"20\" y=\"50\" font-size=\"14\" fill=\"%s\">",
		h->emulated ? "#c0392b" : "#333");
	if (h->emulated)
		fputs("EMULATED: ", f);
	twc_xml_text(f, h->environment);
	if (h->emulated)
		fputs(" - these timings are NOT hardware numbers", f);
	fputs("</text>\n", f);
	if (h->label[0] != '\0') {
		fputs("<text x=\"20\" y=\"68\" font-size=\"13\">", f);
		twc_xml_text(f, h->label);
		fputs("</text>\n", f);
	}
}
