import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { parseAllDocuments } from 'yaml';
import { isRecord } from './object-path';

/**
 * `kubectl kustomize <dir>`: the real kustomize, as Flux's kustomize-controller runs it, instead of
 * a re-implementation that would agree with our generator by construction.
 */
export interface KustomizeBuildOptions {
  /** kubectl to run (a name on PATH or a path, e.g. from findKubectls()). Default `kubectl`. */
  kubectl?: string;
}

export interface KustomizeBuildManyOptions extends KustomizeBuildOptions {
  /** Builds at once. Default: the machine's cores (2 on CI); kustomize is single-threaded CPU work. */
  concurrency?: number;
}

// A 3,500-object build is ~10 MB of YAML; the 1 MB default would cut it off.
const MAX_OUTPUT = 512 * 1024 * 1024;

interface ExecFailure {
  code?: unknown;
  status?: unknown;
  stderr?: unknown;
  message?: string;
}

function buildError(kubectl: string, dir: string, failure: ExecFailure): Error {
  if (failure.code === 'ENOENT') {
    return new Error(
      `kubectl kustomize ${dir}: ${kubectl} not found (install kubectl, or pass { kubectl } from findKubectls())`,
    );
  }
  const stderr =
    typeof failure.stderr === 'string'
      ? failure.stderr.trim()
      : Buffer.isBuffer(failure.stderr)
        ? failure.stderr.toString('utf8').trim()
        : '';
  const exit =
    typeof failure.status === 'number'
      ? `exit ${failure.status}`
      : typeof failure.code === 'number'
        ? `exit ${failure.code}`
        : 'failed';
  return new Error(`${kubectl} kustomize ${dir} failed (${exit}):\n${stderr || failure.message || 'no output'}`);
}

/** Parses kustomize's multi-document YAML output into objects, in output order. */
export function parseManifestStream(text: string, origin = 'kustomize output'): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${origin}: ${doc.errors[0]?.message ?? 'YAML error'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // empty document between `---`s
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error(`${origin}: document is not a Kubernetes object`);
    }
    objects.push(value as KubeObject);
  }
  return objects;
}

/** Builds one kustomization directory. Throws with kustomize's own message (stderr) on failure. */
export function kustomizeBuild(dir: string, options: KustomizeBuildOptions = {}): KubeObject[] {
  const kubectl = options.kubectl ?? 'kubectl';
  let out: string;
  try {
    out = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw buildError(kubectl, dir, error as ExecFailure);
  }
  return parseManifestStream(out, `${kubectl} kustomize ${dir}`);
}

function kustomizeBuildAsync(dir: string, kubectl: string): Promise<KubeObject[]> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (error) {
        reject(buildError(kubectl, dir, { code: error.code, stderr, message: error.message }));
        return;
      }
      try {
        resolve(parseManifestStream(stdout, `${kubectl} kustomize ${dir}`));
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}

/**
 * Builds many directories, `concurrency` at a time; results are in `dirs` order. Rejects with the
 * first failure (builds already running finish; no new ones start).
 */
export async function kustomizeBuildMany(
  dirs: readonly string[],
  options: KustomizeBuildManyOptions = {},
): Promise<KubeObject[][]> {
  const kubectl = options.kubectl ?? 'kubectl';
  const limit = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const results: KubeObject[][] = new Array<KubeObject[]>(dirs.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < dirs.length) {
      const index = next++;
      const dir = dirs[index] as string;
      try {
        results[index] = await kustomizeBuildAsync(dir, kubectl);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, dirs.length) }, worker));
  return results;
}
