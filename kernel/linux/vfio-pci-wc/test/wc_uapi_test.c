/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wc_uapi_test: exercise the vfio-pci-wc uAPI on one real device.
 *
 *   wc_uapi_test [--wc-bar N] [--uc-bar N] [--pat] [--unaligned] [--decode]
 *                [--touch-first] [--no-data] BDF
 *
 * The device (e.g. QEMU "nvme,cmb_size_mb=N": BAR0 registers, BAR2 the
 * prefetchable CMB) must be bound to vfio-pci-wc and nothing else may have
 * touched its BARs: on x86 a BAR that was already mapped uncached cannot
 * be given WC (EBUSY), so the WC request comes before any BAR access here.
 *
 *   --wc-bar N    prefetchable memory BAR to alias (default 2)
 *   --uc-bar N    non-prefetchable memory BAR, must be refused (default 0)
 *   --pat         x86: the PAT memtype list must say write-combining for
 *                 the mapped range (mounts debugfs if needed)
 *   --unaligned   arm64: unaligned stores through the alias work, through
 *                 a plain BAR mapping (Device memory) they raise SIGBUS
 *   --decode      clearing PCI_COMMAND.MEMORY makes the alias fault
 *                 (SIGBUS), setting it back makes it work again; a device
 *                 reset zaps it and it faults back in
 *   --touch-first only this: read the BAR through its plain index, then
 *                 request WC; x86 must refuse with EBUSY (the kernel now
 *                 maps the BAR uncached), arm64 must grant it
 *   --no-data     the BAR holds registers, not memory: stop after the
 *                 uAPI and mmap-bounds checks (no data written or read)
 *
 * The run ends by closing and reopening the device fd: the alias must be
 * gone (and with --pat its WC memtype reservation too).
 *
 * Prints "ok: ..." or "FAIL: ..." per check ("skip: ..." for checks the
 * device cannot exercise, not counted), then "N passed, N failed"; exits 1
 * on any failure, 2 when the device cannot be opened at all.
 *
 * Plain C, no DPDK; builds static:
 *   gcc -static -O2 -Wall -Wextra -I kernel/linux/vfio-pci-wc/uapi \
 *       -o wc_uapi_test kernel/linux/vfio-pci-wc/test/wc_uapi_test.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio_pci_wc.h"

#define NUM_BARS	VFIO_PCI_WC_NUM_BARS

#if defined(__x86_64__) || defined(__i386__)
#define IS_X86		true
#else
#define IS_X86		false
#endif
#define PATTERN_LEN	4096

static unsigned int passed, failed;

static void check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", cond ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (cond)
		passed++;
	else
		failed++;
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0:
		return "success";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	case ENXIO:
		return "ENXIO";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EBUSY:
		return "EBUSY";
	case EIO:
		return "EIO";
	case ENOTTY:
		return "ENOTTY";
	case EFAULT:
		return "EFAULT";
	default:
		return strerror(e);
	}
}

/*
 * Check that an operation failed with errno @want.  Pass the operation's
 * failure test itself as @did_fail: errno is read on entry, after all
 * arguments are evaluated (their order is unspecified), so the variadic
 * arguments must be plain values, not calls.
 */
static void check_errno(bool did_fail, int want, const char *fmt, ...)
{
	int err = did_fail ? errno : 0;
	bool ok = did_fail && err == want;
	va_list ap;

	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s (got %s)\n", errno_name(want), errno_name(err));
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("skip: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	printf("%u passed, %u failed\n", passed, failed + 1);
	exit(2);
}

/* ---- sysfs view of the device ---- */

struct bar_res {
	uint64_t start;
	uint64_t end;
	uint64_t flags;
};

#define RES_IO		0x00000100ULL	/* IORESOURCE_IO */
#define RES_MEM		0x00000200ULL	/* IORESOURCE_MEM */
#define RES_PREFETCH	0x00002000ULL	/* IORESOURCE_PREFETCH */

static struct bar_res res[NUM_BARS];

static void read_resources(const char *bdf)
{
	char path[PATH_MAX];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		die(path);
	for (i = 0; i < NUM_BARS; i++) {
		unsigned long long s, e, fl;

		if (fscanf(f, "%llx %llx %llx", &s, &e, &fl) != 3)
			break;
		res[i].start = s;
		res[i].end = e;
		res[i].flags = fl;
	}
	fclose(f);
}

static uint64_t bar_size(int bar)
{
	return res[bar].end ? res[bar].end - res[bar].start + 1 : 0;
}

/* ---- VFIO plumbing ---- */

/* Kept open for the whole run, so the device fd can be reopened. */
static int group = -1;

static int open_device(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int container, device;
	ssize_t n;

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("open /dev/vfio/vfio");
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		die("VFIO API version");

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status))
		die("VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		die("group not viable (bind every device of the group to vfio)");
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) &&
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		die("VFIO_SET_IOMMU type1");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	return device;
}

