/**
 * A mistake in user input (an app or a cluster definition). Always names where it is and how to
 * fix it; the CLI prints it without a stack trace and exits 1. Anything that is not a ConfigError
 * is a bug in aks-gitops itself.
 */
export interface ConfigErrorDetails {
  /** The app whose definition is wrong, when there is one. */
  app?: string;
  /** The cluster being synthesized (or the cluster spec that is wrong). */
  cluster?: string;
  /** Dotted path to the field, e.g. `routes[0].host`. */
  field: string;
  /** What is wrong, with the offending value. */
  problem: string;
  /** What is allowed, or what to change. */
  fix: string;
  /** The underlying exception, when user code threw (shown with --debug). */
  cause?: unknown;
}

export class ConfigError extends Error {
  readonly details: ConfigErrorDetails;

  constructor(details: ConfigErrorDetails) {
    super(formatConfigError(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConfigError';
    this.details = details;
  }

  static is(e: unknown): e is ConfigError {
    return e instanceof Error && e.name === 'ConfigError' && 'details' in e;
  }
}

export function formatConfigError(d: ConfigErrorDetails): string {
  const where = [d.cluster && `cluster ${d.cluster}`, d.app && `app ${d.app}`, `field ${d.field}`]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${d.problem}. Fix: ${d.fix}`;
}

/** Several errors found in one pass, so the user fixes them all at once. */
export class ConfigErrors extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ConfigErrors';
  }
}
