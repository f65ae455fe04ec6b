import type { TokenCredential } from '@azure/identity';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { AcceptedButUnconfirmedError, type ArmClientOptions } from './apply';
import type { RetryOptions } from './arm-retry';
import { isLoopbackHttpEndpoint, staticTokenCredential } from './local-arm';

/** What `edge` is asked to do, as the aks-gitops CLI parsed it from the command line. */
export type EdgeArgs =
  | {
      command: 'plan';
      /** Limit to these clusters (default: every cluster). */
      clusters?: string[];
      endpoint?: string;
      /** text (default), json or markdown; json and markdown cover the DNAT groups only. */
      format?: 'text' | 'json' | 'markdown';
      /** Print the committed files only, without calling Azure. */
      offline?: boolean;
    }
  | { command: 'apply'; clusters?: string[]; endpoint?: string }
  | {
      command: 'prune';
      endpoint?: string;
      /** Firewall Policies to scan besides the fleet's. */
      policies?: string[];
      /** Delete the orphaned groups listed. */
      yes?: boolean;
    };

export interface EdgeOptions {
  /** Repository root: the committed files are read from `<rootDir>/clusters/<cluster>/azure/`. */
  rootDir: string;
  clusters: readonly ClusterSpec[];
  stdout?: (s: string) => void;
  /** Where errors go; defaults to process.stderr. */
  stderr?: (s: string) => void;
  /** Poll interval of long-running operations (tests shorten it; the SDK default is 2 s). */
  pollIntervalMs?: number;
  /** Retry bounds for 409/429/5xx (tests pass a `sleep` that returns at once). */
  retry?: RetryOptions;
}

/** Token handed to a loopback ARM stand-in; real ARM would reject it. */
export const LOCAL_ARM_TOKEN = 'aks-gitops-local-arm-token';

export type Out = (s: string) => void;

/** Runs one edge resource's Azure calls; Azure errors are printed (not thrown) and give undefined. */
export async function withAzure(
  title: string,
  phase: string,
  err: Out,
  fn: () => Promise<string>,
): Promise<string | undefined> {
  try {
    return await fn();
  } catch (e) {
    err(`${phase} failed for ${title}: ${describeError(e)}\n`);
    return undefined;
  }
}

export async function armOptions(endpoint: string | undefined, opts: EdgeOptions, err: Out): Promise<ArmClientOptions> {
  const retry: RetryOptions = {
    ...opts.retry,
    onRetry: (i) => {
      err(`  HTTP ${i.status}${i.code ? ` ${i.code}` : ''}: retrying in ${Math.round(i.delayMs / 1000)} s\n`);
      opts.retry?.onRetry?.(i);
    },
  };
  return { credential: await credentialFor(endpoint), endpoint, updateIntervalInMs: opts.pollIntervalMs, retry };
}

export function describeError(e: unknown): string {
  if (e instanceof AcceptedButUnconfirmedError) return e.message;
  const s = e as { statusCode?: unknown; code?: string; message?: string };
  return typeof s.statusCode === 'number'
    ? `HTTP ${s.statusCode}${s.code ? ` ${s.code}` : ''}: ${s.message}`
    : String(s.message ?? e);
}

async function credentialFor(endpoint: string | undefined): Promise<TokenCredential> {
  if (endpoint !== undefined && isLoopbackHttpEndpoint(endpoint)) return staticTokenCredential(LOCAL_ARM_TOKEN);
  // Loaded lazily: plan --offline and the loopback path never need MSAL.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
