import type { Tree } from 'nx/src/devkit-exports';
import { planInit } from '@sixty/core';

export interface InitGeneratorSchema {
  budgetSeconds?: number;
  historyDir?: string;
}

/** `nx g @sixty/nx:init`: registers the plugin in nx.json and ignores the history directory. */
export default async function initGenerator(tree: Tree, schema: InitGeneratorSchema): Promise<void> {
  const changes = planInit(
    { nxJson: tree.read('nx.json', 'utf-8'), gitignore: tree.read('.gitignore', 'utf-8') },
    { budgetSeconds: schema.budgetSeconds ?? 60, historyDir: schema.historyDir ?? '.sixty' },
  );
  for (const write of changes.writes) tree.write(write.path, write.content);
}
