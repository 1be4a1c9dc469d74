/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc report writers on a report filled by hand: the table, CSV,
 * JSON and SVG say what was measured, pair UC with WC, and carry the
 * emulation warning. With "--write DIR" the files are also written there
 * for test_wc_app_outputs.py, which parses them with real parsers.
 */
#include <stdlib.h>
#include <string.h>

#include "test_wc_report.h"
#include "test_wc_app_check.h"

static void
add(struct twc_report *r, enum twc_map m, enum twc_dir d, size_t size,
		unsigned int width, unsigned int off, double median)
{
	struct twc_tp_row row = {
		.map = m, .dir = d, .size = size, .width = width,
		.dst_offset = off, .lcores = 1, .verified = true,
		.mbps = { .n = 3, .median = median, .p10 = median * 0.9,
			  .p90 = median * 1.1, .min = median * 0.8,
			  .max = median * 1.2 },
	};

	CHECK(twc_report_add_row(r, &row) == 0);
}

static void
fill(struct twc_report *r)
{
	size_t s;
	unsigned int len;

	twc_report_init(r);
	strcpy(r->device, "0000:00:04.0");
	strcpy(r->pci_id, "1b36:0010");
	r->bar = 2;
	r->bar_size = 64 << 20;
	r->bar_phys = 0xfe000000;
	r->prefetchable = true;
	r->window = 4 << 20;
	strcpy(r->arch, "x86_64");
	r->max_width = 32;
	strcpy(r->cpu_features, "sse2 avx");
	strcpy(r->environment, "QEMU TCG emulation \"quoted\" <tag>");
	r->emulated = true;
	strcpy(r->label, "unit & test");
	r->reps = 3;
	r->warmup = 1;
	r->batch = 16384;
	r->lcores = 1;
	r->phases[TWC_MAP_UC] = (struct twc_phase){ true, "vfio",
		"not asked for WC", "uncached-minus" };
	r->phases[TWC_MAP_WC] = (struct twc_phase){ true, "vfio-wc-alias",
		"WC alias region", "write-combining" };
	twc_report_note(r, "note %d", 1);
	for (s = 64; s <= 16384; s *= 16) {
		add(r, TWC_MAP_UC, TWC_DIR_WRITE, s, 0, 0, 10.0 * s / 64);
		add(r, TWC_MAP_UC, TWC_DIR_READ, s, 0, 0, 5);
	}
	for (s = 64; s <= 16384; s *= 16) {
		add(r, TWC_MAP_WC, TWC_DIR_WRITE, s, 8, 0, 40.0 * s / 64);
		add(r, TWC_MAP_WC, TWC_DIR_WRITE, s, 32, 0, 80.0 * s / 64);
		add(r, TWC_MAP_WC, TWC_DIR_READ, s, 0, 0, 6);
	}
	/* UC memcpy faulted at offset 1 for lengths 2..8 and 200. */
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].done = true;
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].offsets = 64;
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].lens = 256;
	for (len = 2; len <= 8; len++)
		r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].fault_map[1][0] |=
			1ull << (len - 1);
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].fault_map[1][3] |=
		1ull << (199 - 192);
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].attempts = 16384;
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].faults = 8;
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].sigbus = 8;
	r->ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].verified = 16376;
	r->ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].done = true;
	r->ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].offsets = 64;
	r->ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].lens = 256;
	r->ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].attempts = 16384;
	r->ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].verified = 16384;
}

