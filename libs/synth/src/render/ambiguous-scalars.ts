/**
 * Strings that some YAML reader on the way to the cluster could take for something else, so synth
 * writes them double-quoted. Readers differ: the API server and kubectl read YAML 1.1 (go-yaml v2:
 * `on`, `y`, `017`, `1:20`, `0b101`, `1_000`, and any radix prefix Go's strconv accepts in any
 * case, e.g. `0X1F`, `0O17`, `-0B1`), kustomize's kyaml and js-yaml read YAML 1.2 (`0o17`, `.inf`,
 * `1e3`). A string is quoted when any of them could read it as a number, boolean, null, merge key
 * or timestamp; quoting a string that needed none changes nothing a reader sees.
 */
const NUMBER_LIKE: readonly RegExp[] = [
  // Decimal integers and floats, signed, with underscores, leading zeros (1.1 octal) and exponents.
  /^[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9_]+)?$/,
  /^[-+]?\.[0-9][0-9_]*([eE][-+]?[0-9_]+)?$/,
  // An exponent without a mantissa (`e3`, `.e3`): the `yaml` library's 1.1 schema reads a float.
  /^[-+]?([0-9][0-9_]*)?\.?[0-9_]*[eE][-+]?[0-9_]+$/,
  // Hexadecimal, octal and binary with a prefix in either case, signed (Go's strconv base 0).
  /^[-+]?0[xXoObB][0-9a-fA-F_]+$/,
  // YAML 1.1 sexagesimal (base 60) integers and floats.
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  // Infinity and NaN in any spelling a reader or strconv.ParseFloat accepts.
  /^[-+]?\.?(inf|infinity|nan)$/i,
  // YAML 1.1 timestamps (the date part is enough for a reader to try).
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt\s]|$)/,
];
/** YAML 1.1 booleans and null in any case, `~`, the empty string, and 1.1's merge (`<<`) and value (`=`) keys. */
const WORDS = /^(y|yes|n|no|true|false|on|off|null|~|<<|=|)$/i;

/**
 * Characters a double-quoted scalar must escape for every reader: C0 controls but tab and newline,
 * DEL, C1 controls, the 1.1 line breaks NEL/LS/PS, the byte order mark and the non-characters
 * U+FFFE/U+FFFF, and lone surrogates (see doubleQuoted).
 */
const NEEDS_ESCAPE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const BLOCK_UNSAFE = /(^|\n) *\t|(^|\n)[ \t]+(\n|$)/;

/** Whether `s` must be written as a double-quoted scalar (see the module comment). */
export function mustDoubleQuote(s: string): boolean {
  if (WORDS.test(s) || NEEDS_ESCAPE.test(s)) return true;
  // A block scalar line starting with a tab (after any spaces) is refused by kustomize's YAML
  // library ("found a tab character where an indentation space is expected")...
  // So is a whitespace-only line: kustomize reads " \n" written as a block back as "\n".
  if (s.indexOf('\n') !== -1 && BLOCK_UNSAFE.test(s)) return true;
  const c = s.charCodeAt(0);
  // Every number-like form starts with a digit, a sign, a dot, an exponent's e, or (inf/nan) i or n.
  if (
    (c >= 48 && c <= 57) ||
    c === 43 ||
    c === 45 ||
    c === 46 ||
    c === 69 ||
    c === 101 ||
    c === 73 ||
    c === 105 ||
    c === 78 ||
    c === 110
  )
    return NUMBER_LIKE.some((r) => r.test(s));
  return false;
}

/**
 * mustDoubleQuote for a string already known to be a safe plain scalar (it starts with a letter,
 * `/` or `_` and holds no space, control or line break): only the words and the e/inf/nan number
 * forms remain. The emitter's fast path, equal to mustDoubleQuote on such strings (tested).
 */
export function plainNeedsQuotes(s: string): boolean {
  if (s.length <= 5 && WORDS.test(s)) return true;
  const c = s.charCodeAt(0);
  return (
    (c === 69 || c === 101 || c === 73 || c === 105 || c === 78 || c === 110) && NUMBER_LIKE.some((r) => r.test(s))
  );
}

/**
 * Characters no YAML document can carry through kustomize, even escaped: its YAML library refuses
 * DEL, the C1 controls and U+FFFE/U+FFFF (`kubectl kustomize` and Flux fail on the folder), and
 * turns NEL, LS and PS into spaces or line breaks (tried with kubectl 1.28-1.32's kustomize).
 * Synth refuses them, naming the object, instead of writing a value the cluster would not get.
 */
const UNREPRESENTABLE = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;

/** The first character of `s` that kustomize cannot carry, if any (see UNREPRESENTABLE). */
export function unrepresentableCharacter(s: string): string | undefined {
  return UNREPRESENTABLE.exec(s)?.[0];
}

const ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x85: '\\N',
  0x2028: '\\L',
  0x2029: '\\P',
};
const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/**
 * `s` as a YAML double-quoted scalar on one line, readable alike by YAML 1.1 and 1.2 readers:
 * quotes, backslashes, C0 and C1 controls, line breaks (including NEL, LS, PS), the byte order
 * mark and lone surrogates are escaped; every other character is written as it is.
 */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    const named = ESCAPES[code];
    if (named !== undefined) out += named;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${hex(code, 2)}`;
    else if (code === 0xfeff || code === 0xfffe || code === 0xffff || (code >= 0xd800 && code <= 0xdfff))
      out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return out + '"';
}
