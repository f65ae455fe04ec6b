/**
 * The fixture repository synthesized once, then copied for each test, and the tree a full synth
 * without any cache writes for a copy: what the `synth --changed` / `--app` specs compare with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from './scratch';
import {
  FIXTURE_APPS,
  appSource,
  copyRepo,
  readTree,
  removeScratch,
  runSynthCli,
  scratchRepo,
  writeAppFile,
} from './scratch';

/** `synth` with these arguments (and environment); throws with its stderr unless it exits 0. */
export async function synthOk(
  root: string,
  extra: readonly string[] = [],
  env?: Record<string, string>,
): Promise<string> {
  const r = await runSynthCli(root, extra, { direct: true, env });
  if (r.code !== 0) throw new Error(`synth ${extra.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

/** How many apps synth's summary line says it rendered ("2 app(s)"). */
export const appCount = (stdout: string): string =>
  /(\d+ app\(s\)), \d+ objects/.exec(stdout)?.[1] ?? `no app count in: ${stdout}`;

/** Call at the top of a spec file: registers beforeAll/afterAll and returns the helpers. */
export function synthesizedScratch(label: string) {
  const roots: string[] = [];
  let base = '';
  beforeAll(async () => {
    base = scratchRepo(`${label}-base`);
    roots.push(base);
    await synthOk(base);
  }, 60_000);
  afterAll(() => roots.forEach(removeScratch));

  /** A copy of the synthesized base (its .synth-cache too). */
  const copy = (name: string): string => {
    const root = copyRepo(base, name);
    roots.push(root);
    return root;
  };
  return {
    base: () => base,
    copy,
    /** What a full synth without any cache writes for the same sources (and flux-system folders). */
    referenceTree: async (root: string): Promise<Tree> => {
      const ref = copy(`${label}-ref`);
      fs.rmSync(ref, { recursive: true, force: true });
      fs.cpSync(root, ref, { recursive: true, verbatimSymlinks: true });
      fs.rmSync(path.join(ref, '.synth-cache'), { recursive: true, force: true });
      await synthOk(ref, ['--no-cache']);
      return readTree(ref);
    },
    /** Replaces `from` with `to` in a fixture app's source. */
    edit: (root: string, app: string, from: string, to: string): void => {
      const body = FIXTURE_APPS[app] as string;
      if (!body.includes(from)) throw new Error(`fixture ${app} has no ${from}`);
      writeAppFile(root, app, appSource(app, body.replace(from, to)));
    },
  };
}
