import type { BudgetViolation } from '../analysis/analysis-types';
import { formatDuration } from '../text/format-duration';

/** A violation's loop cost; "up to" when it is a bound, not simulated (huge graphs). */
export function loopCostText(violation: BudgetViolation): string {
  return `${violation.loopCostExact === false ? 'up to ' : ''}${formatDuration(violation.loopCostMs)}`;
}
