/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc's readers of the system: the PAT memtype list parser, the
 * environment description, the fault guard that turns SIGSEGV and
 * SIGBUS of one attempt into a result, and the link, NUMA, governor
 * readers over a sysfs tree of the test's own.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "twc_env.h"
#include "twc_fault.h"
#include "twc_host.h"
#include "twc_link.h"
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

static void
put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

#define PUTS(dir, name, s) put(dir, name, s, strlen(s))

/* mkdir of root/rel and of every folder on the way; out gets the path. */
static void
mkdirs(char *out, size_t outlen, const char *root, const char *rel)
{
	const char *p;

	for (p = strchr(rel, '/'); ; p = strchr(p + 1, '/')) {
		int n = p != NULL ? (int)(p - rel) : (int)strlen(rel);

		snprintf(out, outlen, "%s/%.*s", root, n, rel);
		CHECK(mkdir(out, 0700) == 0);
		if (p == NULL)
			break;
	}
}

static void
test_link(void)
{
	char root[] = "/tmp/twc-sysfs-XXXXXX", dev[256], cpu[256], why[128];
	unsigned char cfg[256] = { 0 };
	struct twc_link l;
	struct twc_host h;

	CHECK(twc_link_parse_gts("8.0 GT/s PCIe") == 8.0);
	CHECK(twc_link_parse_gts("2.5 GT/s") == 2.5);
	CHECK(twc_link_parse_gts("Unknown") == 0);
	CHECK(twc_link_parse_gts("") == 0);
	/* Capability list: 0x40 power management, 0x50 PCIe, DevCtl MPS 256. */
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01;
	cfg[0x41] = 0x50;
	cfg[0x50] = 0x10;
	cfg[0x58] = 1 << 5;
	CHECK(twc_link_mps_from_config(cfg, 256, why, sizeof(why)) == 256);
	/* 64 bytes (what non-root reads) reach no capability. */
	CHECK(twc_link_mps_from_config(cfg, 64, why, sizeof(why)) == -1);
	CHECK(strstr(why, "without root") != NULL);
	/* A looping list ends. */
	cfg[0x41] = 0x40;
	CHECK(twc_link_mps_from_config(cfg, 256, why, sizeof(why)) == -1);
	cfg[0x41] = 0x50;
	/* TLP ceiling: (64/88) / (8/32) with 16 + 8 bytes of overhead. */
	CHECK(twc_tlp_ceiling(64) > 2.90 && twc_tlp_ceiling(64) < 2.91);
	CHECK(twc_tlp_ceiling(4096) == twc_tlp_ceiling(64));
	CHECK(twc_tlp_ceiling(8) == 1.0);

	CHECK(mkdtemp(root) != NULL);
	mkdirs(dev, sizeof(dev), root, "bus/pci/devices/0000:01:00.0");

	/* Nothing there (QEMU's integrated endpoint): the reason says so. */
	twc_link_read(root, "0000:01:00.0", 0, true, &l);
	CHECK(!l.available && strstr(l.reason, "no current_link_speed") != NULL);
	CHECK(strstr(l.reason, "emulated") != NULL);
	CHECK(l.mps == -1 && l.numa_node == -1 && !l.numa_mismatch);
	CHECK(twc_link_payload_mbps(&l, 64) == 0);

	PUTS(dev, "current_link_speed", "8.0 GT/s PCIe\n");
	PUTS(dev, "current_link_width", "4\n");
	PUTS(dev, "max_link_speed", "16.0 GT/s PCIe\n");
	PUTS(dev, "max_link_width", "8\n");
	PUTS(dev, "numa_node", "1\n");
	put(dev, "config", cfg, sizeof(cfg));
	twc_link_read(root, "0000:01:00.0", 0, false, &l);
	CHECK(l.available && l.gts == 8.0 && l.width == 4);
	CHECK(l.max_gts == 16.0 && l.max_width == 8 && l.mps == 256);
	CHECK(l.numa_node == 1 && l.lcore_socket == 0 && l.numa_mismatch);
	/* 8 GT/s x4, 128b/130b: 3938 MB/s raw, 64 B TLPs at 64/88 of it. */
	CHECK(twc_link_payload_mbps(&l, 64) > 2860 &&
	      twc_link_payload_mbps(&l, 64) < 2870);
	twc_link_read(root, "0000:01:00.0", 1, false, &l);
	CHECK(!l.numa_mismatch);
	/* What QEMU's root-bus devices say: no lane count. */
	PUTS(dev, "max_link_width", "255\n");
	twc_link_read(root, "0000:01:00.0", 1, true, &l);
	CHECK(l.max_width == 0 && l.available);
	PUTS(dev, "current_link_width", "255\n");
	twc_link_read(root, "0000:01:00.0", 1, true, &l);
	CHECK(!l.available && l.width == 0);
	PUTS(dev, "current_link_speed", "Unknown\n");
	twc_link_read(root, "0000:01:00.0", 1, true, &l);
	CHECK(!l.available && strstr(l.reason, "Unknown") != NULL);

	/* Governor: absent, then there. */
	twc_host_read(root, 3, "lcore 0 -> CPU 3", &h);
	CHECK(h.governor[0] == '\0' && strstr(h.governor_reason, "CPU 3") != NULL);
	CHECK(strcmp(h.pinning, "lcore 0 -> CPU 3") == 0 && h.main_cpu == 3);
	mkdirs(cpu, sizeof(cpu), root, "devices/system/cpu/cpu3/cpufreq");
	PUTS(cpu, "scaling_governor", "powersave\n");
	twc_host_read(root, 3, "", &h);
	CHECK(strcmp(h.governor, "powersave") == 0 && h.governor_reason[0] == '\0');
	snprintf(cpu, sizeof(cpu), "rm -rf '%s'", root);
	CHECK(system(cpu) == 0);
}

int
main(void)
{
	test_link();
	test_pat();
	test_env();
	test_fault();
	CHECK_DONE();
}
