// Whether V8's one map for empty objects still takes transitions (see src/construct-children.ts):
// two objects given the same new key from `{}` share a map only through such a transition; once it
// holds no more, each gets a map of its own. Each call spends one transition (its key is new).
// Needs `node --allow-natives-syntax`: V8's `%` syntax is compiled at run time, so no parser of the
// repository's tools reads it. Used by the probes of construct-children.spec.ts and
// libs/synth/test/reliability/empty-object-map.spec.ts.
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);');
let probes = 0;

function emptyObjectMapTakesTransitions() {
  const key = `probe-key-${probes++}`;
  const a = {};
  a[key] = 1;
  const b = {};
  b[key] = 1;
  return haveSameMap(a, b);
}

module.exports = { emptyObjectMapTakesTransitions };