/* VFIO_DEVICE_FEATURE with a payload of @len bytes; payload copied back. */
static int feature(int fd, uint32_t flags, void *payload, size_t len)
{
	size_t total = sizeof(struct vfio_device_feature) + len;
	struct vfio_device_feature *f = calloc(1, total);
	int ret, err;

	if (!f)
		die("calloc");
	f->argsz = total;
	f->flags = flags;
	if (len)
		memcpy(f->data, payload, len);
	ret = ioctl(fd, VFIO_DEVICE_FEATURE, f);
	err = errno;
	if (!ret && len)
		memcpy(payload, f->data, len);
	free(f);
	errno = err;
	return ret;
}

static int wc_request(int fd, uint32_t bar, uint32_t *index)
{
	struct vfio_pci_wc_request req = {
		.argsz = sizeof(req),
		.bar_index = bar,
		.attr = VFIO_PCI_WC_ATTR_WC,
	};
	int ret;

	ret = feature(fd, VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req));
	if (!ret && index)
		*index = req.region_index;
	return ret;
}

/* Region info including its capability chain; caller frees. */
static struct vfio_region_info *region_info(int fd, uint32_t index)
{
	struct vfio_region_info *info = calloc(1, sizeof(*info));
	uint32_t need;

	if (!info)
		die("calloc");
	info->argsz = sizeof(*info);
	info->index = index;
	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info)) {
		free(info);
		return NULL;
	}
	need = info->argsz;
	if (need > sizeof(*info)) {
		info = realloc(info, need);
		if (!info)
			die("realloc");
		memset(info, 0, need);
		info->argsz = need;
		info->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info)) {
			free(info);
			return NULL;
		}
	}
	return info;
}

static struct vfio_info_cap_header *find_cap(struct vfio_region_info *info,
					     uint16_t id)
{
	uint32_t off;

	if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	for (off = info->cap_offset; off; ) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);

		if (off + sizeof(*h) > info->argsz)
			return NULL;
		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

/* ---- SIGBUS catching ---- */

static sigjmp_buf bus_env;
static volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	(void)sig;
	if (bus_armed)
		siglongjmp(bus_env, 1);
	_exit(3);
}

static void install_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

struct __attribute__((packed)) u64_unaligned { uint64_t v; };
struct __attribute__((packed)) u32_unaligned { uint32_t v; };

enum access_kind {
	STORE64_ALIGNED,
	STORE64_UNALIGNED,
	STORE32_UNALIGNED,
	MEMCPY_ODD,
	LOAD32_ALIGNED,
};

static const char *const access_name[] = {
	[STORE64_ALIGNED] = "aligned 8-byte store",
	[STORE64_UNALIGNED] = "unaligned 8-byte store",
	[STORE32_UNALIGNED] = "unaligned 4-byte store",
	[MEMCPY_ODD] = "13-byte memcpy at odd offset",
	[LOAD32_ALIGNED] = "aligned 4-byte load",
};

/*
 * Perform one access at @p (a page-aligned mapping at least two pages
 * long); true if it completed, false if it raised SIGBUS.  When it
 * completed, stores are read back and *@readback_ok tells if they match.
 */
