/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe run as a standalone SVG: two panels sharing one x axis, the
 * placements that ran (SQ and data each in host memory, the CMB mapped
 * UC or the CMB mapped WC). Top: commands per second; bottom: median
 * latency with the p99 marked. One bar per queue depth and direction.
 * Linear axes from zero: placements differ by tens of percent, not by
 * decades. The title says whether the numbers came from an emulator.
 */
#include <math.h>
#include <string.h>

#include "twc_nvme_report.h"
#include "twc_text.h"

#define SVG_W 960
#define SVG_H 660
#define PLOT_L 90
#define PLOT_R (SVG_W - 190)

struct twc_panel {
	int top, bottom;
	bool latency;		/* else commands per second */
	double max;		/* axis top */
};

/* Placements that ran, in report order. */
struct twc_groups {
	struct twc_nvme_placement place[TWC_NVME_NPLACEMENTS];
	unsigned int n;
};

static const char *const twc_write_colours[] = {
	"#1f4e79", "#2e75b6", "#6fa8dc", "#9fc5e8",
};
static const char *const twc_read_colours[] = {
	"#843c0c", "#c55a11", "#f4a261", "#f8cbad",
};

static int
twc_group_of(const struct twc_groups *g, const struct twc_nvme_placement *p)
{
	unsigned int i;

	for (i = 0; i < g->n; i++)
		if (g->place[i].sq == p->sq && g->place[i].data == p->data)
			return (int)i;
	return -1;
}

static int
twc_depth_index(const struct twc_nvme_report *r, unsigned int depth)
{
	unsigned int i;

	for (i = 0; i < r->ndepths; i++)
		if (r->depths[i] == depth)
			return (int)i;
	return -1;
}

/* A round axis top at or above v, in steps of 1, 2 or 5 times 10^n. */
static double
twc_axis_step(double v)
{
	double raw = (v > 0 ? v : 1) / 5, mag = pow(10, floor(log10(raw)));
	double n = raw / mag;

	return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

static double
twc_bar_value(const struct twc_nvme_row *row, bool latency)
{
	return latency ? row->lat_us.median : row->cmds_per_s;
}

static void
twc_svg_panel(const struct twc_nvme_report *r, const struct twc_groups *g,
		const struct twc_panel *p, FILE *f)
{
	unsigned int nseries = r->ndepths * 2, i;
	double gw = (double)(PLOT_R - PLOT_L) / (g->n ? g->n : 1);
	double bw = gw * 0.8 / (nseries ? nseries : 1);
	double step = twc_axis_step(p->max), top = ceil(p->max / step) * step;
	double x, y, v, h = p->bottom - p->top;
	int k;

	if (top <= 0)
		top = step;
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
		PLOT_L, p->top, PLOT_R - PLOT_L, p->bottom - p->top);
	for (v = 0; v <= top * 1.0001; v += step) {
		y = p->bottom - v / top * h;
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			PLOT_L, y, PLOT_R, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
			PLOT_L - 6, y + 4, v);
	}
	fprintf(f, "<text transform=\"translate(24,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
		(p->top + p->bottom) / 2, p->latency ?
		"latency, us (median; tick: p99)" : "commands per second");
	for (i = 0; i < r->nrows; i++) {
		const struct twc_nvme_row *row = &r->rows[i];
		int gi = twc_group_of(g, &row->place);
		int di = twc_depth_index(r, row->depth);
		const char *colour;

		if (row->skipped || gi < 0 || di < 0 || di >= 4)
			continue;
		k = di * 2 + (row->op == TWC_NVME_READ);
		colour = row->op == TWC_NVME_READ ? twc_read_colours[di] :
			twc_write_colours[di];
		x = PLOT_L + gi * gw + gw * 0.1 + k * bw;
		v = fmin(twc_bar_value(row, p->latency), top);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
			x, p->bottom - v / top * h, bw * 0.9, v / top * h,
			colour);
		if (p->latency && row->lat_p99_us > 0) {
			y = p->bottom - fmin(row->lat_p99_us, top) / top * h;
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"/>\n",
				x, y, x + bw * 0.9, y);
		}
	}
	for (i = 0; i < g->n; i++) {
		x = PLOT_L + (i + 0.5) * gw;
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">SQ %s</text>\n",
			x, p->bottom + 16, twc_nvme_where_name(g->place[i].sq));
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">data %s</text>\n",
			x, p->bottom + 30, twc_nvme_where_name(g->place[i].data));
	}
}

static void
twc_svg_title(const struct twc_nvme_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);

	fputs("<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">dpdk-test-wc --nvme: ", f);
	twc_xml_text(f, r->device);
	fputs(" '", f);
	twc_xml_text(f, r->model);
	fprintf(f, "', %u block(s) of %u B per command</text>\n", r->blocks,
		r->lba_size);
	twc_head_svg(&h, f);
}

static void
twc_svg_legend(const struct twc_nvme_report *r, FILE *f)
{
	unsigned int d, op, n = 0;
	double y;

	for (d = 0; d < r->ndepths && d < 4; d++) {
		for (op = 0; op < 2; op++) {
			y = 100 + n++ * 20;
			fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\"/>\n",
				PLOT_R + 15, y - 10, op ? twc_read_colours[d] :
				twc_write_colours[d]);
			fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s, queue depth %u</text>\n",
				PLOT_R + 35, y, op ? "read" : "write",
				r->depths[d]);
		}
	}
}

int
twc_nvme_write_svg(const struct twc_nvme_report *r, FILE *f)
{
	struct twc_panel rate = { 90, 320, false, 0 };
	struct twc_panel lat = { 390, SVG_H - 60, true, 0 };
	struct twc_groups g;
	size_t i;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < r->nrows; i++) {
		const struct twc_nvme_row *row = &r->rows[i];

		if (row->skipped)
			continue;
		if (twc_group_of(&g, &row->place) < 0 &&
		    g.n < TWC_NVME_NPLACEMENTS)
			g.place[g.n++] = row->place;
		rate.max = fmax(rate.max, row->cmds_per_s);
		lat.max = fmax(lat.max, fmax(row->lat_us.median,
					     row->lat_p99_us));
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		SVG_W, SVG_H, SVG_W, SVG_H);
	twc_svg_title(r, f);
	if (g.n == 0) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no NVMe commands measured</text>\n",
			SVG_W / 2, SVG_H / 2);
	} else {
		twc_svg_panel(r, &g, &rate, f);
		twc_svg_panel(r, &g, &lat, f);
		twc_svg_legend(r, f);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
