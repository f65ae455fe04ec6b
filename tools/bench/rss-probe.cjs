/**
 * Fallback resource probe when /usr/bin/time is missing: preloaded into every Node process of a
 * measured command (NODE_OPTIONS=--require), it appends "<pid> <maxRSS KiB> <user µs> <system µs>"
 * to the file named by BENCH_RSS_FILE when the process exits. The benchmark takes the largest RSS
 * and sums CPU over the processes (tsx runs the script in a child process).
 */
const fs = require('node:fs');

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    try {
      fs.appendFileSync(target, `${process.pid} ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
    } catch {
      // measurement is best effort; never change the exit of the measured command
    }
  });
}
