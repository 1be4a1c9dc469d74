/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "twc_eal_args.h"

/*
 * EAL's short options (DPDK 22.11) that take a value, attached ("-l0")
 * or in the next argument ("-l 0"); the others ('h', 'v') are flags.
 */
#define TWC_EAL_SHORT_WITH_VALUE "abcdlmnrsS"

/* EAL's long options whose value is optional, hence only after '='. */
static const char *const twc_eal_optional[] = {
	"--pci-wc", "--huge-unlink", "--huge-worker-stack", NULL,
};

/* The values of --pci-wc, as EAL is to be given them. */
static const char *const twc_pci_wc_values[][2] = {
	{ "off", "--pci-wc=off" },
	{ "driver", "--pci-wc=driver" },
	{ "all", "--pci-wc=all" },
};

/*
 * Does this argument name a device with -a? Short options may be
 * grouped ("-va 00:04.0"); a letter that takes a value ends the group,
 * the rest being its value ("-da" loads a driver named "a").
 */
static bool
twc_names_device(const char *arg)
{
	const char *c;

	if (strcmp(arg, "--allow") == 0 || strncmp(arg, "--allow=", 8) == 0)
		return true;
	if (arg[0] != '-' || arg[1] == '-' || arg[1] == '\0')
		return false;
	for (c = arg + 1; *c != '\0'; c++) {
		if (*c == 'a')
			return true;
		if (strchr(TWC_EAL_SHORT_WITH_VALUE, *c) != NULL)
			return false;
	}
	return false;
}

static bool
twc_optional_valued(const char *arg)
{
	unsigned int i;

	for (i = 0; twc_eal_optional[i] != NULL; i++)
		if (strcmp(arg, twc_eal_optional[i]) == 0)
			return true;
	return false;
}

int
twc_eal_args(int argc, char *const argv[], char **out, int *out_argc,
		char *err, size_t errlen)
{
	bool named = false;
	const char *next;
	unsigned int v;
	int a, n = 0;

	err[0] = '\0';
	for (a = 0; a < argc; a++) {
		out[n++] = argv[a];
		if (a == 0)
			continue;
		named = named || twc_names_device(argv[a]);
		if (!twc_optional_valued(argv[a]) || a + 1 >= argc)
			continue;
		/* A following option is the next option, not a value. */
		next = argv[a + 1];
		if (next[0] == '-')
			continue;
		if (strcmp(argv[a], "--pci-wc") != 0) {
			snprintf(err, errlen, "EAL option %s takes its value only after '=': write %s=%s ('%s' would be ignored)",
				 argv[a], argv[a], next, next);
			return -1;
		}
		for (v = 0; v < sizeof(twc_pci_wc_values) /
			     sizeof(twc_pci_wc_values[0]); v++)
			if (strcmp(next, twc_pci_wc_values[v][0]) == 0)
				break;
		if (v == sizeof(twc_pci_wc_values) /
			 sizeof(twc_pci_wc_values[0])) {
			snprintf(err, errlen, "EAL option --pci-wc: '%s' is not one of its values (off, driver, all; written --pci-wc=VALUE)",
				 next);
			return -1;
		}
		out[n - 1] = (char *)(uintptr_t)twc_pci_wc_values[v][1];
		a++;
	}
	out[n] = NULL;
	*out_argc = n;
	if (!named) {
		snprintf(err, errlen, "no device named: pass EAL option -a <PCI address> (e.g. -a 0000:00:04.0) before '--'; without it EAL would offer every PCI device to its drivers");
		return -1;
	}
	return 0;
}
