import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateModuleCosts, estimateTestFileCosts, isSixtyError, readJUnitFileTimes, scaleBySize, FILE_OVERHEAD_BYTES } from '@sixty/core';
import { removeTree, writeTree } from '../imports/temp-tree';

const roots: string[] = [];
afterEach(() => {
  while (roots.length > 0) removeTree(roots.pop() as string);
});

const NODE_TEST_XML = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testsuite name="libs/lib-c/test/mod-1.test.js" time="0.250" disabled="0" errors="0" tests="2" failures="0" skipped="0" hostname="vm">
		<testcase name="one" time="0.100" classname="test"/>
		<testsuite name="inner" time="0.150" tests="1"><testcase name="two" time="0.150" classname="test"/></testsuite>
	</testsuite>
	<testsuite name="libs/lib-c/test/mod-2.test.js" time="1.5" tests="1"><testcase name="x" time="1.5" classname="test"/></testsuite>
	<testcase name="top-level" time="0.040" classname="test"/>
	<!-- duration_ms 136.38 -->
</testsuites>`;

const VITEST_XML = `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="3" failures="0" errors="0" time="2.1">
    <testsuite name="test/mod-1.test.js" timestamp="2026-11-25T17:21:54.000Z" hostname="vm" tests="2" failures="0" errors="0" skipped="0" time="2.0">
        <testcase classname="test/mod-1.test.js" name="libs/lib-c/test/mod-1.test.js &gt; adds" time="1.25"></testcase>
        <testcase classname="test/mod-1.test.js" name="top" time="0.75"></testcase>
    </testsuite>
    <testsuite name="test/mod-2.test.js" timestamp="2026-11-25T17:21:54.000Z" tests="1" time="0.1">
        <testcase classname="test/mod-2.test.js" name="x" time="0.1"/>
    </testsuite>
</testsuites>`;

const JEST_XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="0" errors="0" time="3.2">
  <testsuite name="math utilities" errors="0" failures="0" skipped="0" timestamp="2026-01-01T00:00:00" time="3.0" tests="2" file="/ws/libs/lib-c/src/math.spec.ts">
    <testcase classname="math utilities adds" name="math utilities adds" time="2.5"></testcase>
    <testcase classname="math utilities subtracts" name="math utilities subtracts" time="0.5"></testcase>
  </testsuite>
  <testsuite name="strings" errors="0" failures="0" skipped="0" time="0.2" tests="1">
    <testcase classname="strings trims" name="strings trims" time="0.2" file="libs/lib-c/src/strings.spec.ts"></testcase>
  </testsuite>
</testsuites>`;

const MOCHA_XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Mocha Tests" time="4.5" tests="3" failures="0">
  <testsuite name="Root Suite" timestamp="2026-01-01T00:00:00" tests="0" file="/ws/libs/lib-c/test/a.spec.js" time="0.000" failures="0"></testsuite>
  <testsuite name="a" timestamp="2026-01-01T00:00:00" tests="2" file="/ws/libs/lib-c/test/a.spec.js" time="4.000" failures="0">
    <testcase name="a works" time="3.5" classname="works"></testcase>
    <testcase name="a still works" time="0.5" classname="still works"></testcase>
  </testsuite>
  <testsuite name="b" timestamp="2026-01-01T00:00:00" tests="1" file="/ws/libs/lib-c/test/b.spec.js" time="0,5" failures="0">
    <testcase name="b works" time="0,5" classname="works"></testcase>
  </testsuite>
