/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where the numbers come from. Timings taken under an emulator (QEMU TCG)
 * or inside a VM are not hardware numbers; the app finds out what it can
 * and every output says so.
 */
#ifndef TWC_ENV_H
#define TWC_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct twc_env {
	char description[128];	/* one phrase for humans and files */
	bool emulated;		/* emulator or hypervisor seen */
};

/* Look at CPUID (x86), DMI and the device tree. */
void twc_env_detect(struct twc_env *env);

/*
 * Pure part, for tests: describe from what was read. hv_signature is the
 * x86 CPUID hypervisor vendor (12 chars, "" if none), hv_bit the CPUID
 * "running under a hypervisor" bit, dmi_vendor the DMI system vendor and
 * dt_compatible the device tree root "compatible" (NULs turned to
 * spaces); any may be "".
 */
void twc_env_describe(struct twc_env *env, const char *hv_signature,
		bool hv_bit, const char *dmi_vendor, const char *dt_compatible);

#endif /* TWC_ENV_H */
