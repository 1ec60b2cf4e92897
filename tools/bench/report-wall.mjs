// Benchmark: `sixty report` as a whole process against `nx show projects` on a workspace of the
// size real ones have (40 projects): what a user waits for when asking sixty where the minute
// goes, next to the cheapest nx command that loads the same project graph. A synthetic workspace
// (plugin registered) records two runs of build and test (the second from cache); then A,
// `sixty report`, and B, `nx show projects`, run alternately, A B A B ..., each timed spawn to
// exit, and the figure is the median of the pair-by-pair ratios A / B.
import { generateWorkspace } from '../synth/synth.mjs';
import { join } from 'node:path';
import {
  NX_ENV,
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  formatRatio,
  makeTempDir,
  nxBin,
  progress,
  removeTempDir,
  result,
  summarize,
  timeProcess,
  timingRow,
} from './lib.mjs';

export const id = 'reportwall';
export const GOAL_RATIO = 1.2;
const PROJECTS = 40;
const FILES = 2;
const SEED = 7;
const CLI = join(REPO_ROOT, 'packages/cli/bin/sixty.js');

export async function run({ quick, pairs: pairsOption }) {
  const pairs = pairsOption ?? (quick ? 3 : 10);
  const env = { ...process.env, ...NX_ENV };
  delete env.CI;
  delete env.GITHUB_STEP_SUMMARY;
  const workspace = makeTempDir('reportwall');
  try {
    progress(`reportwall: generating a ${PROJECTS}-project workspace (seed ${SEED}, ${FILES} files per project)`);
    generateWorkspace({ out: workspace, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: true });
    const nx = nxBin(workspace);
    progress('reportwall: recording two runs of build and test (not counted)');
    for (let i = 0; i < 2; i++) timeProcess(process.execPath, [nx.bin, 'run-many', '-t', 'build,test'], { cwd: workspace, env });

    const runReport = () => {
      const run = timeProcess(process.execPath, [CLI, 'report'], { cwd: workspace, env, okCodes: [0, 1] });
      if (!/recorded run/.test(run.stdout)) throw new Error(`sixty report printed no runs:\n${run.stdout.slice(0, 600)}${run.stderr.slice(0, 600)}`);
      return run;
    };
    const runShow = () => {
      const run = timeProcess(process.execPath, [nx.bin, 'show', 'projects'], { cwd: workspace, env });
      const listed = run.stdout.trim().split('\n').filter(Boolean).length;
      if (listed !== PROJECTS) throw new Error(`nx show projects listed ${listed} projects, expected ${PROJECTS}`);
      return run;
    };
    progress('reportwall: one untimed round of each');
    const firstReport = runReport();
    runShow();

    const samplesA = [];
    const samplesB = [];
    const ratios = [];
    for (let i = 0; i < pairs; i++) {
      const a = runReport();
      const b = runShow();
      samplesA.push(a.ms);
      samplesB.push(b.ms);
      ratios.push(a.ms / b.ms);
      result(`reportwall  pair ${i + 1}: sixty report ${formatMs(a.ms)}  nx show projects ${formatMs(b.ms)}  A/B ${formatRatio(a.ms / b.ms)}`);
    }
    const summaryA = summarize(samplesA);
    const summaryB = summarize(samplesB);
    const ratio = summarize(ratios);
    result(`reportwall  A, sixty report      ${describeSummary(summaryA)}`);
    result(`reportwall  B, nx show projects  ${describeSummary(summaryB)}`);
    result(`reportwall  A/B, pair by pair    ${describeSummary(ratio, formatRatio)}`);
    const met = ratio.median < GOAL_RATIO;
    const headline = firstReport.stdout.trim().split('\n')[0];
    return {
      id,
      title: `sixty report vs nx show projects, ${PROJECTS} projects`,
      about: [
        `A synthetic workspace (tools/synth, ${PROJECTS} projects, ${FILES} files per project, seed ${SEED}, plugin registered) records two runs of ` +
          '`nx run-many -t build,test` (the second from cache). Then A, `sixty report` (text), and B, `nx show projects`, run alternately ' +
          `A B A B ... for ${pairs} pairs after one untimed round, each timed as a whole process, spawn to exit; the figure is the median of the pair-by-pair ratios A / B.`,
      ],
      setup: [
        `A: \`node packages/cli/bin/sixty.js report\` in the workspace (its first line: "${headline}")`,
        `B: \`nx show projects\` (lists all ${PROJECTS} projects), nx ${nx.version}`,
        `environment ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
      ],
      tables: [
        {
          title: 'Per run',
          columns: TIMING_COLUMNS,
          rows: [timingRow('A: sixty report', summaryA), timingRow('B: nx show projects', summaryB), timingRow('A / B, pair by pair', ratio, formatRatio)],
        },
      ],
      goal: {
        text: `\`sixty report\` under ${GOAL_RATIO}x \`nx show projects\` wall on a ${PROJECTS}-project workspace (median of pair ratios)`,
        figure: `${formatRatio(ratio.median)}x (A ${formatMs(summaryA.median)}, B ${formatMs(summaryB.median)})`,
        met,
      },
      notes: pairs < 5 ? [`Only ${pairs} pairs: the ratio is indicative.`] : [],
    };
  } finally {
    removeTempDir(workspace);
  }
}
