/** One changed leaf of an object: `path: old -> new`; `undefined` means absent on that side. */
export interface FieldChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Arrays whose items all carry a distinct `name` are matched by name (containers, ports, volumes), not by index. */
function namedItems(list: unknown[]): Map<string, unknown> | undefined {
  const byName = new Map<string, unknown>();
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string' || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/**
 * The leaves that differ between two plain JSON values, in path order. Lists of named items are
 * compared item by item (`containers[name=api].image`); other lists of scalars that only differ
 * by items are shown whole, which is what a reviewer reads best for CIDRs and hosts.
 */
export function fieldChanges(oldValue: unknown, newValue: unknown, base = ''): FieldChange[] {
  if (JSON.stringify(oldValue) === JSON.stringify(newValue)) return [];
  // An object added or removed as a whole is shown leaf by leaf too: one line per field.
  if (
    (isObject(oldValue) || oldValue === undefined) &&
    (isObject(newValue) || newValue === undefined) &&
    (oldValue ?? newValue) !== undefined
  ) {
    const o = (oldValue ?? {}) as Record<string, unknown>;
    const n = (newValue ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort(cmp);
    return keys.flatMap((k) => fieldChanges(o[k], n[k], keyPath(base, k)));
  }
  if (isObject(oldValue) && isObject(newValue)) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort(cmp);
    return keys.flatMap((k) => fieldChanges(oldValue[k], newValue[k], keyPath(base, k)));
  }
  if (Array.isArray(oldValue) && Array.isArray(newValue)) {
    const a = namedItems(oldValue);
    const b = namedItems(newValue);
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])].sort(cmp);
      return names.flatMap((n) => fieldChanges(a.get(n), b.get(n), `${base}[name=${n}]`));
    }
    if (oldValue.length === newValue.length && oldValue.some((v) => typeof v === 'object' && v !== null)) {
      return oldValue.flatMap((v, i) => fieldChanges(v, newValue[i], `${base}[${i}]`));
    }
    if ([...oldValue, ...newValue].some((v) => typeof v === 'object' && v !== null)) {
      // Items matched by content: the ones only on one side are the change (a rule added to a list).
      const keyOf = (v: unknown) => JSON.stringify(v);
      const oldKeys = new Set(oldValue.map(keyOf));
      const newKeys = new Set(newValue.map(keyOf));
      return [
        ...oldValue.flatMap((v, i) => (newKeys.has(keyOf(v)) ? [] : [{ path: `${base}[${i}]`, old: v }])),
        ...newValue.flatMap((v, i) => (oldKeys.has(keyOf(v)) ? [] : [{ path: `${base}[${i}]`, new: v }])),
      ];
    }
  }
  return [
    {
      path: base || '.',
      ...(oldValue === undefined ? {} : { old: oldValue }),
      ...(newValue === undefined ? {} : { new: newValue }),
    },
  ];
}

/** A value as one short line. */
export function showValue(v: unknown, max = 240): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatFieldChange(c: FieldChange): string {
  return `${c.path}: ${showValue(c.old)} -> ${showValue(c.new)}`;
}
