/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe mode: the nvme_cmb PMD took the controller named with -a (our own
 * PCI driver was taken off the bus before EAL probed, see
 * twc_device_choose_driver). For each placement of the submission queue
 * and of the data the app configures the rawdev (stop, configure, start)
 * and runs every queue depth.
 *
 * The order is that of the raw-BAR mode, for the same reason: on x86 a BAR
 * the open device has mapped uncached cannot become write-combining until
 * the device is closed. So the CMB-UC placements run first, with the BAR
 * as EAL's probe mapped it (uncached unless --pci-wc or pci_wc= asked for
 * WC; then the device is probed again with pci_wc=off, which a closed
 * device allows); then the device is removed and probed again with
 * pci_wc=all (and the PMD's own device arguments) for the CMB-WC ones.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_rawdev.h>
#include <bus_pci_driver.h>

#include "rte_pmd_nvme_cmb.h"
#include "twc_cpu.h"
#include "twc_device.h"
#include "twc_env.h"
#include "twc_nvme.h"
#include "twc_pat.h"

#define TWC_PROG "dpdk-test-wc"

struct twc_nvme_ctx {
	const struct twc_opts *opts;
	char name[64];			/* PCI name of the controller */
	struct rte_device *dev;
	uint16_t dev_id;
	struct rte_pmd_nvme_cmb_info info;
	bool started;
	bool host_done;			/* host/host placement measured */
	bool have_wc;			/* a CMB-WC placement ran */
	bool failed;			/* a placement could not run */
	unsigned int max_depth;
	struct twc_nvme_target t;
	struct twc_nvme_report r;
};

/* Find the rawdev the PMD made for the controller and read its info. */
static int
twc_nvme_open(struct twc_nvme_ctx *c, char *msg, size_t len)
{
	struct rte_rawdev_info ri;
	int ret;

	ret = rte_pmd_nvme_cmb_dev_id(c->name);
	if (ret < 0) {
		twc_device_explain_missing(msg, len, true);
		return -1;
	}
	c->dev_id = (uint16_t)ret;
	memset(&ri, 0, sizeof(ri));
	ri.dev_private = &c->info;
	ret = rte_rawdev_info_get(c->dev_id, &ri, sizeof(c->info));
	if (ret != 0 || ri.device == NULL) {
		snprintf(msg, len, "rawdev %u (%s): no information from the nvme_cmb PMD: %s",
			 c->dev_id, c->name, strerror(ret ? -ret : ENODEV));
		return -1;
	}
	c->dev = ri.device;
	c->started = false;
	c->t.dev_id = c->dev_id;
	return 0;
}

static void
twc_nvme_stop(struct twc_nvme_ctx *c)
{
	if (c->started)
		rte_rawdev_stop(c->dev_id);
	c->started = false;
}

/* Close the controller and probe it again with pci_wc=<pci_wc>. */
static int
twc_nvme_reopen(struct twc_nvme_ctx *c, const char *pci_wc, char *msg,
		size_t len)
{
	printf("%s: closing %s and probing it again with pci_wc=%s...\n",
	       TWC_PROG, c->name, pci_wc);
	fflush(stdout);
	twc_nvme_stop(c);
	if (twc_device_reprobe(c->dev, pci_wc, msg, len) != 0)
		return -1;
	return twc_nvme_open(c, msg, len);
}

/* The CMB BAR as the bus has it now: path, reason and x86 PAT type. */
static void
twc_nvme_record_phase(struct twc_nvme_ctx *c, enum twc_map map)
{
	struct twc_phase *p = &c->r.phases[map];
	struct rte_pci_wc_bar bi;
	char pat[64];

	snprintf(p->reason, sizeof(p->reason), "%s", c->info.cmb_reason);
	if (rte_pci_wc_bar_info(RTE_DEV_TO_PCI(c->dev), c->info.cmb_bar,
				&bi) == 0) {
		snprintf(p->path, sizeof(p->path), "%s",
			 rte_pci_wc_path_name(bi.path));
		snprintf(p->reason, sizeof(p->reason), "%s", bi.reason);
		/* Read while the mapping is live: the kernel's own word. */
		if (twc_pat_lookup_system(bi.phys_addr,
					  bi.phys_addr + bi.size, pat,
					  sizeof(pat)) >= 0)
			snprintf(p->pat, sizeof(p->pat), "%s",
				 pat[0] ? pat : "none");
	}
	p->done = true;
}

static enum rte_pmd_nvme_cmb_place
twc_nvme_place(enum twc_nvme_where w)
{
	return w == TWC_NVME_HOST ? RTE_PMD_NVME_CMB_HOST : RTE_PMD_NVME_CMB_CMB;
}

/* Stop, configure for placement p with room for max_depth, start. */
static int
twc_nvme_configure(struct twc_nvme_ctx *c, const struct twc_nvme_placement *p,
		char *why, size_t len)
{
	struct rte_pmd_nvme_cmb_conf conf = c->info.conf;
	struct rte_rawdev_info ri;
	const char *step = "rte_rawdev_configure";
	int ret;

	conf.sq = twc_nvme_place(p->sq);
	conf.data = twc_nvme_place(p->data);
	/* The PMD keeps one entry free: depth + 1 keeps depth in flight. */
	conf.qdepth = (uint16_t)(c->max_depth + 1);
	/* Slots as large as the runs' ops, not the PMD's default: less memory. */
	conf.max_xfer = RTE_ALIGN_CEIL(c->r.plan.op_bytes, 4096u);
	memset(&ri, 0, sizeof(ri));
	ri.dev_private = &conf;
	twc_nvme_stop(c);
	ret = rte_rawdev_configure(c->dev_id, &ri, sizeof(conf));
	if (ret == 0) {
		step = "rte_rawdev_start";
		ret = rte_rawdev_start(c->dev_id);
	}
	if (ret != 0) {
		snprintf(why, len, "%s (qdepth %u): %s (see the PMD's log line above)",
			 step, conf.qdepth, strerror(-ret));
		return -1;
	}
	c->started = true;
	return 0;
}

static void
twc_nvme_add(struct twc_nvme_ctx *c, const struct twc_nvme_row *row)
{
	if (twc_nvme_report_add_row(&c->r, row) == NULL) {
		fprintf(stderr, "%s: out of memory for the report\n", TWC_PROG);
		c->failed = true;
	}
}

/* A row for placement p that did not run: skipped, or failed (why). */
static void
twc_nvme_not_run(struct twc_nvme_ctx *c, const struct twc_nvme_placement *p,
		bool skipped, const char *why)
{
	struct twc_nvme_row row;

	memset(&row, 0, sizeof(row));
	row.place = *p;
	row.skipped = skipped;
	snprintf(row.why, sizeof(row.why), "%s", why);
	twc_nvme_add(c, &row);
}

/* Every queue depth on placement index pi; -1 when the device failed. */
static int
twc_nvme_placement_run(struct twc_nvme_ctx *c, unsigned int pi)
{
	const struct twc_nvme_placement *p = &twc_nvme_placements[pi];
	const struct twc_opts *o = c->opts;
	struct twc_nvme_row w, rd;
	char why[RTE_PCI_WC_REASON_LEN + 64];
	unsigned int d;
	uint64_t seed;
	int ret;

	if (twc_nvme_configure(c, p, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s: sq=%s data=%s: %s\n", TWC_PROG,
			twc_nvme_where_name(p->sq),
			twc_nvme_where_name(p->data), why);
		twc_nvme_not_run(c, p, false, why);
		c->failed = true;
		return 0;
	}
	for (d = 0; d < o->nnvme_depths; d++) {
		printf("%s: sq=%s data=%s queue depth %u: %u writes, %u reads...\n",
		       TWC_PROG, twc_nvme_where_name(p->sq),
		       twc_nvme_where_name(p->data), o->nvme_depths[d],
		       o->nvme_ops, o->nvme_ops);
		fflush(stdout);
		memset(&w, 0, sizeof(w));
		w.place = *p;
		w.depth = o->nvme_depths[d];
		w.op = TWC_NVME_WRITE;
		rd = w;
		rd.op = TWC_NVME_READ;
		/* Each cell its own data: an earlier cell's cannot pass. */
		seed = ((uint64_t)(pi + 1) << 48) ^ ((uint64_t)(d + 1) << 32);
		ret = twc_nvme_run_cell(&c->t, w.depth, seed, &w, &rd);
		twc_nvme_add(c, &w);
		twc_nvme_add(c, &rd);
		if (ret != 0) {
			fprintf(stderr, "%s: sq=%s data=%s: %s\n", TWC_PROG,
				twc_nvme_where_name(p->sq),
				twc_nvme_where_name(p->data),
				w.why[0] ? w.why : rd.why);
			c->failed = true;
			return -1;
		}
	}
	if (p->sq == TWC_NVME_CMB_WC || p->data == TWC_NVME_CMB_WC)
		c->have_wc = true;
	return 0;
}

static bool
twc_nvme_uses(const struct twc_nvme_placement *p, enum twc_nvme_where cmb)
{
	return p->sq == cmb || p->data == cmb;
}

static bool
twc_nvme_is_host(const struct twc_nvme_placement *p)
{
	return p->sq == TWC_NVME_HOST && p->data == TWC_NVME_HOST;
}

/* The placements of mapping cmb (and host/host, once); -1: device failed. */
static int
twc_nvme_phase(struct twc_nvme_ctx *c, enum twc_nvme_where cmb)
{
	const struct twc_nvme_placement *p;
	const char *unfit;
	unsigned int pi;

	for (pi = 0; pi < TWC_NVME_NPLACEMENTS; pi++) {
		p = &twc_nvme_placements[pi];
		if (twc_nvme_is_host(p)) {
			if (c->host_done)
				continue;
			c->host_done = true;
		} else if (!twc_nvme_uses(p, cmb)) {
			continue;
		}
		unfit = twc_nvme_placement_unfit(p, &c->r.caps);
		if (unfit != NULL) {
			twc_nvme_not_run(c, p, true, unfit);
			continue;
		}
		if (twc_nvme_placement_run(c, pi) != 0)
			return -1;
	}
	return 0;
}

/* Rows for the placements of mapping cmb, which cannot run: why. */
static void
twc_nvme_skip_phase(struct twc_nvme_ctx *c, enum twc_nvme_where cmb,
		const char *why)
{
	const struct twc_nvme_placement *p;
	const char *unfit;
	unsigned int pi;

	for (pi = 0; pi < TWC_NVME_NPLACEMENTS; pi++) {
		p = &twc_nvme_placements[pi];
		if (!twc_nvme_uses(p, cmb))
			continue;
		unfit = twc_nvme_placement_unfit(p, &c->r.caps);
		twc_nvme_not_run(c, p, true, unfit != NULL ? unfit : why);
	}
}

static void
twc_nvme_describe(struct twc_nvme_ctx *c)
{
	const struct rte_pmd_nvme_cmb_info *in = &c->info;
	const struct rte_pci_device *pci = RTE_DEV_TO_PCI(c->dev);
	struct twc_nvme_report *r = &c->r;
	const struct twc_opts *o = c->opts;
	struct twc_env env;
	unsigned int i;

	snprintf(r->device, sizeof(r->device), "%s", c->name);
	snprintf(r->pci_id, sizeof(r->pci_id), "%04x:%04x",
		 pci->id.vendor_id, pci->id.device_id);
	snprintf(r->model, sizeof(r->model), "%s", in->model);
	snprintf(r->serial, sizeof(r->serial), "%s", in->serial);
	r->version_major = in->nvme_version_major;
	r->version_minor = in->nvme_version_minor;
	r->nsid = in->nsid;
	r->lba_size = in->lba_size;
	r->nb_lbas = in->nb_lbas;
	r->max_xfer = in->max_xfer;
	r->page_size = in->page_size;
	r->cmb_size = in->cmb_size;
	r->cmb_bar = in->cmb_bar;
	r->caps.present = in->cmb_size != 0;
	r->caps.sqs = in->cmb_sqs != 0;
	r->caps.data = in->cmb_wds != 0 && in->cmb_rds != 0;
	r->blocks = o->nvme_blocks;
	r->ops = o->nvme_ops;
	for (i = 0; i < o->nnvme_depths; i++)
		r->depths[i] = o->nvme_depths[i];
	r->ndepths = o->nnvme_depths;
	twc_cpu_describe(r->arch, sizeof(r->arch), &r->max_width,
			 r->cpu_features, sizeof(r->cpu_features));
	twc_env_detect(&env);
	snprintf(r->environment, sizeof(r->environment), "%s",
		 env.description);
	r->emulated = env.emulated;
	if (o->label != NULL)
		snprintf(r->label, sizeof(r->label), "%s", o->label);
	c->t.lba_size = in->lba_size;
	c->t.page_size = in->page_size;
	c->t.blocks = o->nvme_blocks;
	c->t.ops = o->nvme_ops;
	c->t.plan = r->plan;
}

/* UC placements first; -1 when the device was lost. */
static int
twc_nvme_uc(struct twc_nvme_ctx *c)
{
	char msg[256];

	if (c->r.caps.present && c->info.cmb_wc) {
		if (twc_nvme_reopen(c, "off", msg, sizeof(msg)) != 0) {
			fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
			return -1;
		}
		if (c->info.cmb_wc) {
			twc_nvme_report_note(&c->r, "the CMB BAR stayed WC after probing the device again with pci_wc=off: CMB-UC placements not measured");
			twc_nvme_skip_phase(c, TWC_NVME_CMB_UC, "the CMB BAR could not be mapped UC");
			return 0;
		}
		twc_nvme_report_note(&c->r, "the bus mapped the CMB BAR WC at probe (--pci-wc or pci_wc=): probed again with pci_wc=off for the CMB-UC placements");
	}
	if (c->r.caps.present)
		twc_nvme_record_phase(c, TWC_MAP_UC);
	return twc_nvme_phase(c, TWC_NVME_CMB_UC);
}

/* Then WC: the device closed and probed again asking for it. */
static int
twc_nvme_wc(struct twc_nvme_ctx *c)
{
	char msg[256], why[RTE_PCI_WC_REASON_LEN + 64];

	if (!c->r.caps.present) {
		twc_nvme_skip_phase(c, TWC_NVME_CMB_WC, "the controller has no CMB");
		return 0;
	}
	if (!c->info.cmb_wc) {
		if (twc_nvme_reopen(c, "all", msg, sizeof(msg)) != 0) {
			fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
			return -1;
		}
		if (c->info.cmb_wc)
			twc_nvme_report_note(&c->r, "CMB-WC placements measured after closing the device and probing it again with pci_wc=all (x86: a BAR the open device mapped UC cannot become WC)");
	}
	if (!c->info.cmb_wc) {
		snprintf(why, sizeof(why), "the CMB BAR could not be mapped WC: %s",
			 c->info.cmb_reason);
		twc_nvme_report_note(&c->r, "%s", why);
		twc_nvme_skip_phase(c, TWC_NVME_CMB_WC, why);
		return 0;
	}
	twc_nvme_record_phase(c, TWC_MAP_WC);
	return twc_nvme_phase(c, TWC_NVME_CMB_WC);
}

static int
twc_nvme_outputs(const struct twc_nvme_ctx *c)
{
	const struct twc_opts *o = c->opts;
	int ret = 0;

	twc_nvme_write_table(&c->r, stdout);
	if (o->csv != NULL)
		ret |= twc_nvme_write_file(&c->r, o->csv, twc_nvme_write_csv);
	if (o->json != NULL)
		ret |= twc_nvme_write_file(&c->r, o->json, twc_nvme_write_json);
	if (o->plot != NULL)
		ret |= twc_nvme_write_file(&c->r, o->plot, twc_nvme_write_svg);
	return ret;
}

static void
twc_nvme_intro(const struct twc_nvme_ctx *c)
{
	const struct twc_nvme_report *r = &c->r;
	char sz[16];

	printf("%s: NVMe %u.%u '%s' at %s (rawdev %u): namespace %u, %" PRIu64 " blocks of %u B; CMB %s%s%s\n",
	       TWC_PROG, r->version_major, r->version_minor, r->model,
	       r->device, c->dev_id, r->nsid, r->nb_lbas, r->lba_size,
	       r->caps.present ? twc_size_str(r->cmb_size, sz, sizeof(sz)) :
	       "none", r->caps.present ? " mapped " : "",
	       r->caps.present ? (c->info.cmb_wc ? "wc" : "uc") : "");
	printf("%s: overwriting LBAs 0..%" PRIu64 " of namespace %u\n",
	       TWC_PROG, r->plan.region_blocks - 1, r->nsid);
	if (r->emulated)
		printf("%s: running on %s: timings will NOT be hardware numbers\n",
		       TWC_PROG, r->environment);
	fflush(stdout);
}

int
twc_nvme_main(const struct twc_opts *opts)
{
	static struct twc_nvme_ctx ctx;
	struct twc_nvme_ctx *c = &ctx;
	char msg[256];
	unsigned int i;
	int status = 1, ret = 0;

	memset(c, 0, sizeof(*c));
	c->opts = opts;
	twc_nvme_report_init(&c->r);
	if (!rte_eal_has_pci()) {
		fprintf(stderr, "%s: --nvme: no NVMe controller to drive: EAL's --no-pci turned the PCI bus off (name the controller with -a <PCI address> instead)\n",
			TWC_PROG);
		return 1;
	}
	if (twc_device_named(c->name, sizeof(c->name)) != 0) {
		twc_device_explain_missing(msg, sizeof(msg), true);
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return 1;
	}
	if (twc_nvme_open(c, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return 1;
	}
	for (i = 0; i < opts->nnvme_depths; i++)
		c->max_depth = RTE_MAX(c->max_depth, opts->nvme_depths[i]);
	if (twc_nvme_plan(c->info.lba_size, c->info.nb_lbas,
			  c->info.max_xfer, opts->nvme_blocks, opts->nvme_ops,
			  c->max_depth, &c->r.plan, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return 1;
	}
	twc_nvme_describe(c);
	twc_nvme_intro(c);

	if (opts->phases & TWC_PHASE_UC)
		ret = twc_nvme_uc(c);
	else
		twc_nvme_skip_phase(c, TWC_NVME_CMB_UC, "not asked for (--phases wc)");
	if (ret == 0 && (opts->phases & TWC_PHASE_WC))
		ret = twc_nvme_wc(c);
	else if (ret == 0)
		twc_nvme_skip_phase(c, TWC_NVME_CMB_WC, "not asked for (--phases uc)");
	/* --phases wc on a BAR that would not go WC: the baseline still runs. */
	if (ret == 0 && !c->host_done) {
		c->host_done = true;
		ret = twc_nvme_placement_run(c, 0);
	}
	twc_nvme_stop(c);

	if (twc_nvme_outputs(c) == 0 && ret == 0 && !c->failed)
		status = 0;
	if (!twc_nvme_report_all_verified(&c->r)) {
		fprintf(stderr, "%s: commands failed or data read back wrong: see the table\n",
			TWC_PROG);
		status = 1;
	}
	if (opts->require_wc && !c->have_wc) {
		fprintf(stderr, "%s: no CMB-WC placement measured (--require-wc)\n",
			TWC_PROG);
		status = 1;
	}
	twc_nvme_report_free(&c->r);
	return status;
}
