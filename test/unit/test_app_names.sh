#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc's sources carry a prefix of their own (twc_*), so that by
# its name a file is the product, while test/unit/test_* are its tests.
# Fails on any other file in the app's directory, naming it.
#
#   test_app_names.sh <app/test-wc directory>
set -eu
dir=$1
bad=0
for f in "$dir"/*; do
	n=$(basename "$f")
	case $n in
	main.c | meson.build | twc_*.c | twc_*.h) ;;
	*)
		echo "app/test-wc/$n: the app's sources are main.c and twc_*.[ch]"
		bad=$((bad + 1))
		;;
	esac
done
[ "$bad" = 0 ] || { echo "$bad file(s) misnamed"; exit 1; }
echo "app/test-wc: $(ls "$dir" | wc -l) files, all named twc_*.[ch], main.c or meson.build"
