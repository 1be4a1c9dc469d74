/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus's WC records across a device's life, on the host: real EAL,
 * real bus/pci and telemetry, and a PCI device that exists only in a
 * sysfs tree of our own (SYSFS_PCI_DEVICES), so no kernel driver and no
 * hardware are needed. A driver without RTE_PCI_DRV_NEED_MAPPING probes
 * it; the device is unplugged and probed again many times while a second
 * thread asks telemetry about it without pause. Checked:
 *   - the bus's "pci_wc=" key never reaches the driver, however often it
 *     is given; a bad value fails the probe and the driver is not called;
 *   - after an unplug the bus knows nothing of the freed device (query
 *     API and telemetry), and a device allocated afterwards inherits
 *     nothing;
 *   - no read of freed memory: meson runs this program a second time
 *     under valgrind, which sees every access (the bus's code is not
 *     built with a sanitizer, so ASan would not).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <bus_pci_driver.h>
#include <rte_pci_wc.h>

#define BDF "0000:00:04.0"
#define ROUNDS 20

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* What the driver saw at its last probe. */
static struct rte_pci_device *probed;
static char probed_args[256];
static int probes;

static int
lc_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *dev)
{
	const struct rte_devargs *da = dev->device.devargs;

	probed = dev;
	probes++;
	snprintf(probed_args, sizeof(probed_args), "%s",
		da != NULL && da->args != NULL ? da->args : "");
	return 0;
}

