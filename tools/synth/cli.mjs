#!/usr/bin/env node
// npm run synth -- --out DIR --projects N [--files N] [--seed N] [--duration P:T=S ...] [--fail P:T ...]
//                  [--runner node|vitest] [--no-git] [--no-init]
import { parseArgs } from 'node:util';
import { generateWorkspace } from './synth.mjs';

const HELP = `Usage: npm run synth -- --out DIR [options]

Writes a synthetic Nx workspace: projects that import each other, build and test targets
that do real work and take the given time, JUnit reports, the sixty plugin registered.

  --out DIR                 directory to create (must be new or empty)
  --projects N              number of projects (default 10; ~70% libs, the rest apps)
  --files N                 source modules (and test files) per project (default 4)
  --seed N                  random seed; same seed, same workspace (default 1)
  --duration P:T=SECONDS    time of one target, spread over its files (repeatable)
  --fail P:T                make a target fail: a failing assertion or a syntax error (repeatable)
  --runner node|vitest      test runner (default node: node --test with the JUnit reporter)
  --nx workspace|latest      which installed nx to link: the pinned 22.x (default) or 24.x
  --budget SECONDS          the plugin's budget in nx.json (default 60)
  --no-git                  do not create a git repository
  --no-init                 do not register the plugin (sixty init)
`;

try {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      projects: { type: 'string', default: '10' },
      files: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', multiple: true, default: [] },
      fail: { type: 'string', multiple: true, default: [] },
      runner: { type: 'string', default: 'node' },
      nx: { type: 'string', default: 'workspace' },
      budget: { type: 'string', default: '60' },
      'no-git': { type: 'boolean', default: false },
      'no-init': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  if (!values.out) throw new Error('--out DIR is required');
  const started = Date.now();
  const { out, projects } = generateWorkspace({
    out: values.out,
    projects: Number(values.projects),
    files: Number(values.files),
    seed: Number(values.seed),
    durations: values.duration,
    fail: values.fail,
    runner: values.runner,
    nx: values.nx,
    budgetSeconds: Number(values.budget),
    git: !values['no-git'],
    init: !values['no-init'],
  });
  console.log(`wrote ${projects.length} projects to ${out} in ${Date.now() - started} ms`);
} catch (error) {
  console.error(`synth: ${error.message}\n${HELP}`);
  process.exit(2);
}
