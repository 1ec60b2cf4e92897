import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { formattingOf } from './register-plugin';

/**
 * A project.json with one target's `inputs` set (the target created when the file does not list
 * it: nx merges it onto the inferred or default target); comments and formatting kept. `unchanged`
 * when the inputs are already those; `error` when the text is not a JSON object.
 */
export function setTargetInputs(projectJson: string, target: string, inputs: readonly unknown[]): { text: string; unchanged: boolean } | { error: string } {
  const errors: ParseError[] = [];
  const value = parse(projectJson, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'is not a JSON object' };
  const targets = (value as { targets?: unknown }).targets;
  const current = typeof targets === 'object' && targets !== null && Object.hasOwn(targets, target) ? (targets as Record<string, { inputs?: unknown }>)[target] : undefined;
  if (JSON.stringify(current?.inputs) === JSON.stringify(inputs)) return { text: projectJson, unchanged: true };
  const edits = modify(projectJson, ['targets', target, 'inputs'], inputs, { formattingOptions: formattingOf(projectJson) });
  return { text: applyEdits(projectJson, edits), unchanged: false };
}
