/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wc_uapi_test: exercise the vfio-pci-wc uAPI on one real device.
 *
 *   wc_uapi_test [--wc-bar N] [--uc-bar N] [--pat] [--unaligned] [--decode]
 *                [--touch-first] [--no-data] BDF
 *   wc_uapi_test --threads N [--rounds R] [--iters I] [--toggle-decode]
 *                [--wc-bar N] [--pat] BDF
 *   wc_uapi_test --hold kill|request [--wc-bar N] [--pat] BDF
 *   wc_uapi_test --plain [--wc-bar N] [--pat] [--unaligned] BDF
 *   wc_uapi_test --no-wc-left [--wc-bar N] BDF
 *   wc_uapi_test --subpage [--wc-bar N] [--pat] BDF
 *   wc_uapi_test --stress SECONDS [--workers N] [--no-alias] [--no-reset]
 *                [--unmap-apart] [--wc-bar N] BDF
 *
 * The device (e.g. QEMU "nvme,cmb_size_mb=N": BAR0 registers, BAR2 the
 * prefetchable CMB) must be bound to vfio-pci-wc and nothing else may have
 * touched its BARs: on x86 a BAR already mmapped through its plain index
 * cannot be given WC (EBUSY), so the WC request comes before any BAR access
 * here.
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
 *   --touch-first only this: use the BAR's plain index, then request WC:
 *                 after read()/write() every platform grants it; after an
 *                 mmap or an ioeventfd x86 must refuse with EBUSY until
 *                 the device is closed, arm64 must grant it
 *   --no-data     the BAR holds registers, not memory: stop after the
 *                 uAPI and mmap-bounds checks (no data written or read)
 *
 * Before the request, a request whose payload page is read-only must fail
 * with EFAULT and leave nothing behind.  After it, the plain index of the
 * BAR is checked: x86 refuses its mmap and a new ioeventfd (EBUSY), other
 * platforms allow both; read()/write() work on both.
 *
 * The run ends by closing and reopening the device fd: the alias must be
 * gone (and with --pat its WC memtype reservation too), and the plain BAR
 * maps again.
 *
 * Other modes, each a run of its own:
 *   --threads N   N threads at once request WC for the same BAR, query the
 *                 alias, mmap it, move data through it and unmap it, in a
 *                 loop; R rounds (--rounds, default 6) of I iterations
 *                 (--iters, default 40), the device fd closed and reopened
 *                 between rounds so every round races the alias creation
 *                 again.  In odd rounds one thread creates the alias while
 *                 the others probe for it.  --toggle-decode adds a thread
 *                 that keeps switching memory decode off and on: accesses
 *                 then may raise SIGBUS (read()/write() EIO) and are
 *                 retried, but must never hang or return wrong data.
 *   --hold kill   request WC, map the alias, write a pattern, print
 *                 "holding: ..." and wait to be killed (SIGKILL).
 *   --hold request  the same with a VFIO_PCI_REQ_IRQ_INDEX eventfd, then
 *                 a child unbinds the device from its driver: when the
 *                 kernel asks for the device back, check the data, close
 *                 the fd, see that the mapping alone still holds the
 *                 unbind back, unmap, and see the unbind complete.
 *   --plain       the device is bound to plain vfio-pci: no WC feature
 *                 (ENOTTY) and its BAR maps uncached (--pat: PAT says
 *                 uncached-minus; --unaligned: unaligned stores fault).
 *   --no-wc-left  x86: no write-combining memtype is left on the BAR
 *                 (no device access at all).
 *   --subpage     the BAR is prefetchable but smaller than a page: x86
 *                 must not list it and must refuse it (EOPNOTSUPP), with
 *                 no WC memtype on its page (--pat); arm64 gives it an
 *                 alias.  No data is written.
 *   --stress S    for S seconds, N workers (--workers, default 2) map,
 *                 store to, read back, unmap and read()/write() their own
 *                 pages of the alias (--no-alias: of the plain BAR index,
 *                 the device may then be bound to plain vfio-pci) while
 *                 the main thread flips memory decode and, every fourth
 *                 flip, resets the device (--no-reset: flips only).
 *                 --unmap-apart keeps each munmap out of the window from
 *                 decode-off to the end of the reset: before Linux 6.10,
 *                 vfio-pci's zap and munmap both untrack the vma's PAT
 *                 memtype with no lock in common, and racing them makes
 *                 the kernel warn in untrack_pfn (x86) whatever the
 *                 driver; 6.10 stopped remapping vmas in the fault handler.
 *                 SIGBUS and EIO are expected and counted; any other
 *                 error, or wrong data with no disruption in between,
 *                 fails; a hang trips the guard (S + 60 s).
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
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
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
		__atomic_add_fetch(&passed, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
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
	case EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case ENODEV:
		return "ENODEV";
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
		__atomic_add_fetch(&passed, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
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

/* The device's fd once more, after the last one was closed. */
static int open_device_again(const char *bdf)
{
	int fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);

	if (fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD again");
	return fd;
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

/*
 * VFIO_DEVICE_IOEVENTFD: a 4-byte ioeventfd writing @data at region offset
 * @offset when @efd is signalled, or (efd -1) its removal.
 */
static int ioeventfd_set(int fd, uint64_t offset, uint32_t data, int efd)
{
	struct vfio_device_ioeventfd ev = {
		.argsz = sizeof(ev),
		.flags = VFIO_DEVICE_IOEVENTFD_32,
		.offset = offset,
		.data = data,
		.fd = efd,
	};

	return ioctl(fd, VFIO_DEVICE_IOEVENTFD, &ev);
}

/* ---- SIGBUS catching ---- */

/* Per thread: SIGBUS is delivered to the thread whose access faulted. */
static __thread sigjmp_buf bus_env;
static __thread volatile sig_atomic_t bus_armed;

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

/* ---- common pieces of the modes below ---- */

/* Whole-run guard: a hang in any mode becomes a FAIL line, not a stall. */
static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: timed out (hang?)\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void arm_guard(unsigned int seconds)
{
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

static int finish(void)
{
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* Where the device and its BAR regions sit, read once from the kernel. */
struct dev_layout {
	const char *bdf;
	int wc_bar;
	uint64_t size;		/* BAR size */
	uint64_t bar_off;	/* file offset of the plain BAR region */
	uint64_t stride;	/* file offset distance between two regions */
	long page;
};

static void read_layout(int fd, struct dev_layout *l)
{
	struct vfio_region_info *b0 = region_info(fd, 0);
	struct vfio_region_info *b1 = region_info(fd, 1);
	struct vfio_region_info *bw = region_info(fd, l->wc_bar);

	if (!b0 || !b1 || !bw)
		die("BAR region info");
	l->bar_off = bw->offset;
	l->stride = b1->offset - b0->offset;
	l->size = bar_size(l->wc_bar);
	l->page = sysconf(_SC_PAGESIZE);
	free(b0);
	free(b1);
	free(bw);
}

static uint64_t alias_offset(const struct dev_layout *l, uint32_t index)
{
	return l->bar_off + (uint64_t)(index - l->wc_bar) * l->stride;
}

static uint32_t num_regions(int fd)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	return ioctl(fd, VFIO_DEVICE_GET_INFO, &info) ? 0 : info.num_regions;
}

/*
 * NULL when @info describes the alias of @l's BAR at region @index
 * completely and consistently, else what is wrong with it.  Used on
 * answers that may race the alias' creation: a half-made alias must never
 * be visible.
 */
static const char *alias_info_problem(const struct vfio_region_info *info,
				      const struct dev_layout *l,
				      uint32_t index)
{
	const uint32_t want = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE |
			      VFIO_REGION_INFO_FLAG_MMAP |
			      VFIO_REGION_INFO_FLAG_CAPS;
	struct vfio_region_info_cap_pci_wc_alias *a;
	struct vfio_region_info_cap_type *t;
	struct vfio_region_info *mut = (struct vfio_region_info *)info;

	if (info->size != l->size)
		return "size differs from the BAR's";
	if (info->offset != alias_offset(l, index))
		return "offset is not the region's";
	if ((info->flags & want) != want)
		return "flags lack READ|WRITE|MMAP|CAPS";
	t = (void *)find_cap(mut, VFIO_REGION_INFO_CAP_TYPE);
	if (!t || t->type != VFIO_REGION_TYPE_PCI_WC ||
	    t->subtype != VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS)
		return "type capability missing or wrong";
	a = (void *)find_cap(mut, VFIO_REGION_INFO_CAP_PCI_WC_ALIAS);
	if (!a || a->bar_index != (uint32_t)l->wc_bar ||
	    a->attr != VFIO_PCI_WC_ATTR_WC)
		return "alias capability missing or wrong";
	if (!find_cap(mut, VFIO_REGION_INFO_CAP_SPARSE_MMAP))
		return "sparse-mmap capability missing";
	return NULL;
}

/* Test data: word @k of a pattern owned by thread @t, generation @gen. */
static uint64_t pattern_word(unsigned int t, uint64_t gen, unsigned int k)
{
	return ((uint64_t)t << 56) ^ (gen << 24) ^
	       (0x9e3779b97f4a7c15ULL * (k + 1));
}

/*
 * Write @words pattern words at @p and read them back.  1: all match;
 * 0: mismatch; -1: an access raised SIGBUS (mapping refused while memory
 * decode was off), so the caller may retry.
 */
static int pattern_pass(volatile uint64_t *p, unsigned int t, uint64_t gen,
			unsigned int words)
{
	volatile int match = 1;
	unsigned int k;

	bus_armed = 1;
	if (sigsetjmp(bus_env, 1)) {
		bus_armed = 0;
		return -1;
	}
	for (k = 0; k < words; k++)
		p[k] = pattern_word(t, gen, k);
	__sync_synchronize();
	for (k = 0; k < words; k++)
		if (p[k] != pattern_word(t, gen, k))
			match = 0;
	bus_armed = 0;
	return match;
}

static bool pattern_matches(const uint64_t *p, unsigned int t, uint64_t gen,
			    unsigned int words)
{
	unsigned int k;

	for (k = 0; k < words; k++)
		if (p[k] != pattern_word(t, gen, k))
			return false;
	return true;
}

/*
 * A child that unbinds @bdf from its driver when told to, as an
 * administrator would.  The write to "unbind" only returns once the driver
 * let go of the device, so the child's exit is the moment the unbind
 * completed (the "driver" link in sysfs goes away earlier, before the
 * driver's remove even starts, so it cannot tell).  It is forked before
 * the device is opened: a child forked later would inherit the device fd
 * and the alias mapping and so hold up its own unbind forever.
 */
struct unbinder {
	pid_t pid;
	int go;		/* write end of the pipe the child waits on */
};

static struct unbinder unbinder_fork(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct unbinder u;
	int p[2], fd;
	ssize_t n;
	char c;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
		 basename(link));
	if (pipe(p))
		die("pipe");
	fflush(stdout);
	u.pid = fork();
	if (u.pid < 0)
		die("fork");
	if (u.pid) {
		close(p[0]);
		u.go = p[1];
		return u;
	}
	close(p[1]);
	/* EOF without a byte: the parent gave up, do not unbind. */
	if (read(p[0], &c, 1) != 1)
		_exit(2);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, bdf, strlen(bdf)) != (ssize_t)strlen(bdf))
		_exit(1);
	_exit(0);
}

static void unbinder_start(struct unbinder *u)
{
	if (write(u->go, "u", 1) != 1)
		die("pipe write");
}

/* Has child @pid exited (within @ms milliseconds)? *@status on success. */
static bool exited_within(pid_t pid, unsigned int ms, int *status)
{
	unsigned int i;

	for (i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * A request the kernel can read but cannot answer (its payload page is
 * read-only) must fail with EFAULT and leave nothing behind: no alias in
 * WC_BARS, GET_INFO or region info, and on x86 no write-combining memtype
 * on the BAR.  Otherwise a failed call would still change how the BAR is
 * mapped for everyone.
 */
static void check_unanswerable_request(int fd, int bar, uint32_t base,
				       bool pat)
{
	struct vfio_pci_wc_request req = {
		.argsz = sizeof(req),
		.bar_index = bar,
		.attr = VFIO_PCI_WC_ATTR_WC,
	};
	size_t total = sizeof(struct vfio_device_feature) + sizeof(req);
	long page = sysconf(_SC_PAGESIZE);
	struct vfio_device_feature *f;
	struct vfio_pci_wc_bars bars;
	struct vfio_region_info *ri;
	void *p;
	int ret;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap payload page");
	f = p;
	f->argsz = total;
	f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_WC_REQUEST;
	memcpy(f->data, &req, sizeof(req));
	if (mprotect(p, page, PROT_READ))
		die("mprotect payload page read-only");
	ret = ioctl(fd, VFIO_DEVICE_FEATURE, f);
	check_errno(ret < 0, EFAULT,
		    "request BAR %d with a read-only payload", bar);
	munmap(p, page);

	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret && !bars.aliased_bars &&
	      bars.alias_index[bar] == VFIO_PCI_WC_NO_ALIAS,
	      "after the failed request: aliased_bars empty (%#x, index %u)",
	      bars.aliased_bars, bars.alias_index[bar]);
	check(num_regions(fd) == base,
	      "after the failed request: num_regions still %u (got %u)",
	      base, num_regions(fd));
	ri = region_info(fd, base);
	check_errno(!ri, EINVAL,
		    "after the failed request: region %u does not exist", base);
	free(ri);
	if (pat) {
		unsigned int lines, wc;

		if (scan_pat(res[bar].start, bar_size(bar), &lines, &wc, true))
			check(!wc, "after the failed request: no write-combining memtype on BAR %d (%u entries)",
			      bar, lines);
	}
}

/*
 * The plain index of a BAR that has an alias.  x86: PAT gives the pages
 * one memory type, so mmap() and a new ioeventfd are refused with EBUSY
 * rather than silently getting WC, while read()/write() still work.
 * Elsewhere the plain index is untouched by the alias: mmap() and
 * ioeventfds work as under vfio-pci.  @data: the BAR is memory and may be
 * written.
 */
static void check_plain_index_after_request(int fd, int bar, uint64_t bar_off,
					    uint64_t alias_off, bool data)
{
	long page = sysconf(_SC_PAGESIZE);
	int efd = eventfd(0, 0);
	void *m;
	int ret;

	if (efd < 0)
		die("eventfd");
	m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, bar_off);
	if (IS_X86) {
		check_errno(m == MAP_FAILED, EBUSY,
			    "x86: mmap of plain BAR %d while it has an alias", bar);
	} else {
		check(m != MAP_FAILED, "mmap of plain BAR %d while it has an alias (%s)",
		      bar, m == MAP_FAILED ? strerror(errno) : "ok");
	}
	if (m != MAP_FAILED)
		munmap(m, page);

	ret = ioeventfd_set(fd, bar_off + 0x300, 0x5a5a5a5a, efd);
	if (IS_X86) {
		check_errno(ret < 0, EBUSY,
			    "x86: ioeventfd on plain BAR %d while it has an alias",
			    bar);
	} else {
		check(!ret, "ioeventfd on plain BAR %d while it has an alias (%s)",
		      bar, errno_name(ret ? errno : 0));
		if (!ret)
			check(!ioeventfd_set(fd, bar_off + 0x300, 0x5a5a5a5a, -1),
			      "ioeventfd on plain BAR %d removed", bar);
	}
	check_errno(ioeventfd_set(fd, alias_off + 0x300, 0x5a5a5a5a, efd) < 0,
		    EINVAL, "ioeventfd on the alias region (not a BAR index)");
	close(efd);

	if (!data)
		return;
	{
		static const uint8_t odd[7] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07 };
		uint8_t back[7] = { 0 };
		uint32_t v = 0x600dcafe, r = 0;
		bool ok;

		ok = pwrite(fd, &v, 4, bar_off + 0x180) == 4 &&
		     pread(fd, &r, 4, alias_off + 0x180) == 4 && r == v;
		check(ok, "write() through plain BAR %d, read() through the alias: %#x",
		      bar, r);
		ok = pwrite(fd, odd, sizeof(odd), bar_off + 0x1c1) == sizeof(odd) &&
		     pread(fd, back, sizeof(back), bar_off + 0x1c1) == sizeof(back) &&
		     !memcmp(odd, back, sizeof(odd));
		check(ok, "7-byte write()/read() at an odd offset of plain BAR %d read back",
		      bar);
	}
}

