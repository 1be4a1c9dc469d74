#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Print the URI of the Debian archive mirror this machine's apt already uses
# for bookworm (not the security archive). We never name a registry host in
# the repository: every script that needs the mirror asks this one.
set -eu

find_deb822() {
	# Stanzas are separated by blank lines; keep the first URI of a stanza
	# whose Suites include "bookworm" exactly.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			function flush() {
				if (uri != "" && has_bookworm && !seen) { print uri; seen = 1 }
				uri = ""; has_bookworm = 0
			}
			/^[[:space:]]*$/ { flush(); next }
			/^[[:space:]]*#/ { next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" {
				for (i = 2; i <= NF; i++) if ($i == "bookworm") has_bookworm = 1
			}
			END { flush() }
		' "$f"
	done
}

find_one_line() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# deb [options] URI suite components...
		sed -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && $3 == "bookworm" { print $2 }'
	done
}

uri=$( { find_deb822; find_one_line; } | head -n 1)
if [ -z "$uri" ]; then
	echo "apt-mirror: no apt source for the bookworm suite found in /etc/apt" >&2
	exit 1
fi
echo "${uri%/}"
