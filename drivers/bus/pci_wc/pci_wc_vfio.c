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

/* A memory BAR the kernel lets nobody mmap: the slow path's record. */
static void
pci_wc_vfio_slow_path_rec(struct pci_wc_bar_rec *rec, int bar,
		const struct vfio_region_info *reg)
{
	memset(rec, 0, sizeof(*rec));
	rec->attr = RTE_PCI_WC_ATTR_SLOW_PATH;
	rec->path = RTE_PCI_WC_PATH_VFIO;
	rec->region = bar;
	rec->have_bar_region = true;
	rec->bar_region_offset = reg->offset;
	snprintf(rec->reason, sizeof(rec->reason),
		"kernel allows no mmap (%s BAR of %" PRIu64 " bytes); use rte_pci_wc_mmio_read/write",
		reg->size < (uint64_t)sysconf(_SC_PAGESIZE) ? "sub-page" :
		"unaligned or refused", (uint64_t)reg->size);
}

void
pci_wc_vfio_bar_unmappable(struct rte_pci_device *dev, int bar,
		const struct vfio_region_info *reg)
{
	struct pci_wc_bar_rec rec;

	if (reg->size == 0)
		return;
	pci_wc_vfio_slow_path_rec(&rec, bar, reg);
	pci_wc_rec_store(dev, bar, &rec);
	/* Always worth a line: a driver may expect a mapping here. */
	pci_wc_bar_log(dev, bar, &rec, true);
}

uint64_t
pci_wc_vfio_bar_offset(struct rte_pci_device *dev, int fd, int bar,
		const struct vfio_region_info *reg)
{
	struct pci_wc_bar_rec rec;
	struct vfio_region_info *alias;
	struct pci_wc_bar_facts facts;
	char what[PCI_WC_REASON_LEN];
	uint64_t offset = reg->offset;
	uint32_t region;
	int ret;

	memset(&rec, 0, sizeof(rec));
	rec.have_bar_region = true;
	rec.bar_region_offset = reg->offset;
	rec.region = bar;
	rec.path = RTE_PCI_WC_PATH_VFIO;
	rec.attr = RTE_PCI_WC_ATTR_UC;
	rec.map_size = reg->size;
	rec.whole = pci_wc_region_cap(reg, VFIO_REGION_INFO_CAP_SPARSE_MMAP) == NULL;

	pci_wc_bar_facts(dev, bar, PCI_WC_ACCESS_VFIO, &facts);
	if (!pci_wc_decide(&facts, rec.reason, sizeof(rec.reason)))
		goto out;
	rec.wc_wanted = true;
	strlcpy(rec.why, rec.reason, sizeof(rec.why));
	ret = pci_wc_vfio_request(fd, bar, &region);
	if (ret < 0) {
		pci_wc_what(what, sizeof(what), PCI_WC_WHAT_REFUSED, -ret);
		pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
		goto out;
	}
	alias = pci_wc_region_info(fd, region);
	if (alias == NULL || !(alias->flags & VFIO_REGION_INFO_FLAG_MMAP) ||
			alias->size != reg->size) {
		pci_wc_what(what, sizeof(what), PCI_WC_WHAT_ALIAS_UNMAPPABLE,
			(int)region);
		pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
		free(alias);
		goto out;
	}
	rec.attr = RTE_PCI_WC_ATTR_WC;
	rec.path = RTE_PCI_WC_PATH_VFIO_WC_ALIAS;
	rec.region = region;
	offset = alias->offset;
	free(alias);
out:
	pci_wc_rec_store(dev, bar, &rec);
	return offset;
}

