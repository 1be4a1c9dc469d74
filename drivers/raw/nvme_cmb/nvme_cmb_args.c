/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's device arguments (see nvme_cmb_args.h). Of DPDK only
 * rte_kvargs, which needs no EAL: the unit test runs it without
 * rte_eal_init().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_kvargs.h>

#include "nvme_cmb_args.h"

#define NVME_CMB_ACCEPTED_KEYS \
	RTE_PMD_NVME_CMB_ARG_SQ ", " RTE_PMD_NVME_CMB_ARG_DATA ", " \
	RTE_PMD_NVME_CMB_ARG_QDEPTH ", " RTE_PMD_NVME_CMB_ARG_TIMEOUT ", " \
	RTE_PMD_NVME_CMB_ARG_MAX_XFER ", " RTE_PMD_NVME_CMB_ARG_SELFTEST

static const char *const nvme_cmb_keys[] = {
	RTE_PMD_NVME_CMB_ARG_SQ,
	RTE_PMD_NVME_CMB_ARG_DATA,
	RTE_PMD_NVME_CMB_ARG_QDEPTH,
	RTE_PMD_NVME_CMB_ARG_TIMEOUT,
	RTE_PMD_NVME_CMB_ARG_MAX_XFER,
	RTE_PMD_NVME_CMB_ARG_SELFTEST,
	NULL,
};

struct nvme_cmb_args_ctx {
	const struct rte_kvargs *kvlist;
	struct rte_pmd_nvme_cmb_conf conf;
	bool self_test;
	char *err;
	size_t errlen;
	bool reported;	/* args_pair() wrote the error */
};

void
nvme_cmb_args_default(struct rte_pmd_nvme_cmb_conf *conf)
{
	conf->sq = RTE_PMD_NVME_CMB_HOST;
	conf->data = RTE_PMD_NVME_CMB_HOST;
	conf->qdepth = NVME_CMB_QDEPTH_DEFAULT;
	conf->timeout_ms = NVME_CMB_TIMEOUT_DEFAULT;
	conf->max_xfer = NVME_CMB_MAX_XFER_DEFAULT;
}

const char *
nvme_cmb_place_name(enum rte_pmd_nvme_cmb_place place)
{
	switch (place) {
	case RTE_PMD_NVME_CMB_HOST:
		return "host";
	case RTE_PMD_NVME_CMB_CMB:
		return "cmb";
	}
	/* Not a place: say so rather than pass for one. */
	return "unknown";
}

/* snprintf truncates and terminates; err may be absent. */
static void __attribute__((format(printf, 3, 4)))
args_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
args_place(const char *value, enum rte_pmd_nvme_cmb_place *place)
{
	if (value == NULL)
		return -1;
	if (strcmp(value, "host") == 0)
		*place = RTE_PMD_NVME_CMB_HOST;
	else if (strcmp(value, "cmb") == 0)
		*place = RTE_PMD_NVME_CMB_CMB;
	else
		return -1;
	return 0;
}

/*
 * Plain decimal digits and nothing else: strtoul would also take leading
 * blanks, a sign and (base 0) hex or octal, none of which belong in a
 * device argument. Stops accumulating past max, so no overflow either.
 */
