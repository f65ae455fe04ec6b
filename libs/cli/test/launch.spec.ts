/**
 * How `aks-gitops` starts: one process when run as a command (the shebang carries the V8 flags),
 * the same result when started without them (`node aks-gitops.cjs`, npm's Windows shim).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'aks-gitops.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NODE_FLAGS } = require('../launch.cjs') as { NODE_FLAGS: string[] };

describe('the aks-gitops launcher', () => {
  it("passes exactly launch.cjs's NODE_FLAGS on its shebang line", () => {
    const shebang = fs.readFileSync(BIN, 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });

  it('run as a command, runs the CLI in one node process (no second start)', () => {
    // Every node process that starts logs its pid through NODE_OPTIONS=--require.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'launch-'));
    const log = path.join(dir, 'starts.log');
    const probe = path.join(dir, 'probe.cjs');
    fs.writeFileSync(probe, `require('node:fs').appendFileSync(${JSON.stringify(log)}, process.pid + '\\n');`);
    try {
      const r = spawnSync(BIN, ['help'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: `--require ${probe}` },
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('aks-gitops');
      // Distinct pids: threads of the one process (esbuild compiles in a worker) log the same pid.
      expect(new Set(fs.readFileSync(log, 'utf8').trim().split('\n')).size).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('started as `node aks-gitops.cjs` (no flags), starts node again with them and gives the same help', () => {
    const direct = spawnSync(BIN, ['help'], { encoding: 'utf8' });
    const viaNode = spawnSync(process.execPath, [BIN, 'help'], { encoding: 'utf8' });
    expect(viaNode.status).toBe(0);
    expect(viaNode.stdout).toBe(direct.stdout);
  });

  it('exits with the CLI exit code either way (2 for a usage error)', () => {
    expect(spawnSync(BIN, ['synth', '--no-such-option'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [BIN, 'synth', '--no-such-option'], { encoding: 'utf8' }).status).toBe(2);
  });
});
