import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ResolverFactory } from 'oxc-resolver';
import { describe, expect, it } from 'vitest';
import { createImportResolver, resolverOptions, type ResolverSettings } from '../../src/imports/import-resolver';
import { treesRemovedAfterEach } from './temp-tree';

const tree = treesRemovedAfterEach();

/** Shapes where a relative specifier's file is easy to get wrong without asking the disk as oxc-resolver does. */
const TRICKY_TREE = {
  'src/plain.ts': '',
  'src/both.ts': '',
  'src/both.js': '', // `./both.js` is the .ts (TypeScript's rule), `./both` too
  'src/only-js.js': '',
  'src/no-extension': '', // an extensionless file is found as written, before any extension
  'src/no-extension.ts': '',
  'src/d-only.d.ts': '',
  'src/tsx-only.tsx': '',
  'src/esm.mts': '',
  'src/data.json': '{}',
  'src/native.ios.ts': '',
  'src/native.ts': '',
  'src/folder/index.ts': '',
  'src/folder.ts/index.ts': '', // a directory named like a file is not that file
  'src/with-manifest/package.json': '{"main":"./lib/entry.js"}', // main fields win over index files
  'src/with-manifest/lib/entry.js': '',
  'src/with-manifest/index.ts': '',
  'src/shadowed/index.ts': '',
  'src/shadowed.tsx': '', // a file beats a directory's index
  'src/deep/er/x.ts': '',
  'src/.hidden.ts': '',
  'src/link-target/real.ts': '',
  'node_modules/pkg/index.js': '',
};
const SPECIFIERS = [
  './plain', './plain.js', './plain.ts', './both', './both.js', './only-js', './only-js.js', './no-extension', './d-only', './d-only.js',
  './tsx-only', './tsx-only.js', './tsx-only.jsx', './esm', './esm.mjs', './data.json', './data', './native', './folder', './folder/', './folder.ts',
  './with-manifest', './shadowed', './deep/er/x', './deep/../plain', './deep/./er/../../both', '.', '..', '../src/plain', './missing', './missing.js',
  './.hidden', './.hidden.ts', './linked', './linked/real', './linked-file', '../node_modules/pkg', './deep//er/x',
];

describe('createImportResolver', () => {
  it.each([[{ conditions: ['import', 'default'], moduleSuffixes: [''] }], [{ conditions: ['import', 'default'], moduleSuffixes: ['.ios', ''] }]] as Array<[ResolverSettings]>)(
    'answers relative specifiers as oxc-resolver does, with or without directory listings to go by (%j)',
    (settings) => {
      const root = tree(TRICKY_TREE);
      symlinkSync(join(root, 'src/link-target'), join(root, 'src/linked'));
      symlinkSync(join(root, 'src/plain.ts'), join(root, 'src/linked-file.ts'));
      mkdirSync(join(root, 'src/empty-dir'));
      const oxc = new ResolverFactory(resolverOptions(settings));
      const resolverFor = createImportResolver(settings);
      for (const importer of ['src/index.ts', 'src/deep/er/user.ts', 'src/empty-dir/user.ts']) {
        const directory = dirname(join(root, importer));
        const resolve = resolverFor(directory);
        for (const specifier of SPECIFIERS) {
          expect({ importer, specifier, resolved: resolve(specifier) }).toEqual({ importer, specifier, resolved: oxc.sync(directory, specifier).path });
        }
      }
    },
  );
});
