import { isRetryableArmError, retryAfterMs, withArmRetry } from '@aks-gitops/azure-edge';

/** An error shaped like the SDK's RestError, with the response headers it carries. */
function armError(statusCode: number, code?: string, retryAfter?: string): Error {
  const headers = new Map(retryAfter === undefined ? [] : [['retry-after', retryAfter]]);
  return Object.assign(new Error(`${statusCode} ${code ?? ''}`.trim()), {
    statusCode,
    code,
    response: { headers: { get: (n: string) => headers.get(n) } },
  });
}

describe('which ARM answers are retried', () => {
  it.each([
    [429, undefined, true],
    [409, 'AnotherOperationInProgress', true],
    [409, 'RetryableErrorDueToAnotherOperation', true],
    [409, 'Conflict', false],
    [412, 'PreconditionFailed', false],
    [400, 'InvalidRequest', false],
    [404, 'NotFound', false],
    [408, undefined, true],
    [503, 'ServiceUnavailable', true],
  ])('HTTP %s %s: %s', (status, code, retried) => {
    expect(isRetryableArmError(armError(status, code))).toBe(retried);
  });

  it('a network error without a status is not an ARM answer and is not retried here', () => {
    expect(isRetryableArmError(new Error('ECONNRESET'))).toBe(false);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds, as ARM sends it, and an HTTP date', () => {
    expect(retryAfterMs(armError(429, undefined, '17'))).toBe(17_000);
    const now = Date.parse('2026-11-28T22:00:00Z');
    expect(retryAfterMs(armError(429, undefined, 'Sat, 28 Nov 2026 22:00:30 GMT'), () => now)).toBe(30_000);
    expect(retryAfterMs(armError(429, undefined, 'soon'))).toBeUndefined();
    expect(retryAfterMs(armError(429))).toBeUndefined();
  });
});

describe('withArmRetry', () => {
  it('returns the first success, after the waits the answers asked for', async () => {
    const waits: number[] = [];
    const answers = [armError(429, 'TooManyRequests', '3'), armError(409, 'AnotherOperationInProgress'), 'done'];
    const result = await withArmRetry(
      async () => {
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next;
      },
      { sleep: async (ms) => void waits.push(ms), baseDelayMs: 100 },
    );
    expect(result).toBe('done');
    expect(waits).toEqual([3000, 200]);
  });

  it('caps the backoff without Retry-After at maxDelayMs', async () => {
    const waits: number[] = [];
    await expect(
      withArmRetry(async () => Promise.reject(armError(503)), {
        sleep: async (ms) => void waits.push(ms),
        maxAttempts: 6,
        baseDelayMs: 1000,
        maxDelayMs: 5000,
      }),
    ).rejects.toThrow('503 (gave up after 6 attempts)');
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('tells onRetry what it waits for and why', async () => {
    const seen: unknown[] = [];
    let first = true;
    await withArmRetry(
      async () => {
        if (first) {
          first = false;
          throw armError(429, 'TooManyRequests', '2');
        }
        return 1;
      },
      { sleep: async () => undefined, onRetry: (i) => seen.push(i) },
    );
    expect(seen).toEqual([{ attempt: 1, delayMs: 2000, status: 429, code: 'TooManyRequests', fromRetryAfter: true }]);
  });
});
