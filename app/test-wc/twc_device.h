/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The device under test. The app registers a small PCI driver of its own
 * that asks the bus to map BARs (and allows WC); EAL's -a limits it to the
 * device the user named, and its probe hands the device to the app.
 */
#ifndef TWC_DEVICE_H
#define TWC_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <rte_pci_wc.h>

struct rte_pci_device;

/* The device probed by our driver after rte_eal_init(), or NULL. */
struct rte_pci_device *twc_device(void);

/* Its PCI address and vendor:device. */
const char *twc_device_name(const struct rte_pci_device *dev);
void twc_device_id(const struct rte_pci_device *dev, char *buf, size_t len);

struct rte_device;

/*
 * Before rte_eal_init(): leave on the PCI bus the driver that is to take
 * the device. Raw-BAR mode: ours, and not nvme_cmb (it would bring up NVMe
 * controllers nobody named). NVMe mode (nvme true): nvme_cmb, not ours.
 */
void twc_device_choose_driver(bool nvme);

/*
 * The PCI name ("0000:00:04.0") of the first device named with EAL's -a.
 * Returns 0, or -1 when none was named.
 */
int twc_device_named(char *name, size_t len);

/*
 * One line saying why no device was probed: none named with -a, no such
 * PCI device, not bound to a driver DPDK can use, or claimed elsewhere
 * (nvme: not taken by the nvme_cmb PMD).
 */
void twc_device_explain_missing(char *msg, size_t len, bool nvme);

/*
 * Choose the BAR to drive: want (0..5), or with want < 0 the first
 * prefetchable memory BAR. A BAR that is not prefetchable needs force
 * (it may hold registers). Fills info; returns 0, or -1 with msg set.
 */
int twc_device_pick_bar(const struct rte_pci_device *dev, int want,
		bool force, struct rte_pci_wc_bar *info, char *msg,
		size_t len);

/*
 * Close the device and probe it again with the bus asked for WC (device
 * argument pci_wc=driver; our driver asks for WC). The way to WC when the
 * bus cannot remap in place: on x86 vfio-pci-wc refuses WC for a BAR the
 * device has already mapped uncached, until the device is closed.
 * Returns the new device, or NULL with msg set.
 */
struct rte_pci_device *twc_device_reopen_wc(struct rte_pci_device *dev,
		char *msg, size_t len);

/*
 * Close dev (rte_dev_remove) and probe it again (rte_dev_probe) with the
 * device argument pci_wc=<pci_wc> ("off", "driver", "all") added to the
 * driver's own ones: how NVMe mode gets the CMB BAR mapped the other way.
 * Returns 0 (the driver may have declined: look the device up again), or
 * -1 with msg set.
 */
int twc_device_reprobe(struct rte_device *dev, const char *pci_wc,
		char *msg, size_t len);

#endif /* TWC_DEVICE_H */