/* ---- --threads: concurrent requests, region info, mmap and data ---- */

#define THREAD_WORDS	64		/* pattern words per iteration */
#define MAX_THREADS	16
#define MAX_REPORTS	12		/* FAIL lines printed by workers */

struct race {
	const struct dev_layout *l;
	int fd;
	uint32_t base;			/* first region index after the core's */
	unsigned int iters;
	unsigned int nthreads;
	bool one_creates;		/* only thread 0 requests first */
	bool toggling;			/* decode toggler running */
	pthread_barrier_t start;
	volatile int done;		/* workers finished: toggler stops */
	pthread_mutex_t report_lock;
	unsigned int reports;
};

struct worker {
	struct race *r;
	pthread_t th;
	unsigned int t;
	uint64_t last_gen;		/* generation of the last pattern left */
	bool finished;			/* every iteration ran */
	unsigned int wrong_index;	/* requests that returned another index */
	unsigned int absent, present;	/* probe answers before the request */
	unsigned int sigbus, eio, retries;
};

static void race_fail(struct race *r, unsigned int t, const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&r->report_lock);
	if (r->reports++ < MAX_REPORTS) {
		printf("FAIL: thread %u: ", t);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		fflush(stdout);
	}
	pthread_mutex_unlock(&r->report_lock);
}

