import { SixtyError } from '@sixty/core';

/**
 * Why the generator changed nothing: a headline, one line per problem, and the fix. The message
 * holds all three, because nx prints only an error's message.
 */
export class DecomposeRefusal extends SixtyError {
  readonly headline: string;
  readonly problems: readonly string[];

  constructor(headline: string, problems: readonly string[], fix: string) {
    super('INVALID_ARGUMENT', [headline, ...problems.map((problem) => `  - ${problem}`), `fix: ${fix}`].join('\n'), fix);
    this.name = 'DecomposeRefusal';
    this.headline = headline;
    this.problems = problems;
  }
}
