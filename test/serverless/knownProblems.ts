// The problems the template checks find today that parallel work on serverless.yml is fixing. Each check stays
// strict: a problem listed here must still occur (else remove it), and any other problem fails the check. Empty
// this list as the fixes land.
import type { Problem } from './cfnSpec';

export type CheckName = 'cfn-spec';

export interface KnownProblem {
  check: CheckName;
  variant: string;
  problem: Problem;
  /** Why it fails, and what fixes it. */
  reason: string;
}

export const KNOWN_PROBLEMS: KnownProblem[] = [];

/** Asserts that `problems` are exactly the known problems of this check and variant. */
export function expectOnlyKnownProblems(check: CheckName, variant: string, problems: Problem[]): void {
  const known = KNOWN_PROBLEMS.filter((entry) => entry.check === check && entry.variant === variant).map((entry) => entry.problem);
  const unexpected = problems.filter((problem) => !known.includes(problem));
  const fixed = known.filter((problem) => !problems.includes(problem));
  expect({ unexpected, 'fixed (remove from KNOWN_PROBLEMS)': fixed }).toEqual({ unexpected: [], 'fixed (remove from KNOWN_PROBLEMS)': [] });
}
