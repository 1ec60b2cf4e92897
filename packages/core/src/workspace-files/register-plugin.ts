import { applyEdits, modify, parse, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { SixtyError } from '../errors/sixty-error';

export const PLUGIN_NAME = '@sixty/nx';

/** Detects the file's indentation so an edit keeps its formatting. */
export function formattingOf(text: string): FormattingOptions {
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  return {
    insertSpaces: !indent.includes('\t'),
    tabSize: indent.includes('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function pluginNameOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null && typeof (entry as { plugin?: unknown }).plugin === 'string') {
    return (entry as { plugin: string }).plugin;
  }
  return undefined;
}

export interface RegisterPluginResult {
  text: string;
  changed: boolean;
}

/**
 * Adds `{ "plugin": "@sixty/nx", "options": {...} }` to nx.json's plugins, editing the text in
 * place (comments and formatting survive). Idempotent: a registered plugin is left as it is.
 */
export function registerPluginInNxJson(
  text: string,
  options: Record<string, unknown> = { budgetSeconds: 60 },
): RegisterPluginResult {
  const errors: ParseError[] = [];
  const source = text.trim() === '' ? '{}\n' : text;
  const nxJson: unknown = parse(source, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof nxJson !== 'object' || nxJson === null || Array.isArray(nxJson)) {
    throw new SixtyError('INVALID_CONFIG', 'nx.json is not a valid JSON object', 'fix the syntax of nx.json, then run the command again');
  }
  const plugins = (nxJson as { plugins?: unknown }).plugins;
  if (plugins !== undefined && !Array.isArray(plugins)) {
    throw new SixtyError('INVALID_CONFIG', 'nx.json "plugins" is not an array', 'make "plugins" a list of plugin entries');
  }
  if (Array.isArray(plugins) && plugins.some((entry) => pluginNameOf(entry) === PLUGIN_NAME)) {
    return { text, changed: false };
  }
  const entry = { plugin: PLUGIN_NAME, options };
  const path = Array.isArray(plugins) ? ['plugins', plugins.length] : ['plugins'];
  const value = Array.isArray(plugins) ? entry : [entry];
  const edits = modify(source, path, value, { formattingOptions: formattingOf(source), isArrayInsertion: Array.isArray(plugins) });
  let updated = applyEdits(source, edits);
  if (!updated.endsWith('\n')) updated += '\n';
  return { text: updated, changed: true };
}

/** Options of the @sixty/nx entry in nx.json text, or undefined when it is not registered. */
export function pluginOptionsFromNxJson(text: string): { registered: boolean; options: unknown } {
  const nxJson: unknown = parse(text, [], { allowTrailingComma: true });
  const plugins = typeof nxJson === 'object' && nxJson !== null ? (nxJson as { plugins?: unknown }).plugins : undefined;
  if (!Array.isArray(plugins)) return { registered: false, options: undefined };
  for (const entry of plugins) {
    if (pluginNameOf(entry) !== PLUGIN_NAME) continue;
    return { registered: true, options: typeof entry === 'object' ? (entry as { options?: unknown }).options : undefined };
  }
  return { registered: false, options: undefined };
}

/** Adds a line to .gitignore text unless an equivalent pattern is already there. */
export function addGitignoreEntry(text: string, entry: string): RegisterPluginResult {
  const bare = entry.replace(/^\/+|\/+$/g, '');
  const present = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^\/+|\/+$/g, ''))
    .includes(bare);
  if (present) return { text, changed: false };
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return { text: `${prefix}${entry}\n`, changed: true };
}

export interface InitFiles {
  nxJson: string | null;
  gitignore: string | null;
}

export interface InitChanges {
  /** New file contents, only for the files that change. */
  writes: Array<{ path: 'nx.json' | '.gitignore'; content: string }>;
  alreadyRegistered: boolean;
}

/**
 * What `sixty init` and the `@sixty/nx:init` generator change: register the plugin in nx.json
 * and keep the history directory out of git. Both callers apply the same writes.
 */
export function planInit(files: InitFiles, options: { budgetSeconds: number; historyDir: string }): InitChanges {
  if (files.nxJson === null) {
    throw new SixtyError('NOT_A_WORKSPACE', 'no nx.json here: this is not an Nx workspace', 'run the command at the root of an Nx workspace, or pass --cwd <workspace>');
  }
  const pluginOptions: Record<string, unknown> = { budgetSeconds: options.budgetSeconds };
  if (options.historyDir !== '.sixty') pluginOptions.historyDir = options.historyDir;
  const nx = registerPluginInNxJson(files.nxJson, pluginOptions);
  const ignore = addGitignoreEntry(files.gitignore ?? '', `${options.historyDir.replace(/\/+$/, '')}/`);
  const writes: InitChanges['writes'] = [];
  if (nx.changed) writes.push({ path: 'nx.json', content: nx.text });
  if (ignore.changed) writes.push({ path: '.gitignore', content: ignore.text });
  return { writes, alreadyRegistered: !nx.changed };
}
