/**
 * Helpers over a synthesized output tree (`clusters/` + `flux/` under a root): listing, hashing,
 * counting objects, and the JSON dump the floor process reads.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const OUTPUT_ROOTS = ['clusters', 'flux'] as const;

/** Repo-relative paths (with `/`) of every file under clusters/ and flux/, sorted. */
export function listOutputFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  for (const top of OUTPUT_ROOTS) walk(top);
  return out.sort();
}

export interface TreeStats {
  readonly files: number;
  readonly bytes: number;
  /** Kubernetes objects: YAML documents other than kustomize.config.k8s.io Kustomizations. */
  readonly objects: number;
  readonly byKind: Record<string, number>;
  /** file -> sha1 of its bytes, to compare two trees. */
  readonly hashes: Map<string, string>;
}

const KIND_LINE = /^kind: (.+)$/m;
const API_LINE = /^apiVersion: (.+)$/m;

/** Stats without parsing YAML: every generated file holds one document with top-level keys. */
export function treeStats(root: string): TreeStats {
  let bytes = 0;
  let objects = 0;
  const byKind: Record<string, number> = {};
  const hashes = new Map<string, string>();
  for (const file of listOutputFiles(root)) {
    const buf = fs.readFileSync(path.join(root, file));
    bytes += buf.length;
    hashes.set(file, createHash('sha1').update(buf).digest('hex'));
    if (!/\.ya?ml$/.test(file)) continue;
    const text = buf.toString('utf8');
    for (const doc of text.split(/^---$/m)) {
      const kind = KIND_LINE.exec(doc)?.[1];
      const api = API_LINE.exec(doc)?.[1] ?? '';
      if (!kind || (kind === 'Kustomization' && api.startsWith('kustomize.config.k8s.io/'))) continue;
      objects++;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
  }
  return { files: hashes.size, bytes, objects, byKind, hashes };
}

/** Differences between two trees' hashes: missing, extra and changed files (first few of each). */
export function compareHashes(
  expected: Map<string, string>,
  actual: Map<string, string>,
): { same: boolean; summary: string } {
  const missing = [...expected.keys()].filter((f) => !actual.has(f));
  const extra = [...actual.keys()].filter((f) => !expected.has(f));
  const changed = [...expected.keys()].filter((f) => actual.has(f) && actual.get(f) !== expected.get(f));
  const same = missing.length + extra.length + changed.length === 0;
  const show = (label: string, list: string[]) =>
    list.length ? `${list.length} ${label} (e.g. ${list.slice(0, 3).join(', ')})` : '';
  return {
    same,
    summary: same
      ? 'identical'
      : [show('missing', missing), show('extra', extra), show('changed', changed)].filter(Boolean).join('; '),
  };
}

/** One file of the floor's input: a YAML file (header comment + documents) or raw text (Azure JSON). */
export type DumpFile =
  | { readonly path: string; readonly header?: string; readonly docs: unknown[] }
  | { readonly path: string; readonly raw: string };

/**
 * Parses the synthesized tree back into objects once (untimed), so the floor process serializes
 * exactly the objects synth produced. Azure JSON files are passed through as text.
 */
export function dumpTree(root: string): DumpFile[] {
  return listOutputFiles(root).map((file): DumpFile => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    if (!/\.ya?ml$/.test(file)) return { path: file, raw: text };
    let body = text;
    let header: string | undefined;
    if (text.startsWith('# ')) {
      const nl = text.indexOf('\n');
      header = text.slice(2, nl);
      body = text.slice(nl + 1);
    }
    const docs = parseAllDocuments(body).map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS() as unknown;
    });
    return header === undefined ? { path: file, docs } : { path: file, header, docs };
  });
}

/** Recursively sorts keys: a canonical form to compare objects that came from different renderers. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort())
      out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** `Kind/namespace/name` of an object. */
export function objectKey(o: unknown): string {
  const obj = o as { kind?: string; metadata?: { namespace?: string; name?: string } };
  return `${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** Removes a scratch folder; tolerates it being absent. `rm -rf` is several times faster than fs.rmSync on 100,000 files. */
export function removeDir(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (
    process.platform !== 'win32' &&
    spawnSync('rm', ['-rf', '--', dir], { stdio: 'ignore' }).status === 0 &&
    !fs.existsSync(dir)
  )
    return;
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
