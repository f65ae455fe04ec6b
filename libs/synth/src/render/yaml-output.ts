import { stringify } from 'yaml';
import { doubleQuoted, mustDoubleQuote, plainNeedsQuotes, unrepresentableCharacter } from './ambiguous-scalars';

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
 * Scalars every reader reads as meant: Kubernetes reads manifests with YAML 1.1 rules (`yes`,
 * `on`, `017`, `1:20` are not strings there), kustomize and the policy gate with 1.2 rules (`0o17`,
 * `.inf`). Every string some reader could take for a number, boolean, null or timestamp, and every
 * string holding a control or line-break character, is written double-quoted with such characters
 * escaped (ambiguous-scalars.ts); the reference the emitter is tested against is the library with
 * those strings written the same way (`toYamlWithLibrary`). A string with a character kustomize
 * cannot carry at all is an UnrepresentableString, never silently written.
 */
export const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

const SAFE_PLAIN = /^[A-Za-z/_][A-Za-z0-9_./@=+%~-]*(?::[A-Za-z0-9_./@=+%~-]+)*$/;

/** A string no YAML document can carry through kustomize (see unrepresentableCharacter). */
export class UnrepresentableString extends Error {
  /** `Kind namespace/name` of the object holding it, set by manifestText. */
  objectId?: string;
  constructor(
    readonly value: string,
    readonly character: string,
  ) {
    super(
      `holds a string with character U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which kustomize (and so Flux) cannot read`,
    );
    this.name = 'UnrepresentableString';
  }
}
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

/** A string that must be double-quoted (mustDoubleQuote), as one line. */
const quotedScalar = memo(100_000, (s) => {
  const bad = unrepresentableCharacter(s);
  if (bad !== undefined) throw new UnrepresentableString(s, bad);
  return doubleQuoted(s);
});

/** A multi-line string as the value of a top-level key: [' |-', '  line', '', ...] (its header, then its lines). */
const libraryBlock = memo(10_000, (s) => stringify({ k: s }, YAML_OPTIONS).slice(2, -1).split('\n'));

// The document being written. One string grown with `+=` (V8 builds it as a rope, flattened once
// at the end) allocates far less than an array of fragments joined at the end; toYaml is not
// re-entrant, so one module-level buffer is enough.
let out = '';

/** Appends ` <scalar>` after a key or dash at `indent`. */
function emitString(s: string, indent: string): void {
  if (SAFE_PLAIN.test(s)) {
    out += ' ' + (plainNeedsQuotes(s) ? quotedScalar(s) : s) + '\n';
    return;
  }
  if (mustDoubleQuote(s)) {
    out += ' ' + quotedScalar(s) + '\n';
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
  if (SAFE_PLAIN.test(k)) return plainNeedsQuotes(k) ? quotedScalar(k) : k;
  if (mustDoubleQuote(k)) return quotedScalar(k);
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
    body = (header ? `# ${header}\n` : '') + toYamlWithLibrary(obj);
  } finally {
    out = '';
  }
  return body;
}

/**
 * The library alone, with the same options and the same quoting decision (every string that
 * mustDoubleQuote names is double-quoted, then escapeForYaml): the reference the emitter is tested
 * against, and what it falls back to.
 */
export function toYamlWithLibrary(obj: unknown): string {
  // Each string that must be double-quoted goes through the library as a plain placeholder, which
  // is then replaced by its double-quoted form: the library lays out everything else.
  const quoted: string[] = [];
  const stand = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!mustDoubleQuote(v)) return v;
      quoted.push(quotedScalar(v));
      return `${PLACEHOLDER}${quoted.length - 1}e`;
    }
    if (Array.isArray(v)) return v.map(stand);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[stand(k) as string] = stand(v[k]);
      return out;
    }
    return v;
  };
  const text = stringify(stand(obj), YAML_OPTIONS);
  return quoted.length ? text.replace(PLACEHOLDER_RE, (_, i: string) => quoted[Number(i)] as string) : text;
}
const PLACEHOLDER = 'aksgitopsquoted9f2c41e7n';
const PLACEHOLDER_RE = /aksgitopsquoted9f2c41e7n(\d+)e/g;

/** Recursively sorts object keys; for plain objects that do not come from cdk8s. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort())
      out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

export function kustomizationYaml(resources: readonly string[], header: string): string {
  return toYaml(
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() },
    header,
  );
}
