/** How a round ended. */
export type RoundOutcome = 'valid' | 'invalid' | 'not-json' | 'refused' | 'failed';

/** One call of the model and what came of it. */
export interface AgentRound {
  round: number;
  /** HTTP requests (1 + retries). */
  requests: number;
  tokensIn: number;
  tokensOut: number;
  ms: number;
  outcome: RoundOutcome;
  /** invalid / not-json: the problems sent back; refused / failed: why, in one line. */
  problems: string[];
}
