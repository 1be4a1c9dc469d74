/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "twc_fault.h"

static __thread sigjmp_buf twc_fault_env;
static __thread volatile sig_atomic_t twc_fault_armed;
static struct sigaction twc_old_bus, twc_old_segv;
static unsigned int twc_installs;

/* write(2) all of s: all a signal handler may do to report. */
static void
twc_fault_say(const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len != 0) {
		n = write(STDERR_FILENO, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

static void
twc_fault_handler(int sig)
{
	if (twc_fault_armed) {
		twc_fault_armed = 0;
		siglongjmp(twc_fault_env, sig);
	}
	/*
	 * Outside an attempt every access to a mapping is one of ours that
	 * must not fault: say so, then take the default action. Returning
	 * re-executes the access, which ends the process with the signal,
	 * as it would have without us.
	 */
	twc_fault_say(sig == SIGBUS ? "dpdk-test-wc: SIGBUS" : "dpdk-test-wc: SIGSEGV");
	twc_fault_say(" outside a guarded attempt: an MMIO access of the app, the wc_mmio library or the PMD faulted; the run stops with this signal\n");
	signal(sig, SIG_DFL);
}

int
twc_fault_guard_install(void)
{
	struct sigaction sa;

	if (twc_installs != 0) {
		twc_installs++;
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = twc_fault_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &twc_old_bus) != 0)
		return -1;
	if (sigaction(SIGSEGV, &sa, &twc_old_segv) != 0) {
		sigaction(SIGBUS, &twc_old_bus, NULL);
		return -1;
	}
	twc_installs = 1;
	return 0;
}

void
twc_fault_guard_remove(void)
{
	if (twc_installs == 0 || --twc_installs != 0)
		return;
	sigaction(SIGBUS, &twc_old_bus, NULL);
	sigaction(SIGSEGV, &twc_old_segv, NULL);
}

int
twc_fault_guarded(void (*fn)(void *arg), void *arg)
{
	int sig;

	/* Save the signal mask: the handler leaves with the signal blocked. */
	sig = sigsetjmp(twc_fault_env, 1);
	if (sig != 0)
		return sig;
	twc_fault_armed = 1;
	fn(arg);
	twc_fault_armed = 0;
	return 0;
}