static int
args_uint(const char *value, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	const char *p;

	if (value == NULL || *value == '\0')
		return -1;
	for (p = value; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v <= max)
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static bool
args_key_known(const char *key)
{
	unsigned int i;

	for (i = 0; nvme_cmb_keys[i] != NULL; i++)
		if (strcmp(key, nvme_cmb_keys[i]) == 0)
			return true;
	return false;
}

/* One key=value; returns -1 having written the error. */
static int
args_pair_check(struct nvme_cmb_args_ctx *ctx, const char *key,
		const char *value)
{
	unsigned int times;
	uint32_t v;

	if (!args_key_known(key)) {
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: unknown device argument \"%s\" (accepted: "
			NVME_CMB_ACCEPTED_KEYS ")", key);
		return -1;
	}
	/* A second value would silently win or lose: refuse both. */
	times = rte_kvargs_count(ctx->kvlist, key);
	if (times > 1) {
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: %s given %u times: give it once", key, times);
		return -1;
	}

	if (strcmp(key, RTE_PMD_NVME_CMB_ARG_SQ) == 0 ||
			strcmp(key, RTE_PMD_NVME_CMB_ARG_DATA) == 0) {
		enum rte_pmd_nvme_cmb_place *place =
			strcmp(key, RTE_PMD_NVME_CMB_ARG_SQ) == 0 ?
			&ctx->conf.sq : &ctx->conf.data;

		if (args_place(value, place) == 0)
			return 0;
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: %s=%s: expected host or cmb",
			key, value != NULL ? value : "");
		return -1;
	}

	if (strcmp(key, RTE_PMD_NVME_CMB_ARG_QDEPTH) == 0) {
		if (args_uint(value, NVME_CMB_QDEPTH_MIN, NVME_CMB_QDEPTH_MAX,
				&v) == 0) {
			ctx->conf.qdepth = (uint16_t)v;
			return 0;
		}
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: %s=%s: expected an integer %u..%u",
			key, value != NULL ? value : "",
			NVME_CMB_QDEPTH_MIN, NVME_CMB_QDEPTH_MAX);
		return -1;
	}

	if (strcmp(key, RTE_PMD_NVME_CMB_ARG_SELFTEST) == 0) {
		if (args_uint(value, 0, 1, &v) == 0) {
			ctx->self_test = v == 1;
			return 0;
		}
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: %s=%s: expected 0 or 1",
			key, value != NULL ? value : "");
		return -1;
	}

	if (strcmp(key, RTE_PMD_NVME_CMB_ARG_MAX_XFER) == 0) {
		if (args_uint(value, NVME_CMB_MAX_XFER_MIN, NVME_CMB_MAX_XFER_MAX,
				&v) == 0 && v % NVME_CMB_MAX_XFER_MIN == 0) {
			ctx->conf.max_xfer = v;
			return 0;
		}
		args_error(ctx->err, ctx->errlen,
			"nvme_cmb: %s=%s: expected a multiple of %u in %u..%u (bytes)",
			key, value != NULL ? value : "", NVME_CMB_MAX_XFER_MIN,
			NVME_CMB_MAX_XFER_MIN, NVME_CMB_MAX_XFER_MAX);
		return -1;
	}

	/* timeout_ms, the last known key. */
	if (args_uint(value, NVME_CMB_TIMEOUT_MIN, NVME_CMB_TIMEOUT_MAX,
			&v) == 0) {
		ctx->conf.timeout_ms = v;
		return 0;
	}
	args_error(ctx->err, ctx->errlen,
		"nvme_cmb: %s=%s: expected an integer %u..%u",
		key, value != NULL ? value : "",
		NVME_CMB_TIMEOUT_MIN, NVME_CMB_TIMEOUT_MAX);
	return -1;
}

/* In the order given; the first problem ends the parse. */
static int
args_pair(const char *key, const char *value, void *opaque)
{
	struct nvme_cmb_args_ctx *ctx = opaque;

	if (args_pair_check(ctx, key, value) == 0)
		return 0;
	ctx->reported = true;
	return -1;
}

int
nvme_cmb_args_parse(const char *args, struct rte_pmd_nvme_cmb_conf *conf,
		bool *self_test, char *err, size_t errlen)
{
	struct nvme_cmb_args_ctx ctx;
	struct rte_kvargs *kvlist;
	int ret;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (conf == NULL) {
		args_error(err, errlen, "nvme_cmb: no configuration to fill");
		return -EINVAL;
	}
	nvme_cmb_args_default(conf);
	if (self_test != NULL)
		*self_test = false;
	if (args == NULL || args[0] == '\0')
		return 0;

	/*
	 * No valid-key list: with one, rte_kvargs_parse() refuses an unknown
	 * key without saying which, and the message should name it.
	 */
	kvlist = rte_kvargs_parse(args, NULL);
	if (kvlist == NULL) {
		/* Too many pairs for rte_kvargs, or no memory. */
		args_error(err, errlen,
			"nvme_cmb: cannot parse device arguments, too many or "
			"no memory (accepted: " NVME_CMB_ACCEPTED_KEYS
			", each once)");
		return -EINVAL;
	}

	ctx.kvlist = kvlist;
	ctx.err = err;
	ctx.errlen = errlen;
	ctx.reported = false;
	ctx.self_test = false;
	nvme_cmb_args_default(&ctx.conf);
	ret = rte_kvargs_process(kvlist, NULL, args_pair, &ctx);
	if (ret < 0 && !ctx.reported) {
		unsigned int i;

		/*
		 * Later DPDK releases stop at a key without "=value" here
		 * without calling the handler: check that pair ourselves,
		 * which names it. The pairs before it all passed.
		 */
		for (i = 0; i < kvlist->count; i++)
			if (kvlist->pairs[i].value == NULL &&
					args_pair_check(&ctx, kvlist->pairs[i].key,
						NULL) < 0)
				break;
		if (i == kvlist->count)
			args_error(err, errlen,
				"nvme_cmb: cannot process device arguments");
	}
	rte_kvargs_free(kvlist);
	if (ret < 0)
		return -EINVAL;	/* conf still holds the defaults */

	*conf = ctx.conf;
	if (self_test != NULL)
		*self_test = ctx.self_test;
	return 0;
}

bool
nvme_cmb_args_given(const char *args, const char *key)
{
	struct rte_kvargs *kvlist;
	bool given;

	if (args == NULL || args[0] == '\0')
		return false;
	kvlist = rte_kvargs_parse(args, NULL);
	if (kvlist == NULL)
		return false;
	given = rte_kvargs_count(kvlist, key) != 0;
	rte_kvargs_free(kvlist);
	return given;
}
