import { stringify } from 'yaml';

/**
 * The serializer for everything written under clusters/ and flux/.
 *
 * Output is exactly what the `yaml` library prints with YAML_OPTIONS (a test proves byte
 * equality on random documents and on every generated object), produced by a specialised
 * emitter that is several times faster: at fleet scale the library's document model was a third
 * of synth time. Scalars that are not trivially plain (numbers-as-strings, multi-line strings,
 * anything with spaces or YAML indicators) are rendered by the library itself, memoised; a
 * multi-line string is rendered as a map value at the top level and its block re-indented to where
 * it stands (a block scalar's lines sit two spaces deeper than its key or dash, and the library
 * chooses its style and header the same way at any depth below the top).
 *
 * YAML 1.1 scalars: Kubernetes reads manifests with YAML 1.1 rules, where `yes`, `on`, `y` or
 * `off` are booleans. The 1.1 schema makes the library quote such strings, so a ConfigMap value
 * "on" stays a string.
 */
export const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

const SAFE_PLAIN = /^[A-Za-z/_][A-Za-z0-9_./@=+%~-]*(?::[A-Za-z0-9_./@=+%~-]+)*$/;
// YAML 1.1 words that resolve to booleans or null; they must be quoted.
const RESERVED = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);
/**
 * `compute` memoised by its string argument; the memo is emptied once it holds more than `limit`
 * entries, so a fleet of unique values cannot grow it without bound. Nothing is kept when
 * `compute` throws.
 */
function memo<T>(limit: number, compute: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let value = cache.get(s);
    if (value === undefined) {
      value = compute(s);
      if (cache.size > limit) cache.clear();
      cache.set(s, value);
    }
    return value;
  };
}

/** A string as the library renders it on its own: one line, or a block scalar (header + lines). */
const libraryScalar = memo(200_000, (s) => stringify(s, YAML_OPTIONS));

/** A multi-line string as the value of a top-level key: [' |-', '  line', '', ...] (its header, then its lines). */
const libraryBlock = memo(10_000, (s) => stringify({ k: s }, YAML_OPTIONS).slice(2, -1).split('\n'));

// The document being written. One string grown with `+=` (V8 builds it as a rope, flattened once
// at the end) allocates far less than an array of fragments joined at the end; toYaml is not
// re-entrant, so one module-level buffer is enough.
let out = '';

/** Appends ` <scalar>` after a key or dash at `indent`. */
function emitString(s: string, indent: string): void {
  if (SAFE_PLAIN.test(s) && !RESERVED.has(s)) {
    out += ' ' + s + '\n';
    return;
  }
  if (s.indexOf('\n') === -1) {
    const rendered = libraryScalar(s);
    if (rendered.indexOf('\n') !== rendered.length - 1) throw new Unsupported();
    out += ' ' + rendered;
    return;
  }
  const lines = libraryBlock(s);
  out += lines[0] + '\n';
  for (let i = 1; i < lines.length; i++) {
    // Empty lines inside a block stay empty; every other line keeps its depth below the key.
    out += lines[i] === '' ? '\n' : indent + lines[i] + '\n';
  }
}

function emitScalar(v: unknown, indent: string): boolean {
  switch (typeof v) {
    case 'string':
      emitString(v, indent);
      return true;
    case 'number':
      // Integers only; floats, -0 and huge values keep the library's exact notation.
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return false;
      out += ' ' + String(v) + '\n';
      return true;
    case 'boolean':
      out += v ? ' true\n' : ' false\n';
      return true;
    default:
      if (v === null) {
        out += ' null\n';
        return true;
      }
      return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a map has an entry the library prints (it skips undefined values). */
function hasEntries(obj: Record<string, unknown>): boolean {
  for (const k in obj) if (obj[k] !== undefined) return true;
  return false;
}

const keyText = memo(100_000, (k) => {
  if (SAFE_PLAIN.test(k) && !RESERVED.has(k)) return k;
  const rendered = libraryScalar(k);
  if (rendered.indexOf('\n') !== rendered.length - 1) throw new Unsupported();
  return rendered.slice(0, -1);
});

class Unsupported extends Error {}

/** A map's entries at `indent` (the first entry's indentation is already written when `inline`). */
function emitMap(obj: Record<string, unknown>, indent: string, inline: boolean): void {
  let first = true;
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) continue;
    out += first && inline ? keyText(k) + ':' : indent + keyText(k) + ':';
    first = false;
    emitValue(v, indent);
  }
  if (first) throw new Unsupported(); // an empty map in block position
}

/** The value after `key:` or `-`, whose parent is at `indent`. */
function emitValue(v: unknown, indent: string): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out += ' []\n';
    else {
      out += '\n';
      emitSeq(v, indent + '  ');
    }
  } else if (isPlainObject(v)) {
    if (!hasEntries(v)) out += ' {}\n';
    else {
      out += '\n';
      emitMap(v, indent + '  ', false);
    }
  } else if (!emitScalar(v, indent)) {
    throw new Unsupported();
  }
}

/** A sequence's items at `indent`; with `inline`, the first item's indentation is already written (`- - a`). */
function emitSeq(items: unknown[], indent: string, inline = false): void {
  const child = indent + '  ';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    out += i === 0 && inline ? '-' : indent + '-';
    if (Array.isArray(item)) {
      if (item.length === 0) out += ' []\n';
      else {
        out += ' ';
        emitSeq(item, child, true);
      }
    } else if (isPlainObject(item)) {
      if (!hasEntries(item)) out += ' {}\n';
      else {
        out += ' ';
        emitMap(item, child, true);
      }
    } else if (item === undefined) {
      out += ' null\n';
    } else if (!emitScalar(item, indent)) {
      throw new Unsupported();
    }
  }
}

/** Serializes one document. Falls back to the library for shapes the emitter does not cover. */
export function toYaml(obj: unknown, header?: string): string {
  let body: string;
  out = header ? `# ${header}\n` : '';
  try {
    if (!isPlainObject(obj)) throw new Unsupported();
    emitMap(obj, '', false);
    body = out;
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    body = (header ? `# ${header}\n` : '') + stringify(obj, YAML_OPTIONS);
  } finally {
    out = '';
  }
  return body;
}

/** The library alone, with the same options: the reference the emitter is tested against. */
export function toYamlWithLibrary(obj: unknown): string {
  return stringify(obj, YAML_OPTIONS);
}

/** Recursively sorts object keys; for plain objects that do not come from cdk8s. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

export function kustomizationYaml(resources: readonly string[], header: string): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() }, header);
}
