/** Types of cache-switch.cjs (see there). */
export declare const CACHE_DIR: '.synth-cache';
export declare const CHECK_COMMANDS: readonly string[];
export declare function cachesEnabled(opts: {
  readonly command: string | undefined;
  readonly noCache?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}): boolean;
export declare function cachesEnabledForArgv(argv: readonly string[], env?: NodeJS.ProcessEnv): boolean;
