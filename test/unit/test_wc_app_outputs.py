#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpdk-test-wc's CSV, JSON and SVG, read back by Python's own parsers:
the hand-written writers must produce files any tool can load."""

import csv
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([exe, '--write', d], check=True, stdout=subprocess.DEVNULL)
        rows = list(csv.DictReader(open(f'{d}/report.csv', encoding='utf-8')))
        assert len(rows) == 15 + 128, len(rows)
        assert all(r['emulated'] == 'true' for r in rows)
        tp = [r for r in rows if r['test'] == 'throughput']
        assert float(tp[0]['median_mbps']) == 10.0, tp[0]
        ua = [r for r in rows if r['test'] == 'unaligned' and r['mapping'] == 'uc']
        assert ua[1]['fault_lengths'] == '2-8,200', ua[1]

        doc = json.load(open(f'{d}/report.json', encoding='utf-8'))
        assert doc['environment']['emulated'] is True
        assert doc['environment']['hardware_numbers'] is False
        assert len(doc['throughput']) == 15
        assert doc['mappings'][1]['pat'] == 'write-combining'
        u = doc['unaligned'][0]
        assert (u['mapping'], u['method'], u['faults']) == ('uc', 'memcpy', 8)
        assert len(u['fault_map']) == 64
        assert int(u['fault_map'][1], 16) == (0xfe | 1 << 199)
        assert doc['data_verified'] is True

        svg = ET.parse(f'{d}/report.svg').getroot()
        assert svg.tag.endswith('svg'), svg.tag
        texts = ' '.join(t.text or '' for t in svg.iter() if t.tag.endswith('text'))
        assert 'NOT hardware numbers' in texts
        assert len([e for e in svg.iter() if e.tag.endswith('polyline')]) == 5
    print('CSV, JSON and SVG parse and hold what was written')


if __name__ == '__main__':
    main()