bool
pci_wc_vfio_map_failed(struct rte_pci_device *dev, int bar, uint64_t *offset,
		uint64_t *size, void **addr, int err)
{
	char what[PCI_WC_REASON_LEN];
	struct pci_wc_bar_rec rec;

	if (pci_wc_rec_load(dev, bar, &rec) < 0 || !rec.wc_wanted)
		return false;
	if (rec.path == RTE_PCI_WC_PATH_VFIO_WC_ALIAS) {
		/*
		 * The alias was granted but cannot be mapped here: as with
		 * every other refusal, map the BAR uncached and say why. The
		 * alias stays granted until the device fd is closed.
		 */
		pci_wc_what(what, sizeof(what), PCI_WC_WHAT_ALIAS_MMAP, err);
		pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
		rec.attr = RTE_PCI_WC_ATTR_UC;
		rec.path = RTE_PCI_WC_PATH_VFIO;
		rec.region = bar;
		rec.alias_mmap_failed = true;
		*offset = rec.bar_region_offset;
		pci_wc_rec_store(dev, bar, &rec);
		return true;
	}
	if (rec.alias_mmap_failed && rec.attr == RTE_PCI_WC_ATTR_UC) {
		/*
		 * The plain region cannot be mmapped either while the alias
		 * exists (x86: the BAR's pages keep their WC type until the
		 * fd closes, and vfio-pci-wc refuses): leave the BAR to the
		 * slow path, which the kernel serves uncached, rather than
		 * fail the device.
		 */
		pci_wc_what(what, sizeof(what), PCI_WC_WHAT_ALIAS_AND_PLAIN_MMAP,
			err);
		pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
		rec.attr = RTE_PCI_WC_ATTR_SLOW_PATH;
		rec.addr = NULL;
		*size = 0;	/* the bus skips a BAR of size 0 */
		*addr = NULL;
		pci_wc_rec_store(dev, bar, &rec);
		return true;
	}
	return false;
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

/*
 * A BAR the primary left unmapped, seen from a secondary (which gets a
 * NULL address for it): tell the same story the primary told, from what
 * the kernel says of the region.
 */
static bool
pci_wc_vfio_secondary_unmapped(struct rte_pci_device *dev, int fd, int bar,
		struct pci_wc_bar_rec *rec)
{
	struct vfio_region_info *own = pci_wc_region_info(fd, bar);

	memset(rec, 0, sizeof(*rec));
	if (own == NULL)
		return false;
	/* the primary skips I/O BARs without a word, so does this */
	if (own->size == 0 || pci_wc_bar_is_io(dev, bar)) {
		free(own);
		return false;	/* "not implemented" or "I/O BAR" */
	}
	/* not mmappable, or left to the slow path by the primary's map */
	if (!(own->flags & VFIO_REGION_INFO_FLAG_MMAP) ||
			pci_wc_shared_attr(dev, bar) == RTE_PCI_WC_ATTR_SLOW_PATH) {
		pci_wc_vfio_slow_path_rec(rec, bar, own);
	} else {
		rec->have_bar_region = true;
		rec->bar_region_offset = own->offset;
		rec->path = RTE_PCI_WC_PATH_NONE;
		snprintf(rec->reason, sizeof(rec->reason),
			"holds only the MSI-X table");
	}
	free(own);
	return true;
}

void
pci_wc_vfio_bar_mapped(struct rte_pci_device *dev, int fd, int bar,
		void *addr, uint64_t offset)
{
	bool secondary = rte_eal_process_type() != RTE_PROC_PRIMARY;
	struct vfio_region_info *own;
	struct pci_wc_bar_rec rec;
	uint32_t region;

	if (addr == NULL) {
		if (secondary) {
			if (pci_wc_vfio_secondary_unmapped(dev, fd, bar, &rec)) {
				pci_wc_shared_reason(dev, bar, &rec, rec.reason);
				pci_wc_rec_store(dev, bar, &rec);
				if (rec.attr == RTE_PCI_WC_ATTR_SLOW_PATH)
					pci_wc_bar_log(dev, bar, &rec, true);
			}
			return;
		}
		pci_wc_rec_load(dev, bar, &rec);
		if (rec.attr == RTE_PCI_WC_ATTR_SLOW_PATH) {
			/* left to the slow path after a failed map */
			pci_wc_bar_log(dev, bar, &rec, true);
			return;
		}
		/* DPDK skips a BAR that is all MSI-X table */
		rec.attr = RTE_PCI_WC_ATTR_UNMAPPED;
		rec.path = RTE_PCI_WC_PATH_NONE;
		snprintf(rec.reason, sizeof(rec.reason),
			"holds only the MSI-X table");
		pci_wc_rec_store(dev, bar, &rec);
		return;
	}
	pci_wc_rec_load(dev, bar, &rec);
	if (secondary) {
		/*
		 * A secondary maps what the primary chose (the offset comes
		 * from shared memory): find out which region that is.
		 */
		memset(&rec, 0, sizeof(rec));
		own = pci_wc_region_info(fd, bar);
		if (own != NULL) {
			rec.have_bar_region = true;
			rec.bar_region_offset = own->offset;
			rec.map_size = own->size;
			rec.whole = pci_wc_region_cap(own,
				VFIO_REGION_INFO_CAP_SPARSE_MMAP) == NULL;
			free(own);
		}
		if (pci_wc_vfio_offset_is_alias(fd, bar, offset, &region)) {
			rec.attr = RTE_PCI_WC_ATTR_WC;
			rec.path = RTE_PCI_WC_PATH_VFIO_WC_ALIAS;
			rec.region = region;
		} else {
			rec.attr = RTE_PCI_WC_ATTR_UC;
			rec.path = RTE_PCI_WC_PATH_VFIO;
			rec.region = bar;
		}
		pci_wc_shared_reason(dev, bar, &rec,
			"as the primary process mapped it");
	}
	rec.addr = addr;
	pci_wc_rec_store(dev, bar, &rec);
	pci_wc_bar_log(dev, bar, &rec, pci_wc_bar_prefetchable(dev, bar));
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
	struct pci_wc_bar_rec rec;
	struct rte_pci_wc_bar info;
	int ret;

	/* copies of the record: nothing here points into it */
	ret = rte_pci_wc_bar_info(dev, bar, &info);
	if (ret < 0)
		return ret;
	if (!info.memory || offset > info.size || len > info.size - offset)
		return -EINVAL;
	*fd = pci_wc_vfio_fd(dev);
	if (*fd < 0 || pci_wc_rec_load(dev, (int)bar, &rec) < 0 ||
			!rec.have_bar_region)
		return -ENOTSUP;
	return (int64_t)(rec.bar_region_offset + offset);
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
pci_wc_vfio_map_at(const struct pci_wc_bar_rec *rec, int fd, uint64_t offset)
{
	void *p = mmap(rec->addr, rec->map_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED, fd, (off_t)offset);

	return p == MAP_FAILED ? -errno : 0;
}

int
rte_pci_wc_bar_remap(struct rte_pci_device *dev, unsigned int bar,
		enum rte_pci_wc_attr attr)
{
	struct pci_wc_bar_rec rec;
	struct vfio_region_info *ri;
	uint32_t region;
	int fd, ret;

	if (dev == NULL || bar >= PCI_WC_NB_BARS ||
			(attr != RTE_PCI_WC_ATTR_UC && attr != RTE_PCI_WC_ATTR_WC))
		return -EINVAL;
	/* the caller has stopped the BAR's users: work on a copy, store it */
	if (rte_pci_wc_bar_info(dev, bar, &(struct rte_pci_wc_bar){ 0 }) < 0 ||
			pci_wc_rec_load(dev, (int)bar, &rec) < 0)
		return -ENODEV;
	if (rec.attr == attr)
		return 0;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -EPERM;
	fd = pci_wc_vfio_fd(dev);
	if (fd < 0 || (rec.path != RTE_PCI_WC_PATH_VFIO &&
			rec.path != RTE_PCI_WC_PATH_VFIO_WC_ALIAS))
		return -ENOTSUP;
	if (rec.addr == NULL || !rec.whole)
		return -ENOTSUP;	/* unmapped, or mapped around MSI-X */
#ifdef RTE_ARCH_X86
	/* PAT keeps the BAR WC for every mapping until the fd closes. */
	if (attr == RTE_PCI_WC_ATTR_UC)
		return -EBUSY;
#endif
	/*
	 * Hold the address range with an inaccessible anonymous mapping while
	 * the device mapping is gone: on x86 vfio-pci-wc refuses a request
	 * while the BAR is still mapped uncached.
	 */
	if (mmap(rec.addr, rec.map_size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;

	if (attr == RTE_PCI_WC_ATTR_UC) {
		ret = pci_wc_vfio_map_at(&rec, fd, rec.bar_region_offset);
		if (ret == 0) {
			rec.attr = RTE_PCI_WC_ATTR_UC;
			rec.path = RTE_PCI_WC_PATH_VFIO;
			rec.region = bar;
			snprintf(rec.reason, sizeof(rec.reason),
				"remapped uncached by the application");
		}
		goto out;
	}
	ret = pci_wc_vfio_request(fd, bar, &region);
	if (ret == 0) {
		ri = pci_wc_region_info(fd, region);
		ret = ri == NULL ? -errno : pci_wc_vfio_map_at(&rec, fd, ri->offset);
		free(ri);
	}
	if (ret == 0) {
		rec.attr = RTE_PCI_WC_ATTR_WC;
		rec.path = RTE_PCI_WC_PATH_VFIO_WC_ALIAS;
		rec.region = region;
		snprintf(rec.reason, sizeof(rec.reason),
			"remapped WC by the application");
	} else if (pci_wc_vfio_map_at(&rec, fd, rec.bar_region_offset) < 0) {
		/* Could not even restore: the BAR is gone from this process. */
		rec.attr = RTE_PCI_WC_ATTR_UNMAPPED;
		rec.path = RTE_PCI_WC_PATH_NONE;
		snprintf(rec.reason, sizeof(rec.reason),
			"remap failed and the old mapping could not be restored");
	}
out:
	pci_wc_rec_store(dev, (int)bar, &rec);
	pci_wc_bar_log(dev, (int)bar, &rec, true);
	return ret;
}
