import { execFileSync } from 'node:child_process';

/** Commits made by tests carry this identity, whatever the machine's git config says. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

/** `git <args>` in `root` (a scratch repository), its output trimmed; throws if git fails. */
export function gitIn(root: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
}
