/**
 * A scratch copy of this repository as a git repository of its own, with the example fleet (the
 * fixture copy in libs/synth/test) scaffolded the way the README says (`npm run new-app`), so tests
 * can add apps, run the real CLI and real Nx in it, and leave this checkout alone. node_modules is
 * a link back to this checkout's; `npm install --package-lock-only --offline` updates the lockfile
 * as `npm install` would, without touching it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../../..');
const EXAMPLE_APPS_DIR = path.join(REPO, 'libs/synth/test/fixtures/example-apps');
const SCRIPTS = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

export class ScratchRepo {
  static create(label: string): ScratchRepo {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `aks-gitops-${label}-`));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '');
    for (const f of tracked) {
      if (/^(apps|clusters|flux)\//.test(f) || !fs.existsSync(path.join(REPO, f))) continue;
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO, f), path.join(root, f));
    }
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const repo = new ScratchRepo(root);
    for (const app of fs.readdirSync(EXAMPLE_APPS_DIR).sort()) {
      repo.newApp(app);
      fs.cpSync(path.join(EXAMPLE_APPS_DIR, app), path.join(root, 'apps', app), { recursive: true });
    }
    repo.lockfile();
    repo.ok(repo.npm('synth'));
    repo.git('init', '-q', '-b', 'main');
    repo.commit('the example fleet');
    return repo;
  }

  private constructor(readonly root: string) {}

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** `npm run new-app -- <args>`, without its `npm install` (see lockfile()). */
  newApp(...args: string[]): void {
    this.ok(
      spawnSync(
        process.execPath,
        [path.join(this.root, 'libs/cli/bin/aks-gitops.cjs'), 'new-app', ...args, '--no-install'],
        {
          cwd: this.root,
          encoding: 'utf8',
          env: { ...process.env, AKS_GITOPS_ROOT: this.root },
        },
      ),
    );
  }

  /** What `npm install` does to package-lock.json after new-app. */
  lockfile(): void {
    this.ok(
      spawnSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], {
        cwd: this.root,
        encoding: 'utf8',
      }),
    );
  }

  /** `npm run <script> -- <args>` as package.json spells it (`aks-gitops ...`: this copy's bin, without npm around it). */
  npm(script: string, ...args: string[]): SpawnSyncReturns<string> {
    const [bin, ...words] = SCRIPTS.scripts[script].split(/\s+/);
    if (bin !== 'aks-gitops') throw new Error(`npm run ${script} does not run aks-gitops: ${SCRIPTS.scripts[script]}`);
    return spawnSync(process.execPath, [path.join(this.root, 'libs/cli/bin/aks-gitops.cjs'), ...words, ...args], {
      cwd: this.root,
      encoding: 'utf8',
    });
  }

  /** Nx as CI runs it (no daemon, no colours: under `npm test` Nx forces colour into its tasks). */
  nx(...args: string[]): SpawnSyncReturns<string> {
    const r = spawnSync(path.join(REPO, 'node_modules/.bin/nx'), args, {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        NX_SKIP_NX_CACHE: '',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
    });
    // eslint-disable-next-line no-control-regex
    const plain = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '');
    return { ...r, stdout: plain(r.stdout ?? ''), stderr: plain(r.stderr ?? '') };
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--no-verify', '--allow-empty', '-m', message);
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.root, file), 'utf8');
  }

  write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), text);
  }

  edit(file: string, from: string, to: string): void {
    const text = this.read(file);
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
    this.write(file, text.replace(from, to));
  }

  /** Fails with the process's output when it did not exit 0. */
  ok(r: SpawnSyncReturns<string>): SpawnSyncReturns<string> {
    if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r;
  }
}
