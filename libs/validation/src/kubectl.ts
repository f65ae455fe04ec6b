import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finding the kubectl binaries whose embedded kustomize we build with. Flux's kustomize-controller
 * runs kustomize as a library; `kubectl kustomize` is the same code at a known version, and
 * building with an old and a new kubectl catches kustomization files that only one of them accepts.
 */
export interface KubectlBinary {
  /** Client version without the `v` and build suffix, e.g. `1.32.4`. */
  version: string;
  /** Absolute path, as found (not symlink-resolved, so a dispatcher stays a dispatcher). */
  path: string;
  /** Embedded kustomize, e.g. `v5.5.0`, or `unknown`. */
  kustomizeVersion: string;
}

export interface FindKubectlsOptions {
  /** Binary names to look for, in order. Default: `kubectl` (PATH) and `kubectl.1.28`. */
  names?: readonly string[];
  /** Folders searched after PATH. Default: the Google Cloud SDK's bin, where versioned builds live. */
  extraDirs?: readonly string[];
}

export const DEFAULT_KUBECTL_NAMES: readonly string[] = ['kubectl', 'kubectl.1.28'];
export const DEFAULT_KUBECTL_DIRS: readonly string[] = ['/usr/lib/google-cloud-sdk/bin'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, then in `extraDirs`. */
export function whichBinary(name: string, extraDirs: readonly string[] = DEFAULT_KUBECTL_DIRS): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of [...pathDirs, ...extraDirs]) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

interface VersionJson {
  clientVersion?: { gitVersion?: string };
  kustomizeVersion?: string;
}

/** Asks a binary for its version; undefined if it is not a working kubectl. */
export function kubectlVersion(path: string): KubectlBinary | undefined {
  try {
    const out = execFileSync(path, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    const parsed = JSON.parse(out) as VersionJson;
    const git = parsed.clientVersion?.gitVersion ?? '';
    const match = /^v?(\d+\.\d+\.\d+)/.exec(git);
    if (!match?.[1]) return undefined;
    return { version: match[1], path, kustomizeVersion: parsed.kustomizeVersion ?? 'unknown' };
  } catch {
    return undefined;
  }
}

let cached: KubectlBinary[] | undefined;

/**
 * The kubectl binaries available here, one per client version, in `names` order. Missing names are
 * skipped silently: on a developer machine without `kubectl.1.28` the list just has one entry (and
 * is empty without kubectl at all; callers decide whether that is an error). Results with default
 * options are cached for the process: each probe is a process spawn.
 */
export function findKubectls(options: FindKubectlsOptions = {}): KubectlBinary[] {
  const useDefaults = options.names === undefined && options.extraDirs === undefined;
  if (useDefaults && cached) return cached.map((k) => ({ ...k }));
  const names = options.names ?? DEFAULT_KUBECTL_NAMES;
  const extraDirs = options.extraDirs ?? DEFAULT_KUBECTL_DIRS;
  const found: KubectlBinary[] = [];
  const seenFiles = new Set<string>();
  for (const name of names) {
    const path = whichBinary(name, extraDirs);
    if (!path) continue;
    const real = realpathSync(path);
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    const binary = kubectlVersion(path);
    // Two names for one version (PATH kubectl *is* 1.28) would only double the build time.
    if (binary && !found.some((k) => k.version === binary.version)) found.push(binary);
  }
  if (useDefaults) cached = found.map((k) => ({ ...k }));
  return found;
}
