/**
 * Human-readable field paths (`spec.template.spec.containers[0].image`,
 * `metadata.labels["app.kubernetes.io/name"]`) for problems, built from path segments.
 *
 * Validators speak JSON Pointer (`/spec/template/spec/containers/0/image`), which cannot tell an
 * array index from an object key that happens to be numeric; reviewers read kubectl-style paths.
 * So segments are typed: numbers are array indexes, strings are keys.
 */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Decodes a JSON Pointer (RFC 6901) into raw string tokens. `''` is the root. */
export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Types the tokens of a pointer by walking `root`: a token is an array index only where the data at
 * that point is an array. Past the end of the data (a missing required field) tokens stay keys.
 */
export function segmentsForPointer(root: unknown, pointer: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const token of decodePointer(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(token)) {
      const index = Number(token);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(token);
      node = isRecord(node) ? node[token] : undefined;
    }
  }
  return segments;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
