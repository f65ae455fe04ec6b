#!/usr/bin/env node
// The aks-gitops command. Starts node with the flags and loader that launch.cjs defines (V8 flags
// cannot be set from inside a running process), passes signals on and exits as the CLI exits.
const { spawn } = require('node:child_process');
const { nodeArgs } = require('../launch.cjs');

const child = spawn(process.execPath, nodeArgs(process.argv.slice(2)), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (e) => {
  process.stderr.write(`internal error (a bug in aks-gitops, please report it): cannot start node: ${e.message}\n`);
  process.exit(3);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 3);
});