/*
 * Look at the alias before this thread asked for it: every answer must say
 * either "no alias" (EINVAL) or describe the whole alias, never something
 * in between, and once the alias has been seen it cannot vanish again.
 * Returns true when the alias was seen.
 */
static bool probe_alias(struct worker *w, bool *seen)
{
	struct race *r = w->r;
	const struct dev_layout *l = r->l;
	struct vfio_region_info *info;
	struct vfio_pci_wc_bars bars;
	const char *why;
	uint32_t n;
	void *m;

	n = num_regions(r->fd);
	if (n != r->base && n != r->base + 1)
		race_fail(r, w->t, "GET_INFO num_regions %u during creation (expected %u or %u)",
			  n, r->base, r->base + 1);
	else if (n == r->base + 1)
		*seen = true;
	else if (*seen)
		race_fail(r, w->t, "alias vanished from GET_INFO after it was seen");

	info = region_info(r->fd, r->base);
	if (!info) {
		if (errno != EINVAL)
			race_fail(r, w->t, "region info of the alias-to-be: %s (expected EINVAL or the alias)",
				  errno_name(errno));
		else if (*seen)
			race_fail(r, w->t, "region info says no alias after it was seen");
	} else {
		why = alias_info_problem(info, l, r->base);
		if (why)
			race_fail(r, w->t, "alias region info during creation: %s", why);
		*seen = true;
		free(info);
	}

	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	if (feature(r->fd, VFIO_DEVICE_FEATURE_GET |
		    VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars))) {
		race_fail(r, w->t, "WC_BARS during creation: %s", errno_name(errno));
	} else if (bars.aliased_bars & (1u << l->wc_bar)) {
		if (bars.alias_index[l->wc_bar] != r->base)
			race_fail(r, w->t, "WC_BARS names alias %u (expected %u)",
				  bars.alias_index[l->wc_bar], r->base);
		*seen = true;
	} else if (bars.aliased_bars ||
		   bars.alias_index[l->wc_bar] != VFIO_PCI_WC_NO_ALIAS) {
		race_fail(r, w->t, "WC_BARS inconsistent: aliased %#x index %u",
			  bars.aliased_bars, bars.alias_index[l->wc_bar]);
	} else if (*seen) {
		race_fail(r, w->t, "WC_BARS says no alias after it was seen");
	}

	m = mmap(NULL, l->page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
		 alias_offset(l, r->base));
	if (m == MAP_FAILED) {
		if (errno != EINVAL)
			race_fail(r, w->t, "mmap of the alias-to-be: %s (expected EINVAL or success)",
				  errno_name(errno));
		else if (*seen)
			race_fail(r, w->t, "mmap of the alias refused after it was seen");
	} else {
		*seen = true;
		munmap(m, l->page);
	}
	return *seen;
}

