/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc: MMIO through a memory BAR of a PCI device, uncached and
 * write-combining side by side.
 *
 * Order matters. The bus maps the BAR UC unless the user passed --pci-wc,
 * and on x86 a BAR once made WC stays WC for every mapping until the
 * device is closed; so the UC phase runs first, then the app asks the bus
 * to remap the BAR WC and runs the WC phase. If the bus mapped WC from the
 * start, UC cannot be measured and the report says so.
 *
 * With --nvme the app drives an NVMe controller's commands through the
 * nvme_cmb rawdev PMD instead (twc_nvme.c).
 */
#include <errno.h>
#include <sched.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <bus_pci_driver.h>

#include "wc_mmio.h"
#include "twc_cpu.h"
#include "twc_device.h"
#include "twc_eal_args.h"
#include "twc_env.h"
#include "twc_fault.h"
#include "twc_host.h"
#include "twc_link.h"
#ifdef TWC_HAVE_NVME_CMB
#include "twc_nvme.h"
#endif
#include "twc_opts.h"
#include "twc_pat.h"
#include "twc_report.h"
#include "twc_throughput.h"
#include "twc_unaligned.h"

#define TWC_PROG "dpdk-test-wc"
/* Window used when --window is not given (and the BAR is larger). */
#define TWC_DEFAULT_WINDOW (64u << 20)

/* Position of "--" in argv, or argc when absent. */
static int
twc_split_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* Is opt (or, with alt, that too) among argv[1..n)? */
static bool
twc_arg_among(int n, char **argv, const char *opt, const char *alt)
{
	int i;

	for (i = 1; i < n; i++)
		if (strcmp(argv[i], opt) == 0 ||
		    (alt != NULL && strcmp(argv[i], alt) == 0))
			return true;
	return false;
}

/*
 * EAL's own usage, from EAL: rte_eal_init() with --help alone prints it
 * while parsing the command line, before it touches anything, and exits.
 */
static int
twc_eal_help(char *prog)
{
	char *args[] = { prog, (char *)(uintptr_t)"--help", NULL };

	rte_eal_init(2, args);
	return 0;
}

/* Store widths to measure on WC: those asked for that the CPU has. */
static unsigned int
twc_pick_widths(const struct twc_opts *opts, unsigned int *widths,
		struct twc_report *r)
{
	static const unsigned int all[] = { 8, 16, 32, 64 };
	unsigned int i, n = 0, max = wc_mmio_cpu()->max_width;

	if (opts->nstores != 0) {
		/* By kind: its width, if the library stores that way here. */
		for (i = 0; i < opts->nstores; i++) {
			unsigned int w = twc_store_kind_width(opts->stores[i]);
			const char *kind;
			unsigned int got = wc_mmio_store_width(WC_MMIO_WC, w, &kind);

			if (got != w || strcmp(kind, opts->stores[i]) != 0) {
				twc_report_note(r, "--store %s skipped: for %u-byte stores the library uses %s (%u B) on this CPU",
						opts->stores[i], w, kind, got);
				continue;
			}
			widths[n++] = w;
		}
		if (n == 0) {
			twc_report_note(r, "no --store kind is usable here: measuring the widest, %u B",
					max);
			widths[n++] = max;
		}
		return n;
	}
	if (opts->widths == TWC_WIDTHS_WIDEST) {
		widths[0] = max;
		return 1;
	}
	for (i = 0; i < RTE_DIM(all); i++) {
		bool asked = opts->widths == TWC_WIDTHS_ALL ||
			(opts->widths & TWC_WIDTH_BIT(all[i]));

		if (!asked)
			continue;
		if (all[i] > max) {
			if (opts->widths != TWC_WIDTHS_ALL)
				twc_report_note(r, "store width %u B skipped: this CPU stores at most %u B",
						all[i], max);
			continue;
		}
		widths[n++] = all[i];
	}
	if (n == 0)
		widths[n++] = max;
	return n;
}

/* Measure one mapping; info describes it as the bus has it now. */
static int
twc_run_phase(const struct twc_opts *opts,
		const struct rte_pci_wc_bar *info, enum twc_map map,
		const unsigned int *widths, unsigned int nwidths,
		struct twc_report *r)
{
	struct twc_phase *p = &r->phases[map];
	struct twc_target t;
	char pat[64];

