/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Throughput against transfer size as a standalone SVG: log2 x axis,
 * log10 y axis (UC and WC differ by large factors), one line per mapping,
 * direction and store width, p10..p90 as a bar at each point. Only the
 * smallest destination offset measured (normally 0, aligned) is drawn.
 * The title says whether the numbers came from an emulator.
 */
#include <math.h>
#include <string.h>

#include "twc_report.h"
#include "twc_text.h"

#define SVG_W 900
#define SVG_H 540
#define PLOT_L 90
#define PLOT_R (SVG_W - 220)
#define PLOT_T 96
#define PLOT_B (SVG_H - 70)

struct twc_axis {
	double lo, hi;	/* in log units */
};

static double
twc_x(const struct twc_axis *ax, size_t size)
{
	return PLOT_L + (log2((double)size) - ax->lo) / (ax->hi - ax->lo) *
		(PLOT_R - PLOT_L);
}

static double
twc_y(const struct twc_axis *ay, double v)
{
	return PLOT_B - (log10(v) - ay->lo) / (ay->hi - ay->lo) *
		(PLOT_B - PLOT_T);
}

/* A line of the plot: rows sharing mapping, direction and width. */
struct twc_series {
	enum twc_map map;
	enum twc_dir dir;
	unsigned int width;
};

static bool
twc_in_series(const struct twc_tp_row *row, const struct twc_series *s,
		unsigned int dst_offset)
{
	return row->map == s->map && row->dir == s->dir &&
		row->width == s->width && row->dst_offset == dst_offset &&
		row->mbps.median > 0;
}

static const char *
twc_series_colour(const struct twc_series *s)
{
	if (s->map == TWC_MAP_UC)
		return "#c0392b";
	if (s->map == TWC_MAP_WB)
		return "#7f7f7f";
	switch (s->width) {
	case 8: return "#1f77b4";
	case 16: return "#2ca02c";
	case 32: return "#8e44ad";
	case 64: return "#16a085";
	default: return "#1f4e79";
	}
}

static void
twc_svg_axes(const struct twc_report *r, FILE *f,
		const struct twc_axis *ax, const struct twc_axis *ay)
{
	char buf[16];
	double x, y, d;
	int e, step, k;

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
		PLOT_L, PLOT_T, PLOT_R - PLOT_L, PLOT_B - PLOT_T);
	/* x: every power of two, labels thinned out when crowded. */
	step = (ax->hi - ax->lo) > 12 ? 2 : 1;
	for (e = (int)ceil(ax->lo); e <= (int)floor(ax->hi); e++) {
		x = twc_x(ax, (size_t)1 << e);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			x, PLOT_T, x, PLOT_B);
		if ((e - (int)ceil(ax->lo)) % step == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				x, PLOT_B + 18,
				twc_size_str((size_t)1 << e, buf, sizeof(buf)));
	}
	/* y: decades labelled, 2 and 5 as faint lines. */
	for (e = (int)floor(ay->lo); e <= (int)ceil(ay->hi); e++) {
		for (k = 1; k <= 5; k += (k == 1 ? 1 : 3)) {
			d = log10((double)k) + e;
			if (d < ay->lo || d > ay->hi)
				continue;
			y = twc_y(ay, pow(10, d));
			fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n",
				PLOT_L, y, PLOT_R, y, k == 1 ? "#ccc" : "#eee");
			/* Few decades: label 2 and 5 too. */
			if (k == 1 || ay->hi - ay->lo <= 2)
				fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
					PLOT_L - 6, y + 4, k * pow(10, e));
		}
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">transfer size per copy (bytes, log scale)</text>\n",
		(PLOT_L + PLOT_R) / 2, PLOT_B + 42);
	fprintf(f, "<text transform=\"translate(24,%d) rotate(-90)\" text-anchor=\"middle\">throughput, MB/s (median, log scale)</text>\n",
		(PLOT_T + PLOT_B) / 2);
	(void)r;
}

