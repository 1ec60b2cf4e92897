import { Command, CommanderError } from 'commander';
import { isSixtyError } from '@sixty/core';
import type { RegisterCommand } from './command-context';
import { registerApplyCommand } from './commands/apply';
import { registerBaselineCommand } from './commands/baseline';
import { registerCheckCommand } from './commands/check';
import { registerCiMatrixCommand } from './commands/ci-matrix';
import { registerDispatchCommand } from './commands/dispatch';
import { registerInitCommand } from './commands/init';
import { registerPlanCommand } from './commands/plan';
import { registerReportCommand } from './commands/report';
import { EXIT, processOutput, type Output } from './output';

declare const SIXTY_VERSION: string | undefined;

/** Every command, in the order `sixty --help` lists them. */
const COMMANDS: RegisterCommand[] = [registerInitCommand, registerReportCommand, registerPlanCommand, registerCheckCommand, registerCiMatrixCommand, registerBaselineCommand, registerApplyCommand, registerDispatchCommand];

/** Builds the command tree. Each action stores its exit code; errors propagate to main(). */
function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const program = new Command('sixty')
    .description('Keep every Nx build step under a one-minute budget: record, report, plan, apply, check.')
    .version(typeof SIXTY_VERSION === 'string' ? SIXTY_VERSION : '0.1.0')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the checked thing failed, 2 usage or configuration error.\nStart with `sixty init`, run nx as usual, then `sixty report`.',
    );
  for (const register of COMMANDS) register(program, { output, setExit });
  return program;
}

/** Runs the CLI and returns its exit code. Never prints a stack trace for a known error. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage; // commander already printed the message
    }
    if (isSixtyError(error)) {
      output.err(`sixty: ${error.message}\n  fix: ${error.fix}`);
      return EXIT.usage;
    }
    const reason = error instanceof Error ? error.message : String(error);
    output.err(`sixty: unexpected error: ${reason}\n  please report it with the command you ran`);
    return EXIT.usage;
  }
}