	snprintf(p->path, sizeof(p->path), "%s",
		 rte_pci_wc_path_name(info->path));
	snprintf(p->reason, sizeof(p->reason), "%s", info->reason);
	t.base = (volatile uint8_t *)info->addr + opts->offset;
	t.window = r->window;
	t.map = map;
	printf("%s: measuring the %s mapping (%s)...\n", TWC_PROG,
	       twc_map_name(map), p->path);
	fflush(stdout);
	if ((opts->modes & TWC_MODE_UNALIGNED) &&
	    twc_run_unaligned(opts, t.base, t.window, map, r) != 0)
		return -1;
	if ((opts->modes & TWC_MODE_THROUGHPUT) &&
	    twc_run_throughput(opts, &t, widths, nwidths, r) != 0) {
		fprintf(stderr, "%s: out of memory\n", TWC_PROG);
		return -1;
	}
	if ((opts->modes & TWC_MODE_THROUGHPUT) && map == TWC_MAP_UC)
		twc_run_read_latency(&t, &r->uc_read);
	/* Read while the mapping is live: the kernel's own word on it. */
	if (twc_pat_lookup_system(info->phys_addr, info->phys_addr + info->size,
				  pat, sizeof(pat)) >= 0)
		snprintf(p->pat, sizeof(p->pat), "%s", pat[0] ? pat : "none");
	p->done = true;
	return 0;
}

/* Largest write-back baseline buffer: guests have little memory. */
#define TWC_WB_MAX (16u << 20)

/*
 * The baseline: the same throughput loop on ordinary write-back memory
 * of this process, so the BAR's rows can be read against what the CPU
 * and the loop cost by themselves.
 */
static int
twc_run_baseline(const struct twc_opts *opts, const unsigned int *widths,
		unsigned int nwidths, struct twc_report *r)
{
	struct twc_target t;
	uint8_t *buf;
	int ret;

	r->wb_window = RTE_MIN(r->window, (size_t)TWC_WB_MAX);
	buf = aligned_alloc(64, r->wb_window);
	if (buf == NULL) {
		twc_report_note(r, "no write-back baseline: %zu bytes not available",
				r->wb_window);
		r->wb_window = 0;
		return 0;
	}
	memset(buf, 0, r->wb_window);
	t.base = buf;
	t.window = r->wb_window;
	t.map = TWC_MAP_WB;
	printf("%s: measuring the write-back memory baseline...\n", TWC_PROG);
	fflush(stdout);
	ret = twc_run_throughput(opts, &t, widths, nwidths, r);
	free(buf);
	return ret;
}

/* "lcore 0 -> CPU 1; lcore 1 -> CPUs 2-3": the pinning EAL applied. */
static void
twc_pinning(char *buf, size_t len)
{
	unsigned int lc, cpu;
	size_t used = 0;
	int n;

	buf[0] = '\0';
	RTE_LCORE_FOREACH(lc) {
		rte_cpuset_t set = rte_lcore_cpuset(lc);
		bool first = true;

		n = snprintf(buf + used, len - used, "%slcore %u -> CPU%s ",
			     used ? "; " : "", lc,
			     CPU_COUNT(&set) > 1 ? "s" : "");
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
			if (!CPU_ISSET(cpu, &set))
				continue;
			n = snprintf(buf + used, len - used, "%s%u",
				     first ? "" : ",", cpu);
			if (n < 0 || (size_t)n >= len - used)
				return;
			used += n;
			first = false;
		}
	}
}

/* Link, NUMA, governor and pinning, with warnings where they matter. */
static void
twc_describe_host(struct twc_report *r)
{
	char pin[128];
	int cpu = sched_getcpu();
	int socket = (int)rte_lcore_to_socket_id(rte_lcore_id());

	twc_link_read("/sys", r->device, socket >= 0 && socket < RTE_MAX_NUMA_NODES ? socket : -1,
		      r->emulated, &r->link);
	if (r->link.numa_mismatch)
		twc_report_note(r, "device on NUMA node %d but the measuring lcore on socket %d: every access crosses the interconnect; pin with -l to a CPU of node %d",
				r->link.numa_node, r->link.lcore_socket,
				r->link.numa_node);
	twc_pinning(pin, sizeof(pin));
	twc_host_read("/sys", cpu >= 0 ? (unsigned int)cpu : 0, pin, &r->host);
	if (r->host.governor[0] != '\0' &&
	    strcmp(r->host.governor, "performance") != 0)
		twc_report_note(r, "CPU %d frequency governor is '%s', not 'performance': the clock speed may change under the measurement",
				cpu, r->host.governor);
}

