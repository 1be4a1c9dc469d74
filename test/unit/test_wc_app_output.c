/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc report writers on a report filled by hand: the table, CSV,
 * JSON and SVG say what was measured, pair UC with WC, and carry the
 * emulation warning. With "--write DIR" the files are also written there
 * for test_wc_app_outputs.py, which parses them with real parsers (and
 * the NVMe mode's as nvme.csv, nvme.json and nvme.svg beside them).
 */
#include <stdlib.h>
#include <string.h>

#include "twc_report.h"
#include "twc_nvme_report.h"
#include "test_wc_app_check.h"

/*
 * Where both modes' reports say they ran, the same made-up run for both:
 * an emulator, with characters JSON, XML and CSV must escape.
 */
#define FILL_WHERE(r, wc_reason) do { \
	strcpy((r)->device, "0000:00:04.0"); \
	strcpy((r)->pci_id, "1b36:0010"); \
	strcpy((r)->arch, "x86_64"); \
	(r)->max_width = 32; \
	strcpy((r)->cpu_features, "sse2 avx"); \
	strcpy((r)->environment, "QEMU TCG emulation \"quoted\" <tag>"); \
	(r)->emulated = true; \
	strcpy((r)->label, "unit & test"); \
	(r)->phases[TWC_MAP_UC] = (struct twc_phase){ true, "vfio", \
		"not asked for WC", "uncached-minus" }; \
	(r)->phases[TWC_MAP_WC] = (struct twc_phase){ true, "vfio-wc-alias", \
		wc_reason, "write-combining" }; \
} while (0)

/* A stream into memory for one writer; mem_text gives what it wrote. */
struct mem_out {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *
mem_open(struct mem_out *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	CHECK(m->f != NULL);
	return m->f;
}

/* The text, after the writer returned ret; the caller frees it. */
static char *
mem_text(struct mem_out *m, int ret)
{
	CHECK(ret == 0);
	fclose(m->f);
	return m->buf;
}

/* What both modes' JSON and SVG writers print about FILL_WHERE's run. */
static void
check_json_where(const char *t)
{
	CHECK(strstr(t, "\"emulated\": true, \"hardware_numbers\": false") != NULL);
	CHECK(strstr(t, "QEMU TCG emulation \\\"quoted\\\" <tag>") != NULL);
}

static void
check_svg_where(const char *t)
{
	CHECK(strncmp(t, "<?xml", 5) == 0);
	CHECK(strstr(t, "</svg>\n") != NULL);
	CHECK(strstr(t, "EMULATED: QEMU TCG emulation &quot;quoted&quot; &lt;tag&gt; - these timings are NOT hardware numbers") != NULL);
	CHECK(strstr(t, "unit &amp; test") != NULL);
}

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
		.drained = d == TWC_DIR_WRITE,
	};

	/* What the app records: the store really used, kind and width. */
	strcpy(row.store, d == TWC_DIR_READ ? "load" : m == TWC_MAP_UC ?
	       "aligned" : width == 8 ? "gpr" : "avx");
	row.store_width = d == TWC_DIR_READ || m == TWC_MAP_UC ? 8 : width;

	CHECK(twc_report_add_row(r, &row) == 0);
}

