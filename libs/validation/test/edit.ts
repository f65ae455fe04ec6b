import type { KubeObject } from '@aks-gitops/cluster-model';

/** Test helper: a deep copy of `obj` with one field set (or removed, with DELETE). */
export const DELETE = Symbol('delete');

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

export function edit(obj: KubeObject, path: string | readonly (string | number)[], value: unknown): KubeObject {
  const copy = structuredClone(obj);
  const segments = typeof path === 'string' ? path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [...path];
  let node: unknown = copy;
  for (const segment of segments.slice(0, -1)) {
    if (!isContainer(node)) throw new Error(`edit: ${String(segment)} is not reachable in ${JSON.stringify(path)}`);
    node = (node as Record<string | number, unknown>)[segment];
  }
  const last = segments[segments.length - 1];
  if (!isContainer(node) || last === undefined) throw new Error(`edit: bad path ${JSON.stringify(path)}`);
  const target = node as Record<string | number, unknown>;
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return copy;
}
