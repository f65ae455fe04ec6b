/**
 * Bounded retries of one ARM call, for the answers that mean "not now" rather than "no":
 * - 429: ARM or the resource provider throttles, or the Network resource provider reports the
 *   resource busy (`RetryableErrorDueToAnotherOperation`); the response says when to come back in
 *   `Retry-After` (ARM request-limits-and-throttling doc).
 * - 409 `AnotherOperationInProgress`: another write to the same Firewall Policy is running; Azure
 *   updates one rule collection group of a policy at a time (see docs/azure-facts.md).
 * - 408 and 5xx: the ARM RPC's "Retrying REST Calls" guidance.
 * Anything else (400, 401, 403, 404, 412, other 409s) is final and surfaces at once.
 *
 * The SDK's own retry policies are switched off for our clients (arm-client.ts): they honour any
 * Retry-After without an upper bound, which can hold a CI job for as long as the server likes.
 * Here a Retry-After is honoured exactly, up to `maxRetryAfterMs`; a longer one ends the retries
 * with a message saying so. Without Retry-After the wait doubles from `baseDelayMs` up to
 * `maxDelayMs`.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts?: number;
  /** First wait when the server sends no Retry-After. Default 5 s. */
  baseDelayMs?: number;
  /** Longest wait without Retry-After. Default 60 s. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one is not waited for. Default 5 min. */
  maxRetryAfterMs?: number;
  /** How to wait (tests pass one that records the delay and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait, e.g. to print "retrying in 7 s". */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  status: number;
  code?: string;
  /** Whether the delay came from the server's Retry-After. */
  fromRetryAfter: boolean;
}

interface HttpError {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

const RETRYABLE_CONFLICTS = new Set(['AnotherOperationInProgress', 'RetryableErrorDueToAnotherOperation']);

export function isRetryableArmError(e: unknown): boolean {
  const { statusCode: s, code } = (e ?? {}) as HttpError;
  if (typeof s !== 'number') return false;
  return (
    s === 429 ||
    s === 408 ||
    (s >= 500 && s <= 599) ||
    (s === 409 && code !== undefined && RETRYABLE_CONFLICTS.has(code))
  );
}

/** Retry-After in ms: delay-seconds (what ARM sends) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(e: unknown, now: () => number = Date.now): number | undefined {
  const value = (e as HttpError | undefined)?.response?.headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now()) : undefined;
}

export async function withArmRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 5_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 300_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isRetryableArmError(e)) throw e;
      const err = e as HttpError & Error;
      if (attempt >= maxAttempts) throw annotate(err, `gave up after ${attempt} attempts`);
      const hinted = retryAfterMs(e);
      if (hinted !== undefined && hinted > maxRetryAfter) {
        throw annotate(
          err,
          `the server asks to retry after ${Math.round(hinted / 1000)} s, longer than the ${Math.round(maxRetryAfter / 1000)} s this command waits; run it again later`,
        );
      }
      const delayMs = hinted ?? Math.min(maxDelay, base * 2 ** (attempt - 1));
      options.onRetry?.({
        attempt,
        delayMs,
        status: err.statusCode as number,
        code: err.code,
        fromRetryAfter: hinted !== undefined,
      });
      await sleep(delayMs);
    }
  }
}

function annotate<E extends Error>(e: E, note: string): E {
  e.message = `${e.message} (${note})`;
  return e;
}
