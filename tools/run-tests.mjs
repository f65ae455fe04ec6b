#!/usr/bin/env node
// `npm test`: every project's Jest suite through Nx, then the two repository-level checks that
// guard what Flux applies: the drift check (committed YAML == what the code produces) and the
// policy gate over the committed clusters/ and flux/. Ends with the line CI reads:
// `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'dist', 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  process.stdout.write(`\n$ ${[cmd.replace(root, ''), ...args].join(' ')}\n`);
  return (
    spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_TUI: 'false' } })
      .status ?? 1
  );
};

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const extra = process.argv.slice(2);
const nxStatus = run(bin('nx'), ['run-many', '-t', 'test', '--output-style=static', '--parallel=2', ...extra]);

let passed = 0;
let failed = 0;
const projects = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
for (const f of projects) {
  const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
}
// A project whose Jest never wrote results (crash, or Nx failed before running it) counts as a failure.
if (nxStatus !== 0 && failed === 0) failed += 1;

// Exactly `npm run drift` and `npm run policy` (aks-gitops drift / policy), started as the bin starts
// them (libs/cli/launch.cjs) without npm and the launcher's own process around them.
const { nodeArgs } = createRequire(import.meta.url)('../libs/cli/launch.cjs');
for (const [label, args] of [
  ['drift check', nodeArgs(['drift'])],
  ['policy gate over committed output', nodeArgs(['policy'])],
]) {
  const status = run(process.execPath, args);
  process.stdout.write(`${status === 0 ? 'PASS' : 'FAIL'} ${label}\n`);
  if (status === 0) passed += 1;
  else failed += 1;
}

process.stdout.write(`\n${projects.length} projects tested\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