static int
twc_write_outputs(const struct twc_opts *opts, const struct twc_report *r)
{
	int ret = 0;

	twc_write_table(r, stdout);
	if (opts->csv != NULL)
		ret |= twc_write_file(r, opts->csv, twc_write_csv);
	if (opts->json != NULL)
		ret |= twc_write_file(r, opts->json, twc_write_json);
	if (opts->plot != NULL)
		ret |= twc_write_file(r, opts->plot, twc_write_svg);
	return ret;
}

/*
 * Get BAR info->bar of *dev mapped WC: remapped in place by the bus, or
 * else the device closed and opened again with WC asked for at probe (x86:
 * vfio-pci-wc refuses WC for a BAR the open device already mapped UC).
 * On return info says what the BAR is now; a BAR left UC is noted with
 * the reasons. Returns -1 only when the device was lost on the way.
 */
static int
twc_to_wc(struct rte_pci_device **dev, struct rte_pci_wc_bar *info,
		struct twc_report *r)
{
	unsigned int bar = info->bar;
	char msg[256], first[64];
	int ret;

	ret = rte_pci_wc_bar_remap(*dev, bar, RTE_PCI_WC_ATTR_WC);
	if (rte_pci_wc_bar_info(*dev, bar, info) == 0 &&
	    info->attr == RTE_PCI_WC_ATTR_WC)
		return 0;
	snprintf(first, sizeof(first), "%s", strerror(-ret));
	*dev = twc_device_reopen_wc(*dev, msg, sizeof(msg));
	if (*dev == NULL) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return -1;
	}
	if (rte_pci_wc_bar_info(*dev, bar, info) != 0) {
		fprintf(stderr, "%s: BAR%u gone after reopening the device\n",
			TWC_PROG, bar);
		return -1;
	}
	if (info->attr == RTE_PCI_WC_ATTR_WC)
		twc_report_note(r, "in-place remap to WC refused (%s); WC measured after reopening the device with pci_wc=driver",
				first);
	else
		twc_report_note(r, "BAR%u could not be mapped WC: remap refused (%s), reopened device got %s (%s)",
				bar, first, rte_pci_wc_attr_name(info->attr),
				info->reason);
	return 0;
}

/* Everything after EAL is up; returns the exit status. */
static int
twc_main(const struct twc_opts *opts)
{
	struct rte_pci_device *dev = twc_device();
	struct rte_pci_wc_bar info;
	struct twc_report r;
	struct twc_env env;
	unsigned int widths[4], nwidths;
	char msg[256];
	int status = 1;
	bool have_wc = false;

	if (dev == NULL) {
		twc_device_explain_missing(msg, sizeof(msg), false);
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return 1;
	}
	if (twc_device_pick_bar(dev, opts->bar, opts->force, &info, msg,
				sizeof(msg)) != 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		return 1;
	}
	if (opts->offset >= info.size ||
	    opts->offset % 64 != 0) {
		fprintf(stderr, "%s: --offset 0x%" PRIx64 " must be a multiple of 64 inside BAR%u (%" PRIu64 " bytes)\n",
			TWC_PROG, opts->offset, info.bar, info.size);
		return 1;
	}

	twc_report_init(&r);
	snprintf(r.device, sizeof(r.device), "%s", twc_device_name(dev));
	twc_device_id(dev, r.pci_id, sizeof(r.pci_id));
	r.bar = info.bar;
	r.bar_size = info.size;
	r.bar_phys = info.phys_addr;
	r.prefetchable = info.prefetchable;
	r.offset = opts->offset;
	r.window = RTE_MIN(info.size - opts->offset,
			   opts->window ? opts->window : TWC_DEFAULT_WINDOW);
	r.reps = opts->reps;
	r.warmup = opts->warmup;
	r.batch = opts->batch;
	r.lcores = 1;
	twc_cpu_describe(r.arch, sizeof(r.arch), &r.max_width,
			 r.cpu_features, sizeof(r.cpu_features));
	twc_env_detect(&env);
	snprintf(r.environment, sizeof(r.environment), "%s", env.description);
	r.emulated = env.emulated;
	if (opts->label != NULL)
		snprintf(r.label, sizeof(r.label), "%s", opts->label);
	nwidths = twc_pick_widths(opts, widths, &r);
	twc_describe_host(&r);
	if (opts->sizes[opts->nsizes - 1] + 64 > r.window /
	    (opts->parallel ? rte_lcore_count() : 1))
		twc_report_note(&r, "sizes larger than the window (or its per-lcore slice) were skipped");

	printf("%s: %s BAR%u, %" PRIu64 " bytes, %sprefetchable, mapped %s through %s at %p: %s\n",
	       TWC_PROG, r.device, info.bar, info.size,
	       info.prefetchable ? "" : "not ", rte_pci_wc_attr_name(info.attr),
	       rte_pci_wc_path_name(info.path), info.addr, info.reason);
	if (r.emulated)
		printf("%s: running on %s: timings will NOT be hardware numbers\n",
		       TWC_PROG, r.environment);

	if (info.attr == RTE_PCI_WC_ATTR_WC) {
		if (opts->phases & TWC_PHASE_UC)
			twc_report_note(&r, "the bus mapped BAR%u WC from the start (EAL --pci-wc): UC cannot be measured on this device while it is open; WC only",
					info.bar);
	} else if (opts->phases & TWC_PHASE_UC) {
		if (twc_run_phase(opts, &info, TWC_MAP_UC, widths, nwidths,
				  &r) != 0)
			goto out;
	}

	if (opts->phases & TWC_PHASE_WC) {
		if (info.attr == RTE_PCI_WC_ATTR_UC &&
		    twc_to_wc(&dev, &info, &r) != 0)
			goto out;
		if (info.attr == RTE_PCI_WC_ATTR_WC) {
			have_wc = true;
			if (twc_run_phase(opts, &info, TWC_MAP_WC, widths,
					  nwidths, &r) != 0)
				goto out;
		}
	}

	if ((opts->modes & TWC_MODE_THROUGHPUT) &&
	    twc_run_baseline(opts, widths, nwidths, &r) != 0) {
		fprintf(stderr, "%s: out of memory\n", TWC_PROG);
		goto out;
	}

	status = 0;
	if (twc_write_outputs(opts, &r) != 0)
		status = 1;
	if (twc_report_verdict(&r, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, msg);
		status = 1;
	}
	if (opts->require_wc && !have_wc) {
		fprintf(stderr, "%s: no WC mapping of BAR%u (--require-wc)\n",
			TWC_PROG, info.bar);
		status = 1;
	}
out:
	twc_report_free(&r);
	return status;
}

