import type { ClusterSpec } from '@aks-gitops/cluster-model';

/** One option of a command, as `node:util` parseArgs reads it and as the help prints it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** May be given more than once (the values are collected in order). */
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's name in the help: `--cluster <name>`. */
  readonly value?: string;
  readonly help: string;
}

/** The parsed options of one invocation: a string, a boolean or (multiple) a list per option. */
export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** What a command's `run` gets: its parsed options and positionals, the repository root, the fleet. */
export interface Invocation {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  /** The repository root: AKS_GITOPS_ROOT, else the current directory. */
  readonly root: string;
  /** The fleet's cluster specs (libs/cluster-model, or --clusters-module), loaded on first use. */
  readonly clusterSpecs: () => readonly ClusterSpec[];
}

/** One row of the command table. */
export interface CommandSpec {
  /** `synth`, or `edge plan` for a command of a group. */
  readonly name: string;
  /** The positionals in the usage line, e.g. `<name>`. */
  readonly positionals?: readonly string[];
  /** One line in `aks-gitops help`. */
  readonly summary: string;
  /** What it does, in `aks-gitops help <command>`. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Rules across options (one of two, one needs another): a message makes it a usage error. */
  readonly check?: (values: OptionValues) => string | undefined;
  readonly run: (invocation: Invocation) => Promise<number> | number;
}

/** A mistake in the command line itself: exit 2 with the usage of the command (or of all of them). */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

export const optionString = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const optionList = (values: OptionValues, name: string): string[] | undefined => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
};

export const optionFlag = (values: OptionValues, name: string): boolean => values[name] === true;
