import { stringify } from 'yaml';

/**
 * The serializer for everything written under clusters/ and flux/.
 *
 * Output is exactly what the `yaml` library prints with YAML_OPTIONS (a test proves byte
 * equality on random documents and on every generated object), produced by a specialised
 * emitter that is several times faster: at fleet scale the library's document model was a third
 * of synth time. Scalars that are not trivially plain (numbers-as-strings, multi-line strings,
 * anything with spaces or YAML indicators) are rendered by the library itself, memoised, and a
 * document with a multi-line string goes through the library whole.
 *
 * YAML 1.1 scalars: Kubernetes reads manifests with YAML 1.1 rules, where `yes`, `on`, `y` or
 * `off` are booleans. The 1.1 schema makes the library quote such strings, so a ConfigMap value
 * "on" stays a string.
 */
export const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

const SAFE_PLAIN = /^[A-Za-z/_][A-Za-z0-9_./@=+%~-]*(?::[A-Za-z0-9_./@=+%~-]+)*$/;
// YAML 1.1 words that resolve to booleans or null; they must be quoted.
const RESERVED = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);
const scalarCache = new Map<string, string>();

/** A string as the library renders it on its own: one line, or a block scalar (header + lines). */
function libraryScalar(s: string): string {
  let out = scalarCache.get(s);
  if (out === undefined) {
    out = stringify(s, YAML_OPTIONS);
    if (scalarCache.size > 200_000) scalarCache.clear();
    scalarCache.set(s, out);
  }
  return out;
}

/** Appends ` <scalar>` (after a key or dash) for a one-line string. */
function emitString(s: string, out: string[]): void {
  if (SAFE_PLAIN.test(s) && !RESERVED.has(s)) {
    out.push(' ', s, '\n');
    return;
  }
  const rendered = libraryScalar(s);
  // Block scalars (multi-line strings) depend on their context's indentation rules: the whole
  // document then goes through the library. They are rare (Key Vault object lists, Flux ignores).
  if (rendered.indexOf('\n') !== rendered.length - 1) throw new Unsupported();
  out.push(' ', rendered);
}

function emitScalar(v: unknown, out: string[]): boolean {
  switch (typeof v) {
    case 'string':
      emitString(v, out);
      return true;
    case 'number':
      // Integers only; floats, -0 and huge values keep the library's exact notation.
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return false;
      out.push(' ', String(v), '\n');
      return true;
    case 'boolean':
      out.push(v ? ' true\n' : ' false\n');
      return true;
    default:
      if (v === null) {
        out.push(' null\n');
        return true;
      }
      return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyText(k: string): string {
  if (SAFE_PLAIN.test(k) && !RESERVED.has(k)) return k;
  const rendered = libraryScalar(k);
  if (rendered.indexOf('\n') !== rendered.length - 1) throw new Unsupported();
  return rendered.slice(0, -1);
}

class Unsupported extends Error {}

/** A map's entries at `indent` (the first entry's indentation is already written when `inline`). */
function emitMap(obj: Record<string, unknown>, indent: string, out: string[], inline: boolean): void {
  let first = true;
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!(first && inline)) out.push(indent);
    first = false;
    out.push(keyText(k), ':');
    emitValue(v, indent, out);
  }
  if (first) throw new Unsupported(); // an empty map in block position
}

/** The value after `key:` or `-`, whose parent is at `indent`. */
function emitValue(v: unknown, indent: string, out: string[]): void {
  const child = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(' []\n');
    else {
      out.push('\n');
      emitSeq(v, child, out);
    }
  } else if (isPlainObject(v)) {
    if (Object.keys(v).every((k) => v[k] === undefined)) out.push(' {}\n');
    else {
      out.push('\n');
      emitMap(v, child, out, false);
    }
  } else if (!emitScalar(v, out)) {
    throw new Unsupported();
  }
}

function emitSeq(items: unknown[], indent: string, out: string[]): void {
  const child = indent + '  ';
  for (const item of items) {
    out.push(indent, '-');
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(' []\n');
      else {
        out.push(' ');
        emitSeqInline(item, child, out);
      }
    } else if (isPlainObject(item)) {
      if (Object.keys(item).every((k) => item[k] === undefined)) out.push(' {}\n');
      else {
        out.push(' ');
        emitMap(item, child, out, true);
      }
    } else if (item === undefined) {
      out.push(' null\n');
    } else if (!emitScalar(item, out)) {
      throw new Unsupported();
    }
  }
}

/** A sequence nested directly in a sequence item (`- - a`). */
function emitSeqInline(items: unknown[], indent: string, out: string[]): void {
  const buf: string[] = [];
  emitSeq(items, indent, buf);
  const text = buf.join('');
  out.push(text.slice(indent.length));
}

/** Serializes one document. Falls back to the library for shapes the emitter does not cover. */
export function toYaml(obj: unknown, header?: string): string {
  let body: string;
  try {
    if (!isPlainObject(obj)) throw new Unsupported();
    const out: string[] = [];
    emitMap(obj, '', out, false);
    body = out.join('');
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    body = stringify(obj, YAML_OPTIONS);
  }
  return header ? `# ${header}\n${body}` : body;
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
