import type { Command } from 'commander';
import type { Output } from './output';

/** What every command needs from main(): where to write, and how to report its exit code. */
export interface CommandContext {
  output: Output;
  setExit(code: number): void;
}

/** Each command module registers itself on the program; main() lists them. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
