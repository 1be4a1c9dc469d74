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
        assert len(rows) == 18 + 128, len(rows)
        assert all(r['emulated'] == 'true' for r in rows)
        tp = [r for r in rows if r['test'] == 'throughput']
        assert float(tp[0]['median_mbps']) == 10.0, tp[0]
        assert (tp[0]['store'], tp[0]['store_width'], tp[0]['drained']) == ('aligned', '8', 'true'), tp[0]
        assert len([r for r in tp if r['mapping'] == 'wb']) == 3
        ua = [r for r in rows if r['test'] == 'unaligned' and r['mapping'] == 'uc']
        assert ua[1]['fault_lengths'] == '2-8,200', ua[1]

        doc = json.load(open(f'{d}/report.json', encoding='utf-8'))
        assert doc['environment']['emulated'] is True
        assert doc['environment']['hardware_numbers'] is False
        assert len(doc['throughput']) == 18
        assert all('store' in r and 'store_width' in r and 'drained' in r
                   for r in doc['throughput'])
        assert [r['mapping'] for r in doc['throughput']].count('wb') == 3
        assert doc['link']['available'] is False and doc['link']['reason']
        assert doc['link']['speed_gts'] == 'not available'
        assert 2.90 < doc['link']['tlp_ceiling_wc64_over_uc8'] < 2.91
        assert doc['uc_read_latency_ns']['median'] == 850.0
        assert doc['settings']['drain'].startswith('after the last copy')
        assert doc['baseline']['mapping'] == 'wb'
        assert doc['host']['pinning'] == 'lcore 0 -> CPU 1'

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
        assert len([e for e in svg.iter() if e.tag.endswith('polyline')]) == 6
    print('CSV, JSON and SVG parse and hold what was written')


if __name__ == '__main__':
    main()
