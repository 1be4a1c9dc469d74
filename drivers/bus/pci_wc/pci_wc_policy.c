/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "pci_wc_policy.h"

static const char *const mode_names[] = {
	[PCI_WC_MODE_UNSET] = "unset",
	[PCI_WC_MODE_OFF] = "off",
	[PCI_WC_MODE_DRIVER] = "driver",
	[PCI_WC_MODE_ALL] = "all",
};

int
pci_wc_mode_parse(const char *value, enum pci_wc_mode *mode)
{
	unsigned int i;

	if (value == NULL || value[0] == '\0') {
		*mode = PCI_WC_MODE_DRIVER;
		return 0;
	}
	/* "unset" is internal: the user says it by leaving the option out */
	for (i = PCI_WC_MODE_OFF; i <= PCI_WC_MODE_ALL; i++) {
		if (strcmp(value, mode_names[i]) == 0) {
			*mode = i;
			return 0;
		}
	}
	return -1;
}

const char *
pci_wc_mode_name(enum pci_wc_mode mode)
{
	if ((unsigned int)mode > PCI_WC_MODE_ALL)
		return "?";
	return mode_names[mode];
}

int
pci_wc_devargs_extract(char *args, enum pci_wc_mode *mode)
{
	const size_t klen = strlen(PCI_WC_DEVARG_KEY);
	char value[16];
	char *kv = args;

	if (args == NULL)
		return 0;
	while (*kv != '\0') {
		char *end = strchr(kv, ',');
		size_t kvlen = end != NULL ? (size_t)(end - kv) : strlen(kv);

		if (kvlen > klen && strncmp(kv, PCI_WC_DEVARG_KEY, klen) == 0 &&
				kv[klen] == '=') {
			size_t vlen = kvlen - klen - 1;

			if (vlen >= sizeof(value))
				return -1;
			memcpy(value, kv + klen + 1, vlen);
			value[vlen] = '\0';
			/* "pci_wc=" with nothing after it is not the bare option */
			if (vlen == 0 || pci_wc_mode_parse(value, mode) < 0)
				return -1;
			/* drop "key=value" and one comma next to it */
			if (end != NULL)
				memmove(kv, end + 1, strlen(end + 1) + 1);
			else if (kv != args)
				kv[-1] = '\0';
			else
				kv[0] = '\0';
			return 1;
		}
		if (end == NULL)
			break;
		kv = end + 1;
	}
	return 0;
}

bool
pci_wc_decide(const struct pci_wc_bar_facts *f, char *reason, size_t len)
{
	const char *src = f->mode_from_devarg ? "device argument " PCI_WC_DEVARG_KEY :
			"--pci-wc";
	const char *drv = f->driver != NULL ? f->driver : "(none)";

	if (!f->memory) {
		snprintf(reason, len, "not a memory BAR");
		return false;
	}
	if (!f->prefetchable) {
		snprintf(reason, len, "not prefetchable: WC could change what the device sees");
		return false;
	}
	switch (f->mode) {
	case PCI_WC_MODE_UNSET:
		/* Before dpdk-wc, UIO already honoured the driver flag. */
		if (f->access == PCI_WC_ACCESS_UIO && f->driver_asks) {
			snprintf(reason, len,
				"driver %s asks for WC (UIO default; --pci-wc=off disables)",
				drv);
			return true;
		}
		snprintf(reason, len, "WC not requested (--pci-wc not given)");
		return false;
	case PCI_WC_MODE_OFF:
		snprintf(reason, len, "WC disabled (%s=off)", src);
		return false;
	case PCI_WC_MODE_DRIVER:
		if (f->driver_asks) {
			snprintf(reason, len, "%s=driver and driver %s asks for WC",
				src, drv);
			return true;
		}
		snprintf(reason, len,
			"driver %s does not ask for WC (%s=driver; =all forces it)",
			drv, src);
		return false;
	case PCI_WC_MODE_ALL:
		snprintf(reason, len, "%s=all", src);
		return true;
	}
	snprintf(reason, len, "unknown mode");
	return false;
}
