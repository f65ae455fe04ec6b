import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { COMMANDS, main } from '@aks-gitops/cli';

const REPO = path.resolve(__dirname, '../../..');

/** `aks-gitops <argv>` in this process, with what it printed. */
async function cli(argv: string[], root = REPO): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv, root), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('aks-gitops help', () => {
  it('lists every command of the table with its summary', async () => {
    const { code, out, err } = await cli(['help']);
    expect([code, err]).toEqual([0, '']);
    expect(out.startsWith('usage: aks-gitops <command> [options]')).toBe(true);
    for (const c of COMMANDS) expect(out).toContain(`  ${c.name} `);
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'synth',
      'drift',
      'policy',
      'edge plan',
      'edge apply',
      'edge prune',
      'diff',
      'new-app',
      'promote',
    ]);
  });

  it('`help <command>` and `<command> --help` print the same usage, with its options and the exit codes', async () => {
    const viaHelp = await cli(['help', 'synth']);
    const viaFlag = await cli(['synth', '--help']);
    expect(viaHelp).toEqual(viaFlag);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.out).toContain('usage: aks-gitops synth [options]\n   or: npm run synth -- [options]\n');
    expect(viaFlag.out).toContain('  --no-cache');
    expect(viaFlag.out).toContain('  --clusters-module <file.ts>');
    expect(viaFlag.out).toContain('exit codes: 0 ok; 1 bad input, policy gate or drift; 2 command-line usage;');
  });

  it('`help edge` shows plan, apply and prune; `edge plan -h` only plan', async () => {
    const group = await cli(['help', 'edge']);
    expect(group.out).toContain('usage: aks-gitops edge plan [options]');
    expect(group.out).toContain('usage: aks-gitops edge apply [options]');
    expect(group.out).toContain('usage: aks-gitops edge prune [options]');
    const plan = await cli(['edge', 'plan', '-h']);
    expect(plan.out).toContain('usage: aks-gitops edge plan [options]\n   or: npm run edge -- plan [options]');
    expect(plan.out).not.toContain('edge apply');
  });
});

describe('usage errors exit 2 with the usage of that command', () => {
  it.each([
    [['synth', '--bogus'], "Unknown option '--bogus'", 'synth'],
    [['synth', '--changed', '--app', 'x'], '--changed decides which apps to render itself', 'synth'],
    [['synth', '--base', 'main'], '--base only says where --changed starts from; add --changed', 'synth'],
    [['drift', 'extra'], 'Unexpected argument', 'drift'],
    [['policy', '--cluster'], "Option '--cluster <value>' argument missing", 'policy'],
    [['policy', '--json', '--format', 'sarif'], '--json and --format exclude each other', 'policy'],
    [['edge', 'plan', '--cluster'], "Option '--cluster <value>' argument missing", 'edge plan'],
    [['edge', 'plan', '--endpoint', 'a', '--endpoint', 'b'], '--endpoint given twice', 'edge plan'],
    [['edge', 'plan', '--force'], "Unknown option '--force'", 'edge plan'],
    [['edge', 'plan', '--json', '--markdown'], '--json and --markdown exclude each other', 'edge plan'],
    [['edge', 'plan', '--offline', '--json'], '--offline prints the committed table only', 'edge plan'],
    [['edge', 'apply', '--json'], "Unknown option '--json'", 'edge apply'],
    [['edge', 'prune', '--cluster', 'x'], "Unknown option '--cluster'", 'edge prune'],
    [['edge', 'plan', '--yes'], "Unknown option '--yes'", 'edge plan'],
    [['edge', 'prune', '--yes=1'], "Option '--yes' does not take an argument", 'edge prune'],
    [['diff'], '--base <ref> is required', 'diff'],
    [['diff', '--base', 'main', '--json', '--markdown'], '--markdown and --json exclude each other', 'diff'],
    [['promote'], 'promote needs --app <name>', 'promote'],
    [['new-app'], 'missing <name>', 'new-app'],
    [['new-app', 'Invoices_API', '--no-install'], '"Invoices_API" is not a lowercase DNS label', 'new-app'],
  ])('%j: %s', async (argv, message, command) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`error: ${message}`);
    expect(err).toContain(`\n\nusage: aks-gitops ${command} `);
  });

  it.each([
    [[], 'missing command'],
    [['destroy'], 'unknown command "destroy"'],
    [['edge'], 'missing command after edge'],
    [['edge', 'destroy'], 'unknown command "edge destroy"'],
  ])('%j: %s, then every command', async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(2);
    expect(err).toContain(`error: ${message}\n\nusage: aks-gitops <command> [options]`);
  });
});