/* One iteration on an alias this thread has requested. */
static void worker_iteration(struct worker *w, unsigned int it)
{
	struct race *r = w->r;
	const struct dev_layout *l = r->l;
	/* Two private pages per thread, after a first page nobody writes. */
	uint64_t win = (uint64_t)(1 + 2 * w->t) * l->page;
	uint64_t gen = (uint64_t)it + 1;
	struct vfio_region_info *info;
	struct vfio_pci_wc_bars bars;
	const char *why;
	uint32_t index = 0;
	uint64_t v, back;
	unsigned int attempt;
	bool rw_ok;
	void *m;
	int rc = 0;

	if (wc_request(r->fd, l->wc_bar, &index)) {
		race_fail(r, w->t, "iteration %u: request: %s", it, errno_name(errno));
		return;
	}
	if (index != r->base) {
		w->wrong_index++;
		race_fail(r, w->t, "iteration %u: request returned region %u (expected %u)",
			  it, index, r->base);
		return;
	}

	info = region_info(r->fd, index);
	if (!info) {
		race_fail(r, w->t, "iteration %u: region info of alias %u: %s",
			  it, index, errno_name(errno));
		return;
	}
	why = alias_info_problem(info, l, index);
	free(info);
	if (why)
		race_fail(r, w->t, "iteration %u: alias region info: %s", it, why);

	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	if (feature(r->fd, VFIO_DEVICE_FEATURE_GET |
		    VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars)) ||
	    !(bars.aliased_bars & (1u << l->wc_bar)) ||
	    bars.alias_index[l->wc_bar] != index)
		race_fail(r, w->t, "iteration %u: WC_BARS does not show alias %u",
			  it, index);

	m = mmap(NULL, 2 * l->page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
		 alias_offset(l, index) + win);
	if (m == MAP_FAILED) {
		race_fail(r, w->t, "iteration %u: mmap of the alias: %s", it,
			  errno_name(errno));
		return;
	}

	/* Stores and loads through the WC mapping, retried after SIGBUS. */
	for (attempt = 0; attempt < 1000; attempt++) {
		rc = pattern_pass(m, w->t, gen, THREAD_WORDS);
		if (rc >= 0)
			break;
		w->sigbus++;
		if (!r->toggling) {
			race_fail(r, w->t, "iteration %u: SIGBUS with memory decode on",
				  it);
			break;
		}
		w->retries++;
		usleep(100);
	}
	if (rc == 0)
		race_fail(r, w->t, "iteration %u: data read back through the alias differs",
			  it);
	else if (rc < 0 && r->toggling)
		race_fail(r, w->t, "iteration %u: still SIGBUS after %u attempts",
			  it, attempt);

	/* And through read()/write() at the alias offset (second page). */
	v = pattern_word(w->t, gen, 1000);
	back = ~v;
	rw_ok = false;
	for (attempt = 0; attempt < 1000; attempt++) {
		if (pwrite(r->fd, &v, 8, alias_offset(l, index) + win + l->page) == 8 &&
		    pread(r->fd, &back, 8, alias_offset(l, index) + win + l->page) == 8) {
			rw_ok = true;
			break;
		}
		if (errno != EIO || !r->toggling) {
			race_fail(r, w->t, "iteration %u: read()/write() of the alias: %s",
				  it, errno_name(errno));
			break;
		}
		w->eio++;
		w->retries++;
		usleep(100);
	}
	if (rw_ok && back != v)
		race_fail(r, w->t, "iteration %u: read() of the alias returned %#llx (wrote %#llx)",
			  it, (unsigned long long)back, (unsigned long long)v);

	if (munmap(m, 2 * l->page))
		race_fail(r, w->t, "iteration %u: munmap: %s", it, errno_name(errno));
	w->last_gen = gen;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct race *r = w->r;
	bool seen = false;
	unsigned int it, spins = 0;

	pthread_barrier_wait(&r->start);
	if (r->one_creates) {
		if (w->t == 0) {
			/* Give the others time to start probing. */
			usleep(2000);
		} else {
			/* Probe until someone else's request made the alias. */
			while (!probe_alias(w, &seen)) {
				w->absent++;
				if (++spins > 200000) {
					race_fail(r, w->t, "alias never appeared");
					return NULL;
				}
			}
			w->present++;
		}
	} else if (probe_alias(w, &seen)) {
		w->present++;
	} else {
		w->absent++;
	}

	for (it = 0; it < r->iters; it++)
		worker_iteration(w, it);
	w->finished = true;
	return NULL;
}

static void *toggler_main(void *arg)
{
	struct race *r = arg;
	unsigned int n = 0;

	pthread_barrier_wait(&r->start);
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		if (set_memory_decode(r->fd, false))
			race_fail(r, 99, "toggler: clearing memory decode: %s",
				  errno_name(errno));
		usleep(200 + (n * 373) % 1500);
		if (set_memory_decode(r->fd, true))
			race_fail(r, 99, "toggler: setting memory decode: %s",
				  errno_name(errno));
		usleep(500 + (n * 719) % 3000);
		n++;
	}
	return (void *)(uintptr_t)n;
}

static int run_threads(int fd, const struct dev_layout *l,
		       unsigned int nthreads, unsigned int rounds,
		       unsigned int iters, bool toggle, bool opt_pat)
{
	struct worker w[MAX_THREADS];
	unsigned int t, round;
	uint32_t base = num_regions(fd);

	if ((uint64_t)(2 + 2 * nthreads) * l->page > l->size) {
		check(false, "BAR %d too small for %u threads", l->wc_bar, nthreads);
		return finish();
	}
	printf("threads: %u workers%s, %u rounds of %u iterations on BAR %d\n",
	       nthreads, toggle ? " + memory decode toggler" : "", rounds,
	       iters, l->wc_bar);

	for (round = 0; round < rounds; round++) {
		struct race r = {
			.l = l,
			.fd = fd,
			.base = base,
			.iters = iters,
			.nthreads = nthreads,
			.one_creates = round & 1,
			.toggling = toggle,
			.report_lock = PTHREAD_MUTEX_INITIALIZER,
		};
		unsigned int wrong = 0, absent = 0, present = 0, sigbus = 0;
		unsigned int eio = 0, unfinished = 0, bad_data = 0;
		uint64_t *snap;
		pthread_t tog;
		void *toggles = NULL;
		uint32_t n;

		check(num_regions(fd) == base,
		      "round %u: fresh device fd, no alias (num_regions %u)",
		      round, base);
		pthread_barrier_init(&r.start, NULL, nthreads + (toggle ? 1 : 0));
		for (t = 0; t < nthreads; t++) {
			memset(&w[t], 0, sizeof(w[t]));
			w[t].r = &r;
			w[t].t = t;
			if (pthread_create(&w[t].th, NULL, worker_main, &w[t]))
				die("pthread_create");
		}
		if (toggle && pthread_create(&tog, NULL, toggler_main, &r))
			die("pthread_create");
		for (t = 0; t < nthreads; t++)
			pthread_join(w[t].th, NULL);
		__atomic_store_n(&r.done, 1, __ATOMIC_RELEASE);
		if (toggle)
			pthread_join(tog, &toggles);
		pthread_barrier_destroy(&r.start);

		for (t = 0; t < nthreads; t++) {
			wrong += w[t].wrong_index;
			absent += w[t].absent;
			present += w[t].present;
			sigbus += w[t].sigbus;
			eio += w[t].eio;
			unfinished += !w[t].finished;
		}
		check(!unfinished && !wrong,
		      "round %u (%s): %u threads x %u iterations, every request returned alias %u",
		      round, r.one_creates ? "one creates, others probe" :
		      "all request at once", nthreads, iters, base);
		check(r.reports == 0,
		      "round %u: no thread saw a partial alias, lost data or an error (probes before the request: %u no alias, %u whole alias)",
		      round, absent, present);
		if (toggle)
			printf("   round %u: %lu decode toggles, %u SIGBUS and %u EIO retried\n",
			       round, (unsigned long)(uintptr_t)toggles, sigbus, eio);

		/* Each thread's last pattern must still be in its window. */
		n = num_regions(fd);
		check(n == base + 1, "round %u: one alias after the threads (num_regions %u)",
		      round, n);
		snap = mmap(NULL, (2 + 2 * nthreads) * l->page,
			    PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    alias_offset(l, base));
		check(snap != MAP_FAILED, "round %u: mmap of the alias after the threads",
		      round);
		if (snap != MAP_FAILED) {
			for (t = 0; t < nthreads; t++) {
				const uint64_t *win = snap +
					(1 + 2 * t) * l->page / 8;
				uint64_t v;

				if (!pattern_matches(win, t, w[t].last_gen,
						     THREAD_WORDS) ||
				    pread(fd, &v, 8, alias_offset(l, base) +
					  (2 + 2 * t) * l->page) != 8 ||
				    v != pattern_word(t, w[t].last_gen, 1000))
					bad_data++;
			}
			check(!bad_data,
			      "round %u: every thread's last data is in the BAR (%u wrong)",
			      round, bad_data);
			if (opt_pat)
				check_pat(res[l->wc_bar].start,
					  (2 + 2 * nthreads) * l->page);
			munmap(snap, (2 + 2 * nthreads) * l->page);
		}

		/* Next round on a fresh fd: the alias creation races again. */
		close(fd);
		if (opt_pat) {
			unsigned int lines, wc;

			if (scan_pat(res[l->wc_bar].start, l->size, &lines,
				     &wc, false))
				check(!wc, "round %u: closed: no write-combining memtype left on BAR %d",
				      round, l->wc_bar);
		}
		fd = open_device_again(l->bdf);
	}
	check(num_regions(fd) == base, "after the last round: no alias left");
	close(fd);
	return finish();
}