static void
twc_svg_title(const struct twc_report *r, FILE *f, unsigned int dst_offset)
{
	const struct twc_head h = TWC_HEAD_OF(r);

	fputs("<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">dpdk-test-wc: MMIO throughput, UC vs WC, ", f);
	twc_xml_text(f, r->device);
	fprintf(f, " BAR%u (destination offset %u)</text>\n", r->bar,
		dst_offset);
	twc_head_svg(&h, f);
	fputs("<text x=\"20\" y=\"86\" font-size=\"12\">", f);
	if (r->link.available)
		fprintf(f, "link %.1f GT/s x%u", r->link.gts, r->link.width);
	else
		fputs("link not available", f);
	fprintf(f, "; TLP ceiling WC 64 B / UC 8 B %.2fx; writes end with a drain read; governor ",
		twc_tlp_ceiling(64));
	twc_xml_text(f, r->host.governor[0] ? r->host.governor : "not available");
	fputs("</text>\n", f);
}

static void
twc_svg_series(const struct twc_report *r, FILE *f,
		const struct twc_series *s, unsigned int dst_offset,
		const struct twc_axis *ax, const struct twc_axis *ay,
		unsigned int legend_row)
{
	const char *colour = twc_series_colour(s);
	const char *dash = s->dir == TWC_DIR_READ ?
		" stroke-dasharray=\"6,4\"" : "";
	double x, y, ly;
	size_t i;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
		colour, dash);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		if (twc_in_series(row, s, dst_offset))
			fprintf(f, "%.1f,%.1f ", twc_x(ax, row->size),
				twc_y(ay, row->mbps.median));
	}
	fputs("\"/>\n", f);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		if (!twc_in_series(row, s, dst_offset))
			continue;
		x = twc_x(ax, row->size);
		y = twc_y(ay, row->mbps.median);
		if (row->mbps.p10 > 0 && row->mbps.p90 > 0)
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
				x, twc_y(ay, row->mbps.p10), x,
				twc_y(ay, row->mbps.p90), colour);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
			x, y, colour);
	}
	ly = PLOT_T + 10 + legend_row * 20;
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
		PLOT_R + 15, ly, PLOT_R + 45, ly, colour, dash);
	fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s %s", PLOT_R + 52, ly + 4,
		s->map == TWC_MAP_WC ? "WC" : s->map == TWC_MAP_WB ?
		"WB baseline" : "UC", twc_dir_name(s->dir));
	/* The store the rows really used, kind and width. */
	for (i = 0; i < r->nrows; i++)
		if (twc_in_series(&r->rows[i], s, dst_offset) &&
		    r->rows[i].store[0] != '\0') {
			fprintf(f, ", %s %u B", r->rows[i].store,
				r->rows[i].store_width);
			break;
		}
	fputs("</text>\n", f);
}

int
twc_write_svg(const struct twc_report *r, FILE *f)
{
	struct twc_series series[16];
	unsigned int nseries = 0, j, dst_offset = 64;
	struct twc_axis ax = { 1e9, -1e9 }, ay = { 1e9, -1e9 };
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].dst_offset < dst_offset)
			dst_offset = r->rows[i].dst_offset;
	/* Series and axis ranges from the rows drawn. */
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];
		struct twc_series s = { row->map, row->dir, row->width };

		if (row->dst_offset != dst_offset || row->mbps.median <= 0)
			continue;
		for (j = 0; j < nseries; j++)
			if (twc_in_series(row, &series[j], dst_offset))
				break;
		if (j == nseries && nseries < 16)
			series[nseries++] = s;
		ax.lo = fmin(ax.lo, log2((double)row->size));
		ax.hi = fmax(ax.hi, log2((double)row->size));
		ay.lo = fmin(ay.lo, log10(row->mbps.p10 > 0 ?
				fmin(row->mbps.p10, row->mbps.median) :
				row->mbps.median));
		ay.hi = fmax(ay.hi, log10(fmax(row->mbps.p90,
				row->mbps.median)));
	}
	if (nseries == 0) {
		ax.lo = 3;
		ax.hi = 20;
		ay.lo = 0;
		ay.hi = 3;
	}
	if (ax.hi - ax.lo < 1) {
		ax.lo -= 1;
		ax.hi += 1;
	}
	/* Whole decades on y, so the labelled lines frame the data. */
	ay.lo = floor(ay.lo);
	ay.hi = ceil(ay.hi);
	if (ay.hi - ay.lo < 1)
		ay.hi = ay.lo + 1;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		SVG_W, SVG_H, SVG_W, SVG_H);
	twc_svg_title(r, f, dst_offset);
	twc_svg_axes(r, f, &ax, &ay);
	for (j = 0; j < nseries; j++)
		twc_svg_series(r, f, &series[j], dst_offset, &ax, &ay, j);
	if (nseries == 0)
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no throughput measured</text>\n",
			(PLOT_L + PLOT_R) / 2, (PLOT_T + PLOT_B) / 2);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
