import { SixtyError } from '../errors/sixty-error';
import { simulateLoop, type LoopGraph } from './loop-graph';
import type { LoopRemedy } from './loop-remedies';

/** The set of remedies `sixty plan <project> --loop` proposes. */
export interface RemedySet {
  remedies: LoopRemedy[];
  /** Sum of the remedies' costs (effort units). */
  cost: number;
  /** The loop's predicted wall time with all of them. */
  loopMsAfter: number;
  /** loopMsAfter is within the budget. */
  underBudget: boolean;
  /**
   * True when every set up to this one's cost was simulated: it is the cheapest that fits (or,
   * when none fits, no set fits). False when the search stopped at its simulation limit first.
   */
  exhaustive: boolean;
  /** How many sets were simulated. */
  simulations: number;
}

/** The search simulates at most this many sets (a loop of a few hundred tasks simulates in well under a millisecond). */
export const MAX_REMEDY_SET_SIMULATIONS = 20_000;

/**
 * The cheapest set of remedies that brings the loop within `budgetMs`: at most one remedy per
 * slot; among the cheapest sets that fit, the one with the shortest loop, then the fewest
 * remedies. Loop times are not monotone in remedies (list scheduling can lose time when one task
 * becomes several), so there is no shortcut: sets are simulated by increasing cost, and the
 * first cost at which some set fits ends the search. When no set fits, the set with the shortest
 * loop (then the cheapest) is returned with underBudget false.
 */
export function cheapestRemedySet(
  loop: LoopGraph,
  remedies: readonly LoopRemedy[],
  budgetMs: number,
  maxSimulations: number = MAX_REMEDY_SET_SIMULATIONS,
): RemedySet {
  for (const remedy of remedies) {
    if (!Number.isInteger(remedy.cost) || remedy.cost < 0) {
      throw new SixtyError('INVALID_ARGUMENT', `remedy "${remedy.summary}" has cost ${remedy.cost}: costs are whole numbers >= 0`, 'give every LoopRemedy a whole-number cost (LOOP_REMEDY_COST)');
    }
  }
  const slots = groupBySlot(remedies);
  const maxCostAfter = new Array<number>(slots.length + 1).fill(0);
  for (let s = slots.length - 1; s >= 0; s--) maxCostAfter[s] = maxCostAfter[s + 1]! + Math.max(...slots[s]!.map((r) => r.cost));

  let simulations = 0;
  let closest: { remedies: LoopRemedy[]; cost: number; loopMsAfter: number } | null = null;
  const chosen: LoopRemedy[] = [];
  const consider = (cost: number): { remedies: LoopRemedy[]; cost: number; loopMsAfter: number } => {
    simulations++;
    const loopMsAfter = simulateLoop(loop, chosen.flatMap((remedy) => remedy.edits));
    const candidate = { remedies: [...chosen], cost, loopMsAfter };
    if (!closest || loopMsAfter < closest.loopMsAfter || (loopMsAfter === closest.loopMsAfter && better(candidate, closest))) closest = candidate;
    return candidate;
  };

  let stopped = false;
  for (let level = 0; level <= maxCostAfter[0]!; level++) {
    let fitting: { remedies: LoopRemedy[]; cost: number; loopMsAfter: number } | null = null;
    // every set whose cost is exactly `level`: slot by slot, none or one remedy of each
    const visit = (slot: number, cost: number): void => {
      if (stopped) return;
      if (slot === slots.length) {
        if (cost !== level) return;
        if (simulations >= maxSimulations) {
          stopped = true;
          return;
        }
        const candidate = consider(cost);
        if (candidate.loopMsAfter <= budgetMs && (!fitting || candidate.loopMsAfter < fitting.loopMsAfter || (candidate.loopMsAfter === fitting.loopMsAfter && better(candidate, fitting)))) {
          fitting = candidate;
        }
        return;
      }
      if (cost + maxCostAfter[slot]! < level) return; // even the dearest rest cannot reach this cost
      visit(slot + 1, cost);
      for (const remedy of slots[slot]!) {
        if (cost + remedy.cost > level) continue;
        chosen.push(remedy);
        visit(slot + 1, cost + remedy.cost);
        chosen.pop();
      }
    };
    visit(0, 0);
    if (fitting) return result(fitting, true, !stopped, simulations);
    if (stopped) break;
  }
  const best = closest ?? { remedies: [], cost: 0, loopMsAfter: simulateLoop(loop) };
  return result(best, best.loopMsAfter <= budgetMs, !stopped, simulations);
}

/** Among sets of equal loop time: the cheaper, then the one with fewer remedies. */
function better(a: { remedies: LoopRemedy[]; cost: number }, b: { remedies: LoopRemedy[]; cost: number }): boolean {
  return a.cost < b.cost || (a.cost === b.cost && a.remedies.length < b.remedies.length);
}

function result(set: { remedies: LoopRemedy[]; cost: number; loopMsAfter: number }, underBudget: boolean, exhaustive: boolean, simulations: number): RemedySet {
  return { remedies: set.remedies, cost: set.cost, loopMsAfter: set.loopMsAfter, underBudget, exhaustive, simulations };
}

function groupBySlot(remedies: readonly LoopRemedy[]): LoopRemedy[][] {
  const bySlot = new Map<string, LoopRemedy[]>();
  for (const remedy of remedies) {
    const slot = bySlot.get(remedy.slot);
    if (slot) slot.push(remedy);
    else bySlot.set(remedy.slot, [remedy]);
  }
  return [...bySlot.values()];
}
