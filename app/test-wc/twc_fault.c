/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "twc_fault.h"

static __thread sigjmp_buf twc_fault_env;
static __thread volatile sig_atomic_t twc_fault_armed;
static struct sigaction twc_old_bus, twc_old_segv;
static bool twc_installed;

static void
twc_fault_handler(int sig)
{
	if (twc_fault_armed) {
		twc_fault_armed = 0;
		siglongjmp(twc_fault_env, sig);
	}
	/*
	 * A fault outside an attempt is a real bug: fall back to the
	 * default action; returning re-executes the access and ends the
	 * process with the signal, as it would have without us.
	 */
	signal(sig, SIG_DFL);
}

int
twc_fault_guard_install(void)
{
	struct sigaction sa;

	if (twc_installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = twc_fault_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &twc_old_bus) != 0)
		return -1;
	if (sigaction(SIGSEGV, &sa, &twc_old_segv) != 0) {
		sigaction(SIGBUS, &twc_old_bus, NULL);
		return -1;
	}
	twc_installed = true;
	return 0;
}

void
twc_fault_guard_remove(void)
{
	if (!twc_installed)
		return;
	sigaction(SIGBUS, &twc_old_bus, NULL);
	sigaction(SIGSEGV, &twc_old_segv, NULL);
	twc_installed = false;
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