/* ---- --hold: a user that holds the alias mapping ---- */

/* ---- --stress: decode flips and resets under accesses, for a time ---- */

/*
 * A bounded soak, not a check of the uAPI: it exists to show whether a
 * guest survives memory-decode flips and VFIO_DEVICE_RESET racing mmap
 * faults and read()/write() on a BAR region.  With --no-alias it uses the
 * plain BAR index, so the same load runs under plain vfio-pci and the two
 * drivers can be compared.  Data is only judged when no disruption
 * happened between a store and its read-back (the epoch did not move).
 */
struct soak {
	int fd;
	uint64_t region_off;		/* file offset of the region used */
	long page;
	time_t until;
	unsigned int resets_every;	/* reset after this many decode flips */
	volatile unsigned long epoch;	/* bumped around every disruption */
	bool unmap_apart;		/* munmap never inside a disruption */
	pthread_rwlock_t unmap_lock;	/* read: a munmap; write: a disruption */
	volatile int stop;
	struct race rep;		/* failure reporting only */
};

struct soaker {
	struct soak *s;
	pthread_t th;
	unsigned int t;
	unsigned long passes, sigbus, eio, judged;
};

static void *soaker_main(void *arg)
{
	struct soaker *w = arg;
	struct soak *s = w->s;
	uint64_t win = (uint64_t)(1 + 2 * w->t) * s->page;
	uint64_t gen = 0, v, back;
	unsigned long e0;
	void *m;
	int rc;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		gen++;
		m = mmap(NULL, 2 * s->page, PROT_READ | PROT_WRITE, MAP_SHARED,
			 s->fd, s->region_off + win);
		if (m == MAP_FAILED) {
			race_fail(&s->rep, w->t, "mmap: %s", errno_name(errno));
			return NULL;
		}
		e0 = __atomic_load_n(&s->epoch, __ATOMIC_ACQUIRE);
		rc = pattern_pass(m, w->t, gen, THREAD_WORDS);
		if (rc < 0) {
			w->sigbus++;
		} else if (e0 == __atomic_load_n(&s->epoch, __ATOMIC_ACQUIRE) &&
			   !(e0 & 1)) {
			w->judged++;
			if (!rc)
				race_fail(&s->rep, w->t,
					  "pass %lu: data read back differs with no disruption",
					  w->passes);
		}
		if (s->unmap_apart)
			pthread_rwlock_rdlock(&s->unmap_lock);
		rc = munmap(m, 2 * s->page);
		if (s->unmap_apart)
			pthread_rwlock_unlock(&s->unmap_lock);
		if (rc)
			race_fail(&s->rep, w->t, "munmap: %s", errno_name(errno));

		v = pattern_word(w->t, gen, 1000);
		if (pwrite(s->fd, &v, 8, s->region_off + win + s->page) != 8 ||
		    pread(s->fd, &back, 8, s->region_off + win + s->page) != 8) {
			if (errno != EIO) {
				race_fail(&s->rep, w->t, "read()/write(): %s",
					  errno_name(errno));
				return NULL;
			}
			w->eio++;
		}
		w->passes++;
	}
	return NULL;
}

static void soak_disrupt_begin(struct soak *s)
{
	if (s->unmap_apart)
		pthread_rwlock_wrlock(&s->unmap_lock);
	__atomic_add_fetch(&s->epoch, 1, __ATOMIC_ACQ_REL);
}

static void soak_disrupt_end(struct soak *s)
{
	__atomic_add_fetch(&s->epoch, 1, __ATOMIC_ACQ_REL);
	if (s->unmap_apart)
		pthread_rwlock_unlock(&s->unmap_lock);
}

