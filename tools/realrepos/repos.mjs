// The real public Nx monorepos the harness runs sixty on, each at a pinned commit.
// `projects` is the bounded subset the real run covers (the whole workspace takes too long on
// the 2-core machine this was made on); `targets` names the repo's own build, test and typecheck
// targets (they are not always called that). `install` records how the repo is installed here.

export const REPOS = [
  {
    name: 'query',
    source: 'TanStack/query',
    mirror: 'TanStack+query',
    commit: '40321a0b1b3bdd0afa11f0e439642ab84cdf6afe',
    packageManager: 'pnpm@11.9.0',
    node: '24',
    install: {
      args: ['install', '--frozen-lockfile'],
      env: {},
      scripts: 'as the lockfile and pnpm-workspace.yaml allowBuilds say (only nx runs one)',
    },
    targets: { build: 'build', test: 'test:lib', typecheck: 'test:types' },
    projects: [
      '@tanstack/query-core',
      '@tanstack/query-persist-client-core',
      '@tanstack/query-sync-storage-persister',
      '@tanstack/query-async-storage-persister',
    ],
    touch: 'packages/query-sync-storage-persister/src/index.ts',
  },
  {
    name: 'analog',
    source: 'analogjs/analog',
    mirror: 'analogjs+analog',
    commit: '305f9f053ad94e3532ab9a57d2387377a35a00e4',
    packageManager: 'pnpm@11.6.0',
    node: '24',
    install: {
      args: ['install', '--frozen-lockfile'],
      // cypress's install script downloads its binary from cypress.io, which is not reachable
      // here; the e2e apps are outside the subset, so the binary is not needed.
      env: { CYPRESS_INSTALL_BINARY: '0' },
      // The registry here answers 404 for @oxc-angular/vite@0.0.15 and its bindings (a root
      // devDependency no source file imports), so pnpm's supply-chain check rejects the lockfile:
      // they leave package.json and pnpm-lock.yaml before the frozen install.
      // Its metadata here also lacks cypress@15.18.0 (the tarball is there, so the frozen install
      // works, but `pnpm add` re-resolves direct dependencies and fails): cypress goes too (only
      // the e2e apps, outside the subset, use it).
      removeDependencies: ['@oxc-angular/vite', 'cypress'],
      dropFromLockfile: ['@oxc-angular/', 'cypress:', 'cypress@'],
      scripts: 'allowBuilds of pnpm-workspace.yaml; CYPRESS_INSTALL_BINARY=0 (no cypress.io here)',
    },
    // no project of analog has a typecheck target (its builds type-check)
    targets: { build: 'build', test: 'test', typecheck: null },
    projects: ['content', 'router', 'vite-plugin-angular'],
    touch: 'packages/content/src/index.ts',
  },
  {
    name: 'angular-eslint',
    source: 'angular-eslint/angular-eslint',
    mirror: 'angular-eslint+angular-eslint',
    commit: 'a666e1b45c9782d1ac2066fd55ec0127d0580950',
    packageManager: 'pnpm@11.10.0',
    node: '24',
    install: {
      args: ['install', '--frozen-lockfile'],
      // The root postinstall builds every package (`pnpm build`); the harness builds through nx
      // instead, so that the build is the recorded run. SKIP_POSTINSTALL is the repo's own switch.
      env: { SKIP_POSTINSTALL: '1' },
      scripts: 'dependency scripts per allowBuilds; root postinstall skipped (SKIP_POSTINSTALL=1), nx builds instead',
    },
    targets: { build: 'build', test: 'test', typecheck: 'typecheck' },
    projects: ['@angular-eslint/utils', 'template-parser', 'eslint-plugin-template'],
    touch: 'packages/utils/src/index.ts',
  },
];
