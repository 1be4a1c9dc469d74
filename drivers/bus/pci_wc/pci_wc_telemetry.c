/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry: which devices the bus mapped, and per BAR its size, whether
 * it is prefetchable, the attribute it got, the path and why.
 *
 *   --> /pci_wc/devices
 *   --> /pci_wc/bars,0000:00:04.0
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_telemetry.h>
#include <bus_pci_driver.h>

#include "pci_wc_private.h"

/*
 * Both endpoints work on copies of the records taken under the bus's
 * lock, and build their answer after it is released: a device freed
 * meanwhile is simply absent, never half-read.
 */
static int
pci_wc_tel_devices(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct pci_wc_name *names;
	unsigned int i, n;

	names = pci_wc_dev_names(&n);
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_string(d, names[i].s);
	free(names);
	return 0;
}

static int
pci_wc_tel_bars(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct rte_pci_wc_bar info[PCI_WC_NB_BARS];
	unsigned int bar;

	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	if (pci_wc_dev_bars(params, info) < 0)
		return -ENODEV;
	rte_tel_data_start_dict(d);
	for (bar = 0; bar < PCI_WC_NB_BARS; bar++) {
		struct rte_tel_data *b;
		char name[8];

		if (info[bar].size == 0)
			continue;
		b = rte_tel_data_alloc();
		if (b == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(b);
		rte_tel_data_add_dict_u64(b, "size", info[bar].size);
		rte_tel_data_add_dict_int(b, "memory", info[bar].memory);
		rte_tel_data_add_dict_int(b, "prefetchable", info[bar].prefetchable);
		rte_tel_data_add_dict_string(b, "attr",
			rte_pci_wc_attr_name(info[bar].attr));
		rte_tel_data_add_dict_string(b, "path",
			rte_pci_wc_path_name(info[bar].path));
		rte_tel_data_add_dict_int(b, "unplugged", info[bar].unplugged);
		rte_tel_data_add_dict_string(b, "reason", info[bar].reason);
		snprintf(name, sizeof(name), "bar%u", bar);
		rte_tel_data_add_dict_container(d, name, b, 0);
	}
	return 0;
}

RTE_INIT(pci_wc_telemetry_init)
{
	rte_telemetry_register_cmd("/pci_wc/devices", pci_wc_tel_devices,
		"Returns the PCI devices whose BARs the bus mapped. No parameters");
	rte_telemetry_register_cmd("/pci_wc/bars", pci_wc_tel_bars,
		"Returns each BAR's size, prefetchable flag, attribute, path and reason. Parameters: PCI address");
}