static int
lc_remove(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static const struct rte_pci_id lc_ids[] = {
	{ RTE_PCI_DEVICE(0x1af4, 0x1110) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver lc_drv = {
	.id_table = lc_ids,
	.probe = lc_probe,
	.remove = lc_remove,
};
RTE_PMD_REGISTER_PCI(test_pci_wc_lifecycle, lc_drv);

static int
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/*
 * An ivshmem-like device: BAR0 registers, BAR2 prefetchable memory, bound
 * to a kernel driver that is none of DPDK's (the bus skips a device with
 * no driver at all), at <root>/bus/pci/devices like the real tree.
 */
static int
make_sysfs(char *root, char *devices, size_t len)
{
	static const char *const dirs[] = { "bus", "bus/pci", "bus/pci/drivers",
		"bus/pci/drivers/pci-stub", "bus/pci/devices",
		"bus/pci/devices/" BDF };
	char dev[PATH_MAX + 32], path[PATH_MAX + 64];
	unsigned int i;

	if (mkdtemp(root) == NULL)
		return -1;
	for (i = 0; i < RTE_DIM(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) < 0)
			return -1;
	}
	snprintf(devices, len, "%s/bus/pci/devices", root);
	snprintf(dev, sizeof(dev), "%s/" BDF, devices);
	snprintf(path, sizeof(path), "%s/driver", dev);
	if (symlink("../../drivers/pci-stub", path) < 0)
		return -1;
	return write_file(dev, "vendor", "0x1af4\n") |
		write_file(dev, "device", "0x1110\n") |
		write_file(dev, "subsystem_vendor", "0x1af4\n") |
		write_file(dev, "subsystem_device", "0x1100\n") |
		write_file(dev, "class", "0x050000\n") |
		write_file(dev, "numa_node", "-1\n") |
		write_file(dev, "resource",
			"0x00000000fe000000 0x00000000fe0000ff 0x0000000000040200\n"
			"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			"0x00000000fc000000 0x00000000fcffffff 0x000000000014220c\n"
			"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			"0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
}

/* One telemetry connection; a command's answer into buf, or -1. */
static int
tel_open(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char greeting[1024];
	int s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s < 0)
		return -1;
	if (connect(s, (void *)&sun, sizeof(sun)) < 0 ||
			read(s, greeting, sizeof(greeting)) <= 0) {
		close(s);
		return -1;
	}
	return s;
}

static int
tel_ask(int s, const char *cmd, char *buf, size_t len)
{
	ssize_t n;

	if (write(s, cmd, strlen(cmd)) < 0)
		return -1;
	n = read(s, buf, len - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static atomic_int stop;
static atomic_int asked;

/* Telemetry's own thread serves this one without pause. */
static void *
tel_loop(void *arg __rte_unused)
{
	char buf[16384];
	int s = tel_open();

	if (s < 0)
		return NULL;
	while (!atomic_load(&stop)) {
		if (tel_ask(s, "/pci_wc/devices", buf, sizeof(buf)) < 0 ||
				tel_ask(s, "/pci_wc/bars," BDF, buf, sizeof(buf)) < 0)
			break;
		atomic_fetch_add(&asked, 1);
	}
	close(s);
	return NULL;
}

int
main(int argc __rte_unused, char **argv)
{
	char root[] = "/tmp/pci_wc_lifecycle.XXXXXX";
	char devices[PATH_MAX], prefix[64], buf[16384];
	char *eal[] = { argv[0], "--no-huge", "-m", "64", "--iova-mode=va",
		"--no-shconf", "--file-prefix", prefix, "-l", "0",
		"--log-level", "bus.pci.wc:debug",
		"-a", BDF ",pci_wc=all,foo=1" };
	struct rte_pci_wc_bar info;
	struct rte_pci_device *gone;
	pthread_t tel;
	int i, s, ret;

	if (make_sysfs(root, devices, sizeof(devices)) < 0) {
		printf("FAIL: cannot make the sysfs tree in %s\n", root);
		return 1;
	}
	setenv("SYSFS_PCI_DEVICES", devices, 1);
	snprintf(prefix, sizeof(prefix), "pci_wc_lc_%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}
	CHECK(probed != NULL && strcmp(probed_args, "foo=1") == 0,
		"the driver sees its own keys only ('%s')", probed_args);

	s = tel_open();
	CHECK(s >= 0, "telemetry socket");
	pthread_create(&tel, NULL, tel_loop, NULL);

	for (i = 0; i < ROUNDS && probed != NULL; i++) {
		gone = probed;
		probed = NULL;
		ret = rte_dev_remove(&gone->device);
		CHECK(ret == 0, "round %d: unplug: %d", i, ret);
		CHECK(rte_pci_wc_bar_info(gone, 2, &info) == -ENODEV,
			"round %d: the bus has no record of the freed device", i);
		if (s >= 0 && tel_ask(s, "/pci_wc/devices", buf, sizeof(buf)) == 0)
			CHECK(strstr(buf, BDF) == NULL,
				"round %d: telemetry no longer lists it: %s", i, buf);
		/* probed again without the key: nothing carried over */
		ret = rte_dev_probe(i % 2 ? BDF : BDF ",pci_wc=off");
		CHECK(ret == 0 && probed != NULL, "round %d: probe again: %d",
			i, ret);
		CHECK(strcmp(probed_args, "") == 0,
			"round %d: the driver gets no pci_wc key ('%s')", i,
			probed_args);
	}

	/* a bad value fails the probe, before any driver sees it */
	if (probed != NULL)
		rte_dev_remove(&probed->device);
	probed = NULL;
	i = probes;
	ret = rte_dev_probe(BDF ",pci_wc=bogus,foo=1");
	CHECK(ret < 0 && probes == i,
		"pci_wc=bogus fails the probe (%d) and no driver is called (%d calls)",
		ret, probes - i);
	ret = rte_dev_probe(BDF ",pci_wc=all,foo=2,pci_wc=off");
	CHECK(ret < 0 && probes == i,
		"two different pci_wc values fail the probe (%d)", ret);
	/* the same key twice: both go, the driver sees the rest */
	ret = rte_dev_probe(BDF ",pci_wc=all,foo=3,pci_wc=all");
	CHECK(ret == 0 && strcmp(probed_args, "foo=3") == 0,
		"repeated pci_wc=all: probe %d, driver sees '%s'", ret,
		probed_args);

	atomic_store(&stop, 1);
	pthread_join(tel, NULL);
	CHECK(atomic_load(&asked) > 0, "telemetry answered the loop (%d times)",
		atomic_load(&asked));
	if (s >= 0)
		close(s);
	rte_eal_cleanup();
	snprintf(buf, sizeof(buf), "rm -rf '%s'", root);
	if (system(buf) != 0)
		printf("could not remove %s\n", root);
	printf("pci_wc_lifecycle: %d passed, %d failed (%d telemetry rounds)\n",
		passed, failed, atomic_load(&asked));
	return failed != 0;
}