</testsuites>`;

describe('readJUnitFileTimes', () => {
  it('reads node:test reports whose suite is named by the file path (as the synthetic workspaces write)', () => {
    expect(readJUnitFileTimes({ name: 'reports/junit.xml', text: NODE_TEST_XML }, { projectRoot: 'libs/lib-c' })).toEqual({
      byFile: { 'libs/lib-c/test/mod-1.test.js': 250, 'libs/lib-c/test/mod-2.test.js': 1500 },
      unattributedMs: 40,
    });
  });

  it('reads vitest reports, whose paths are relative to the project', () => {
    const testFiles = ['libs/lib-c/test/mod-1.test.js', 'libs/lib-c/test/mod-2.test.js'];
    expect(readJUnitFileTimes({ name: 'junit.xml', text: VITEST_XML }, { projectRoot: 'libs/lib-c', testFiles })).toEqual({
      byFile: { 'libs/lib-c/test/mod-1.test.js': 2000, 'libs/lib-c/test/mod-2.test.js': 100 },
      unattributedMs: 0,
    });
  });

  it('reads jest (file attribute on suites or cases) and mocha (absolute file attribute, flat suites) reports', () => {
    const jest = readJUnitFileTimes({ name: 'jest.xml', text: JEST_XML }, { projectRoot: 'libs/lib-c', workspaceRoot: '/ws' });
    expect(jest).toEqual({ byFile: { 'libs/lib-c/src/math.spec.ts': 3000, 'libs/lib-c/src/strings.spec.ts': 200 }, unattributedMs: 0 });
    const mocha = readJUnitFileTimes({ name: 'mocha.xml', text: MOCHA_XML }, { projectRoot: 'libs/lib-c', workspaceRoot: '/ws' });
    expect(mocha).toEqual({ byFile: { 'libs/lib-c/test/a.spec.js': 4000, 'libs/lib-c/test/b.spec.js': 500 }, unattributedMs: 0 });
  });

  it('sums several reports and matches files by path suffix when the runner ran elsewhere', () => {
    const elsewhere = VITEST_XML.replace(/test\/mod-/g, '/ci/checkout/libs/lib-c/test/mod-');
    const times = readJUnitFileTimes(
      [
        { name: 'a.xml', text: NODE_TEST_XML },
        { name: 'b.xml', text: elsewhere },
      ],
      { projectRoot: 'libs/lib-c', testFiles: ['libs/lib-c/test/mod-1.test.js', 'libs/lib-c/test/mod-2.test.js'] },
    );
    expect(times.byFile).toEqual({ 'libs/lib-c/test/mod-1.test.js': 2250, 'libs/lib-c/test/mod-2.test.js': 1600 });
  });

  it('reads a real node --test junit report', () => {
    const root = writeTree({
      'libs/p/test/fast.test.mjs': "import { describe, test } from 'node:test';\ndescribe('libs/p/test/fast.test.mjs', () => { test('fast', () => {}); });\n",
      'libs/p/test/slow.test.mjs':
        "import { describe, test } from 'node:test';\ndescribe('libs/p/test/slow.test.mjs', () => { test('slow', () => { const end = Date.now() + 60; while (Date.now() < end); }); });\n",
    });
    roots.push(root);
    const result = spawnSync(
      process.execPath,
      ['--test', '--test-reporter=junit', '--test-reporter-destination=junit.xml', 'libs/p/test/fast.test.mjs', 'libs/p/test/slow.test.mjs'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    const times = readJUnitFileTimes({ name: 'junit.xml', text: readFileSync(join(root, 'junit.xml'), 'utf8') }, { projectRoot: 'libs/p' });
    expect(Object.keys(times.byFile)).toEqual(['libs/p/test/fast.test.mjs', 'libs/p/test/slow.test.mjs']);
    expect(times.byFile['libs/p/test/slow.test.mjs']).toBeGreaterThanOrEqual(55);
    expect(times.byFile['libs/p/test/fast.test.mjs']).toBeLessThan(times.byFile['libs/p/test/slow.test.mjs'] as number);
  });

  it('throws a SixtyError naming the report when the XML is malformed or not JUnit', () => {
    const cases: Array<[string, string]> = [
      ['<testsuites><testsuite name="a"></testsuites>', "reports/broken.xml is not well-formed XML (line 1: Expected closing tag 'testsuite' (opened in line 1, col 13) instead of closing tag 'testsuites'.)"],
      ['<coverage line-rate="0.5"></coverage>', 'reports/broken.xml is not a JUnit report (its root element is <coverage>, not <testsuites> or <testsuite>)'],
      ['', 'reports/broken.xml is empty'],
      ['<?xml version="1.0"?>', 'reports/broken.xml is not well-formed XML (line 1: Start tag expected.)'],
      ['plain text', "reports/broken.xml is not well-formed XML (line 1: char 'p' is not expected.)"],
      ['<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites/>', 'reports/broken.xml declares a DOCTYPE or entities, which JUnit reports never do'],
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        readJUnitFileTimes({ name: 'reports/broken.xml', text }, { projectRoot: 'libs/p' });
      } catch (error) {
        caught = error;
      }
      expect(isSixtyError(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'INVALID_REPORT', message });
    }
  });
});

describe('file cost estimates', () => {
  it('splits a total over files by size plus a fixed per-file overhead, summing to the total', () => {
    const files = [
      { path: 'a.ts', bytes: 744 },
      { path: 'b.ts', bytes: 1744 },
      { path: 'empty.ts', bytes: 0 },
    ];
    // weights 1000, 2000, 256 (the overhead): 3256 in all
    expect(FILE_OVERHEAD_BYTES).toBe(256);
    const costs = scaleBySize(files, 3256);
    expect(costs).toEqual([
      { path: 'a.ts', costMs: 1000, source: 'estimate' },
      { path: 'b.ts', costMs: 2000, source: 'estimate' },
      { path: 'empty.ts', costMs: 256, source: 'estimate' },
    ]);
    expect(estimateModuleCosts(files, 3256)).toEqual(costs);
    expect(() => scaleBySize(files, -1)).toThrow('the time to spread over files must be a non-negative number of ms, got -1');
  });

  it('without reports, splits the target p90 over the test files by size', () => {
    const costs = estimateTestFileCosts({ testFiles: [{ path: 't1', bytes: 744 }, { path: 't2', bytes: 1744 }], targetP90Ms: 30_000 });
    expect(costs).toEqual([
      { path: 't1', costMs: 10_000, source: 'estimate' },
      { path: 't2', costMs: 20_000, source: 'estimate' },
    ]);
  });

  it('estimates unmeasured files at the measured rate, then scales everything to the p90', () => {
    const costs = estimateTestFileCosts({
      testFiles: [
        { path: 'measured', bytes: 744 },
        { path: 'unmeasured', bytes: 744 },
      ],
      measuredMs: { measured: 4_000 },
      targetP90Ms: 10_000,
    });
    expect(costs).toEqual([
      { path: 'measured', costMs: 5_000, source: 'junit' },
      { path: 'unmeasured', costMs: 5_000, source: 'estimate' },
    ]);
    expect(estimateTestFileCosts({ testFiles: [{ path: 'measured', bytes: 1 }], measuredMs: { measured: 4_000 } })).toEqual([{ path: 'measured', costMs: 4_000, source: 'junit' }]);
  });

  it('needs either a measurement or a p90', () => {
    expect(() => estimateTestFileCosts({ testFiles: [{ path: 't', bytes: 1 }], measuredMs: { other: 5 } })).toThrow(
      'no JUnit times and no recorded p90 to estimate test file costs from',
    );
  });
});
