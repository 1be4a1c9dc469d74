/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc's readers of the system: the PAT memtype list parser, the
 * environment description, and the fault guard that turns SIGSEGV and
 * SIGBUS of one attempt into a result.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "twc_env.h"
#include "twc_fault.h"
#include "twc_pat.h"
#include "test_wc_app_check.h"

static const char pat_list[] =
	"PAT memtype list:\n"
	"PAT: [mem 0x00000000e0000000-0x00000000e0001000] uncached-minus\n"
	"PAT: [mem 0x00000000f8000000-0x00000000f8100000] write-combining\n"
	"PAT: [mem 0x00000000f8000000-0x00000000fc000000] write-combining\n"
	"garbage line\n"
	"PAT: [mem 0x00000000fc000000-0x00000000fc001000] uncached-minus\n";

static void
test_pat(void)
{
	char type[64];
	FILE *f;

	f = fmemopen((void *)pat_list, sizeof(pat_list) - 1, "r");
	CHECK(twc_pat_lookup(f, 0xf8000000, 0xfc000000, type, sizeof(type)) == 1);
	CHECK(strcmp(type, "write-combining") == 0);
	fclose(f);
	/* A range touching two kinds lists both, once each. */
	f = fmemopen((void *)pat_list, sizeof(pat_list) - 1, "r");
	CHECK(twc_pat_lookup(f, 0xf8000000, 0xfc000800, type, sizeof(type)) == 2);
	CHECK(strcmp(type, "write-combining,uncached-minus") == 0);
	fclose(f);
	f = fmemopen((void *)pat_list, sizeof(pat_list) - 1, "r");
	CHECK(twc_pat_lookup(f, 0x1000, 0x2000, type, sizeof(type)) == 0);
	CHECK(type[0] == '\0');
	fclose(f);
}

static void
test_env(void)
{
	struct twc_env e;

	twc_env_describe(&e, "TCGTCGTCGTCG", true, "QEMU", "");
	CHECK(e.emulated && strstr(e.description, "QEMU TCG") != NULL);
	twc_env_describe(&e, "KVMKVMKVM", true, "QEMU", "");
	CHECK(e.emulated && strstr(e.description, "KVM") != NULL);
	twc_env_describe(&e, "", false, "QEMU", "");
	CHECK(e.emulated && strstr(e.description, "QEMU") != NULL);
	twc_env_describe(&e, "", false, "", "linux,dummy-virt");
	CHECK(e.emulated && strstr(e.description, "QEMU virt") != NULL);
	twc_env_describe(&e, "", true, "", "");
	CHECK(e.emulated);
	twc_env_describe(&e, "", false, "Dell Inc.", "");
	CHECK(!e.emulated);
	twc_env_detect(&e);
	CHECK(e.description[0] != '\0');
}

static volatile char *fault_at;

static void
touch(void *arg)
{
	(void)arg;
	*fault_at = 1;
}

static void
no_touch(void *arg)
{
	*(int *)arg = 42;
}

static void
test_fault(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char tmpl[] = "/tmp/twc-fault-XXXXXX";
	void *p;
	int fd, v = 0, i;

	CHECK(twc_fault_guard_install() == 0);
	/* A page with no access: SIGSEGV, caught, more than once. */
	p = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fault_at = p;
	for (i = 0; i < 3; i++)
		CHECK(twc_fault_guarded(touch, NULL) == SIGSEGV);
	munmap(p, page);
	/* A file mapping past the end of the file: SIGBUS. */
	fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	unlink(tmpl);
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	fault_at = p;
	CHECK(twc_fault_guarded(touch, NULL) == SIGBUS);
	munmap(p, page);
	close(fd);
	/* Nothing faults: the function ran and 0 comes back. */
	CHECK(twc_fault_guarded(no_touch, &v) == 0 && v == 42);
	twc_fault_guard_remove();
}

int
main(void)
{
	test_pat();
	test_env();
	test_fault();
	CHECK_DONE();
}
