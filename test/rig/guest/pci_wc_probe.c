/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pci_wc_probe: a DPDK program for the guest rig that binds one PCI device
 * with its own small driver, lets the bus map its BARs under whatever
 * --pci-wc says, and checks what each BAR got through the bus's query API
 * (and, on request, through telemetry, PAT, an unaligned copy, the slow
 * path, or data shared with a secondary process).
 *
 *   pci_wc_probe [EAL args] -- [options]
 *     --drv-wc              the driver sets RTE_PCI_DRV_WC_ACTIVATE
 *     --expect BAR=ATTR     ATTR: uc, wc, slow-path, unmapped
 *     --expect-path BAR=P   P: vfio, vfio-wc-alias, uio, uio-wc
 *     --expect-pat BAR=T    x86: PAT type of the BAR's start (e.g.
 *                           write-combining, uncached-minus)
 *     --unaligned BAR       plain memcpy to offset 8193, must not fault
 *     --write BAR:SEED      write a pattern (odd offset) and read it back
 *     --check BAR:SEED      read the pattern back (a secondary process)
 *     --slow-read BAR:OFF:HEX  read 4 bytes at OFF through the slow path,
 *                           expect the little-endian value HEX
 *     --slow-write BAR:OFF:HEX write 4 bytes at OFF through the slow path
 *     --telemetry           query /pci_wc/bars over the telemetry socket
 *     --unplug BAR          hot-unplug the device (rte_dev_remove): the
 *                           records go, x86 PAT forgets the WC range;
 *                           plug it back (rte_dev_probe): BAR is WC again
 *     --hold FILE           after the checks, wait (<= 60 s) until FILE
 *                           exists (lets a secondary process run)
 *     --expect-args STR     the device arguments the driver was probed
 *                           with are exactly STR (the bus's key cut out)
 *     --expect-reason BAR:S BAR's reason contains S
 *     --slow-dump BAR:OFF   read 4 bytes at OFF through the slow path and
 *                           print them ("slow-path BARn+0xOFF = 0x...")
 *     --fail-alias-mmap     (before EAL) make every mmap of a VFIO region
 *                           past the standard ones fail with ENOMEM, as
 *                           if the WC alias could not be mapped here
 *     --remap-race BAR:N    remap BAR uncached and back to WC N times while
 *                           a second thread reads its record without
 *                           pause: every copy must be whole (attribute,
 *                           path and reason of one state, never mixed)
 *     --hot-unplug BAR      wait (<= 30 s) for the kernel to remove the
 *                           device (the scenario removes it through
 *                           sysfs), then check BAR's record says so and
 *                           release the device
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_telemetry.h>
#include <bus_pci_driver.h>
#include <rte_pci_wc.h>

#include "rig_guest.h"
#include "wc_mmio.h"

#define PATTERN_OFF 3
#define PATTERN_LEN 4093

static struct rte_pci_device *probed;
static char probed_args[256];

static int
probe_cb(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *dev)
{
	const struct rte_devargs *da = dev->device.devargs;

	if (probed != NULL)
		return 1;
	probed = dev;
	snprintf(probed_args, sizeof(probed_args), "%s",
		da != NULL && da->args != NULL ? da->args : "");
	return 0;
}

static int
remove_cb(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static const struct rte_pci_id any_id[] = {
	{ RTE_PCI_DEVICE(RTE_PCI_ANY_ID, RTE_PCI_ANY_ID) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver probe_drv = {
	.id_table = any_id,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = probe_cb,
	.remove = remove_cb,
};
RTE_PMD_REGISTER_PCI(rig_pci_wc_probe, probe_drv);

static int
parse_bar_arg(const char *arg, unsigned int *bar, const char **rest)
{
	char *end;

	*bar = strtoul(arg, &end, 10);
	if (end == arg || *bar > 5)
		return -1;
	if (*end == '\0') {	/* "--unaligned 2" */
		*rest = end;
		return 0;
	}
	if (*end != '=' && *end != ':')
		return -1;
	*rest = end + 1;
	return 0;
}

static void
pattern(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

struct unaligned_arg {
	volatile uint8_t *p;
};

static void
unaligned_copy(void *a)
{
	struct unaligned_arg *u = a;
	static const char msg[] = "unaligned, 13";

	/* plain memcpy on purpose: what a driver does without our library */
	memcpy((void *)(uintptr_t)(u->p + 1), msg, 13);
}

static void
check_bar(unsigned int bar, const char *what, const char *want)
{
	struct rte_pci_wc_bar info;
	const char *got;

	rig_check(rte_pci_wc_bar_info(probed, bar, &info) == 0,
		"query BAR%u", bar);
	got = strcmp(what, "attr") == 0 ? rte_pci_wc_attr_name(info.attr) :
		rte_pci_wc_path_name(info.path);
	rig_check(strcmp(got, want) == 0, "BAR%u %s is %s (expected %s; %s)",
		bar, what, got, want, info.reason);
}

static void
check_pat(unsigned int bar, const char *want)
{
	struct rte_pci_wc_bar info;
	char type[64] = "";

	rte_pci_wc_bar_info(probed, bar, &info);
	if (rig_pat_type(info.phys_addr, type, sizeof(type)) < 0)
		snprintf(type, sizeof(type), "(none)");
	rig_check(strcmp(type, want) == 0,
		"PAT type of BAR%u at 0x%" PRIx64 " is %s (expected %s)",
		bar, info.phys_addr, type, want);
}

static void
write_pattern(unsigned int bar, unsigned int seed, int write)
{
	static uint8_t buf[PATTERN_LEN];
	struct rte_pci_wc_bar info;
	enum wc_mmio_attr attr;
	volatile uint8_t *p;
	size_t bad;

	rte_pci_wc_bar_info(probed, bar, &info);
	if (info.addr == NULL || info.size < PATTERN_OFF + PATTERN_LEN) {
		rig_check(0, "BAR%u is not mapped or too small", bar);
		return;
	}
	p = (volatile uint8_t *)info.addr + PATTERN_OFF;
	attr = info.attr == RTE_PCI_WC_ATTR_WC ? WC_MMIO_WC : WC_MMIO_UC;
	pattern(buf, sizeof(buf), seed);
	if (write) {
		wc_mmio_copy_to(p, buf, sizeof(buf), attr, 0);
		wc_mmio_flush(attr);
	}
	bad = wc_mmio_verify(p, buf, sizeof(buf));
	rig_check(bad == sizeof(buf),
		"BAR%u pattern %u at offset %d (%zu bytes, %s) reads back%s", bar,
		seed, PATTERN_OFF, sizeof(buf), wc_mmio_attr_name(attr),
		bad == sizeof(buf) ? "" : " WRONG");
}

static void
slow_write(unsigned int bar, const char *rest)
{
	uint64_t off;
	uint32_t val;
	char *end;
	ssize_t n;

	off = strtoull(rest, &end, 0);
	if (*end != ':') {
		rig_check(0, "bad --slow-write argument");
		return;
	}
	val = strtoul(end + 1, NULL, 16);
	n = rte_pci_wc_mmio_write(probed, bar, &val, sizeof(val), off);
	rig_check(n == (ssize_t)sizeof(val),
		"slow-path write of 0x%08x to BAR%u offset 0x%" PRIx64 ": %zd",
		val, bar, off, n);
}

static void
slow_read(unsigned int bar, const char *rest)
{
	uint64_t off;
	uint32_t want, got = 0;
	char *end;
	ssize_t n;

	off = strtoull(rest, &end, 0);
	if (*end != ':') {
		rig_check(0, "bad --slow-read argument");
		return;
	}
	want = strtoul(end + 1, NULL, 16);
	n = rte_pci_wc_mmio_read(probed, bar, &got, sizeof(got), off);
	rig_check(n == (ssize_t)sizeof(got),
		"slow-path read of BAR%u offset 0x%" PRIx64 ": %zd", bar, off, n);
	rig_check(got == want,
		"slow-path BAR%u offset 0x%" PRIx64 " reads 0x%08x (expected 0x%08x)",
		bar, off, got, want);
	/* and one past the end is refused, not read */
	n = rte_pci_wc_mmio_read(probed, bar, &got, sizeof(got), UINT64_MAX - 1);
	rig_check(n == -EINVAL, "slow-path read past the BAR is refused (%zd)", n);
}

static void
telemetry(const char *bdf, const char *want_attr_bar2)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[8192], cmd[64];
	ssize_t n;
	int s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s < 0 || connect(s, (void *)&sun, sizeof(sun)) < 0) {
		rig_check(0, "connect to %s: %s", sun.sun_path, strerror(errno));
		if (s >= 0)
			close(s);
		return;
	}
	n = read(s, buf, sizeof(buf) - 1);	/* the greeting */
	snprintf(cmd, sizeof(cmd), "/pci_wc/bars,%s", bdf);
	if (n > 0 && write(s, cmd, strlen(cmd)) > 0)
		n = read(s, buf, sizeof(buf) - 1);
	else
		n = -1;
	close(s);
	rig_check(n > 0, "telemetry answered %s", cmd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	printf("telemetry: %s\n", buf);
	snprintf(cmd, sizeof(cmd), "\"attr\":\"%s\"", want_attr_bar2);
	rig_check(strstr(buf, "\"bar2\"") != NULL && strstr(buf, cmd) != NULL,
		"telemetry lists bar2 with %s", cmd);
}

static void
unplug(unsigned int bar)
{
	struct rte_pci_wc_bar info;
	char name[RTE_DEV_NAME_MAX_LEN];
	char type[64];
	uint64_t phys;
	int ret;

	rte_pci_wc_bar_info(probed, bar, &info);
	phys = info.phys_addr;
	snprintf(name, sizeof(name), "%s", probed->name);
	ret = rte_dev_remove(&probed->device);
	rig_check(ret == 0, "rte_dev_remove(%s): %d", name, ret);
	if (ret != 0)
		return;
	ret = rte_pci_wc_bar_info(probed, bar, &info);
	rig_check(ret == -ENODEV, "after unplug the bus has no record (%d)", ret);
#ifdef RTE_ARCH_X86
	ret = rig_pat_type(phys, type, sizeof(type));
	rig_check(ret < 0 || strcmp(type, "write-combining") != 0,
		"after unplug PAT no longer lists 0x%" PRIx64 " write-combining (%s)",
		phys, ret < 0 ? "no entry" : type);
#else
	RTE_SET_USED(type);
	RTE_SET_USED(phys);
#endif
	probed = NULL;
	ret = rte_dev_probe(name);
	rig_check(ret == 0 && probed != NULL, "plugged %s back: %d", name, ret);
	if (probed == NULL)
		return;
	check_bar(bar, "attr", "wc");
}

/*
 * A seccomp filter failing mmap(2) of any VFIO region index from
 * VFIO_PCI_NUM_REGIONS (9) up, which is where vfio-pci-wc's aliases are:
 * VFIO puts the region index at bit 40 of the offset, so those offsets
 * have a high word of 9 << 8 or more. The real kernel path up to mmap is
 * untouched; only the alias mapping itself fails, as it could on a
 * machine short of address space or with a kernel that refuses it late.
 */
static int
fail_alias_mmap(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, args[5]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 9 << 8, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOMEM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = RTE_DIM(f), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("pci_wc_probe: seccomp");
		return -1;
	}
	printf("mmap of VFIO regions from index 9 up now fails with ENOMEM\n");
	return 0;
}

static volatile int removal_seen;

static int
removal_cb_check(void)
{
	return removal_seen;
}

static void
removal_cb(const char *name, enum rte_dev_event_type type, void *arg)
{
	RTE_SET_USED(arg);
	if (type == RTE_DEV_EVENT_REMOVE && probed != NULL &&
			strcmp(name, probed->name) == 0)
		removal_seen = 1;
}

static void
hot_unplug(unsigned int bar)
{
	struct rte_pci_wc_bar info;
	char name[RTE_DEV_NAME_MAX_LEN];
	int i, ret;

	snprintf(name, sizeof(name), "%s", probed->name);
	ret = rte_dev_event_callback_register(name, removal_cb, NULL);
	rig_check(ret == 0, "register for %s's removal: %d", name, ret);
	/* UIO needs the uevent monitor; VFIO tells through its request irq */
	ret = rte_dev_hotplug_handle_enable();
	rig_check(ret == 0, "hot-unplug handling on: %d", ret);
	ret = rte_dev_event_monitor_start();
	rig_check(ret == 0, "uevent monitor: %d", ret);
	printf("waiting for the removal of %s\n", name);
	fflush(stdout);
	for (i = 0; i < 300 && !removal_cb_check(); i++)
		usleep(100 * 1000);
	rig_check(removal_seen, "the bus saw %s go", name);
	ret = rte_pci_wc_bar_info(probed, bar, &info);
	rig_check(ret == 0 && info.unplugged && info.attr == RTE_PCI_WC_ATTR_UNMAPPED &&
		info.addr == NULL && strstr(info.reason, "hot-unplugged") != NULL,
		"after hot-unplug BAR%u is recorded unmapped (%d: %s, unplugged %d, addr %p: %s)",
		bar, ret, rte_pci_wc_attr_name(info.attr), info.unplugged,
		info.addr, info.reason);
	/* let the kernel finish: release the device */
	rte_dev_event_monitor_stop();
	rte_dev_event_callback_unregister(name, removal_cb, NULL);
	ret = rte_dev_remove(&probed->device);
	rig_check(ret == 0, "released %s: %d", name, ret);
	probed = NULL;
}

struct race {
	unsigned int bar;
	atomic_int stop;
	unsigned long reads, torn;
	char example[RTE_PCI_WC_REASON_LEN + 64];
};

/* One record copy is whole when its three fields tell one state. */
static bool
record_whole(const struct rte_pci_wc_bar *i)
{
	if (i->attr == RTE_PCI_WC_ATTR_WC)
		return i->path == RTE_PCI_WC_PATH_VFIO_WC_ALIAS && i->addr != NULL &&
			(strcmp(i->reason, "remapped WC by the application") == 0 ||
			 strcmp(i->reason, "--pci-wc=all") == 0);
	if (i->attr == RTE_PCI_WC_ATTR_UC)
		return i->path == RTE_PCI_WC_PATH_VFIO && i->addr != NULL &&
			strcmp(i->reason, "remapped uncached by the application") == 0;
	return false;
}

static void *
race_reader(void *arg)
{
	struct race *r = arg;
	struct rte_pci_wc_bar info;

	while (!atomic_load(&r->stop)) {
		if (rte_pci_wc_bar_info(probed, r->bar, &info) != 0)
			continue;
		r->reads++;
		if (!record_whole(&info)) {
			if (r->torn++ == 0)
				snprintf(r->example, sizeof(r->example),
					"%s via %s: %s", rte_pci_wc_attr_name(info.attr),
					rte_pci_wc_path_name(info.path), info.reason);
		}
	}
	return NULL;
}

static void
remap_race(unsigned int bar, const char *rest)
{
	struct race r = { .bar = bar };
	unsigned long n = strtoul(rest, NULL, 0), i, failed = 0;
	pthread_t t;

	if (pthread_create(&t, NULL, race_reader, &r) != 0) {
		rig_check(0, "reader thread");
		return;
	}
	for (i = 0; i < n; i++) {
		failed += rte_pci_wc_bar_remap(probed, bar, RTE_PCI_WC_ATTR_UC) != 0;
		failed += rte_pci_wc_bar_remap(probed, bar, RTE_PCI_WC_ATTR_WC) != 0;
	}
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	rig_check(failed == 0, "%lu remaps UC and back to WC: %lu failed", n, failed);
	rig_check(r.reads > 0 && r.torn == 0,
		"a reader copied BAR%u's record %lu times meanwhile: %lu torn%s%s",
		bar, r.reads, r.torn, r.torn ? ", e.g. " : "", r.example);
}

static void
slow_dump(unsigned int bar, const char *rest)
{
	uint64_t off = strtoull(rest, NULL, 0);
	uint32_t got = 0;
	ssize_t n;

	n = rte_pci_wc_mmio_read(probed, bar, &got, sizeof(got), off);
	rig_check(n == (ssize_t)sizeof(got),
		"slow-path read of BAR%u offset 0x%" PRIx64 ": %zd", bar, off, n);
	printf("slow-path BAR%u+0x%" PRIx64 " = 0x%08x\n", bar, off, got);
}

static void
expect_reason(unsigned int bar, const char *want)
{
	struct rte_pci_wc_bar info;

	rig_check(rte_pci_wc_bar_info(probed, bar, &info) == 0 &&
		strstr(info.reason, want) != NULL,
		"BAR%u reason has '%s' (%s)", bar, want, info.reason);
}

static void
print_bars(void)
{
	struct rte_pci_wc_bar info;
	unsigned int bar;

	/* every BAR, the empty ones too: their reasons are compared */
	for (bar = 0; bar < 6; bar++) {
		if (rte_pci_wc_bar_info(probed, bar, &info) < 0)
			continue;
		printf("%s BAR%u: size %" PRIu64 " %s%s attr %s path %s: %s\n",
			probed->name, bar, info.size,
			info.memory ? "mem" : "io",
			info.prefetchable ? " prefetchable" : "",
			rte_pci_wc_attr_name(info.attr),
			rte_pci_wc_path_name(info.path), info.reason);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "drv-wc", no_argument, NULL, 'd' },
		{ "expect", required_argument, NULL, 'e' },
		{ "expect-path", required_argument, NULL, 'p' },
		{ "expect-pat", required_argument, NULL, 'P' },
		{ "unaligned", required_argument, NULL, 'u' },
		{ "write", required_argument, NULL, 'w' },
		{ "check", required_argument, NULL, 'c' },
		{ "slow-read", required_argument, NULL, 's' },
		{ "slow-write", required_argument, NULL, 'W' },
		{ "telemetry", required_argument, NULL, 't' },
		{ "hold", required_argument, NULL, 'h' },
		{ "unplug", required_argument, NULL, 'U' },
		{ "expect-args", required_argument, NULL, 'A' },
		{ "expect-reason", required_argument, NULL, 'R' },
		{ "slow-dump", required_argument, NULL, 'D' },
		{ "fail-alias-mmap", no_argument, NULL, 'F' },
		{ "hot-unplug", required_argument, NULL, 'H' },
		{ "remap-race", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	const char *hold = NULL;
	const char *rest;
	unsigned int bar;
	int i, n, opt;

	/* the driver flag must be known before EAL probes */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--drv-wc") == 0)
			probe_drv.drv_flags |= RTE_PCI_DRV_WC_ACTIVATE;
		if (strcmp(argv[i], "--fail-alias-mmap") == 0 &&
				fail_alias_mmap() < 0)
			return 2;
	}

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "pci_wc_probe: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 2;
	}
	argc -= n;
	argv += n;
	if (probed == NULL) {
		fprintf(stderr, "pci_wc_probe: no device probed (use -a BDF)\n");
		rte_eal_cleanup();
		return 2;
	}
	print_bars();

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'd' || opt == 'F')
			continue;
		if (opt == 'A') {
			rig_check(strcmp(probed_args, optarg) == 0,
				"the driver was probed with '%s' (expected '%s')",
				probed_args, optarg);
			continue;
		}
		if (opt == 'h') {
			hold = optarg;
			continue;
		}
		if (opt == 't') {
			telemetry(probed->name, optarg);
			continue;
		}
		if (opt == '?' || parse_bar_arg(optarg, &bar, &rest) < 0) {
			fprintf(stderr, "pci_wc_probe: bad option or argument\n");
			rte_eal_cleanup();
			return 2;
		}
		switch (opt) {
		case 'e':
			check_bar(bar, "attr", rest);
			break;
		case 'p':
			check_bar(bar, "path", rest);
			break;
		case 'P':
			check_pat(bar, rest);
			break;
		case 'u': {
			struct rte_pci_wc_bar info;
			struct unaligned_arg u;
			char back[14] = "";

			rte_pci_wc_bar_info(probed, bar, &info);
			/* past the --write pattern, so both can be used */
			u.p = info.addr == NULL || info.size < 8192 + 16 ? NULL :
				(volatile uint8_t *)info.addr + 8192;
			if (u.p == NULL) {
				rig_check(0, "BAR%u is not mapped", bar);
				break;
			}
			n = rig_try(unaligned_copy, &u);
			rig_check(n == 0, "plain memcpy to BAR%u+1 (%s): %s", bar,
				rte_pci_wc_attr_name(info.attr),
				n == 0 ? "no fault" : "FAULTED");
			if (n == 0) {
				wc_mmio_copy_from(back, u.p + 1, 13);
				rig_check(memcmp(back, "unaligned, 13", 13) == 0,
					"unaligned bytes read back");
			}
			break;
		}
		case 'w':
		case 'c':
			write_pattern(bar, strtoul(rest, NULL, 0), opt == 'w');
			break;
		case 's':
			slow_read(bar, rest);
			break;
		case 'W':
			slow_write(bar, rest);
			break;
		case 'U':
			unplug(bar);
			break;
		case 'R':
			expect_reason(bar, rest);
			break;
		case 'D':
			slow_dump(bar, rest);
			break;
		case 'H':
			hot_unplug(bar);
			break;
		case 'X':
			remap_race(bar, rest);
			break;
		}
		if (probed == NULL)
			break;	/* released: nothing more to check */
	}
	if (hold != NULL) {
		struct stat st;

		printf("holding until %s exists\n", hold);
		fflush(stdout);
		for (i = 0; i < 600 && stat(hold, &st) < 0; i++)
			usleep(100 * 1000);
		rig_check(i < 600, "%s appeared", hold);
	}
	rte_eal_cleanup();
	return rig_summary();
}
