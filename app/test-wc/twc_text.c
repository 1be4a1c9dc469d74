/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "twc_text.h"

void
twc_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
twc_json_field(FILE *f, const char *before, const char *s)
{
	fputs(before, f);
	twc_json_str(f, s);
}

const char *
twc_bool(bool b)
{
	return b ? "true" : "false";
}

void
twc_xml_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

FILE *
twc_out_open(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fprintf(stderr, "dpdk-test-wc: cannot create %s: %s\n", path,
			strerror(errno));
	return f;
}

int
twc_out_close(FILE *f, const char *path, int ret)
{
	if (ferror(f))
		ret = -1;
	if (fclose(f) != 0)
		ret = -1;
	if (ret != 0)
		fprintf(stderr, "dpdk-test-wc: writing %s failed\n", path);
	return ret;
}
