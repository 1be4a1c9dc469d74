/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run-time detection of the store instructions the WC copy may use.
 *
 * The library is compiled for the architecture's baseline (DPDK's
 * platform=generic, so one binary runs on any CPU, emulated ones too),
 * hence the question "may I use AVX here?" is answered at run time, once.
 */
#include <pthread.h>
#include <stdint.h>

#include "wc_mmio.h"

#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif
#endif

static struct wc_mmio_cpu wc_cpu;
static pthread_once_t wc_cpu_once = PTHREAD_ONCE_INIT;

#if defined(__x86_64__)

/* CPUID.1:ECX / CPUID.7.0:EBX,ECX bits, spelled out for older cpuid.h. */
#define WC_CPUID1_ECX_OSXSAVE	(1U << 27)
#define WC_CPUID1_ECX_AVX	(1U << 28)
#define WC_CPUID1_EDX_SSE2	(1U << 26)
#define WC_CPUID7_EBX_AVX512F	(1U << 16)
#define WC_CPUID7_ECX_MOVDIR64B	(1U << 28)

/* XCR0 state components the OS must save for the registers to be usable. */
#define WC_XCR0_SSE_AVX		0x06U	/* XMM, upper YMM */
#define WC_XCR0_AVX512		0xe0U	/* opmask, upper ZMM0-15, ZMM16-31 */

/*
 * XGETBV is only legal once CPUID says OSXSAVE; written as asm so this file
 * needs no -mxsave.
 */
static uint64_t
wc_xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void
wc_cpu_detect(struct wc_mmio_cpu *cpu)
{
	unsigned int eax, ebx, ecx, edx, max_leaf;
	uint64_t xcr0 = 0;
	int os_avx, os_avx512;

	cpu->arch = "x86_64";
	max_leaf = __get_cpuid_max(0, NULL);
	if (max_leaf < 1)
		return;
	__cpuid(1, eax, ebx, ecx, edx);
	cpu->sse2 = !!(edx & WC_CPUID1_EDX_SSE2);

	/*
	 * A CPU with AVX under an OS that does not save the YMM state (or a
	 * hypervisor hiding it) must not use it: the CPUID bit alone would
	 * be a lie, XCR0 is the truth.
	 */
	if (ecx & WC_CPUID1_ECX_OSXSAVE)
		xcr0 = wc_xgetbv0();
	os_avx = (xcr0 & WC_XCR0_SSE_AVX) == WC_XCR0_SSE_AVX;
	os_avx512 = os_avx && (xcr0 & WC_XCR0_AVX512) == WC_XCR0_AVX512;
	cpu->avx = os_avx && (ecx & WC_CPUID1_ECX_AVX);

	if (max_leaf >= 7) {
		__cpuid_count(7, 0, eax, ebx, ecx, edx);
		cpu->avx512f = os_avx512 && (ebx & WC_CPUID7_EBX_AVX512F);
		/* A general-purpose instruction: no OS state needed. */
		cpu->movdir64b = !!(ecx & WC_CPUID7_ECX_MOVDIR64B);
	}

	if (cpu->avx512f || cpu->movdir64b)
		cpu->max_width = WC_MMIO_W64;
	else if (cpu->avx)
		cpu->max_width = WC_MMIO_W32;
	else if (cpu->sse2)
		cpu->max_width = WC_MMIO_W16;
}

#elif defined(__aarch64__)

static void
wc_cpu_detect(struct wc_mmio_cpu *cpu)
{
	cpu->arch = "arm64";
	/* Advanced SIMD is all but universal, but optional in the arch. */
	cpu->neon = !!(getauxval(AT_HWCAP) & HWCAP_ASIMD);
	if (cpu->neon)
		cpu->max_width = WC_MMIO_W16;
}

#else

static void
wc_cpu_detect(struct wc_mmio_cpu *cpu)
{
	cpu->arch = "generic";
}

#endif

static void
wc_cpu_init(void)
{
	wc_cpu.max_width = WC_MMIO_W8;
	wc_cpu_detect(&wc_cpu);
}

const struct wc_mmio_cpu *
wc_mmio_cpu(void)
{
	pthread_once(&wc_cpu_once, wc_cpu_init);
	return &wc_cpu;
}
