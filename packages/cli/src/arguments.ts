import { InvalidArgumentError } from 'commander';

/** Argument parsers shared by every command: each rejects bad input with the fix in its message. */

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return number;
}

export function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list, e.g. build,test');
  return items;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a positive number of seconds, e.g. --budget 60');
  }
  return seconds;
}