static void
fill(struct twc_report *r)
{
	size_t s;
	unsigned int len;

	twc_report_init(r);
	FILL_WHERE(r, "WC alias region");
	r->bar = 2;
	r->bar_size = 64 << 20;
	r->bar_phys = 0xfe000000;
	r->prefetchable = true;
	r->window = 4 << 20;
	r->reps = 3;
	r->warmup = 1;
	r->batch = 16384;
	r->lcores = 1;
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
	/* The write-back baseline, the same loop on ordinary memory. */
	for (s = 64; s <= 16384; s *= 16)
		add(r, TWC_MAP_WB, TWC_DIR_WRITE, s, 32, 0, 9000);
	r->wb_window = 4 << 20;
	/* Under QEMU: no link to read, and why. */
	r->link.numa_node = -1;
	r->link.lcore_socket = 0;
	r->link.mps = -1;
	strcpy(r->link.reason, "0000:00:04.0 has no current_link_speed in sysfs (emulated)");
	strcpy(r->link.mps_reason, "no PCI Express capability");
	strcpy(r->host.governor_reason, "no cpufreq for CPU 1 in sysfs");
	strcpy(r->host.pinning, "lcore 0 -> CPU 1");
	r->host.main_cpu = 1;
	r->uc_read = (struct twc_latency){ .done = true, .size = 4,
		.ns = { .n = 1001, .median = 850, .p10 = 800, .p90 = 900,
			.min = 700, .max = 5000 } };
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
	struct mem_out m;

	return mem_text(&m, writer(r, mem_open(&m)));
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
	/* Measured WC/UC beside the TLP ceiling, 2.91 for 64 B and up. */
	CHECK(strstr(t, "4.00 |    2.91 | ok") != NULL);
	CHECK(strstr(t, "8.00 |    2.91 | ok") != NULL);
	CHECK(strstr(t, "1.20 |       - | ok") != NULL);	/* reads 6 / 5 */
	/* 3 sizes x (2 WC write widths + 1 read) = 9 table lines. */
	CHECK(count(t, "| ok") == 9);
	/* The store each row used, the baseline, link, host, latency, drain. */
	CHECK(strstr(t, "      avx/32 |") != NULL);
	CHECK(strstr(t, "      gpr/8 |") != NULL);
	CHECK(strstr(t, "baseline: ordinary write-back memory, same loop") != NULL);
	CHECK(count(t, "      avx/32  |    9000.0") == 3);
	CHECK(strstr(t, "link: not available (0000:00:04.0 has no current_link_speed in sysfs (emulated)), MPS not available (no PCI Express capability); device NUMA node -1, lcore socket 0") != NULL);
	CHECK(strstr(t, "64 B WC writes can reach 2.91x the rate of 8 B UC writes") != NULL);
	CHECK(strstr(t, "host: CPU 1 governor not available - no cpufreq for CPU 1 in sysfs; pinning: lcore 0 -> CPU 1") != NULL);
	CHECK(strstr(t, "UC single-read latency (4 B loads, 1001 samples): median 850 ns [p10 800 .. p90 900]") != NULL);
	CHECK(strstr(t, "drain: after the last copy and flush") != NULL);
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
	/* 18 throughput rows (3 of them baseline) + 64 offsets x 2 sweeps. */
	CHECK(count(t, "\n") == 1 + 18 + 128);
	CHECK(strstr(t, ",emulated,store,store_width,drained,tlp_ceiling\n") != NULL);
	CHECK(strncmp(first, "throughput,0000:00:04.0,2,uc,vfio,uncached-minus,write,,64,0,0,1,3,10.000,9.000,11.000,8.000,12.000,true,,,,,true,aligned,8,true,\n", 125) == 0);
	CHECK(strstr(t, "throughput,0000:00:04.0,2,wc,vfio-wc-alias,write-combining,write,,64,32,0,1,3,40.000,36.000,44.000,32.000,48.000,true,,,,,true,avx,32,true,2.909\n") == NULL);
	CHECK(strstr(t, ",write-combining,write,,64,32,0,1,3,80.000,72.000,88.000,64.000,96.000,true,,,,,true,avx,32,true,2.909\n") != NULL);
	CHECK(count(t, "throughput,0000:00:04.0,2,wb,write-back-memory,,write,") == 3);
	CHECK(strstr(t, ",read,,64,0,0,1,3,5.000,4.500,5.500,4.000,6.000,true,,,,,true,load,8,false,\n") != NULL);
	CHECK(strstr(t, "unaligned,0000:00:04.0,2,uc,vfio,uncached-minus,write,memcpy,,,1,1,,,,,,,true,256,8,0,\"2-8,200\",true,,,,\n") != NULL);
	CHECK(count(t, ",wc_mmio,") == 64);
	free(t);
}

