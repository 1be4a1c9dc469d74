/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where the device sits: its PCIe link (speed, width, Max_Payload_Size)
 * and NUMA node, from sysfs, against the socket of the lcore that
 * measures. On hardware these bound what any mapping can reach; under
 * QEMU the link is usually not there to read, and the report says so
 * with the reason instead of a number.
 */
#ifndef TWC_LINK_H
#define TWC_LINK_H

#include <stdbool.h>

#include "twc_report.h"

/*
 * Read the link of PCI device pci ("0000:01:00.0") under sysfs_root
 * ("/sys" or a test's own tree). lcore_socket is the measuring lcore's
 * socket (-1 unknown); emulated says the environment is an emulator or
 * VM, to word the reason when the link is missing.
 */
void twc_link_read(const char *sysfs_root, const char *pci,
		int lcore_socket, bool emulated, struct twc_link *l);

/*
 * Pure parts, for tests: "8.0 GT/s PCIe" -> 8.0 (0 when not a speed);
 * Max_Payload_Size in bytes from PCI configuration space bytes cfg[0..n)
 * (-1, with why set, when the PCI Express capability is not in them).
 */
double twc_link_parse_gts(const char *s);
int twc_link_mps_from_config(const unsigned char *cfg, unsigned int n,
		char *why, unsigned int why_len);

#endif /* TWC_LINK_H */
