/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which kernel drivers are VFIO PCI drivers. Besides vfio-pci itself,
 * Linux has variant drivers (vfio-pci-wc, mlx5_vfio_pci, nvgrace_gpu_vfio_pci,
 * ...), each a module built on vfio_pci_core and each handing userspace
 * the same VFIO device interface. sysfs tells which ones they are: the
 * driver's "module" link names its module, and vfio_pci_core lists the
 * modules that use it under "holders". No DPDK calls, so the unit tests
 * build it alone against a sysfs tree of their own.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pci_wc_policy.h"

bool
pci_wc_kdrv_is_vfio_at(const char *sysfs, const char *driver)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *module;
	ssize_t n;

	if (driver == NULL || driver[0] == '\0' || strchr(driver, '/') != NULL)
		return false;
	/* built into the kernel, vfio-pci has no module link to follow */
	if (strcmp(driver, "vfio-pci") == 0)
		return true;
	if (snprintf(path, sizeof(path), "%s/bus/pci/drivers/%s/module", sysfs,
			driver) >= (int)sizeof(path))
		return false;
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	module = strrchr(link, '/');
	module = module != NULL ? module + 1 : link;
	if (strcmp(module, "vfio_pci_core") == 0)
		return true;
	if (snprintf(path, sizeof(path), "%s/module/vfio_pci_core/holders/%s",
			sysfs, module) >= (int)sizeof(path))
		return false;
	return access(path, F_OK) == 0;
}
