/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's device arguments (rte_pmd_nvme_cmb.h names them):
 * sq=host|cmb, data=host|cmb, qdepth=2..1024, timeout_ms=1..60000,
 * max_xfer=4096..8 MiB (bytes, a multiple of 4096), and self_test=0|1, which is not configuration but something to do at probe.
 */
#ifndef NVME_CMB_ARGS_H
#define NVME_CMB_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "rte_pmd_nvme_cmb.h"

#define NVME_CMB_QDEPTH_MIN 2
#define NVME_CMB_QDEPTH_MAX 1024
#define NVME_CMB_QDEPTH_DEFAULT 32
#define NVME_CMB_TIMEOUT_MIN 1
#define NVME_CMB_TIMEOUT_MAX 60000
#define NVME_CMB_TIMEOUT_DEFAULT 5000
#define NVME_CMB_MAX_XFER_MIN 4096u
#define NVME_CMB_MAX_XFER_MAX (8u << 20)
#define NVME_CMB_MAX_XFER_DEFAULT (512u << 10)

/*
 * The defaults: sq=host, data=host, qdepth=32, timeout_ms=5000,
 * max_xfer=512 KiB (the device lowers qdepth to CAP.MQES and max_xfer to
 * MDTS when they are not given).
 */
void nvme_cmb_args_default(struct rte_pmd_nvme_cmb_conf *conf);

/*
 * Parse a device argument string ("sq=cmb,data=host,qdepth=8"; NULL or ""
 * gives the defaults) into conf, starting from the defaults, and
 * self_test (may be NULL; false unless self_test=1). A key given twice, an
 * unknown key or a bad value fails with -EINVAL and one line in err
 * (errlen bytes) that names the key and the accepted values; conf is then
 * left as the defaults and self_test false.
 */
int nvme_cmb_args_parse(const char *args, struct rte_pmd_nvme_cmb_conf *conf,
		bool *self_test, char *err, size_t errlen);

/* Whether args (as given to nvme_cmb_args_parse()) sets key. */
bool nvme_cmb_args_given(const char *args, const char *key);

/* "host" or "cmb". */
const char *nvme_cmb_place_name(enum rte_pmd_nvme_cmb_place place);

#endif /* NVME_CMB_ARGS_H */
