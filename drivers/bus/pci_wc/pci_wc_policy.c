/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
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

char *
pci_wc_devargs_find(char *pos, const char *key, char **end_out,
		size_t *len_out)
{
	const size_t klen = strlen(key);

	while (pos != NULL && *pos != '\0') {
		char *end = strchr(pos, ',');
		size_t kvlen = end != NULL ? (size_t)(end - pos) : strlen(pos);

		if (kvlen > klen && strncmp(pos, key, klen) == 0 &&
				pos[klen] == '=') {
			*end_out = end;
			*len_out = kvlen;
			return pos;
		}
		pos = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

void
pci_wc_devargs_cut(char *args, const char *key)
{
	char *kv, *end;
	size_t kvlen;

	while ((kv = pci_wc_devargs_find(args, key, &end, &kvlen)) != NULL) {
		if (end != NULL)
			memmove(kv, end + 1, strlen(end + 1) + 1);
		else if (kv != args)
			kv[-1] = '\0';
		else
			kv[0] = '\0';
	}
}

/* Parse the value of one "pci_wc=VALUE" item of length kvlen. */
static int
pci_wc_devargs_value(const char *kv, size_t kvlen, enum pci_wc_mode *mode)
{
	const size_t klen = strlen(PCI_WC_DEVARG_KEY) + 1;
	char value[16];

	if (kvlen - klen >= sizeof(value))
		return -1;
	memcpy(value, kv + klen, kvlen - klen);
	value[kvlen - klen] = '\0';
	/* "pci_wc=" with nothing after it is not the bare option */
	if (value[0] == '\0')
		return -1;
	return pci_wc_mode_parse(value, mode);
}

int
pci_wc_devargs_extract(char *args, enum pci_wc_mode *mode)
{
	enum pci_wc_mode first = PCI_WC_MODE_UNSET, m;
	char *kv, *end;
	size_t kvlen;

	if (args == NULL)
		return 0;
	/* Check every occurrence before removing any. */
	for (kv = pci_wc_devargs_find(args, PCI_WC_DEVARG_KEY, &end, &kvlen);
			kv != NULL;
			kv = pci_wc_devargs_find(end != NULL ? end + 1 : NULL,
				PCI_WC_DEVARG_KEY, &end, &kvlen)) {
		if (pci_wc_devargs_value(kv, kvlen, &m) < 0)
			return -1;
		if (first != PCI_WC_MODE_UNSET && m != first)
			return -1;
		first = m;
	}
	if (first == PCI_WC_MODE_UNSET)
		return 0;
	pci_wc_devargs_cut(args, PCI_WC_DEVARG_KEY);
	*mode = first;
	return 1;
}

int
pci_wc_devarg_take(struct pci_wc_devarg *st, char *args)
{
	enum pci_wc_mode mode;
	int ret;

	ret = pci_wc_devargs_extract(args, &mode);
	if (ret < 0)
		return -1;
	if (ret == 0 && st->set && args != NULL && args == st->args &&
			strcmp(args, st->left) == 0)
		return 1;	/* a later driver's attempt on the same string */
	st->set = ret == 1;
	st->mode = ret == 1 ? mode : PCI_WC_MODE_UNSET;
	st->args = ret == 1 ? args : NULL;
	if (ret == 1)
		snprintf(st->left, sizeof(st->left), "%s", args);
	else
		st->left[0] = '\0';
	return ret;
}

bool
pci_wc_decide(const struct pci_wc_bar_facts *f, char *reason, size_t len)
{
	const char *src = f->mode_from_devarg ? "device argument " PCI_WC_DEVARG_KEY :
			"--pci-wc";
	char drv[PCI_WC_DRIVER_NAME_MAX + 1];

	snprintf(drv, sizeof(drv), "%s", f->driver != NULL ? f->driver : "(none)");

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

const char *
pci_wc_refusal_text(int err)
{
	switch (err) {
	case ENOTTY:
		return "the kernel has no WC request path (device not bound to vfio-pci-wc)";
	case EOPNOTSUPP:
		return "vfio-pci-wc refused: no WC on this platform for this BAR (x86: it holds MSI-X or does not own its whole pages)";
	case EPROTONOSUPPORT:
		return "vfio-pci-wc refused: it does not know the WC attribute (module older than this DPDK)";
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
pci_wc_what(char *buf, size_t len, enum pci_wc_what what, int arg)
{
	const char *text;

	switch (what) {
	case PCI_WC_WHAT_REFUSED:
		text = pci_wc_refusal_text(arg);
		if (text != NULL)
			snprintf(buf, len, "%s", text);
		else
			snprintf(buf, len, "the WC request failed: %s",
				strerror(arg));
		return;
	case PCI_WC_WHAT_ALIAS_UNMAPPABLE:
		snprintf(buf, len, "alias region %d is not mappable", arg);
		return;
	case PCI_WC_WHAT_ALIAS_MMAP:
		snprintf(buf, len,
			"mmap of the WC alias failed (%s): mapped uncached",
			strerror(arg));
		return;
	case PCI_WC_WHAT_ALIAS_AND_PLAIN_MMAP:
		snprintf(buf, len,
			"mmap of the WC alias failed, and of the plain region too (%s): use rte_pci_wc_mmio_read/write",
			strerror(arg));
		return;
	case PCI_WC_WHAT_UIO_WC_OPEN:
		snprintf(buf, len, "resource%d_wc could not be opened", arg);
		return;
	case PCI_WC_WHAT_UIO_WC_MMAP:
		snprintf(buf, len,
			"mmap of resourceN_wc failed (%s): mapped uncached",
			strerror(arg));
		return;
	}
	snprintf(buf, len, "unknown failure");
}

int
pci_wc_reason_refused(char *out, size_t len, const char *why, const char *what)
{
	return snprintf(out, len, "WC wanted (%s) but %s", why, what);
}
