# SPDX-License-Identifier: BSD-3-Clause
# Sphinx configuration for dpdk-wc's guides: HTML for the -doc package and
# the dpdk-test-wc(1) man page, both from the same reStructuredText.
# Only what Debian's python3-sphinx ships is used (no extra themes or
# extensions), so "sphinx-build -W" works from the archive alone.

import os

project = 'dpdk-wc'
copyright = 'dpdk-wc contributors'
author = 'dpdk-wc contributors'
# doc/meson.build passes the project's version; "sphinx-build" by hand
# reads the same VERSION file.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'VERSION'),
          encoding='utf-8') as _f:
    version = release = _f.read().strip()

root_doc = 'index'
exclude_patterns = []
html_theme = 'alabaster'
# No "last updated" stamps or source copies: the HTML is reproducible and
# the package holds only what a reader needs.
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

# The man page is the app's guide itself, so options never drift apart.
man_pages = [
    ('app_test_wc', 'dpdk-test-wc',
     'UC vs WC MMIO throughput, unaligned-write sweep and NVMe CMB runs '
     'on one PCI BAR', [author], 1),
]
