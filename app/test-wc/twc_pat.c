/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <string.h>

#include "twc_pat.h"

int
twc_pat_lookup(FILE *f, uint64_t start, uint64_t end, char *type,
		size_t len)
{
	char line[256], kind[64];
	uint64_t lo, hi;
	int found = 0;
	size_t used = 0, klen;
	const char *p;

	type[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		/* "PAT: [mem 0x00000000fe000000-0x00000000fe100000] write-combining" */
		p = strstr(line, "[mem ");
		if (p == NULL ||
		    sscanf(p, "[mem 0x%" SCNx64 "-0x%" SCNx64 "] %63s", &lo, &hi,
			   kind) != 3)
			continue;
		if (hi <= start || lo >= end)
			continue;
		/* Skip a type already listed (whole comma-separated word). */
		klen = strlen(kind);
		for (p = type; (p = strstr(p, kind)) != NULL; p += klen)
			if ((p == type || p[-1] == ',') &&
			    (p[klen] == '\0' || p[klen] == ','))
				break;
		if (p != NULL)
			continue;
		if (used + klen + 2 > len)
			break;
		used += snprintf(type + used, len - used, "%s%s",
				 used ? "," : "", kind);
		found++;
	}
	return found;
}

int
twc_pat_lookup_system(uint64_t start, uint64_t end, char *type, size_t len)
{
	FILE *f = fopen(TWC_PAT_LIST, "r");
	int n;

	type[0] = '\0';
	if (f == NULL)
		return -1;
	n = twc_pat_lookup(f, start, end, type, len);
	fclose(f);
	return n;
}