static bool try_access(volatile uint8_t *p, enum access_kind kind,
		       bool *readback_ok)
{
	static const uint8_t src[13] = "wc-unaligned";
	uint8_t back[13];

	*readback_ok = true;
	bus_armed = 1;
	if (sigsetjmp(bus_env, 1)) {
		bus_armed = 0;
		return false;
	}
	switch (kind) {
	case STORE64_ALIGNED:
		*(volatile uint64_t *)(p + 0x40) = 0x0123456789abcdefULL;
		*readback_ok = *(volatile uint64_t *)(p + 0x40) ==
			       0x0123456789abcdefULL;
		break;
	case STORE64_UNALIGNED:
		((volatile struct u64_unaligned *)(p + 0x81))->v =
			0x1122334455667788ULL;
		*readback_ok = ((volatile struct u64_unaligned *)(p + 0x81))->v ==
			       0x1122334455667788ULL;
		break;
	case STORE32_UNALIGNED:
		((volatile struct u32_unaligned *)(p + 0xc3))->v = 0xa5b6c7d8U;
		*readback_ok = ((volatile struct u32_unaligned *)(p + 0xc3))->v ==
			       0xa5b6c7d8U;
		break;
	case MEMCPY_ODD:
		memcpy((void *)(p + 0x101), src, sizeof(src));
		memcpy(back, (const void *)(p + 0x101), sizeof(back));
		*readback_ok = !memcmp(back, src, sizeof(src));
		break;
	case LOAD32_ALIGNED:
		(void)*(volatile uint32_t *)(p + 0x40);
		break;
	}
	bus_armed = 0;
	return true;
}

/* ---- config space through the device fd ---- */

static uint64_t config_offset(int fd)
{
	struct vfio_region_info *info = region_info(fd,
					VFIO_PCI_CONFIG_REGION_INDEX);
	uint64_t off;

	if (!info)
		die("config region info");
	off = info->offset;
	free(info);
	return off;
}

struct msix_loc {
	bool present;
	int table_bar, pba_bar;
	uint64_t table_off, table_len, pba_off, pba_len;
};

static struct msix_loc find_msix(int fd)
{
	struct msix_loc m = { .present = false };
	uint64_t cfg = config_offset(fd);
	uint8_t space[256];
	uint8_t pos;
	int guard;

