/** Where a command writes. Tests pass their own; the binary passes process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Exit codes mean one thing each across every command. */
export const EXIT = {
  ok: 0,
  /** The checked thing failed (a task, a budget with --strict, an invalid plan). */
  failed: 1,
  /** Usage or configuration error: the command could not do its job. */
  usage: 2,
} as const;
