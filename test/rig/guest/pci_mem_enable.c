/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Turn on memory decode of a PCI device and bring it to D0 through its
 * sysfs config file, whoever is bound to it. sysfs "enable" refuses while
 * a driver is bound, and vfio-pci leaves an unopened device in D3hot with
 * decode off; the sysfs-mapping scenarios need the BAR to answer.
 *
 *   pci_mem_enable <bdf>
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x02
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAPABILITY_LIST	0x34
#define PCI_CAP_ID_PM		0x01
#define PCI_PM_CTRL		0x04
#define PCI_PM_CTRL_STATE_MASK	0x03

static int
cfg_read(int fd, off_t off, void *v, size_t len)
{
	return pread(fd, v, len, off) == (ssize_t)len ? 0 : -1;
}

static int
cfg_write(int fd, off_t off, const void *v, size_t len)
{
	return pwrite(fd, v, len, off) == (ssize_t)len ? 0 : -1;
}

/* Offset of the power-management capability, 0 if none. */
static unsigned int
pm_cap(int fd)
{
	uint16_t status;
	uint8_t pos, id;
	int guard = 48;

	if (cfg_read(fd, PCI_STATUS, &status, 2) || !(status & PCI_STATUS_CAP_LIST))
		return 0;
	if (cfg_read(fd, PCI_CAPABILITY_LIST, &pos, 1))
		return 0;
	while (pos >= 0x40 && guard--) {
		if (cfg_read(fd, pos, &id, 1))
			return 0;
		if (id == PCI_CAP_ID_PM)
			return pos;
		if (cfg_read(fd, pos + 1, &pos, 1))
			return 0;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char path[128];
	uint16_t cmd, pmcsr;
	unsigned int pm;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <bdf>\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	pm = pm_cap(fd);
	if (pm && cfg_read(fd, pm + PCI_PM_CTRL, &pmcsr, 2) == 0 &&
	    (pmcsr & PCI_PM_CTRL_STATE_MASK)) {
		printf("pci_mem_enable: %s was in D%u, setting D0\n", argv[1],
		       pmcsr & PCI_PM_CTRL_STATE_MASK);
		pmcsr &= ~PCI_PM_CTRL_STATE_MASK;
		if (cfg_write(fd, pm + PCI_PM_CTRL, &pmcsr, 2)) {
			perror("write PMCSR");
			return 1;
		}
		usleep(10000); /* D3hot -> D0 needs 10 ms */
	}
	if (cfg_read(fd, PCI_COMMAND, &cmd, 2)) {
		perror("read COMMAND");
		return 1;
	}
	if (!(cmd & PCI_COMMAND_MEMORY)) {
		cmd |= PCI_COMMAND_MEMORY;
		if (cfg_write(fd, PCI_COMMAND, &cmd, 2)) {
			perror("write COMMAND");
			return 1;
		}
	}
	printf("pci_mem_enable: %s memory decode on (COMMAND 0x%04x)\n",
	       argv[1], cmd);
	close(fd);
	return 0;
}