	if (pread(fd, space, sizeof(space), cfg) != sizeof(space))
		return m;
	if (!(space[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return m;
	pos = space[PCI_CAPABILITY_LIST] & ~3;
	for (guard = 0; pos && guard < 48; guard++) {
		if (space[pos] == PCI_CAP_ID_MSIX) {
			uint16_t flags;
			uint32_t table, pba, n;

			memcpy(&flags, &space[pos + PCI_MSIX_FLAGS], 2);
			memcpy(&table, &space[pos + PCI_MSIX_TABLE], 4);
			memcpy(&pba, &space[pos + PCI_MSIX_PBA], 4);
			n = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
			m.present = true;
			m.table_bar = table & PCI_MSIX_TABLE_BIR;
			m.table_off = table & PCI_MSIX_TABLE_OFFSET;
			m.table_len = (uint64_t)n * PCI_MSIX_ENTRY_SIZE;
			m.pba_bar = pba & PCI_MSIX_PBA_BIR;
			m.pba_off = pba & PCI_MSIX_PBA_OFFSET;
			m.pba_len = (n + 63) / 64 * 8;
			break;
		}
		pos = space[pos + PCI_CAP_LIST_NEXT] & ~3;
	}
	return m;
}

static int set_memory_decode(int fd, bool on)
{
	uint64_t off = config_offset(fd) + PCI_COMMAND;
	uint16_t cmd;

	if (pread(fd, &cmd, 2, off) != 2)
		return -1;
	if (on)
		cmd |= PCI_COMMAND_MEMORY;
	else
		cmd &= ~PCI_COMMAND_MEMORY;
	return pwrite(fd, &cmd, 2, off) == 2 ? 0 : -1;
}

/* ---- x86 PAT evidence ---- */

/* Memtype entries covering [start, start + len): total and WC ones. */
static bool scan_pat(uint64_t start, uint64_t len, unsigned int *lines,
		     unsigned int *wc, bool print)
{
	const char *list = "/sys/kernel/debug/x86/pat_memtype_list";
	char line[256];
	FILE *f;

	f = fopen(list, "r");
	if (!f) {
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		f = fopen(list, "r");
	}
	*lines = 0;
	*wc = 0;
	if (!f) {
		check(false, "PAT: cannot read %s: %s", list, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (sscanf(line, "PAT: [mem 0x%llx-0x%llx]", &s, &e) != 2)
			continue;
		if (e <= start || s >= start + len)
			continue;
		(*lines)++;
		if (strstr(line, "write-combining"))
			(*wc)++;
		if (print)
			printf("   %s", line);
	}
	fclose(f);
	return true;
}

static void check_pat(uint64_t start, uint64_t len)
{
	unsigned int lines, wc;

	if (!scan_pat(start, len, &lines, &wc, true))
		return;
	check(lines > 0 && wc == lines,
	      "PAT: %u memtype entries cover [0x%" PRIx64 "-0x%" PRIx64
	      "), %u write-combining", lines, start, start + len, wc);
}

/* ---- the checks ---- */

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--wc-bar N] [--uc-bar N] [--pat] [--unaligned] [--decode]\n"
		"       [--touch-first] [--no-data] BDF\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	bool opt_pat = false, opt_unaligned = false, opt_decode = false;
	bool opt_touch_first = false;
	bool opt_no_data = false;
	int wc_bar = 2, uc_bar = 0;
	const char *bdf = NULL;
	struct vfio_device_info info0 = { .argsz = sizeof(info0) };
	struct vfio_device_info info1 = { .argsz = sizeof(info1) };
	struct vfio_region_info *before[NUM_BARS], *after, *ri;
	struct vfio_pci_wc_bars bars;
	struct vfio_pci_wc_request req;
	struct vfio_info_cap_header *h;
	struct msix_loc msix;
	long page = sysconf(_SC_PAGESIZE);
	uint32_t alias = 0, again = 0, base;
	uint64_t size, alias_off = 0, map_len, bar_off, stride;
	uint8_t *pattern = NULL, *back = NULL;
	volatile uint8_t *map;
	int fd, i, ret, io_bar = -1, empty_bar = -1;
	bool wc_expected;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pat"))
			opt_pat = true;
		else if (!strcmp(argv[i], "--unaligned"))
			opt_unaligned = true;
		else if (!strcmp(argv[i], "--decode"))
			opt_decode = true;
		else if (!strcmp(argv[i], "--touch-first"))
			opt_touch_first = true;
		else if (!strcmp(argv[i], "--no-data"))
			opt_no_data = true;
		else if (!strcmp(argv[i], "--wc-bar") && i + 1 < argc)
			wc_bar = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--uc-bar") && i + 1 < argc)
			uc_bar = atoi(argv[++i]);
		else if (argv[i][0] != '-' && !bdf)
			bdf = argv[i];
		else
			usage(argv[0]);
	}
	if (!bdf || wc_bar < 0 || wc_bar >= NUM_BARS || uc_bar < 0 ||
	    uc_bar >= NUM_BARS)
		usage(argv[0]);

	install_sigbus();
	read_resources(bdf);
	for (i = 0; i < NUM_BARS; i++) {
		if (res[i].flags & RES_IO && io_bar < 0)
			io_bar = i;
		if (!bar_size(i) && empty_bar < 0)
			empty_bar = i;
	}
	size = bar_size(wc_bar);
	if (!size || !(res[wc_bar].flags & RES_MEM) ||
	    !(res[wc_bar].flags & RES_PREFETCH)) {
		errno = EINVAL;
		die("--wc-bar is not a prefetchable memory BAR");
	}

	fd = open_device(bdf);
	msix = find_msix(fd);
	/*
	 * x86 PAT gives all mappings of a page one memory type, so a BAR
	 * holding the MSI-X table or PBA is never made WC there.
	 */
	wc_expected = !(IS_X86 && msix.present &&
			(msix.table_bar == wc_bar || msix.pba_bar == wc_bar));

	/* 1. Before any request the device looks exactly like vfio-pci. */
	check(!ioctl(fd, VFIO_DEVICE_GET_INFO, &info0),
	      "GET_INFO before request");
	base = info0.num_regions;
	check(base >= VFIO_PCI_NUM_REGIONS,
	      "GET_INFO before request: num_regions %u (vfio-pci: %u + device-specific)",
	      base, VFIO_PCI_NUM_REGIONS);
	check_errno(!region_info(fd, base), EINVAL,
		    "region %u does not exist before a request", base);
	for (i = 0; i < NUM_BARS; i++)
		before[i] = region_info(fd, i);
	if (!before[0] || !before[1] || !before[wc_bar])
		die("BAR region info");
	/* Where regions sit in the fd, from the kernel rather than assumed. */
	bar_off = before[wc_bar]->offset;
	stride = before[1]->offset - before[0]->offset;

	if (opt_touch_first) {
		uint32_t v;
		ssize_t n = pread(fd, &v, 4, bar_off);

		check(n == 4, "read() of plain BAR %d before any request", wc_bar);
		ret = wc_request(fd, wc_bar, &alias);
		if (IS_X86)
			check_errno(ret, EBUSY,
				    "x86: request BAR %d after the kernel mapped it uncached",
				    wc_bar);
		else
			check(!ret, "request BAR %d after plain access: alias %u",
			      wc_bar, alias);
		printf("%u passed, %u failed\n", passed, failed);
		return failed ? 1 : 0;
	}

	/* 2. Feature support and discovery. */
	check(!feature(fd, VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
		       VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, NULL, 0),
	      "PROBE of WC_REQUEST (SET) succeeds");
	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret, "WC_BARS GET (errno %d)", ret ? errno : 0);
	check(bars.flags & VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC,
	      "WC_BARS: platform can map WC (flags %#x)", bars.flags);
	check(!!(bars.wc_bars & (1u << wc_bar)) == wc_expected,
	      "WC_BARS: BAR %d %seligible (mask %#x)", wc_bar,
	      wc_expected ? "" : "not ", bars.wc_bars);
	check(!(bars.wc_bars & (1u << uc_bar)),
	      "WC_BARS: BAR %d not eligible (mask %#x)", uc_bar, bars.wc_bars);
	check(!bars.aliased_bars && bars.alias_index[wc_bar] == VFIO_PCI_WC_NO_ALIAS,
	      "WC_BARS: no alias yet (aliased %#x)", bars.aliased_bars);
	for (i = 0; i < NUM_BARS; i++) {
		bool want = (res[i].flags & RES_MEM) &&
			    (res[i].flags & RES_PREFETCH) && bar_size(i);

		if (!want && (bars.wc_bars & (1u << i)))
			check(false, "WC_BARS lists BAR %d which is not prefetchable memory", i);
	}
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars,
			    sizeof(bars)), EINVAL, "WC_BARS SET refused");

	/* 3. Rejections, each with its documented errno. */
	check_errno(wc_request(fd, uc_bar, NULL), EPERM,
		    "request non-prefetchable BAR %d", uc_bar);
	if (io_bar >= 0) {
		check_errno(wc_request(fd, io_bar, NULL), ENXIO,
			    "request I/O BAR %d", io_bar);
	} else {
		skip("no I/O BAR on this device");
	}
	if (empty_bar >= 0) {
		check_errno(wc_request(fd, empty_bar, NULL), ENXIO,
			    "request unimplemented BAR %d", empty_bar);
	}
	{
		static const uint32_t bad[] = { 6, 7, UINT32_MAX };

		for (i = 0; i < 3; i++) {
			check_errno(wc_request(fd, bad[i], NULL), EINVAL,
				    "request BAR %d", (int)bad[i]);
		}
	}
	memset(&req, 0, sizeof(req));
	req.argsz = 8;
	req.bar_index = wc_bar;
	req.attr = VFIO_PCI_WC_ATTR_WC;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with argsz 8");
	req.argsz = sizeof(req);
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, 12),
		    EINVAL, "request with a 12-byte payload");
	req.flags = 1u << 31;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with unknown flags");
	req.flags = 0;
	req.attr = 0;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with attr 0");
	req.attr = VFIO_PCI_WC_ATTR_WC;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_GET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req,
			    sizeof(req)), EINVAL, "GET of WC_REQUEST");
	if (!wc_expected) {
		check_errno(wc_request(fd, wc_bar, NULL), EOPNOTSUPP,
			    "x86: request BAR %d, which holds MSI-X structures",
			    wc_bar);
		printf("%u passed, %u failed\n", passed, failed);
		return failed ? 1 : 0;
	}

	/* 4. The request itself, twice. */
	ret = wc_request(fd, wc_bar, &alias);
	check(!ret, "request BAR %d: alias is region %u (%s)", wc_bar, alias,
	      errno_name(ret ? errno : 0));
	if (ret) {
		printf("%u passed, %u failed\n", passed, failed);
		return 1;
	}
	check(alias == base, "alias index %u is the first after the core's (%u)",
	      alias, base);
	ret = wc_request(fd, wc_bar, &again);
	check(!ret && again == alias,
	      "second request returns the same alias (%u)", again);

	ret = ioctl(fd, VFIO_DEVICE_GET_INFO, &info1);
	check(!ret && info1.num_regions == base + 1,
	      "GET_INFO after request: num_regions %u", info1.num_regions);
	check(info1.flags == info0.flags && info1.num_irqs == info0.num_irqs,
	      "GET_INFO after request: flags and irqs unchanged");
	for (i = 0; i < NUM_BARS; i++) {
		ri = region_info(fd, i);
		check((!ri && !before[i]) ||
		      (ri && before[i] && ri->argsz == before[i]->argsz &&
		       !memcmp(ri, before[i], ri->argsz)),
		      "BAR %d region info unchanged by the request", i);
		free(ri);
	}
	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret && bars.aliased_bars == (1u << wc_bar) &&
	      bars.alias_index[wc_bar] == alias,
	      "WC_BARS after request: BAR %d aliased as %u", wc_bar,
	      bars.alias_index[wc_bar]);

	/* 5. The alias region and its capabilities. */
	after = region_info(fd, alias);
	check(after != NULL, "region info of the alias");
	if (!after) {
		printf("%u passed, %u failed\n", passed, failed);
		return 1;
	}
	alias_off = after->offset;
	check(after->size == size, "alias size %#llx == BAR size %#llx",
	      (unsigned long long)after->size, (unsigned long long)size);
	check((after->flags & (VFIO_REGION_INFO_FLAG_READ |
			       VFIO_REGION_INFO_FLAG_WRITE |
			       VFIO_REGION_INFO_FLAG_MMAP |
			       VFIO_REGION_INFO_FLAG_CAPS)) ==
	      (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
	       VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS),
	      "alias flags READ|WRITE|MMAP|CAPS (%#x)", after->flags);
	h = find_cap(after, VFIO_REGION_INFO_CAP_TYPE);
	check(h && ((struct vfio_region_info_cap_type *)h)->type ==
		   VFIO_REGION_TYPE_PCI_WC &&
	      ((struct vfio_region_info_cap_type *)h)->subtype ==
		   VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS,
	      "alias has the type capability %#x/%u", VFIO_REGION_TYPE_PCI_WC,
	      VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS);
	h = find_cap(after, VFIO_REGION_INFO_CAP_PCI_WC_ALIAS);
	{
		struct vfio_region_info_cap_pci_wc_alias *c = (void *)h;

		check(c && c->header.version == 1 && c->bar_index == (uint32_t)wc_bar &&
		      c->attr == VFIO_PCI_WC_ATTR_WC && !c->flags,
		      "alias capability: BAR %d, attribute WC",
		      c ? (int)c->bar_index : -1);
	}
	h = find_cap(after, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	{
		struct vfio_region_info_cap_sparse_mmap *s = (void *)h;
		uint64_t covered = 0;
		bool msix_out = true;
		uint32_t a;

		check(s && s->nr_areas >= 1, "alias sparse-mmap capability, %u area(s)",
		      s ? s->nr_areas : 0);
		for (a = 0; s && a < s->nr_areas; a++) {
			uint64_t o = s->areas[a].offset, l = s->areas[a].size;

			printf("   area %u: [%#llx, %#llx)\n", a,
			       (unsigned long long)o, (unsigned long long)(o + l));
			covered += l;
			if (msix.present && msix.table_bar == wc_bar &&
			    o < msix.table_off + msix.table_len &&
			    msix.table_off < o + l)
				msix_out = false;
			if (msix.present && msix.pba_bar == wc_bar &&
			    o < msix.pba_off + msix.pba_len &&
			    msix.pba_off < o + l)
				msix_out = false;
		}
		check(msix_out, "sparse areas exclude the MSI-X table and PBA");
		if (!(msix.present && (msix.table_bar == wc_bar ||
				       msix.pba_bar == wc_bar)))
			check(covered == size,
			      "sparse areas cover the whole BAR (no MSI-X in it)");
	}
	check_errno(!region_info(fd, alias + 1), EINVAL,
		    "region %u (no second alias) does not exist", alias + 1);

	/* 6. mmap rejections. */
	map = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   alias_off);
	check_errno(map == MAP_FAILED, EINVAL,
		    "mmap of alias past the end of the BAR");
	if (map != MAP_FAILED)
		munmap((void *)map, size + page);
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   alias_off + ((size + page - 1) & ~(uint64_t)(page - 1)));
	check_errno(map == MAP_FAILED, EINVAL, "mmap of alias at its end");
	if (map != MAP_FAILED)
		munmap((void *)map, page);
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   alias_off + stride);
	check_errno(map == MAP_FAILED, EINVAL,
		    "mmap of an alias never requested (region %u)", alias + 1);
	if (map != MAP_FAILED)
		munmap((void *)map, page);
	if (msix.present && msix.table_bar == wc_bar) {
		uint64_t o = msix.table_off & ~(uint64_t)(page - 1);

		map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   alias_off + o);
		check_errno(map == MAP_FAILED, EINVAL,
			    "mmap of alias over the MSI-X table");
		if (map != MAP_FAILED)
			munmap((void *)map, page);
	} else {
		skip("MSI-X table is not in BAR %d (it is in BAR %d): no MSI-X mmap check",
		     wc_bar, msix.present ? msix.table_bar : -1);
	}

	/* 7. read()/write() through the device fd at the alias offset. */
	if (opt_no_data) {
		skip("--no-data: BAR %d holds registers, no data checks", wc_bar);
		goto done;
	}
	pattern = malloc(PATTERN_LEN);
	back = malloc(PATTERN_LEN);
	if (!pattern || !back)
		die("malloc");
	for (i = 0; i < PATTERN_LEN; i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	map_len = size < (uint64_t)page * 4 ? size : (uint64_t)page * 4;
	if (map_len < 0x200 + 64) {
		skip("BAR too small for the data checks");
		goto done;
	}
	{
		uint32_t v = 0xc0ffee11, r1 = 0, r2 = 0;
		ssize_t n;

		check(pwrite(fd, &v, 4, alias_off + 0x100) == 4,
		      "write() 4 bytes at alias offset 0x100");
		n = pread(fd, &r1, 4, alias_off + 0x100);
		check(n == 4 && r1 == v, "read() back through the alias: %#x", r1);
		n = pread(fd, &r2, 4, bar_off + 0x100);
		check(n == 4 && r2 == v, "read() through plain BAR %d sees it: %#x",
		      wc_bar, r2);
		check_errno(pread(fd, &r1, 4, alias_off + size) < 0, EINVAL,
			    "read() past the alias end");
		check_errno(pread(fd, &r1, 4, alias_off + stride) < 0, EINVAL,
			    "read() of an alias never requested");
	}

	/* 8. mmap the alias and move a pattern through it. */
	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   alias_off);
	check(map != MAP_FAILED, "mmap of %#llx bytes of the alias (%s)",
	      (unsigned long long)map_len,
	      map == MAP_FAILED ? strerror(errno) : "ok");
	if (map == MAP_FAILED)
		goto done;
	{
		uint64_t n = map_len < PATTERN_LEN ? map_len : PATTERN_LEN;
		volatile uint64_t *w = (volatile uint64_t *)map;
		uint64_t k;

		for (k = 0; k < n / 8; k++)
			w[k] = ((const uint64_t *)pattern)[k];
		__sync_synchronize();
		for (k = 0; k < n / 8; k++)
			((uint64_t *)back)[k] = w[k];
		check(!memcmp(pattern, back, n),
		      "8-byte stores through the WC mapping read back (%llu bytes)",
		      (unsigned long long)n);
		check(pread(fd, back, 64, bar_off) == 64 &&
		      !memcmp(back, pattern, 64),
		      "the same data through read() of plain BAR %d", wc_bar);
	}

	if (opt_pat)
		check_pat(res[wc_bar].start, map_len);

	if (opt_unaligned) {
		static const enum access_kind kinds[] = {
			STORE64_UNALIGNED, STORE32_UNALIGNED, MEMCPY_ODD,
		};
		volatile uint8_t *plain;
		bool rb;
		unsigned int k;

		for (k = 0; k < 3; k++) {
			bool done_ok = try_access(map, kinds[k], &rb);

			check(done_ok && rb, "alias: %s %s",
			      access_name[kinds[k]],
			      done_ok ? (rb ? "works" : "reads back wrong") :
			      "raised SIGBUS");
		}
		plain = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			     fd, bar_off);
		check(plain != MAP_FAILED, "plain mmap of BAR %d", wc_bar);
		if (plain != MAP_FAILED) {
			check(try_access(plain, STORE64_ALIGNED, &rb) && rb,
			      "plain BAR: aligned 8-byte store works");
			for (k = 0; k < 3; k++)
				check(!try_access(plain, kinds[k], &rb),
				      "plain BAR (Device memory): %s raises SIGBUS",
				      access_name[kinds[k]]);
			munmap((void *)plain, map_len);
		}
	}

	if (opt_decode) {
		bool rb;
		uint32_t r;

		check(!set_memory_decode(fd, false),
		      "clear PCI_COMMAND.MEMORY through the config region");
		check(!try_access(map, LOAD32_ALIGNED, &rb),
		      "alias access with memory decode off raises SIGBUS");
		check_errno(pread(fd, &r, 4, alias_off + 0x40) < 0, EIO,
			    "read() of the alias with decode off");
		check(!set_memory_decode(fd, true), "set PCI_COMMAND.MEMORY again");
		check(try_access(map, STORE64_ALIGNED, &rb) && rb,
		      "alias faults back in and works after decode is on again");
		if (info0.flags & VFIO_DEVICE_FLAGS_RESET) {
			check(!ioctl(fd, VFIO_DEVICE_RESET),
			      "VFIO_DEVICE_RESET with the alias mapped");
			check(try_access(map, STORE64_ALIGNED, &rb) && rb,
			      "alias faults back in and works after the reset");
		} else {
			skip("device reports no reset: no reset check");
		}
	}

	munmap((void *)map, map_len);

	/* 9. Closing the last fd drops the alias; the next open is vfio-pci. */
	close(fd);
	fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	check(fd >= 0, "device fd reopened");
	if (fd < 0)
		goto done;
	memset(&info1, 0, sizeof(info1));
	info1.argsz = sizeof(info1);
	ret = ioctl(fd, VFIO_DEVICE_GET_INFO, &info1);
	check(!ret && info1.num_regions == base,
	      "after reopen: num_regions %u again", info1.num_regions);
	check_errno(!region_info(fd, alias), EINVAL,
		    "after reopen: region %u is gone", alias);
	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret && !bars.aliased_bars, "after reopen: no BAR aliased");
	if (opt_pat) {
		unsigned int lines, wc;

		if (scan_pat(res[wc_bar].start, size, &lines, &wc, true))
			check(!wc, "after reopen: no write-combining memtype left on BAR %d",
			      wc_bar);
	}
done:
	for (i = 0; i < NUM_BARS; i++)
		free(before[i]);
	free(after);
	free(pattern);
	free(back);
	if (fd >= 0)
		close(fd);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