static int run_stress(int fd, const struct dev_layout *l, unsigned int seconds,
		      unsigned int nworkers, bool use_alias, bool do_reset,
		      bool unmap_apart)
{
	struct soaker w[MAX_THREADS];
	unsigned long flips = 0, resets = 0, passes = 0, sigbus = 0, eio = 0;
	unsigned long judged = 0;
	struct soak s;
	uint32_t index = l->wc_bar;
	unsigned int t;

	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.rep.report_lock, NULL);
	s.fd = fd;
	s.page = l->page;
	s.resets_every = do_reset ? 4 : 0;
	s.unmap_apart = unmap_apart;
	pthread_rwlock_init(&s.unmap_lock, NULL);
	if ((uint64_t)(1 + 2 * nworkers) * l->page > l->size) {
		check(false, "BAR %d too small for %u workers", l->wc_bar, nworkers);
		return finish();
	}
	if (use_alias) {
		if (wc_request(fd, l->wc_bar, &index)) {
			check(false, "WC request for BAR %d: %s", l->wc_bar,
			      errno_name(errno));
			return finish();
		}
		s.region_off = alias_offset(l, index);
	} else {
		s.region_off = l->bar_off;
	}
	printf("stress: %u s, %u workers on %s %u of BAR %d, decode flips%s%s\n",
	       seconds, nworkers, use_alias ? "alias" : "plain index", index,
	       l->wc_bar, do_reset ? " and VFIO_DEVICE_RESET" : "",
	       unmap_apart ? ", munmap kept apart from them" : "");
	fflush(stdout);

	s.until = time(NULL) + seconds;
	for (t = 0; t < nworkers; t++) {
		w[t] = (struct soaker){ .s = &s, .t = t };
		if (pthread_create(&w[t].th, NULL, soaker_main, &w[t]))
			die("pthread_create");
	}
	while (time(NULL) < s.until && !failed) {
		soak_disrupt_begin(&s);
		if (set_memory_decode(fd, false))
			race_fail(&s.rep, 99, "clearing memory decode: %s",
				  errno_name(errno));
		usleep(200 + (flips * 373) % 1500);
		if (set_memory_decode(fd, true))
			race_fail(&s.rep, 99, "setting memory decode: %s",
				  errno_name(errno));
		flips++;
		if (s.resets_every && !(flips % s.resets_every)) {
			if (ioctl(fd, VFIO_DEVICE_RESET))
				race_fail(&s.rep, 99, "VFIO_DEVICE_RESET: %s",
					  errno_name(errno));
			resets++;
		}
		soak_disrupt_end(&s);
		usleep(500 + (flips * 719) % 3000);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for (t = 0; t < nworkers; t++) {
		pthread_join(w[t].th, NULL);
		passes += w[t].passes;
		sigbus += w[t].sigbus;
		eio += w[t].eio;
		judged += w[t].judged;
	}
	check(!failed, "stress: %lu decode flips, %lu resets, %lu passes (%lu judged), %lu SIGBUS, %lu EIO",
	      flips, resets, passes, judged, sigbus, eio);
	check(passes > 0, "stress: the workers made progress");
	return finish();
}

static int request_eventfd(int fd)
{
	struct vfio_irq_info irq = {
		.argsz = sizeof(irq),
		.index = VFIO_PCI_REQ_IRQ_INDEX,
	};
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (void *)buf;
	int32_t efd;

	if (ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) || irq.count != 1 ||
	    !(irq.flags & VFIO_IRQ_INFO_EVENTFD)) {
		check(false, "device offers a request IRQ (count %u flags %#x)",
		      irq.count, irq.flags);
		return -1;
	}
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd");
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_REQ_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &efd, sizeof(efd));
	check(!ioctl(fd, VFIO_DEVICE_SET_IRQS, set),
	      "request eventfd registered (VFIO_PCI_REQ_IRQ_INDEX)");
	return efd;
}

static int run_hold(int fd, const struct dev_layout *l,
		    struct unbinder *u, bool opt_pat)
{
	uint64_t len = 4 * (uint64_t)l->page;
	struct pollfd pfd;
	uint32_t alias;
	int status = 0;
	uint64_t *map;
	uint64_t count;
	int efd = -1;

	if (wc_request(fd, l->wc_bar, &alias)) {
		check(false, "request BAR %d: %s", l->wc_bar, errno_name(errno));
		return finish();
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   alias_offset(l, alias));
	if (map == MAP_FAILED) {
		check(false, "mmap of alias %u: %s", alias, errno_name(errno));
		return finish();
	}
	check(pattern_pass(map, 7, 1, THREAD_WORDS) == 1,
	      "pattern written and read back through alias %u", alias);
	if (opt_pat)
		check_pat(res[l->wc_bar].start, len);
	if (u) {
		efd = request_eventfd(fd);
		if (efd < 0)
			return finish();
	}
	printf("holding: pid %d, BAR %d alias %u mapped write-combining\n",
	       getpid(), l->wc_bar, alias);
	fflush(stdout);

	if (!u) {
		/* Until SIGKILL; the guard turns a missing kill into a FAIL. */
		for (;;)
			pause();
	}

	/* The administrator's side: unbind while we hold the mapping. */
	unbinder_start(u);
	pfd.fd = efd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 90000) != 1 ||
	    read(efd, &count, sizeof(count)) != sizeof(count)) {
		check(false, "the kernel asked for the device back within 90 s");
		return finish();
	}
	check(true, "unbind started: the request eventfd was signalled (count %llu)",
	      (unsigned long long)count);
	check(!exited_within(u->pid, 0, &status),
	      "the unbind waits for us while we hold the device");
	check(pattern_matches(map, 7, 1, THREAD_WORDS),
	      "until released, the alias mapping still holds the data");

	/* A mapping alone keeps the device open: the unbind must wait for it. */
	close(fd);
	close(efd);
	check(!exited_within(u->pid, 1000, &status),
	      "device fd closed, alias still mapped: the unbind still waits");
	munmap(map, len);
	check(exited_within(u->pid, 30000, &status) && WIFEXITED(status) &&
	      !WEXITSTATUS(status),
	      "alias unmapped: the unbind completes");
	if (opt_pat) {
		unsigned int lines, wc;

		if (scan_pat(res[l->wc_bar].start, l->size, &lines, &wc, true))
			check(!wc, "unbound: no write-combining memtype left on BAR %d",
			      l->wc_bar);
	}
	/* Group and container go last, as DPDK's hot-unplug does. */
	close(group);
	return finish();
}

/* ---- --subpage: a prefetchable BAR smaller than a page ---- */

/*
 * x86: the BAR shares its page with whatever the platform put next to it,
 * and PAT would hand a WC reservation of the BAR to every mapping of that
 * page, so the BAR is not listed, a request is refused with EOPNOTSUPP,
 * and no WC memtype appears anywhere on the page.  Elsewhere WC is a
 * property of each mapping alone and the BAR gets its alias as usual.
 */
static int run_subpage(int fd, const struct dev_layout *l, bool opt_pat)
{
	uint64_t start = res[l->wc_bar].start;
	uint64_t pstart = start & ~(uint64_t)(l->page - 1);
	struct vfio_pci_wc_bars bars;
	struct vfio_region_info *ri;
	uint32_t alias = 0;
	bool listed;
	int ret;

	check(l->size < (uint64_t)l->page,
	      "BAR %d is smaller than a page (%#llx bytes at %#llx)", l->wc_bar,
	      (unsigned long long)l->size, (unsigned long long)start);
	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret, "WC_BARS GET (%s)", errno_name(ret ? errno : 0));
	listed = bars.wc_bars & (1u << l->wc_bar);
	ret = wc_request(fd, l->wc_bar, &alias);
	if (IS_X86) {
		unsigned int lines, wc;

		check(!listed, "x86: WC_BARS does not list sub-page BAR %d (mask %#x)",
		      l->wc_bar, bars.wc_bars);
		check_errno(ret < 0, EOPNOTSUPP,
			    "x86: request sub-page BAR %d", l->wc_bar);
		memset(&bars, 0, sizeof(bars));
		bars.argsz = sizeof(bars);
		ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
			      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
		check(!ret && !bars.aliased_bars, "x86: no BAR aliased after the refusal");
		if (opt_pat && scan_pat(pstart, l->page, &lines, &wc, true))
			check(!wc, "x86: no write-combining memtype on the BAR's page [%#llx-%#llx) (%u entries)",
			      (unsigned long long)pstart,
			      (unsigned long long)(pstart + l->page), lines);
	} else {
		check(listed, "WC_BARS lists sub-page BAR %d (mask %#x)",
		      l->wc_bar, bars.wc_bars);
		check(!ret, "request sub-page BAR %d: alias %u (%s)", l->wc_bar,
		      alias, errno_name(ret ? errno : 0));
		ri = ret ? NULL : region_info(fd, alias);
		check(ri && ri->size == l->size,
		      "alias region of sub-page BAR %d has the BAR's size %#llx",
		      l->wc_bar, ri ? (unsigned long long)ri->size : 0ULL);
		free(ri);
	}
	close(fd);
	return finish();
}

