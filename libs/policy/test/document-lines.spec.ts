import { documentStartLines, parseManifestFile } from '@aks-gitops/policy';
import { loadAll, CORE_SCHEMA } from 'js-yaml';

/*
 * Findings point at the line an object's document starts at. The loader finds those lines with a
 * scan of `---`/`...` markers and uses them only when the scan agrees with the YAML parser on the
 * number of documents; these are the stream shapes where the two could disagree.
 */

describe('documentStartLines', () => {
  const streams: [string, string, number[]][] = [
    [
      'synth layout: a comment above each object',
      '# Service a/b\napiVersion: v1\nkind: Service\n---\n# Deployment a/b\napiVersion: apps/v1\n',
      [2, 6],
    ],
    ['leading --- and content on the next line', '---\napiVersion: v1\n---\napiVersion: v1\n', [2, 4]],
    ['an empty document between two markers', 'a: 1\n---\n---\nb: 2\n', [1, 2, 4]],
    ['a trailing marker opens an empty document', 'a: 1\n---\n', [1, 2]],
    ['comments before the first marker are no document', '# header\n---\na: 1\n', [3]],
    ['a comment after the marker', '--- # first\na: 1\n', [2]],
    ['content on the marker line', '--- {a: 1}\n---\nb: 2\n', [1, 3]],
    ['document end markers', 'a: 1\n...\n---\nb: 1\n', [1, 4]],
    ['a comment-only stream has no document', '# nothing here\n', []],
    ['an empty stream', '', []],
    ['a block scalar holding a --- line (indented)', 'data:\n  x: |\n    ---\n    not a marker\n---\nb: 2\n', [1, 6]],
    ['CRLF line ends', 'a: 1\r\n---\r\nb: 2\r\n', [1, 3]],
  ];

  it.each(streams)('%s', (_name, text, lines) => {
    expect(documentStartLines(text)).toEqual(lines);
    // The same number of documents as the parser the loader uses.
    expect(loadAll(text, { schema: CORE_SCHEMA })).toHaveLength(lines.length);
  });

  it('parseManifestFile attaches the lines to the objects it returns', () => {
    const text =
      '# ConfigMap a/one\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: a\n---\n# ConfigMap a/two\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n  namespace: a\n';
    expect(
      parseManifestFile('clusters/c/a/manifests.yaml', text).documents.map((document) => [
        document.object.metadata.name,
        document.line,
      ]),
    ).toEqual([
      ['one', 2],
      ['two', 9],
    ]);
  });
});
