// Types of tools/pack.mjs for the TypeScript tests that use it.
export const DEFAULT_PACK_DIR: string;
export function packAll(out?: string): string[];
