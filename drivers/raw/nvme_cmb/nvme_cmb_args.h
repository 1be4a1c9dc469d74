/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's device arguments (rte_pmd_nvme_cmb.h names them):
 * sq=host|cmb, data=host|cmb, qdepth=2..1024, timeout_ms=1..60000, and
 * self_test=0|1, which is not configuration but something to do at probe.
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

/* The defaults: sq=host, data=host, qdepth=32, timeout_ms=5000. */
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

/* "host" or "cmb". */
const char *nvme_cmb_place_name(enum rte_pmd_nvme_cmb_place place);

#endif /* NVME_CMB_ARGS_H */