/* ---- --plain: the same BAR under plain vfio-pci ---- */

static int run_plain(int fd, const struct dev_layout *l, bool opt_pat,
		     bool opt_unaligned)
{
	uint64_t len = 4 * (uint64_t)l->page;
	volatile uint8_t *map;
	uint32_t v;
	bool rb;

	check_errno(feature(fd, VFIO_DEVICE_FEATURE_PROBE |
			    VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, NULL, 0),
		    ENOTTY, "plain vfio-pci: no WC request feature");
	check(pread(fd, &v, 4, l->bar_off) == 4,
	      "read() of plain BAR %d", l->wc_bar);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   l->bar_off);
	check(map != MAP_FAILED, "mmap of plain BAR %d", l->wc_bar);
	if (map == MAP_FAILED)
		return finish();
	check(try_access(map, STORE64_ALIGNED, &rb) && rb,
	      "plain BAR: aligned 8-byte store works");
	if (opt_pat) {
		unsigned int lines, wc;

		if (scan_pat(res[l->wc_bar].start, l->size, &lines, &wc, true))
			check(lines > 0 && !wc,
			      "PAT: %u memtype entries on BAR %d, none write-combining",
			      lines, l->wc_bar);
	}
	if (opt_unaligned)
		check(!try_access(map, STORE64_UNALIGNED, &rb),
		      "plain BAR (Device memory): unaligned 8-byte store raises SIGBUS");
	munmap((void *)map, len);
	close(fd);
	return finish();
}

/* ---- the checks ---- */

/*
 * A request after the plain index of @bar was used in a way @what names
 * (mmap, ioeventfd): x86 must refuse it with EBUSY, since the uncached
 * type stays out of the driver's reach; elsewhere it is granted.
 */
static void check_request_after_pin(int fd, int bar, const char *what)
{
	uint32_t alias = 0;
	int ret = wc_request(fd, bar, &alias);

	if (IS_X86)
		check_errno(ret, EBUSY,
			    "x86: request BAR %d after its plain index %s", bar, what);
	else
		check(!ret, "request BAR %d after its plain index %s: alias %u",
		      bar, what, alias);
}

/*
 * --touch-first: the plain index used before the request.
 *  - read()/write(): the request replaces the kernel's own mapping of the
 *    BAR, so WC is granted on every platform, the plain index still moves
 *    data afterwards (through the replaced mapping) and, on x86, every
 *    memtype entry over the BAR is write-combining;
 *  - mmap() (even once unmapped) or an ioeventfd (even once removed): x86
 *    refuses the request with EBUSY until the device is closed, since the
 *    user page tables or the core's saved address keep the uncached type;
 *    other platforms grant it.  A fresh open starts clean again.
 */