/* Run a writer into memory; the caller frees the text. */
static char *
render(const struct twc_report *r,
		int (*writer)(const struct twc_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	CHECK(writer(r, f) == 0);
	fclose(f);
	return buf;
}

static int
table_writer(const struct twc_report *r, FILE *f)
{
	twc_write_table(r, f);
	return 0;
}

static unsigned int
count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static void
test_helpers(struct twc_report *r)
{
	uint64_t map[TWC_UA_WORDS] = { 0 };
	char buf[64];

	CHECK(strcmp(twc_size_str(8, buf, sizeof(buf)), "8") == 0);
	CHECK(strcmp(twc_size_str(4096, buf, sizeof(buf)), "4K") == 0);
	CHECK(strcmp(twc_size_str(1 << 20, buf, sizeof(buf)), "1M") == 0);
	CHECK(strcmp(twc_size_str(1536, buf, sizeof(buf)), "1536") == 0);
	CHECK(strcmp(twc_len_ranges(map, 256, buf, sizeof(buf)), "") == 0);
	map[0] = 0x7e | 1ull << 9;	/* lengths 2-7 and 10 */
	map[3] = 1ull << 63;		/* length 256 */
	CHECK(strcmp(twc_len_ranges(map, 256, buf, sizeof(buf)),
		     "2-7,10,256") == 0);
	/* Only the lengths swept count. */
	CHECK(strcmp(twc_len_ranges(map, 64, buf, sizeof(buf)), "2-7,10") == 0);
	/* Truncation is marked, never silent. */
	memset(map, 0x55, sizeof(map));
	twc_len_ranges(map, 256, buf, 16);
	CHECK(strlen(buf) < 16 && strstr(buf, "...") != NULL);

	/* Pairing: WC 8-byte write at 1K has the UC write at 1K. */
	CHECK(twc_report_uc_peer(r, &r->rows[9]) == &r->rows[2]);
	CHECK(twc_report_all_verified(r));
}

static void
test_table(const struct twc_report *r)
{
	char *t = render(r, table_writer);

	CHECK(strstr(t, "0000:00:04.0 (1b36:0010) BAR2") != NULL);
	CHECK(strstr(t, "NOT hardware numbers") != NULL);
	CHECK(strstr(t, "mapping uc: path vfio, PAT uncached-minus") != NULL);
	CHECK(strstr(t, "mapping wc: path vfio-wc-alias, PAT write-combining") != NULL);
	CHECK(strstr(t, "note: note 1") != NULL);
	/* UC 640 MB/s beside WC 8 B 2560 and WC 32 B 5120: ratios 4 and 8. */
	CHECK(strstr(t, "4.00 | ok") != NULL);
	CHECK(strstr(t, "8.00 | ok") != NULL);
	CHECK(strstr(t, "1.20 | ok") != NULL);	/* reads 6 / 5 */
	/* 3 sizes x (2 WC write widths + 1 read) = 9 table lines. */
	CHECK(count(t, "| ok") == 9);
	CHECK(strstr(t, "faulting lengths (uc, memcpy)") != NULL);
	CHECK(strstr(t, "+1  2-8,200") != NULL);
	CHECK(strstr(t, "every completed copy read back correctly") != NULL);
	free(t);
}

static void
test_csv(const struct twc_report *r)
{
	char *t = render(r, twc_write_csv);
	const char *first = strchr(t, '\n') + 1;

	CHECK(strncmp(t, "test,device,bar,mapping,", 24) == 0);
	/* 15 throughput rows + 64 offsets x 2 sweeps. */
	CHECK(count(t, "\n") == 1 + 15 + 128);
	CHECK(strncmp(first, "throughput,0000:00:04.0,2,uc,vfio,uncached-minus,write,,64,0,0,1,3,10.000,9.000,11.000,8.000,12.000,true,,,,,true\n", 108) == 0);
	CHECK(strstr(t, "unaligned,0000:00:04.0,2,uc,vfio,uncached-minus,write,memcpy,,,1,1,,,,,,,true,256,8,0,\"2-8,200\",true\n") != NULL);
	CHECK(count(t, ",wc_mmio,") == 64);
	free(t);
}

static void
test_json(const struct twc_report *r)
{
	char *t = render(r, twc_write_json);

	CHECK(strstr(t, "\"emulated\": true, \"hardware_numbers\": false") != NULL);
	CHECK(strstr(t, "QEMU TCG emulation \\\"quoted\\\" <tag>") != NULL);
	CHECK(strstr(t, "{\"mapping\": \"wc\", \"path\": \"vfio-wc-alias\", \"pat\": \"write-combining\"") != NULL);
	CHECK(strstr(t, "{\"mapping\": \"uc\", \"method\": \"memcpy\", \"offsets\": 64, \"lengths\": 256, \"attempts\": 16384, \"faults\": 8, \"sigbus\": 8, \"sigsegv\": 0, \"verified\": 16376, \"mismatches\": 0,") != NULL);
	/* Offset 1's map: length 200 is bit 199, lengths 2..8 bits 1..7. */
	CHECK(strstr(t, "\"0000000000000080000000000000000000000000000000000000000000000000fe\"") == NULL);
	CHECK(strstr(t, "\"00000000000000800000000000000000000000000000000000000000000000fe\"") != NULL);
	CHECK(count(t, "{\"mapping\": \"wc\", \"direction\": \"write\"") == 6);
	CHECK(strstr(t, "\"data_verified\": true") != NULL);
	free(t);
}

static void
test_svg(const struct twc_report *r)
{
	char *t = render(r, twc_write_svg);

	CHECK(strncmp(t, "<?xml", 5) == 0);
	CHECK(strstr(t, "</svg>\n") != NULL);
	CHECK(strstr(t, "EMULATED: QEMU TCG emulation &quot;quoted&quot; &lt;tag&gt; - these timings are NOT hardware numbers") != NULL);
	CHECK(strstr(t, "unit &amp; test") != NULL);
	CHECK(strstr(t, "transfer size per copy") != NULL);
	CHECK(strstr(t, "throughput, MB/s") != NULL);
	/* UC write, UC read, WC write 8 and 32, WC read. */
	CHECK(count(t, "<polyline") == 5);
	CHECK(strstr(t, "WC write, 32 B stores") != NULL);
	CHECK(strstr(t, "UC read") != NULL);
	CHECK(count(t, "<circle") == 15);
	free(t);
}

static void
test_empty(void)
{
	struct twc_report r;
	char *t;

	twc_report_init(&r);
	t = render(&r, twc_write_svg);
	CHECK(strstr(t, "no throughput measured") != NULL);
	CHECK(strstr(t, "EMULATED") == NULL);
	free(t);
	t = render(&r, twc_write_json);
	CHECK(strstr(t, "\"throughput\": [],") != NULL);
	CHECK(strstr(t, "\"unaligned\": [],") != NULL);
	free(t);
	/* A mismatch anywhere shows. */
	r.ua[TWC_MAP_WC][TWC_METHOD_MEMCPY].mismatches = 1;
	CHECK(!twc_report_all_verified(&r));
	t = render(&r, table_writer);
	CHECK(strstr(t, "MISMATCH") != NULL);
	free(t);
	twc_report_free(&r);
}

int
main(int argc, char **argv)
{
	struct twc_report r;
	char path[512];

	fill(&r);
	test_helpers(&r);
	test_table(&r);
	test_csv(&r);
	test_json(&r);
	test_svg(&r);
	test_empty();
	if (argc == 3 && strcmp(argv[1], "--write") == 0) {
		snprintf(path, sizeof(path), "%s/report.csv", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_csv) == 0);
		snprintf(path, sizeof(path), "%s/report.json", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_json) == 0);
		snprintf(path, sizeof(path), "%s/report.svg", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_svg) == 0);
	}
	twc_report_free(&r);
	CHECK_DONE();
}
