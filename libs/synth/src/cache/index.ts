/**
 * The speed kit: every machine-local cache under `.synth-cache/`, and the one switch that decides
 * whether a process uses them (cache-switch.cjs: never for drift and policy, `--no-cache`,
 * AKS_GITOPS_NO_CACHE=1). Caches change speed, never output.
 *
 * - compiled-code.cjs: compiled TypeScript, for register.cjs (`compiled-ts.json`);
 * - claims-cache.ts: every app's claims, so `synth --app X` declares only what it must (`claims.json`);
 * - rendered-record.ts: what each app folder was written from, for `synth --changed` (`rendered.json`);
 * - git-base.ts: on a fresh clone, git is the record: which apps differ from the base commit;
 * - app-sources.ts: how a synth uses them (which apps to declare, what to record after the write);
 * - source-hashes.ts: each source file read and hashed once per run (both caches check them);
 * - cache-file.ts: reading and writing a cache file (absent or broken is empty; atomic writes).
 */
export { CACHE_DIR, CHECK_COMMANDS, cachesEnabled, cachesEnabledForArgv } from './cache-switch.cjs';
export { appSources, changedApps, usesCaches } from './app-sources';
export type { AppSources, AppSourcesRequest, ChangedApps } from './app-sources';
export { CLAIMS_CACHE_FILE, ClaimsCache, LIBS_DIR, claimsIntegrity, toolchainHash } from './claims-cache';
export type { CachedApp, FileHashes } from './claims-cache';
export { changedSinceBase } from './git-base';
export type { GitBaseAnswer } from './git-base';
export { RENDERED_RECORD_FILE, RenderedRecord } from './rendered-record';
export type { AppFolders } from './rendered-record';
export { SourceHashes } from './source-hashes';