describe('new-app', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-new-app-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([[[]], [['--l4']]])('scaffolds files Prettier leaves as they are (%j)', async (flags) => {
    const { code, out } = await cli(['new-app', 'invoices-api', ...flags, '--no-install'], root);
    expect(code).toBe(0);
    expect(out).toBe('created apps/invoices-api; run npm install to link it and update package-lock.json\n');
    const dir = path.join(root, 'apps', 'invoices-api');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.'));
    // An app is its package.json (name, tag, target stubs, dependencies), its source and its test:
    // the targets' commands are nx.json's targetDefaults.
    expect(files.sort()).toEqual(['package.json', 'src/index.ts', 'test/invoices-api.spec.ts']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({
      name: '@aks-gitops/invoices-api',
      version: '0.0.0',
      private: true,
      main: 'src/index.ts',
      dependencies: { '@aks-gitops/workloads': '*', '@aks-gitops/synth': '*' },
      nx: { name: 'invoices-api', tags: ['type:app'], targets: { lint: {}, typecheck: {}, test: {} } },
    });
    // The repository's Prettier settings and ignore list, as `npm run lint` checks them.
    for (const f of ['.prettierrc.json', '.prettierignore']) fs.copyFileSync(path.join(REPO, f), path.join(root, f));
    const check = spawnSync(path.join(REPO, 'node_modules/.bin/prettier'), ['--check', 'apps'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect([check.status, check.stderr]).toEqual([0, '']);
  });

  it('refuses an app that exists (exit 1) and changes nothing', async () => {
    fs.mkdirSync(path.join(root, 'apps', 'invoices-api'), { recursive: true });
    const { code, err } = await cli(['new-app', 'invoices-api', '--no-install'], root);
    expect([code, err]).toEqual([1, 'error: apps/invoices-api already exists\n']);
    expect(fs.readdirSync(path.join(root, 'apps', 'invoices-api'))).toEqual([]);
  });
});

describe('errors that are not usage', () => {
  it('a folder synth may not write is exit 1 with the cause, not a bug (exit 3)', async () => {
    // sysfs refuses new files to every user, root included: a real permission error.
    const { code, err } = await cli(['synth'], '/sys/kernel');
    expect(code).toBe(1);
    expect(err).toMatch(
      /^error: cannot write \/sys\/kernel\/\.synth-lock: (permission denied \(EACCES\)|the file system is read-only \(EROFS\))\. Nothing was written/,
    );
    expect(err).not.toContain('bug in aks-gitops');
  });

  it('synth --no-wait while another synth holds the lock exits 1 with the message', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-cli-lock-'));
    try {
      const holder = process.ppid; // a live process that is not this one
      const since = new Date('2026-11-28T12:00:00Z');
      const lock = path.join(root, '.synth-lock');
      fs.writeFileSync(lock, String(holder));
      fs.utimesSync(lock, since, since);
      fs.cpSync(path.join(REPO, 'libs/synth/test/fixtures/example-apps'), path.join(root, 'apps'), {
        recursive: true,
      });
      const { code, err } = await cli(['synth', '--no-wait'], root);
      expect(code).toBe(1);
      expect(err).toBe(
        `error: another synth (pid ${holder}) has been writing clusters/ and flux/ since ${since.toISOString()}. Nothing was written. Run again when it has finished (without --no-wait to wait for it).\n`,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a --clusters-module that exports no fleet is bad input (exit 1) naming the option', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-cli-fleet-'));
    try {
      fs.writeFileSync(path.join(root, 'fleet.ts'), 'export const clusters = 42;\n');
      const { code, err } = await cli(['drift', '--clusters-module', 'fleet.ts'], root);
      expect(code).toBe(1);
      expect(err).toContain('field --clusters-module:');
      expect(err).toContain('exports no array of cluster specs');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
