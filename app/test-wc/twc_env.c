/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "twc_env.h"

void
twc_env_describe(struct twc_env *env, const char *hv_signature,
		bool hv_bit, const char *dmi_vendor, const char *dt_compatible)
{
	memset(env, 0, sizeof(*env));
	env->emulated = true;
	if (strncmp(hv_signature, "TCGTCGTCGTCG", 12) == 0)
		snprintf(env->description, sizeof(env->description),
			 "QEMU TCG emulation (instructions translated in software)");
	else if (strncmp(hv_signature, "KVMKVMKVM", 9) == 0)
		snprintf(env->description, sizeof(env->description),
			 "KVM virtual machine%s",
			 strstr(dmi_vendor, "QEMU") ? " (QEMU)" : "");
	else if (hv_signature[0] != '\0')
		snprintf(env->description, sizeof(env->description),
			 "virtual machine (hypervisor '%.12s')", hv_signature);
	else if (hv_bit)
		snprintf(env->description, sizeof(env->description),
			 "virtual machine (CPUID hypervisor bit)");
	else if (strstr(dmi_vendor, "QEMU") != NULL)
		snprintf(env->description, sizeof(env->description),
			 "QEMU machine (DMI vendor QEMU)");
	else if (strstr(dt_compatible, "linux,dummy-virt") != NULL)
		/* arm64 cannot tell TCG from KVM from inside: say both. */
		snprintf(env->description, sizeof(env->description),
			 "QEMU virt machine (emulated or virtualised)");
	else {
		snprintf(env->description, sizeof(env->description),
			 "no emulator or hypervisor detected");
		env->emulated = false;
	}
}

/* First line of a small file, NULs to spaces, "" when unreadable. */
static void
twc_read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n, i;

	buf[0] = '\0';
	if (f == NULL)
		return;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
		else if (buf[i] == '\n')
			buf[i] = '\0';
}

void
twc_env_detect(struct twc_env *env)
{
	char sig[13] = "", dmi[64], dt[256];
	bool hv_bit = false;
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 31))) {
		hv_bit = true;
		/* Leaf 0x40000000: the hypervisor's vendor signature. */
		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
	}
#endif
	twc_read_small("/sys/class/dmi/id/sys_vendor", dmi, sizeof(dmi));
	twc_read_small("/proc/device-tree/compatible", dt, sizeof(dt));
	twc_env_describe(env, sig, hv_bit, dmi, dt);
}