static void
test_json(const struct twc_report *r)
{
	char *t = render(r, twc_write_json);

	check_json_where(t);
	CHECK(strstr(t, "{\"mapping\": \"wc\", \"path\": \"vfio-wc-alias\", \"pat\": \"write-combining\"") != NULL);
	CHECK(strstr(t, "{\"mapping\": \"uc\", \"method\": \"memcpy\", \"offsets\": 64, \"lengths\": 256, \"attempts\": 16384, \"faults\": 8, \"sigbus\": 8, \"sigsegv\": 0, \"verified\": 16376, \"mismatches\": 0,") != NULL);
	/* Offset 1's map: length 200 is bit 199, lengths 2..8 bits 1..7. */
	CHECK(strstr(t, "\"0000000000000080000000000000000000000000000000000000000000000000fe\"") == NULL);
	CHECK(strstr(t, "\"00000000000000800000000000000000000000000000000000000000000000fe\"") != NULL);
	CHECK(count(t, "{\"mapping\": \"wc\", \"direction\": \"write\"") == 6);
	CHECK(count(t, "{\"mapping\": \"wb\", \"direction\": \"write\"") == 3);
	CHECK(strstr(t, "\"verified\": true, \"store\": \"avx\", \"store_width\": 32, \"drained\": true, \"wc_over_uc\": 8.000, \"tlp_ceiling\": 2.909}") != NULL);
	CHECK(strstr(t, "\"store\": \"aligned\", \"store_width\": 8, \"drained\": true}") != NULL);
	CHECK(strstr(t, "\"store\": \"load\", \"store_width\": 8, \"drained\": false}") != NULL);
	CHECK(strstr(t, "\"drain\": \"after the last copy and flush of a write sample") != NULL);
	CHECK(strstr(t, "\"link\": {\"available\": false, \"speed_gts\": \"not available\", \"width\": \"not available\", \"reason\": \"0000:00:04.0 has no current_link_speed in sysfs (emulated)\"") != NULL);
	CHECK(strstr(t, "\"mps\": \"not available\", \"mps_reason\": \"no PCI Express capability\", \"numa_node\": -1, \"lcore_socket\": 0, \"numa_mismatch\": false") != NULL);
	CHECK(strstr(t, "\"tlp_ceiling_wc64_over_uc8\": 2.909, \"wc64_ceiling_mbps\": null") != NULL);
	CHECK(strstr(t, "\"host\": {\"cpu\": 1, \"governor\": \"not available\", \"governor_reason\": \"no cpufreq for CPU 1 in sysfs\", \"pinning\": \"lcore 0 -> CPU 1\"}") != NULL);
	CHECK(strstr(t, "\"uc_read_latency_ns\": {\"measured\": true, \"size\": 4, \"samples\": 1001, \"median\": 850.0") != NULL);
	CHECK(strstr(t, "\"baseline\": {\"mapping\": \"wb\"") != NULL);
	CHECK(strstr(t, "\"data_verified\": true") != NULL);
	free(t);
}

