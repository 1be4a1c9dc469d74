/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An out-of-tree DPDK driver and app, built only against the installed
 * dpdk-wc-dev package:
 *
 *   cc -o hello_pmd hello_pmd.c $(pkg-config --cflags --libs dpdk-wc)
 *   ./hello_pmd --no-huge --no-pci -m 64 --vdev=hello0
 *
 * It registers a vdev driver through the driver-SDK header
 * (bus_vdev_driver.h, which Debian's own DPDK does not ship), uses the
 * bus's WC API names (rte_pci_wc.h), our MMIO copy (wc_mmio.h) on plain
 * memory and the kernel module's uAPI header, and checks that EAL probed
 * the driver. Exit status 0 only if everything did what it should.
 */
/* A driver uses the SDK's internal API; the WC API is experimental. */
#define ALLOW_INTERNAL_API
#define ALLOW_EXPERIMENTAL_API

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_pci_wc.h>
#include <bus_vdev_driver.h>
#include <wc_mmio.h>
#include <vfio-pci-wc/uapi/vfio_pci_wc.h>

static int hello_probed;

static int
hello_probe(struct rte_vdev_device *dev)
{
	printf("hello_pmd: probed %s\n", rte_vdev_device_name(dev));
	hello_probed = 1;
	return 0;
}

static int
hello_remove(struct rte_vdev_device *dev)
{
	printf("hello_pmd: removed %s\n", rte_vdev_device_name(dev));
	return 0;
}

static struct rte_vdev_driver hello_drv = {
	.probe = hello_probe,
	.remove = hello_remove,
};

RTE_PMD_REGISTER_VDEV(hello, hello_drv);

int
main(int argc, char **argv)
{
	char src[64], dst[64];
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "hello_pmd: rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	memset(src, 0x5a, sizeof(src));
	memset(dst, 0, sizeof(dst));
	/* Plain memory is as safe as a UC mapping: aligned pieces only. */
	wc_mmio_copy_to(dst, src, sizeof(dst), WC_MMIO_UC, 0);
	printf("hello_pmd: eal up; wc attr names %s/%s; uAPI has %d BARs; copy %s\n",
	       rte_pci_wc_attr_name(RTE_PCI_WC_ATTR_UC),
	       rte_pci_wc_attr_name(RTE_PCI_WC_ATTR_WC),
	       VFIO_PCI_WC_NUM_BARS,
	       memcmp(src, dst, sizeof(dst)) == 0 ? "ok" : "WRONG");
	ret = hello_probed && memcmp(src, dst, sizeof(dst)) == 0 ? 0 : 1;
	if (!hello_probed)
		fprintf(stderr, "hello_pmd: the vdev driver was not probed\n");
	rte_eal_cleanup();
	printf("hello_pmd: %s\n", ret == 0 ? "PASS" : "FAIL");
	return ret;
}
