// Shared helpers for `npm run bench`: timing and medians, temporary directories that are always
// removed, progress (stderr) and results (stdout), the machine description, and the Markdown
// file the run writes (docs/BENCHMARKS.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRequire = createRequire(join(REPO_ROOT, 'package.json'));
/** Every benchmark runs nx without its daemon, cloud and terminal UI: one process, timed as a whole. */
export const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

// ---------------------------------------------------------------- output

/** Progress: what is running now. Goes to stderr so stdout carries only the figures. */
export function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A result line, printed as soon as the figure is known. */
export function result(message) {
  process.stdout.write(`${message}\n`);
}

// ---------------------------------------------------------------- statistics

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** median / min / max / n of a list of samples. */
export function summarize(samples) {
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    n: samples.length,
    samples: [...samples],
  };
}

/**
 * Runs fn `warmup` times untimed, then `runs` times timed (ms, performance.now()).
 * fn may be async. `before(i)` runs before each call, outside the timing.
 */
export async function timeRuns(fn, { runs, warmup = 1, before } = {}) {
  for (let i = 0; i < warmup; i++) {
    if (before) await before(-1 - i);
    await fn();
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before(i);
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/**
 * Times a whole child process (start to exit, start-up included), like a user running it.
 * Throws with the tail of its output when it exits non-zero.
 *
 * With `cpu: true` (POSIX only) the command runs under `sh`, whose `times` builtin then prints
 * the user and system CPU seconds of every process the command waited for (nx and its task
 * processes): a figure that other load on the machine moves much less than wall time.
 * The shell adds about a millisecond.
 */
export function timeProcess(command, args, { cwd, env, cpu = false, maxBuffer = 256 * 1024 * 1024, okCodes = [0] } = {}) {
  const withCpu = cpu && process.platform !== 'win32';
  const [file, argv] = withCpu
    ? ['/bin/sh', ['-c', '"$@"; status=$?; times >&2; exit $status', 'sh', command, ...args]]
    : [command, args];
  const start = performance.now();
  const child = spawnSync(file, argv, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer,
  });
  const ms = performance.now() - start;
  if (child.error) throw child.error;
  const stdout = child.stdout.toString('utf8');
  const stderr = child.stderr.toString('utf8');
  if (!okCodes.includes(child.status)) {
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${[command, ...args].join(' ')} exited with ${child.status ?? child.signal}:\n${tail}`);
  }
  return { ms, stdout, stderr, code: child.status, cpuMs: withCpu ? childrenCpuMs(stderr) : undefined };
}

/** The last line of `times`: children's user and system time, e.g. "0m31.080000s 0m6.740000s". */
function childrenCpuMs(stderr) {
  const lines = stderr.trimEnd().split('\n');
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1]?.trim() ?? '');
  if (!match) return undefined;
  const [, um, us, sm, ss] = match.map(Number);
  return (um * 60 + us + sm * 60 + ss) * 1000;
}

// ---------------------------------------------------------------- formatting

/** 12.3 ms, 1.23 s: enough digits to compare, no more. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0) return `-${formatMs(-ms)}`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatRatio(ratio) {
  return Number.isFinite(ratio) ? ratio.toFixed(3) : '-';
}

/** "median 12.3 ms (min 11.0 ms, max 15.2 ms, n=20)" for the stdout line. */
export function describeSummary(summary, format = formatMs) {
  return `median ${format(summary.median)} (min ${format(summary.min)}, max ${format(summary.max)}, n=${summary.n})`;
}

// ---------------------------------------------------------------- temporary directories

const tempDirs = new Set();

/** A new directory under the OS temp dir, removed by cleanupTempDirs() (also on exit and on Ctrl-C). */
export function makeTempDir(label) {
  const dir = mkdtempSync(join(os.tmpdir(), `sixty-bench-${label}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes one temp dir now (recursive; symlinks are removed, never followed). */
export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function cleanupTempDirs() {
  for (const dir of [...tempDirs]) {
    try {
      removeTempDir(dir);
    } catch (error) {
      process.stderr.write(`[bench] could not remove ${dir}: ${error.message}\n`);
    }
  }
}

process.on('exit', cleanupTempDirs);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanupTempDirs();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- machine

/**
 * The nx CLI a workspace runs: its `nx` package and that package's bin (what `sixty report`
 * resolves too). Not `node_modules/.bin/nx`, which npm may point at another package that also
 * ships an `nx` bin (an aliased `nx-latest`, say).
 */
export function nxBin(workspaceRoot) {
  const manifestPath = createRequire(join(workspaceRoot, 'package.json')).resolve('nx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin?.nx ?? 'bin/nx.js');
  return { bin: join(dirname(manifestPath), bin), version: manifest.version };
}

export function machineInfo() {
  const cpus = os.cpus();
  let nx = 'unknown';
  try {
    nx = nxBin(REPO_ROOT).version;
  } catch {
    // not installed: the benchmarks that run nx will fail and say so
  }
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    nx,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverage: os.loadavg()[0],
  };
}

// ---------------------------------------------------------------- Markdown

function escapeCell(value) {
  return String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(columns, rows) {
  const align = columns.map((c) => (c.right ? '---:' : '---'));
  return [
    `| ${columns.map((c) => escapeCell(c.title)).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

/** yes / no / inconclusive: `met` is true, false, or null when the figures cannot say. */
export function verdict(met) {
  return met === true ? 'met' : met === false ? 'not met' : 'inconclusive';
}

/** The 1-minute load average before and after a benchmark, and whether the machine was busy. */
function loadLine(load, cpuCount) {
  const busy = Math.max(load.before, load.after) > cpuCount;
  return (
    `1-minute load average ${load.before.toFixed(1)} before and ${load.after.toFixed(1)} after this benchmark, on ${cpuCount} CPUs` +
    (busy ? ': the machine was busy with other work, so these figures are higher and wider than on a quiet machine.' : '.')
  );
}

/**
 * Each benchmark returns a section:
 *   { id, title, about: [paragraph], setup: [bullet], tables: [{ title?, columns, rows }],
 *     goal: { text, figure, met: true | false | null }, notes: [bullet] }
 * run.mjs adds load: { before, after }.
 */
export function renderMarkdown({ machine, date, command, quick, totalSeconds, sections }) {
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(
    'These figures come from `npm run bench` (tools/bench/), which writes this file. Every figure is a median over ' +
      'several runs taken after untimed warm-up runs, with the min and max beside it so the spread shows; ' +
      'in-process timings use `performance.now()`, whole-process timings run from spawn to exit, start-up included. ' +
      'Where a figure is a ratio (plugin registered vs not), both sides run in the same benchmark, alternately ' +
      '(A B A B ...) on identically generated workspaces, and the ratio is the median of the pair-by-pair ratios, ' +
      'so drift in the machine\'s speed during the run cancels out. Figures are of one machine on one day: compare ' +
      'them with a run on your own machine, not across machines.',
    '',
  );
  lines.push('| | |', '| --- | --- |');
  lines.push(`| Machine | ${escapeCell(machine.cpuModel)}, ${machine.cpuCount} logical CPUs, ${machine.memoryGiB.toFixed(1)} GiB RAM |`);
  lines.push(`| OS | ${escapeCell(machine.os)} |`);
  lines.push(`| Node | ${machine.node} |`);
  lines.push(`| Load average at start | ${machine.loadAverage.toFixed(1)} (1 min) |`);
  lines.push(`| Nx | ${machine.nx} |`);
  lines.push(`| Command | \`${command}\`${quick ? ' (quick mode: fewer runs, wider spread)' : ''} |`);
  lines.push(`| Date | ${date} |`);
  lines.push(`| Bench wall time | ${totalSeconds.toFixed(0)} s |`);
  lines.push('');

  lines.push('## Summary', '');
  lines.push(
    markdownTable(
      [{ title: 'Benchmark' }, { title: 'Figure' }, { title: 'Goal' }, { title: 'Met' }],
      sections.map((s) => [s.title, s.goal.figure, s.goal.text, s.goal.met === true ? 'yes' : s.goal.met === false ? '**no**' : 'inconclusive']),
    ),
    '',
  );

  for (const section of sections) {
    lines.push(`## ${section.title}`, '');
    for (const paragraph of section.about ?? []) lines.push(paragraph, '');
    if (section.setup?.length) {
      for (const item of section.setup) lines.push(`- ${item}`);
      lines.push('');
    }
    for (const table of section.tables) {
      if (table.title) lines.push(`**${table.title}**`, '');
      lines.push(markdownTable(table.columns, table.rows), '');
    }
    const v = verdict(section.goal.met);
    lines.push(`Goal: ${section.goal.text}. Measured: ${section.goal.figure}. **${v[0].toUpperCase()}${v.slice(1)}.**`, '');
    const notes = [...(section.notes ?? []), ...(section.load ? [loadLine(section.load, machine.cpuCount)] : [])];
    if (notes.length) {
      for (const note of notes) lines.push(`- ${note}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

export function writeMarkdown(path, text) {
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
}

/** The columns every timing table uses. */
export const TIMING_COLUMNS = [
  { title: 'Case' },
  { title: 'Median', right: true },
  { title: 'Min', right: true },
  { title: 'Max', right: true },
  { title: 'Runs', right: true },
];

export function timingRow(label, summary, format = formatMs) {
  return [label, format(summary.median), format(summary.min), format(summary.max), String(summary.n)];
}

/** Every run the plugin recorded in a workspace's .sixty/runs, oldest first. */
export function recordedRuns(root) {
  const dir = join(root, '.sixty', 'runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}
