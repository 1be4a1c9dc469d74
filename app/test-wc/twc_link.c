/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twc_link.h"

/* PCI configuration space: capability list and the PCIe capability. */
#define TWC_PCI_STATUS		0x06
#define TWC_PCI_STATUS_CAP_LIST	0x10
#define TWC_PCI_CAP_PTR		0x34
#define TWC_PCI_CAP_ID_EXP	0x10
#define TWC_PCI_EXP_DEVCTL	0x08	/* Device Control, in the capability */

/* First line of path into buf; 0, or -1 when it cannot be read. */
static int
twc_link_file(const char *root, const char *pci, const char *name,
		char *buf, size_t len)
{
	char path[256];
	FILE *f;
	char *nl;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/%s", root, pci,
		 name);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	return 0;
}

double
twc_link_parse_gts(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v <= 0 || strstr(end, "GT/s") == NULL)
		return 0;
	return v;
}

int
twc_link_mps_from_config(const unsigned char *cfg, unsigned int n,
		char *why, unsigned int why_len)
{
	unsigned int pos, hops;
	unsigned int devctl;

	if (n < 0x40 || !(cfg[TWC_PCI_STATUS] & TWC_PCI_STATUS_CAP_LIST)) {
		snprintf(why, why_len, "no capability list in the %u bytes of configuration space read",
			 n);
		return -1;
	}
	pos = cfg[TWC_PCI_CAP_PTR] & ~3u;
	/* 48 hops at most: a looping list must not hang the app. */
	for (hops = 0; pos >= 0x40 && pos + 1 < n && hops < 48; hops++) {
		if (cfg[pos] == TWC_PCI_CAP_ID_EXP) {
			if (pos + TWC_PCI_EXP_DEVCTL + 1 >= n)
				break;
			devctl = cfg[pos + TWC_PCI_EXP_DEVCTL] |
				(cfg[pos + TWC_PCI_EXP_DEVCTL + 1] << 8);
			/* DevCtl bits 7:5: 128 << n bytes. */
			return 128 << ((devctl >> 5) & 7);
		}
		pos = cfg[pos + 1] & ~3u;
	}
	snprintf(why, why_len, "no PCI Express capability in the %u bytes of configuration space read%s",
		 n, n <= 64 ? " (only 64 are readable without root)" : "");
	return -1;
}

void
twc_link_read(const char *root, const char *pci, int lcore_socket,
		bool emulated, struct twc_link *l)
{
	char buf[64], cfgpath[256];
	unsigned char cfg[256];
	FILE *f;
	size_t n = 0;

	memset(l, 0, sizeof(*l));
	l->mps = -1;
	l->numa_node = -1;
	l->lcore_socket = lcore_socket;

	if (twc_link_file(root, pci, "current_link_speed", buf, sizeof(buf)) != 0) {
		snprintf(l->reason, sizeof(l->reason), "%s has no current_link_speed in sysfs%s",
			 pci, emulated ? " (emulated or virtual device: no PCIe link to report)" : "");
	} else {
		snprintf(l->speed_str, sizeof(l->speed_str), "%s", buf);
		l->gts = twc_link_parse_gts(buf);
		if (twc_link_file(root, pci, "current_link_width", buf, sizeof(buf)) == 0)
			l->width = (unsigned int)strtoul(buf, NULL, 0);
		if (l->gts > 0 && l->width > 0)
			l->available = true;
		else
			snprintf(l->reason, sizeof(l->reason), "sysfs says link speed '%s', width %u%s",
				 l->speed_str, l->width,
				 emulated ? " (emulated device: QEMU reports no real link)" : "");
	}
	if (twc_link_file(root, pci, "max_link_speed", buf, sizeof(buf)) == 0)
		l->max_gts = twc_link_parse_gts(buf);
	if (twc_link_file(root, pci, "max_link_width", buf, sizeof(buf)) == 0)
		l->max_width = (unsigned int)strtoul(buf, NULL, 0);
	/* Links have 1..32 lanes; QEMU's root-bus devices say 255. */
	if (l->max_width > 32)
		l->max_width = 0;
	if (l->width > 32) {
		l->width = 0;
		l->available = false;
	}

	snprintf(cfgpath, sizeof(cfgpath), "%s/bus/pci/devices/%s/config", root, pci);
	f = fopen(cfgpath, "rb");
	if (f != NULL) {
		n = fread(cfg, 1, sizeof(cfg), f);
		fclose(f);
		l->mps = twc_link_mps_from_config(cfg, (unsigned int)n,
				l->mps_reason, sizeof(l->mps_reason));
	} else {
		snprintf(l->mps_reason, sizeof(l->mps_reason), "configuration space not readable in sysfs");
	}

	if (twc_link_file(root, pci, "numa_node", buf, sizeof(buf)) == 0)
		l->numa_node = atoi(buf);
	l->numa_mismatch = l->numa_node >= 0 && lcore_socket >= 0 &&
		l->numa_node != lcore_socket;
}
