#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=64
// The aks-gitops command. The flags on the line above are launch.cjs's NODE_FLAGS (a test keeps
// them equal): V8 reads them only when a process starts, so the shebang passes them and the CLI runs
// in this one process. Started another way (`node aks-gitops.cjs`, or npm's Windows shim, which
// ignores the shebang's flags), it starts node again with launch.cjs's arguments instead.
const { spawn } = require('node:child_process');
const { NODE_FLAGS, REGISTER, ENTRY, nodeArgs } = require('../launch.cjs');

if (NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  require(REGISTER);
  require(ENTRY).runFromCommandLine(process.argv.slice(2));
} else {
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
}
