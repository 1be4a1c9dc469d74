/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fault in the library's own copy routine must fail the run and say so
 * (issue 12, item 10). The fault is real: a shared file mapping whose
 * file was truncated raises SIGBUS on every access, as an arm64 Device
 * mapping does on an unaligned one. Each case runs in a child, so a
 * signal that kills it is a failed check here, not a dead test.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wc_mmio.h"
#include "twc_fault.h"
#include "twc_opts.h"
#include "twc_report.h"
#include "twc_unaligned.h"
#include "test_wc_app_check.h"

#define MAP_LEN (64 * 1024)

/* A mapping every access to which raises SIGBUS. */
static volatile uint8_t *
bus_error_mapping(void)
{
	char tmpl[] = "/tmp/twc-sigbus-XXXXXX";
	void *p;
	int fd;

	fd = mkstemp(tmpl);
	if (fd < 0)
		return NULL;
	unlink(tmpl);
	if (ftruncate(fd, MAP_LEN) != 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	/* Pages past the end of the file: SIGBUS from now on. */
	if (p == MAP_FAILED || ftruncate(fd, 0) != 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	return p;
}

/*
 * Run fn in a child with its stderr in a file; returns the wait status
 * and leaves the child's stderr in buf.
 */
static int
in_child(int (*fn)(void), char *buf, size_t len)
{
	char tmpl[] = "/tmp/twc-stderr-XXXXXX";
	int fd = mkstemp(tmpl), st = -1;
	ssize_t n;
	pid_t pid;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	unlink(tmpl);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 2);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		st = -1;
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return st;
}

/*
 * The unaligned sweep on a UC mapping where wc_mmio_copy_to faults, then
 * the verdict the app takes its exit status from: must be 1 with one
 * line naming the routine.
 */
static int
sweep_then_verdict(void)
{
	volatile uint8_t *base = bus_error_mapping();
	static struct twc_report r;
	struct twc_opts o;
	char msg[256];
	int status;

	if (base == NULL)
		return 100;
	twc_opts_defaults(&o);
	o.ua_offsets = 4;
	o.ua_lens = 8;
	twc_report_init(&r);
	if (twc_run_unaligned(&o, base, MAP_LEN, TWC_MAP_UC, &r) != 0)
		return 101;
	status = twc_report_verdict(&r, msg, sizeof(msg));
	if (status != 0)
		fprintf(stderr, "verdict: %s\n", msg);
	fprintf(stderr, "wc_mmio faults: %lu of %lu\n",
		r.ua[TWC_MAP_UC][TWC_METHOD_WC_MMIO].faults,
		r.ua[TWC_MAP_UC][TWC_METHOD_WC_MMIO].attempts);
	twc_report_free(&r);
	return status;
}

static void
test_sweep_fault(void)
{
	char err[2048];
	int st = in_child(sweep_then_verdict, err, sizeof(err));

	if (!WIFEXITED(st))
		fprintf(stderr, "sweep child killed by signal %d; stderr: %s\n",
			WIFSIGNALED(st) ? WTERMSIG(st) : -1, err);
	CHECK(WIFEXITED(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK(strstr(err, "wc_mmio faults: 32 of 32") != NULL);
	CHECK(strstr(err, "verdict: wc_mmio_copy_to faulted") != NULL);
	CHECK(strstr(err, "SIGBUS") != NULL);
	printf("sweep on a faulting UC mapping: %s", err);
}

/* A report filled by hand: which results fail the run, which do not. */
static void
test_verdict(void)
{
	static struct twc_report r;
	char msg[256];

	twc_report_init(&r);
	CHECK(twc_report_verdict(&r, msg, sizeof(msg)) == 0);
	/* Plain memcpy faulting on UC is the finding, not a failure. */
	r.ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].faults = 100;
	r.ua[TWC_MAP_UC][TWC_METHOD_MEMCPY].sigbus = 100;
	CHECK(twc_report_verdict(&r, msg, sizeof(msg)) == 0);
	/* Our copy faulting is, on either mapping. */
	r.ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].attempts = 50;
	r.ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].faults = 3;
	r.ua[TWC_MAP_WC][TWC_METHOD_WC_MMIO].sigsegv = 3;
	CHECK(twc_report_verdict(&r, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "wc_mmio_copy_to faulted in 3 of 50") != NULL &&
	      strstr(msg, "WC mapping") != NULL &&
	      strstr(msg, "SIGSEGV") != NULL);
	CHECK(strchr(msg, '\n') == NULL);
	/* A mismatch alone fails the run too, with its own line. */
	twc_report_init(&r);
	r.ua[TWC_MAP_UC][TWC_METHOD_WC_MMIO].mismatches = 1;
	CHECK(twc_report_verdict(&r, msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, "read back wrong") != NULL);
	twc_report_free(&r);
}

/*
 * A fault outside a guarded attempt (throughput, NVMe mode, a restore):
 * the guard names it in one line, then the process dies of it.
 */
static int
unguarded_fault(void)
{
	volatile uint8_t *base = bus_error_mapping();
	static const uint8_t src[64];

	if (base == NULL || twc_fault_guard_install() != 0)
		return 100;
	wc_mmio_copy_to(base + 1, src, 13, WC_MMIO_UC, 0);
	return 0;
}

static void
test_unguarded_fault(void)
{
	char err[1024];
	int st = in_child(unguarded_fault, err, sizeof(err));

	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS);
	if (strstr(err, "dpdk-test-wc: SIGBUS") == NULL)
		fprintf(stderr, "unguarded fault: stderr was '%s'\n", err);
	CHECK(strstr(err, "dpdk-test-wc: SIGBUS") != NULL);
	CHECK(strchr(err, '\n') == strrchr(err, '\n'));
	printf("unguarded fault: %s", err);
}

int
main(void)
{
	test_verdict();
	test_sweep_fault();
	test_unguarded_fault();
	CHECK_DONE();
}
