import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SixtyError } from '../errors/sixty-error';

/** A JUnit XML report as read from disk: its name is what errors point at. */
export interface JUnitReport {
  name: string;
  text: string;
}

export interface JUnitAttributionOptions {
  /** Workspace-relative root of the project whose tests wrote the report. */
  projectRoot: string;
  /** Absolute workspace root: absolute paths in reports (mocha, jest) are made relative to it. */
  workspaceRoot?: string;
  /** The project's test files (workspace-relative). When given, only these are attributed, matched by path suffix too. */
  testFiles?: readonly string[];
}

export interface JUnitFileTimes {
  /** Test file (workspace-relative) -> measured ms, summed over every report. */
  byFile: Record<string, number>;
  /** Time of suites and cases no file could be found for (e.g. node:test top-level tests). */
  unattributedMs: number;
}

interface XmlElement {
  $?: Record<string, string>;
  testsuite?: XmlElement[];
  testcase?: XmlElement[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributesGroupName: '$',
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

/**
 * Per-file test time from JUnit XML reports. A suite names its file through a `file` attribute
 * (mocha, jest with addFileAttribute) or its name (node:test as the synthetic workspaces write,
 * vitest: the file path); a case through `file` or `classname` (vitest). Nested suites of a
 * file are inside its time. Malformed or non-JUnit XML is a SixtyError naming the report.
 */
export function readJUnitFileTimes(reports: JUnitReport | readonly JUnitReport[], options: JUnitAttributionOptions): JUnitFileTimes {
  const attribute = fileAttribution(options);
  const byFile = new Map<string, number>();
  let unattributedMs = 0;
  const add = (file: string, ms: number): void => {
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  };
  const visitSuite = (suite: XmlElement): void => {
    const attributes = suite.$ ?? {};
    const file = attribute(attributes.file) ?? attribute(attributes.filepath) ?? attribute(attributes.name);
    if (file !== undefined) {
      add(file, seconds(attributes.time) ?? casesMs(suite));
      return;
    }
    for (const testCase of suite.testcase ?? []) visitCase(testCase);
    for (const child of suite.testsuite ?? []) visitSuite(child);
  };
  const visitCase = (testCase: XmlElement): void => {
    const attributes = testCase.$ ?? {};
    const ms = seconds(attributes.time) ?? 0;
    const file = attribute(attributes.file) ?? attribute(attributes.classname);
    if (file !== undefined) add(file, ms);
    else unattributedMs += ms;
  };
  for (const report of Array.isArray(reports) ? reports : [reports as JUnitReport]) {
    const root = parseReport(report);
    for (const suite of root.testsuite ?? []) visitSuite(suite);
    for (const testCase of root.testcase ?? []) visitCase(testCase);
  }
  return {
    byFile: Object.fromEntries([...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    unattributedMs,
  };
}

/** The element holding the suites: `<testsuites>`, or a lone `<testsuite>` wrapped as one. */
function parseReport(report: JUnitReport): XmlElement {
  const fix = 'point the target at the JUnit XML file its test runner writes (e.g. vitest --reporter=junit, jest-junit, mocha-junit-reporter)';
  if (report.text.trim() === '') throw new SixtyError('INVALID_REPORT', `${report.name} is empty`, fix);
  if (/<!(?:DOCTYPE|ENTITY)/i.test(report.text)) {
    throw new SixtyError('INVALID_REPORT', `${report.name} declares a DOCTYPE or entities, which JUnit reports never do`, fix);
  }
  const verdict = XMLValidator.validate(report.text);
  if (verdict !== true) {
    throw new SixtyError('INVALID_REPORT', `${report.name} is not well-formed XML (line ${verdict.err.line}: ${verdict.err.msg})`, fix);
  }
  const document = parser.parse(report.text) as Record<string, unknown>;
  const rootName = Object.keys(document).find((key) => key !== '?xml' && !key.startsWith('#'));
  if (rootName === 'testsuites') {
    const root = document.testsuites;
    return typeof root === 'object' && root !== null ? (root as XmlElement) : {};
  }
  if (rootName === 'testsuite') return { testsuite: document.testsuite as XmlElement[] };
  throw new SixtyError(
    'INVALID_REPORT',
    `${report.name} is not a JUnit report (its root element is ${rootName ? `<${rootName}>` : 'missing'}, not <testsuites> or <testsuite>)`,
    fix,
  );
}

/** Maps a path-like attribute to a test file of the project, or undefined when it names none. */
function fileAttribution(options: JUnitAttributionOptions): (value: string | undefined) => string | undefined {
  const projectPrefix = options.projectRoot === '' || options.projectRoot === '.' ? '' : `${options.projectRoot.replace(/\/+$/, '')}/`;
  const workspacePrefix = options.workspaceRoot ? `${options.workspaceRoot.replace(/\\/g, '/').replace(/\/+$/, '')}/` : undefined;
  const known = options.testFiles ? new Set(options.testFiles) : undefined;
  const byBaseName = new Map<string, string[]>();
  for (const file of options.testFiles ?? []) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    byBaseName.set(base, [...(byBaseName.get(base) ?? []), file]);
  }
  const cache = new Map<string, string | undefined>();
  const attributeUncached = (value: string): string | undefined => {
    let path = value.trim().replace(/\\/g, '/');
    if (workspacePrefix && path.startsWith(workspacePrefix)) path = path.slice(workspacePrefix.length);
    path = path.replace(/^\.\//, '');
    if (path === '' || /\s>\s/.test(path)) return undefined; // "suite > test" titles are not paths
    const candidates = path.startsWith(projectPrefix) ? [path] : [`${projectPrefix}${path}`, path];
    if (known) {
      const direct = candidates.find((candidate) => known.has(candidate));
      if (direct) return direct;
      // A path relative to some other directory (the runner's root, an absolute path elsewhere): match its tail.
      const base = path.slice(path.lastIndexOf('/') + 1);
      return (byBaseName.get(base) ?? []).find((file) => file.endsWith(`/${path}`) || path.endsWith(`/${file}`));
    }
    if (path.startsWith('/') || !/\.[cm]?[jt]sx?$/.test(path)) return undefined;
    return candidates[0];
  };
  return (value) => {
    if (typeof value !== 'string') return undefined;
    if (!cache.has(value)) cache.set(value, attributeUncached(value));
    return cache.get(value);
  };
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // "1,234.5" (thousands) and "0,123" (a decimal comma, from some locales) both occur.
  const normalized = value.includes('.') ? value.replace(/,/g, '') : value.replace(',', '.');
  const parsed = Number(normalized);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed * 1000 : undefined;
}

function casesMs(suite: XmlElement): number {
  let total = 0;
  for (const testCase of suite.testcase ?? []) total += seconds(testCase.$?.time) ?? 0;
  for (const child of suite.testsuite ?? []) total += seconds(child.$?.time) ?? casesMs(child);
  return total;
}
