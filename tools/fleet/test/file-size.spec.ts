import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * CONTRIBUTING.md: one concept per file, and no source file under libs/<lib>/src over 300 lines
 * unless its first lines say why it is kept whole ("over 300 lines" and the reason). Long files
 * are where a newcomer gets lost; a reason at the top tells the next editor it was decided.
 */
const REPO = path.resolve(__dirname, '../../..');
const LIMIT = 300;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|cts|mts|cjs|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('source files stay small', () => {
  it(`every file under libs/*/src over ${LIMIT} lines says at its top why`, () => {
    const libs = path.join(REPO, 'libs');
    const files = fs
      .readdirSync(libs)
      .map((lib) => path.join(libs, lib, 'src'))
      .filter((src) => fs.existsSync(src))
      .flatMap((src) => sources(src));
    expect(files.length).toBeGreaterThan(0);
    const unexplained = files
      .filter((f) => {
        const lines = fs.readFileSync(f, 'utf8').split('\n');
        const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
        return count > LIMIT && !/over 300 lines/i.test(lines.slice(0, 12).join('\n'));
      })
      .map((f) => path.relative(REPO, f));
    expect(unexplained).toEqual([]);
  });
});
