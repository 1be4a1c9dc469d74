/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO side: ask vfio-pci-wc for a WC alias of a BAR, record what each BAR
 * got, the read/write slow path through the device fd, and remapping a
 * BAR with the other attribute.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_interrupts.h>
#include <rte_string_fns.h>
#include <bus_pci_driver.h>

#include "vfio_pci_wc.h"
#include "pci_wc_hooks.h"
#include "pci_wc_private.h"

/* Region info with its capability chain; NULL (errno set) on failure. */
static struct vfio_region_info *
pci_wc_region_info(int fd, uint32_t index)
{
	struct vfio_region_info *ri;
	uint32_t argsz = sizeof(*ri);

	for (;;) {
		ri = calloc(1, argsz);
		if (ri == NULL)
			return NULL;
		ri->argsz = argsz;
		ri->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0) {
			int err = errno;

			free(ri);
			errno = err;
			return NULL;
		}
		if (ri->argsz <= argsz)
			return ri;
		argsz = ri->argsz;	/* capabilities did not fit */
		free(ri);
	}
}

static const struct vfio_info_cap_header *
pci_wc_region_cap(const struct vfio_region_info *ri, uint16_t id)
{
	uint32_t off;

	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	for (off = ri->cap_offset; off != 0 && off + 8 <= ri->argsz; ) {
		const struct vfio_info_cap_header *h =
			(const void *)((const char *)ri + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

/* Ask vfio-pci-wc for a WC alias of bar: its region index, or -errno. */
static int
pci_wc_vfio_request(int fd, int bar, uint32_t *region)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_pci_wc_request req;
	} __attribute__((aligned(8))) arg;

	memset(&arg, 0, sizeof(arg));
	arg.hdr.argsz = sizeof(arg);
	arg.hdr.flags = VFIO_DEVICE_FEATURE_SET |
			VFIO_DEVICE_FEATURE_PCI_WC_REQUEST;
	arg.req.argsz = sizeof(arg.req);
	arg.req.bar_index = bar;
	arg.req.attr = VFIO_PCI_WC_ATTR_WC;
	if (ioctl(fd, VFIO_DEVICE_FEATURE, &arg) < 0)
		return -errno;
	*region = arg.req.region_index;
	return 0;
}

/* Why the kernel said no, in the words a user can act on. */
static const char *
pci_wc_vfio_refusal(int err)
{
	switch (err) {
	case ENOTTY:
		return "the kernel has no WC request path (device not bound to vfio-pci-wc)";
	case EOPNOTSUPP:
		return "vfio-pci-wc refused: no WC on this platform for this BAR (x86: BAR holds MSI-X)";
	case EPERM:
		return "vfio-pci-wc refused: BAR not prefetchable";
	case EBUSY:
		return "vfio-pci-wc refused: BAR already mapped with another memory type";
	case ENXIO:
		return "vfio-pci-wc refused: not a memory BAR";
	default:
		return NULL;
	}
}

void
pci_wc_vfio_bar_unmappable(struct rte_pci_device *dev, int bar,
		const struct vfio_region_info *reg)
{
	struct pci_wc_bar_rec *rec = pci_wc_dev_bar(pci_wc_dev_get(dev), bar);

	if (rec == NULL || reg->size == 0)
		return;
	rec->attr = RTE_PCI_BAR_SLOW_PATH;
	rec->path = RTE_PCI_BAR_PATH_VFIO;
	rec->region = bar;
	rec->have_bar_region = true;
	rec->bar_region_offset = reg->offset;
	snprintf(rec->reason, sizeof(rec->reason),
		"kernel allows no mmap (%s BAR of %" PRIu64 " bytes); use rte_pci_wc_mmio_read/write",
		reg->size < (uint64_t)sysconf(_SC_PAGESIZE) ? "sub-page" :
		"unaligned or refused", (uint64_t)reg->size);
	/* Always worth a line: a driver may expect a mapping here. */
	pci_wc_bar_log(dev, bar, rec, true);
}

uint64_t
pci_wc_vfio_bar_offset(struct rte_pci_device *dev, int fd, int bar,
		const struct vfio_region_info *reg)
{
	struct pci_wc_dev *wdev = pci_wc_dev_get(dev);
	struct pci_wc_bar_rec *rec = pci_wc_dev_bar(wdev, bar);
	struct vfio_region_info *alias;
	struct pci_wc_bar_facts facts;
	char why[RTE_PCI_WC_REASON_LEN];
	const char *refusal;
	uint64_t offset;
	uint32_t region;
	int ret;

	if (rec == NULL)
		return reg->offset;
	rec->have_bar_region = true;
	rec->bar_region_offset = reg->offset;
	rec->region = bar;
	rec->path = RTE_PCI_BAR_PATH_VFIO;
	rec->attr = RTE_PCI_BAR_UC;
	rec->map_size = reg->size;
	rec->whole = pci_wc_region_cap(reg, VFIO_REGION_INFO_CAP_SPARSE_MMAP) == NULL;

	pci_wc_bar_facts(dev, wdev, bar, PCI_WC_ACCESS_VFIO, &facts);
	if (!pci_wc_decide(&facts, rec->reason, sizeof(rec->reason)))
		return reg->offset;

	strlcpy(why, rec->reason, sizeof(why));
	ret = pci_wc_vfio_request(fd, bar, &region);
	if (ret < 0) {
		refusal = pci_wc_vfio_refusal(-ret);
		if (refusal != NULL)
			snprintf(rec->reason, sizeof(rec->reason),
				"WC wanted (%s) but %s", why, refusal);
		else
			snprintf(rec->reason, sizeof(rec->reason),
				"WC wanted (%s) but the WC request failed: %s",
				why, strerror(-ret));
		return reg->offset;
	}
	alias = pci_wc_region_info(fd, region);
	if (alias == NULL || !(alias->flags & VFIO_REGION_INFO_FLAG_MMAP) ||
			alias->size != reg->size) {
		snprintf(rec->reason, sizeof(rec->reason),
			"WC wanted (%s) but alias region %u is not mappable", why,
			region);
		free(alias);
		return reg->offset;
	}
	rec->attr = RTE_PCI_BAR_WC;
	rec->path = RTE_PCI_BAR_PATH_VFIO_WC_ALIAS;
	rec->region = region;
	strlcpy(rec->reason, why, sizeof(rec->reason));
	offset = alias->offset;
	free(alias);
	return offset;
}

/* Secondary process: is offset the WC alias region of bar? */
static bool
pci_wc_vfio_offset_is_alias(int fd, int bar, uint64_t offset,
		uint32_t *region)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint32_t i;

	if (ioctl(fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		return false;
	/* Aliases come after the standard regions. */
	for (i = VFIO_PCI_NUM_REGIONS; i < info.num_regions; i++) {
		struct vfio_region_info *ri = pci_wc_region_info(fd, i);
		const struct vfio_region_info_cap_pci_wc_alias *cap;
		bool hit = false;

		if (ri == NULL)
			continue;
		cap = (const void *)pci_wc_region_cap(ri,
				VFIO_REGION_INFO_CAP_PCI_WC_ALIAS);
		if (cap != NULL && ri->offset == offset &&
				cap->bar_index == (uint32_t)bar) {
			*region = i;
			hit = true;
		}
		free(ri);
		if (hit)
			return true;
	}
	return false;
}

void
pci_wc_vfio_bar_mapped(struct rte_pci_device *dev, int fd, int bar,
		void *addr, uint64_t offset)
{
	struct pci_wc_dev *wdev = pci_wc_dev_get(dev);
	struct pci_wc_bar_rec *rec = pci_wc_dev_bar(wdev, bar);
	struct vfio_region_info *own;
	uint32_t region;

	if (rec == NULL)
		return;
	if (addr == NULL) {
		/* DPDK skips a BAR that is all MSI-X table */
		rec->attr = RTE_PCI_BAR_UNMAPPED;
		rec->path = RTE_PCI_BAR_PATH_NONE;
		snprintf(rec->reason, sizeof(rec->reason),
			"holds only the MSI-X table");
		return;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		/*
		 * A secondary maps what the primary chose (the offset comes
		 * from shared memory): find out which region that is.
		 */
		own = pci_wc_region_info(fd, bar);
		if (own != NULL) {
			rec->have_bar_region = true;
			rec->bar_region_offset = own->offset;
			rec->map_size = own->size;
			free(own);
		}
		if (pci_wc_vfio_offset_is_alias(fd, bar, offset, &region)) {
			rec->attr = RTE_PCI_BAR_WC;
			rec->path = RTE_PCI_BAR_PATH_VFIO_WC_ALIAS;
			rec->region = region;
			snprintf(rec->reason, sizeof(rec->reason),
				"as the primary process mapped it");
		} else {
			rec->attr = RTE_PCI_BAR_UC;
			rec->path = RTE_PCI_BAR_PATH_VFIO;
			rec->region = bar;
			snprintf(rec->reason, sizeof(rec->reason),
				"as the primary process mapped it");
		}
	}
	rec->addr = addr;
	pci_wc_bar_log(dev, bar, rec, pci_wc_bar_prefetchable(wdev, bar));
}

static int
pci_wc_vfio_fd(const struct rte_pci_device *dev)
{
	if (dev->kdrv != RTE_PCI_KDRV_VFIO || dev->intr_handle == NULL)
		return -1;
	return rte_intr_dev_fd_get(dev->intr_handle);
}

/* Checks shared by the slow-path read and write: region offset or -errno. */
static int64_t
pci_wc_slow_path_offset(const struct rte_pci_device *dev, unsigned int bar,
		size_t len, uint64_t offset, int *fd)
{
	struct pci_wc_bar_rec *rec;
	struct rte_pci_bar_info info;
	int ret;

	ret = rte_pci_wc_bar_info(dev, bar, &info);
	if (ret < 0)
		return ret;
	if (!info.memory || offset > info.size || len > info.size - offset)
		return -EINVAL;
	*fd = pci_wc_vfio_fd(dev);
	rec = pci_wc_dev_bar(pci_wc_dev_find(dev), bar);
	if (*fd < 0 || rec == NULL || !rec->have_bar_region)
		return -ENOTSUP;
	return (int64_t)(rec->bar_region_offset + offset);
}

/* pread/pwrite the whole range, retrying short transfers and EINTR. */
static ssize_t
pci_wc_slow_path_rw(const struct rte_pci_device *dev, unsigned int bar,
		void *buf, size_t len, uint64_t offset, bool write)
{
	int64_t at;
	size_t done = 0;
	int fd = -1;

	at = pci_wc_slow_path_offset(dev, bar, len, offset, &fd);
	if (at < 0)
		return at;
	while (done < len) {
		char *p = (char *)buf + done;
		ssize_t n = write ? pwrite(fd, p, len - done, at + done) :
				pread(fd, p, len - done, at + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		done += n;
	}
	return len;
}

ssize_t
rte_pci_wc_mmio_read(const struct rte_pci_device *dev, unsigned int bar,
		void *buf, size_t len, uint64_t offset)
{
	return pci_wc_slow_path_rw(dev, bar, buf, len, offset, false);
}

ssize_t
rte_pci_wc_mmio_write(const struct rte_pci_device *dev, unsigned int bar,
		const void *buf, size_t len, uint64_t offset)
{
	/* the buffer is only read: pwrite takes it as const */
	return pci_wc_slow_path_rw(dev, bar, (void *)(uintptr_t)buf, len,
			offset, true);
}

/* Replace the mapping at rec->addr with region offset `offset`. */
static int
pci_wc_vfio_map_at(struct pci_wc_bar_rec *rec, int fd, uint64_t offset)
{
	void *p = mmap(rec->addr, rec->map_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED, fd, (off_t)offset);

	return p == MAP_FAILED ? -errno : 0;
}

int
rte_pci_wc_bar_remap(struct rte_pci_device *dev, unsigned int bar,
		enum rte_pci_bar_attr attr)
{
	struct pci_wc_bar_rec *rec;
	struct vfio_region_info *ri;
	uint32_t region;
	int fd, ret;

	if (dev == NULL || bar >= PCI_WC_NB_BARS ||
			(attr != RTE_PCI_BAR_UC && attr != RTE_PCI_BAR_WC))
		return -EINVAL;
	rec = pci_wc_dev_bar(pci_wc_dev_find(dev), bar);
	if (rec == NULL)
		return -ENODEV;
	if (rec->attr == attr)
		return 0;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -EPERM;
	fd = pci_wc_vfio_fd(dev);
	if (fd < 0 || (rec->path != RTE_PCI_BAR_PATH_VFIO &&
			rec->path != RTE_PCI_BAR_PATH_VFIO_WC_ALIAS))
		return -ENOTSUP;
	if (rec->addr == NULL || !rec->whole)
		return -ENOTSUP;	/* unmapped, or mapped around MSI-X */
#ifdef RTE_ARCH_X86
	/* PAT keeps the BAR WC for every mapping until the fd closes. */
	if (attr == RTE_PCI_BAR_UC)
		return -EBUSY;
#endif
	/*
	 * Hold the address range with an inaccessible anonymous mapping while
	 * the device mapping is gone: on x86 vfio-pci-wc refuses a request
	 * while the BAR is still mapped uncached.
	 */
	if (mmap(rec->addr, rec->map_size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;

	if (attr == RTE_PCI_BAR_UC) {
		ret = pci_wc_vfio_map_at(rec, fd, rec->bar_region_offset);
		if (ret == 0) {
			rec->attr = RTE_PCI_BAR_UC;
			rec->path = RTE_PCI_BAR_PATH_VFIO;
			rec->region = bar;
			snprintf(rec->reason, sizeof(rec->reason),
				"remapped uncached by the application");
		}
		goto out;
	}
	ret = pci_wc_vfio_request(fd, bar, &region);
	if (ret == 0) {
		ri = pci_wc_region_info(fd, region);
		ret = ri == NULL ? -errno : pci_wc_vfio_map_at(rec, fd, ri->offset);
		free(ri);
	}
	if (ret == 0) {
		rec->attr = RTE_PCI_BAR_WC;
		rec->path = RTE_PCI_BAR_PATH_VFIO_WC_ALIAS;
		rec->region = region;
		snprintf(rec->reason, sizeof(rec->reason),
			"remapped WC by the application");
	} else if (pci_wc_vfio_map_at(rec, fd, rec->bar_region_offset) < 0) {
		/* Could not even restore: the BAR is gone from this process. */
		rec->attr = RTE_PCI_BAR_UNMAPPED;
		rec->path = RTE_PCI_BAR_PATH_NONE;
		snprintf(rec->reason, sizeof(rec->reason),
			"remap failed and the old mapping could not be restored");
	}
out:
	pci_wc_bar_log(dev, (int)bar, rec, true);
	return ret;
}