int
main(int argc, char **argv)
{
	struct twc_opts opts;
	char err[256], **eal_argv;
	int dashes, eal_argc, ret, status;

	/* App options first: --help and typos need no EAL. */
	dashes = twc_split_args(argc, argv);
	/* argv[dashes] ("--") stands in for the program name. */
	ret = twc_opts_parse(&opts, argc - dashes, argv + dashes, err,
			     sizeof(err));
	/* Both lists of options wherever they are asked for. */
	if (twc_arg_among(argc, argv, "--eal-help", NULL))
		return twc_eal_help(argv[0]);
	/* --help among the EAL arguments means ours: it lists EAL's essentials. */
	if (ret == 0 && twc_arg_among(dashes, argv, "--help", "-h"))
		ret = 1;
	if (ret == 1) {
		twc_opts_usage(TWC_PROG, stdout);
		return 0;
	}
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, err);
		return 2;
	}
	/* EAL's part: refused here, as EAL probes the bus once it starts. */
	eal_argv = calloc(dashes + 1, sizeof(*eal_argv));
	if (eal_argv == NULL) {
		fprintf(stderr, "%s: out of memory\n", TWC_PROG);
		return 1;
	}
	if (twc_eal_args(dashes, argv, eal_argv, &eal_argc, err,
			 sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", TWC_PROG, err);
		free(eal_argv);
		return 2;
	}

#ifndef TWC_HAVE_NVME_CMB
	if (opts.nvme) {
		fprintf(stderr, "%s: --nvme: this build has no nvme_cmb driver (meson -Denable_drivers=true)\n",
			TWC_PROG);
		return 1;
	}
#endif
	/* Before EAL probes: which driver of ours the device goes to. */
	twc_device_choose_driver(opts.nvme);
	/* eal_argv stays allocated: EAL may keep pointers into it. */
	ret = rte_eal_init(eal_argc, eal_argv);
	if (ret < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", TWC_PROG,
			rte_strerror(rte_errno));
		return 1;
	}
	/*
	 * From here on a fault in one of our MMIO accesses outside the
	 * sweep's guarded attempts ends the run with one line saying so
	 * (twc_fault.h), never with exit status 0.
	 */
	if (twc_fault_guard_install() != 0) {
		perror(TWC_PROG ": installing SIGBUS/SIGSEGV handlers");
		rte_eal_cleanup();
		return 1;
	}
#ifdef TWC_HAVE_NVME_CMB
	if (opts.nvme)
		status = twc_nvme_main(&opts);
	else
#endif
		status = twc_main(&opts);
	twc_fault_guard_remove();
	rte_eal_cleanup();
	return status;
}
