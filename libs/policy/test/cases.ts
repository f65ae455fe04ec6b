import type { PolicyInput, Severity } from '@aks-gitops/policy';
import type { Fixture, FixtureOptions } from './fixtures';

/*
 * The two shapes of a rule test. rules.spec.ts runs every bad case (its own, breadth-cases.ts's and
 * tenancy-cases.ts's) the same way: one mutation of the compliant fixture, then exactly `ruleId` (and
 * `alsoBreaks`) fires on `object`. Good cases are mutations that must leave the fixture compliant.
 */

export interface BadCase {
  name: string;
  ruleId: string;
  severity: Severity;
  /** How the finding names the object: `Kind namespace/name`. */
  object: string;
  mutate: (fixture: Fixture) => void;
  options?: FixtureOptions;
  input?: (fixture: Fixture) => Partial<PolicyInput>;
  /** Other rules the same mutation legitimately breaks. */
  alsoBreaks?: string[];
}

/**
 * A compliant variation: name, mutation, fixture options. Rows always carry all three cells: Jest
 * treats a test function with more parameters than the row has cells as callback-style and waits
 * for `done` until the timeout.
 */
export type GoodCase = [name: string, mutate: (fixture: Fixture) => void, options: FixtureOptions | undefined];