static int run_touch_first(int fd, const char *bdf, int wc_bar,
			   uint64_t bar_off, bool opt_pat)
{
	uint32_t v = 0, w = 0x5aa5c33c, alias;
	struct dev_layout l = { .bdf = bdf, .wc_bar = wc_bar };
	long page = sysconf(_SC_PAGESIZE);
	void *m;
	int ret;

	check(pread(fd, &v, 4, bar_off) == 4,
	      "read() of plain BAR %d before any request", wc_bar);
	ret = wc_request(fd, wc_bar, &alias);
	check(!ret, "request BAR %d after a plain read(): alias %u (%s)",
	      wc_bar, alias, ret ? strerror(errno) : "granted");
	if (!ret) {
		bool io_ok;

		read_layout(fd, &l);
		/* The I/O first: check()'s arguments have no evaluation order. */
		io_ok = pwrite(fd, &w, 4, bar_off + 64) == 4 &&
			pread(fd, &v, 4, alias_offset(&l, alias) + 64) == 4;
		check(io_ok && v == w,
		      "after the request: plain write(), alias read() 0x%08x (wrote 0x%08x)",
		      v, w);
		v = 0;
		io_ok = pread(fd, &v, 4, bar_off + 64) == 4;
		check(io_ok && v == w, "after the request: plain read() 0x%08x", v);
		if (IS_X86 && opt_pat)
			check_pat(res[wc_bar].start, bar_size(wc_bar));
	}

	close(fd);
	fd = open_device_again(bdf);
	m = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, bar_off);
	check(m != MAP_FAILED, "mmap of plain BAR %d before any request", wc_bar);
	if (m != MAP_FAILED)
		munmap(m, page);
	check_request_after_pin(fd, wc_bar, "was mmapped (and unmapped again)");

	close(fd);
	fd = open_device_again(bdf);
	{
		int efd = eventfd(0, EFD_CLOEXEC);

		check(efd >= 0 && !ioeventfd_set(fd, bar_off, 1, efd),
		      "ioeventfd on plain BAR %d before any request", wc_bar);
		check(!ioeventfd_set(fd, bar_off, 1, -1),
		      "the ioeventfd removed again");
		if (efd >= 0)
			close(efd);
	}
	check_request_after_pin(fd, wc_bar, "had an ioeventfd");

	close(fd);
	fd = open_device_again(bdf);
	ret = wc_request(fd, wc_bar, &alias);
	check(!ret, "a fresh open: request BAR %d granted again (alias %u)",
	      wc_bar, alias);
	close(fd);
	return finish();
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--wc-bar N] [--uc-bar N] [--pat] [--unaligned] [--decode]\n"
		"       [--touch-first] [--no-data] BDF\n"
		"   or: %s --threads N [--rounds R] [--iters I] [--toggle-decode]\n"
		"       [--wc-bar N] [--pat] BDF\n"
		"   or: %s --hold kill|request [--wc-bar N] [--pat] BDF\n"
		"   or: %s --plain [--wc-bar N] [--pat] [--unaligned] BDF\n"
		"   or: %s --no-wc-left [--wc-bar N] BDF\n"
		"   or: %s --subpage [--wc-bar N] [--pat] BDF\n"
		"   or: %s --stress SECONDS [--workers N] [--no-alias] [--no-reset]\n"
		"       [--unmap-apart] [--wc-bar N] BDF\n",
		argv0, argv0, argv0, argv0, argv0, argv0, argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	bool opt_pat = false, opt_unaligned = false, opt_decode = false;
	bool opt_touch_first = false;
	bool opt_no_data = false;
	bool opt_toggle = false, opt_plain = false, opt_no_wc_left = false;
	bool opt_subpage = false;
	unsigned int opt_threads = 0, opt_rounds = 6, opt_iters = 40;
	unsigned int opt_stress = 0, opt_workers = 2;
	bool opt_no_alias = false, opt_no_reset = false, opt_unmap_apart = false;
	const char *opt_hold = NULL;
	struct unbinder unbind_child = { .pid = 0, .go = -1 };
	struct dev_layout layout;
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
		else if (!strcmp(argv[i], "--toggle-decode"))
			opt_toggle = true;
		else if (!strcmp(argv[i], "--plain"))
			opt_plain = true;
		else if (!strcmp(argv[i], "--no-wc-left"))
			opt_no_wc_left = true;
		else if (!strcmp(argv[i], "--subpage"))
			opt_subpage = true;
		else if (!strcmp(argv[i], "--no-alias"))
			opt_no_alias = true;
		else if (!strcmp(argv[i], "--no-reset"))
			opt_no_reset = true;
		else if (!strcmp(argv[i], "--unmap-apart"))
			opt_unmap_apart = true;
		else if (!strcmp(argv[i], "--stress") && i + 1 < argc)
			opt_stress = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			opt_workers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			opt_threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			opt_rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			opt_iters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			opt_hold = argv[++i];
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
	    uc_bar >= NUM_BARS || opt_threads > MAX_THREADS ||
	    (opt_stress && (!opt_workers || opt_workers > MAX_THREADS)) ||
	    (opt_hold && strcmp(opt_hold, "kill") &&
	     strcmp(opt_hold, "request")))
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

	if (opt_no_wc_left) {
		unsigned int lines, wc;

		if (!IS_X86) {
			skip("no memory-type list on this architecture");
			return finish();
		}
		if (scan_pat(res[wc_bar].start, size, &lines, &wc, true))
			check(!wc, "no write-combining memtype on BAR %d [0x%" PRIx64
			      "-0x%" PRIx64 "] (%u entries)", wc_bar,
			      res[wc_bar].start, res[wc_bar].end + 1, lines);
		return finish();
	}

	if (opt_hold && !strcmp(opt_hold, "request"))
		unbind_child = unbinder_fork(bdf);
	fd = open_device(bdf);
	layout.bdf = bdf;
	layout.wc_bar = wc_bar;
	read_layout(fd, &layout);
	if (opt_stress) {
		arm_guard(opt_stress + 60);
		return run_stress(fd, &layout, opt_stress, opt_workers,
				  !opt_no_alias, !opt_no_reset, opt_unmap_apart);
	}
	if (opt_threads) {
		arm_guard(280);
		return run_threads(fd, &layout, opt_threads, opt_rounds,
				   opt_iters, opt_toggle, opt_pat);
	}
	if (opt_hold) {
		arm_guard(150);
		return run_hold(fd, &layout,
				unbind_child.pid ? &unbind_child : NULL,
				opt_pat);
	}
	if (opt_plain)
		return run_plain(fd, &layout, opt_pat, opt_unaligned);
	if (opt_subpage)
		return run_subpage(fd, &layout, opt_pat);

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

	if (opt_touch_first)
		return run_touch_first(fd, bdf, wc_bar, bar_off, opt_pat);

	/* 2. Feature support and discovery. */
	check(!feature(fd, VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
		       VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, NULL, 0),
	      "PROBE of WC_REQUEST (SET) succeeds");
	check(!feature(fd, VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
		       VFIO_DEVICE_FEATURE_PCI_WC_BARS, NULL, 0),
	      "PROBE of WC_BARS (GET) succeeds");
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_PROBE |
			    VFIO_DEVICE_FEATURE_GET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, NULL, 0),
		    EINVAL, "PROBE of WC_REQUEST with GET (wrong direction)");
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_PROBE |
			    VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_BARS, NULL, 0),
		    EINVAL, "PROBE of WC_BARS with SET (wrong direction)");
	memset(&bars, 0, sizeof(bars));
	bars.argsz = sizeof(bars);
	ret = feature(fd, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_WC_BARS, &bars, sizeof(bars));
	check(!ret, "WC_BARS GET (errno %d)", ret ? errno : 0);
	check(bars.flags & VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC,
	      "WC_BARS: platform can map WC (flags %#x)", bars.flags);
	check((bars.flags >> VFIO_PCI_WC_BARS_ATTR_SHIFT) ==
	      (1u << VFIO_PCI_WC_ATTR_WC),
	      "WC_BARS: known attributes are exactly {WC}: mask %#x (flags %#x)",
	      bars.flags >> VFIO_PCI_WC_BARS_ATTR_SHIFT, bars.flags);
	check(!(bars.flags & ~(VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC |
			       VFIO_PCI_WC_BARS_FLAG_ATTR(VFIO_PCI_WC_ATTR_WC))),
	      "WC_BARS: no undefined flag set (flags %#x)", bars.flags);
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
	req.reserved = 1;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with reserved 1");
	req.reserved = 0;
	req.region_index = base;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with region_index %u on input", base);
	req.region_index = 0;
	req.attr = 0;
	check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST, &req, sizeof(req)),
		    EINVAL, "request with attr 0");
	{
		static const uint32_t unknown[] = { 2, 15, 16, UINT32_MAX };
		unsigned int k;

		for (k = 0; k < 4; k++) {
			req.attr = unknown[k];
			check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
					    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST,
					    &req, sizeof(req)),
				    EPROTONOSUPPORT, "request with unknown attr %#x",
				    unknown[k]);
		}
		/* Malformed wins over unknown: the call itself is wrong. */
		req.attr = 2;
		req.flags = 1;
		check_errno(feature(fd, VFIO_DEVICE_FEATURE_SET |
				    VFIO_DEVICE_FEATURE_PCI_WC_REQUEST,
				    &req, sizeof(req)),
			    EINVAL, "request with unknown attr and unknown flags");
		req.flags = 0;
	}
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

	/* A failed request changes nothing. */
	check_unanswerable_request(fd, wc_bar, base, opt_pat);

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
	check_plain_index_after_request(fd, wc_bar, bar_off,
					bar_off + (uint64_t)(alias - wc_bar) * stride,
					!opt_no_data);

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
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, bar_off);
	check(map != MAP_FAILED, "after reopen: mmap of plain BAR %d works again (%s)",
	      wc_bar, map == MAP_FAILED ? strerror(errno) : "ok");
	if (map != MAP_FAILED) {
		bool rb;

		if (!opt_no_data)
			check(try_access(map, LOAD32_ALIGNED, &rb),
			      "after reopen: load through plain BAR %d", wc_bar);
		if (opt_pat) {
			unsigned int lines, wc;

			if (scan_pat(res[wc_bar].start, page, &lines, &wc, true))
				check(lines > 0 && !wc,
				      "after reopen: PAT: plain BAR %d mapped, %u entries, none write-combining",
				      wc_bar, lines);
		}
		munmap((void *)map, page);
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
