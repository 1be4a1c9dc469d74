/* SPDX-License-Identifier: BSD-3-Clause */
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rig_guest.h"

static int passed, failed;

void
rig_check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", cond ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (cond)
		passed++;
	else
		failed++;
}

int
rig_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed || !passed ? 1 : 0;
}

int
rig_bar_phys(const char *bdf, int bar, uint64_t *start, uint64_t *len)
{
	char path[256], line[256];
	uint64_t s, e, flags;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	for (i = 0; fgets(line, sizeof(line), f) != NULL; i++) {
		if (i != bar)
			continue;
		fclose(f);
		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64,
			   &s, &e, &flags) != 3 || e <= s)
			return -1;
		*start = s;
		*len = e - s + 1;
		return 0;
	}
	fclose(f);
	return -1;
}

volatile uint8_t *
rig_map_resource(const char *path, size_t len)
{
	void *p;
	int fd;

	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap");
		return NULL;
	}
	return p;
}

int
rig_pat_type(uint64_t phys, char *type, size_t type_len)
{
	const char *path = "/sys/kernel/debug/x86/pat_memtype_list";
	char line[256], t[64];
	uint64_t s, e;
	int found = -1;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "PAT: [mem 0x%" SCNx64 "-0x%" SCNx64 "] %63s",
			   &s, &e, t) != 3)
			continue;
		if (phys >= s && phys < e) {
			printf("   %s", line);
			snprintf(type, type_len, "%s", t);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static sigjmp_buf try_env;
static volatile sig_atomic_t try_sig;

static void
try_handler(int sig)
{
	try_sig = sig;
	siglongjmp(try_env, 1);
}

int
rig_try(void (*fn)(void *arg), void *arg)
{
	struct sigaction sa, old_bus, old_segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = try_handler;
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	try_sig = 0;
	if (sigsetjmp(try_env, 1) == 0)
		fn(arg);
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return try_sig;
}
