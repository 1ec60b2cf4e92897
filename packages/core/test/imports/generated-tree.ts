import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface GeneratedTree {
  /** Workspace-relative paths of every file written (the project is the workspace root). */
  files: string[];
  /** Every import written: `from>to` -> 'static' | 'type' | 'dynamic'. */
  edges: Map<string, 'static' | 'type' | 'dynamic'>;
}

/**
 * A TypeScript project of `count` modules in folders of 50, each importing 1-4 earlier modules
 * (mostly nearby, sometimes far): `.js`-suffixed runtime imports, `import type`, an occasional
 * `await import()`, plus one test file per 10 modules. Deterministic for a seed.
 */
export function generateTypeScriptTree(root: string, count: number, seed = 1): GeneratedTree {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const paths = Array.from({ length: count }, (_, i) => `src/f${Math.floor(i / 50)}/m${i}.ts`);
  const edges = new Map<string, 'static' | 'type' | 'dynamic'>();
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const specifier = (from: string, to: string): string => {
    const relative = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '.js');
    return relative.startsWith('.') ? relative : `./${relative}`;
  };
  for (let i = 0; i < count; i++) {
    const from = paths[i] as string;
    const lines: string[] = [];
    const used: string[] = [];
    const targets = new Set<number>();
    const imports = i === 0 ? 0 : 1 + Math.floor(random() * 4);
    for (let k = 0; k < imports; k++) targets.add(Math.max(0, i - 1 - Math.floor(random() * Math.min(i, random() < 0.8 ? 60 : i))));
    [...targets].forEach((target, k) => {
      const to = paths[target] as string;
      const kind = k === 0 && random() < 0.2 ? 'type' : k === 1 && random() < 0.05 ? 'dynamic' : 'static';
      edges.set(`${from}>${to}`, kind);
      if (kind === 'type') lines.push(`import type { T${target} } from '${specifier(from, to)}';`);
      else if (kind === 'static') {
        lines.push(`import { v${target} } from '${specifier(from, to)}';`);
        used.push(`v${target}`);
      } else used.push(`(await import('${specifier(from, to)}')).v${target}`);
    });
    lines.push(`export type T${i} = { id: number; name: string };`);
    lines.push(`export const v${i}: number = ${i} + [${used.join(', ')}].length;`);
    lines.push(`export function use${i}(x: T${i}): string {`, `  return x.name + ${i};`, '}');
    write(from, lines.join('\n') + '\n');
  }
  const files = [...paths];
  for (let i = 0; i < count; i += 10) {
    const path = `test/m${i}.test.ts`;
    const to = paths[i] as string;
    edges.set(`${path}>${to}`, 'static');
    write(path, `import { v${i} } from '${specifier(path, to)}';\nexport const checked = v${i} === ${i};\n`);
    files.push(path);
  }
  return { files: files.sort(), edges };
}