static void
test_svg(const struct twc_report *r)
{
	char *t = render(r, twc_write_svg);

	check_svg_where(t);
	CHECK(strstr(t, "transfer size per copy") != NULL);
	CHECK(strstr(t, "throughput, MB/s") != NULL);
	/* UC write, UC read, WC write 8 and 32, WC read, WB write. */
	CHECK(count(t, "<polyline") == 6);
	CHECK(strstr(t, "WC write, avx 32 B") != NULL);
	CHECK(strstr(t, "WC write, gpr 8 B") != NULL);
	CHECK(strstr(t, "WB baseline write, avx 32 B") != NULL);
	CHECK(strstr(t, "UC read, load 8 B") != NULL);
	CHECK(strstr(t, "link not available; TLP ceiling WC 64 B / UC 8 B 2.91x; writes end with a drain read; governor not available") != NULL);
	CHECK(count(t, "<circle") == 18);
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

/* --- NVMe mode --------------------------------------------------------- */

/* One measured row: n commands, what the PMD would count for them. */
static void
nvme_add(struct twc_nvme_report *r, enum twc_nvme_where sq,
		enum twc_nvme_where data, unsigned int depth,
		enum twc_nvme_op op, double rate)
{
	unsigned int n = 100, sqe_w = sq == TWC_NVME_CMB_WC ? 32 :
		sq == TWC_NVME_CMB_UC ? 8 : 0;
	struct twc_nvme_row row = {
		.place = { sq, data }, .depth = depth, .op = op,
		.commands = n, .seconds = n / rate, .cmds_per_s = rate,
		.lat_us = { .n = n, .median = 1e6 / rate, .p10 = 9e5 / rate,
			    .p90 = 1.2e6 / rate, .min = 8e5 / rate,
			    .max = 2e6 / rate },
		.lat_p99_us = 1.5e6 / rate, .x_commands = n,
		.sqe_width = sqe_w, .bytes = 512, .verified = true,
	};

	row.sqe_stores = sqe_w ? n * 64 / sqe_w : 0;
	row.doorbells = depth == 1 ? n : n / 4;
	if (data != TWC_NVME_HOST && op == TWC_NVME_WRITE)
		row.data_stores = n * 512 / (data == TWC_NVME_CMB_WC ? 32 : 8);
	row.op_mmio_stores = row.sqe_stores + row.data_stores + n;
	row.mmio_bytes = (sqe_w ? 64 : 0) * n + 4 * row.doorbells +
		(data != TWC_NVME_HOST && op == TWC_NVME_WRITE ? 512 * n : 0);
	row.blocks_checked = n;
	CHECK(twc_nvme_report_add_row(r, &row) != NULL);
}

static void
nvme_fill(struct twc_nvme_report *r)
{
	struct twc_nvme_row skip = {
		.place = { TWC_NVME_CMB_WC, TWC_NVME_CMB_WC }, .skipped = true,
	};
	char err[128];

	twc_nvme_report_init(r);
	FILL_WHERE(r, "pci_wc=all");
	strcpy(r->model, "QEMU NVMe Ctrl");
	strcpy(r->serial, "dpdkwc0");
	r->version_major = 1;
	r->version_minor = 4;
	r->nsid = 1;
	r->lba_size = 512;
	r->nb_lbas = 32768;
	r->max_xfer = 32768;
	r->page_size = 4096;
	r->cmb_size = 64 << 20;
	r->cmb_bar = 2;
	r->caps = (struct twc_nvme_cmb_caps){ true, true, true };
	r->blocks = 1;
	r->ops = 100;
	r->depths[0] = 1;
	r->depths[1] = 32;
	r->ndepths = 2;
	CHECK(twc_nvme_plan(512, 32768, 32768, 1, 100, 32, &r->plan, err,
			    sizeof(err)) == 0);
	twc_nvme_report_note(r, "note %d", 2);
	nvme_add(r, TWC_NVME_HOST, TWC_NVME_HOST, 1, TWC_NVME_WRITE, 1000);
	nvme_add(r, TWC_NVME_HOST, TWC_NVME_HOST, 1, TWC_NVME_READ, 1100);
	nvme_add(r, TWC_NVME_HOST, TWC_NVME_HOST, 32, TWC_NVME_WRITE, 5000);
	nvme_add(r, TWC_NVME_HOST, TWC_NVME_HOST, 32, TWC_NVME_READ, 5500);
	nvme_add(r, TWC_NVME_CMB_UC, TWC_NVME_HOST, 1, TWC_NVME_WRITE, 900);
	nvme_add(r, TWC_NVME_HOST, TWC_NVME_CMB_UC, 1, TWC_NVME_WRITE, 800);
	nvme_add(r, TWC_NVME_CMB_WC, TWC_NVME_HOST, 1, TWC_NVME_WRITE, 950);
	nvme_add(r, TWC_NVME_CMB_WC, TWC_NVME_HOST, 32, TWC_NVME_READ, 4000);
	strcpy(skip.why, "the CMB holds no \"data\"");
	CHECK(twc_nvme_report_add_row(r, &skip) != NULL);
}

static char *
nvme_render(const struct twc_nvme_report *r,
		int (*writer)(const struct twc_nvme_report *, FILE *))
{
	struct mem_out m;

	return mem_text(&m, writer(r, mem_open(&m)));
}

static int
nvme_table_writer(const struct twc_nvme_report *r, FILE *f)
{
	twc_nvme_write_table(r, f);
	return 0;
}

static void
test_nvme_table(const struct twc_nvme_report *r)
{
	char *t = nvme_render(r, nvme_table_writer);

	CHECK(strstr(t, "NVMe device 0000:00:04.0 (1b36:0010) 'QEMU NVMe Ctrl' serial 'dpdkwc0', NVMe 1.4") != NULL);
	CHECK(strstr(t, "CMB: 64M in BAR2; holds submission queues: yes, data: yes") != NULL);
	CHECK(strstr(t, "overwritten: LBAs 0..99 of namespace 1 (100 blocks)") != NULL);
	CHECK(strstr(t, "NOT hardware numbers") != NULL);
	CHECK(strstr(t, "CMB BAR wc: path vfio-wc-alias, PAT write-combining; pci_wc=all") != NULL);
	CHECK(strstr(t, "note: note 2") != NULL);
	/* CMB-UC SQ: 8 stores of 8 B, one doorbell: 9 per command. */
	CHECK(strstr(t, "cmb-uc host      1 write |     900.0   1111.1   1666.7 |  8.00    8   0.00  0.00  1.00   9.00 |    68.0 | ok") != NULL);
	/* CMB-WC SQ: 2 stores of 32 B. */
	CHECK(strstr(t, "cmb-wc host      1 write |     950.0") != NULL);
	CHECK(strstr(t, "|  2.00   32   0.00  0.00  1.00   3.00 |    68.0 | ok") != NULL);
	/* Data in the CMB (UC): 64 stores of 8 B for the block. */
	CHECK(strstr(t, "|  0.00    -  64.00  0.00  1.00  65.00 |   516.0 | ok") != NULL);
	/* Queue depth 32: fewer doorbells than commands. */
	CHECK(strstr(t, "host   host     32 read  |") != NULL);
	CHECK(strstr(t, "0.25   1.00 |     1.0 | ok") != NULL);
	CHECK(strstr(t, "cmb-wc cmb-wc    - -     | skipped: the CMB holds no \"data\"") != NULL);
	CHECK(count(t, "| ok\n") == 8);
	CHECK(strstr(t, "every block written was read back and matched") != NULL);
	free(t);
}

static void
test_nvme_csv(const struct twc_nvme_report *r)
{
	char *t = nvme_render(r, twc_nvme_write_csv), *line, *save = NULL;
	unsigned int rows = 0;

	CHECK(strncmp(t, "test,device,sq,data,queue_depth,op,", 35) == 0);
	CHECK(strstr(t, "\nnvme,0000:00:04.0,cmb-uc,host,1,write,1,512,100,0.111111,900.0,") != NULL);
	/* Totals, so per-command figures come out exact. */
	CHECK(strstr(t, ",100,800,8,0,0,100,0,900,6800,0,0,100,0,true,,true\n") != NULL);
	CHECK(strstr(t, "\nnvme,0000:00:04.0,cmb-wc,cmb-wc,,,1,512,,,,,,,,,,,,,,,,,,,,,,,false,\"the CMB holds no \"\"data\"\"\",true\n") != NULL);
	/* Every row has the header's 33 columns (none has a comma in a quoted field). */
	for (line = strtok_r(t, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		CHECK(count(line, ",") == 32);
		rows++;
	}
	CHECK(rows == 1 + 9);
	free(t);
}

static void
test_nvme_json(const struct twc_nvme_report *r)
{
	char *t = nvme_render(r, twc_nvme_write_json);

	CHECK(strstr(t, "\"mode\": \"nvme\"") != NULL);
	check_json_where(t);
	CHECK(strstr(t, "\"cmb_size\": 67108864, \"cmb_bar\": 2, \"cmb_sqs\": true, \"cmb_data\": true},") != NULL);
	CHECK(strstr(t, "\"queue_depths\": [1, 32], \"overwritten_first_lba\": 0, \"overwritten_blocks\": 100,") != NULL);
	/* One line per row, placement first: what the rig's grep picks. */
	CHECK(strstr(t, "\n    {\"sq\": \"cmb-wc\", \"data\": \"host\", \"queue_depth\": 1, \"op\": \"write\", \"skipped\": false, \"bytes\": 512, \"commands\": 100,") != NULL);
	CHECK(strstr(t, "\"pmd_commands\": 100, \"sqe_stores\": 200, \"sqe_store_width\": 32, \"data_stores\": 0, \"prp_stores\": 0, \"doorbells\": 100, \"wc_flushes\": 0, \"op_mmio_stores\": 300, \"mmio_bytes\": 6800,") != NULL);
	CHECK(strstr(t, "{\"sq\": \"cmb-wc\", \"data\": \"cmb-wc\", \"skipped\": true, \"why\": \"the CMB holds no \\\"data\\\"\", \"verified\": false}") != NULL);
	CHECK(count(t, "\"skipped\": false") == 8);
	CHECK(strstr(t, "\"data_verified\": true\n}\n") != NULL);
	free(t);
}

static void
test_nvme_svg(const struct twc_nvme_report *r)
{
	char *t = nvme_render(r, twc_nvme_write_svg);

	check_svg_where(t);
	CHECK(strstr(t, "commands per second") != NULL);
	CHECK(strstr(t, "latency, us") != NULL);
	/* 8 rows ran: a bar in each panel, a p99 tick in the lower one. */
	CHECK(count(t, "stroke-width=\"2\"/>") == 8);
	CHECK(strstr(t, "read, queue depth 32") != NULL);
	/* The four placements that ran label both panels. */
	CHECK(count(t, ">SQ cmb-wc</text>") == 2);
	CHECK(count(t, ">data cmb-uc</text>") == 2);
	CHECK(strstr(t, ">data cmb-wc</text>") == NULL);
	free(t);
}

static void
test_nvme_empty(void)
{
	struct twc_nvme_report r;
	struct twc_nvme_row bad = {
		.place = { TWC_NVME_HOST, TWC_NVME_HOST }, .depth = 1,
		.commands = 4, .x_commands = 4, .errors = 1,
	};
	char *t;

	twc_nvme_report_init(&r);
	/* Nothing ran: nothing verified. */
	CHECK(!twc_nvme_report_all_verified(&r));
	t = nvme_render(&r, twc_nvme_write_svg);
	CHECK(strstr(t, "no NVMe commands measured") != NULL);
	CHECK(strstr(t, "EMULATED") == NULL);
	free(t);
	t = nvme_render(&r, twc_nvme_write_json);
	CHECK(strstr(t, "\"nvme\": [],") != NULL);
	CHECK(strstr(t, "\"data_verified\": false") != NULL);
	free(t);
	/* A failed command shows, and so does a placement that never started. */
	CHECK(twc_nvme_report_add_row(&r, &bad) != NULL);
	bad.errors = 0;
	bad.blocks_checked = 4;
	bad.blocks_bad = 1;
	CHECK(twc_nvme_report_add_row(&r, &bad) != NULL);
	memset(&bad, 0, sizeof(bad));
	bad.place.sq = TWC_NVME_CMB_UC;
	strcpy(bad.why, "rte_rawdev_start (qdepth 33): No space left on device");
	CHECK(twc_nvme_report_add_row(&r, &bad) != NULL);
	CHECK(!twc_nvme_report_all_verified(&r));
	t = nvme_render(&r, nvme_table_writer);
	CHECK(strstr(t, "ERRORS: 1 of 4 commands failed") != NULL);
	CHECK(strstr(t, "MISMATCH: 1 of 4 blocks read back wrong") != NULL);
	CHECK(strstr(t, "cmb-uc host      - write | FAILED: rte_rawdev_start") != NULL);
	CHECK(strstr(t, "NOT VERIFIED") != NULL);
	free(t);
	twc_nvme_report_free(&r);
}

int
main(int argc, char **argv)
{
	struct twc_nvme_report nr;
	struct twc_report r;
	char path[512];

	fill(&r);
	test_helpers(&r);
	test_table(&r);
	test_csv(&r);
	test_json(&r);
	test_svg(&r);
	test_empty();
	nvme_fill(&nr);
	test_nvme_table(&nr);
	test_nvme_csv(&nr);
	test_nvme_json(&nr);
	test_nvme_svg(&nr);
	test_nvme_empty();
	if (argc == 3 && strcmp(argv[1], "--write") == 0) {
		snprintf(path, sizeof(path), "%s/report.csv", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_csv) == 0);
		snprintf(path, sizeof(path), "%s/report.json", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_json) == 0);
		snprintf(path, sizeof(path), "%s/report.svg", argv[2]);
		CHECK(twc_write_file(&r, path, twc_write_svg) == 0);
		snprintf(path, sizeof(path), "%s/nvme.csv", argv[2]);
		CHECK(twc_nvme_write_file(&nr, path, twc_nvme_write_csv) == 0);
		snprintf(path, sizeof(path), "%s/nvme.json", argv[2]);
		CHECK(twc_nvme_write_file(&nr, path, twc_nvme_write_json) == 0);
		snprintf(path, sizeof(path), "%s/nvme.svg", argv[2]);
		CHECK(twc_nvme_write_file(&nr, path, twc_nvme_write_svg) == 0);
	}
	twc_nvme_report_free(&nr);
	twc_report_free(&r);
	CHECK_DONE();
}
