/** Types of compiled-code.cjs (see there); what TypeScript code uses of it. */
export declare const COMPILED_CODE_FILE: '.synth-cache/compiled-ts.json';
/** Compiles ahead every `.ts` file under these folders, when the loader wants batches (a cold or switched-off cache). */
export declare function precompileFolders(dirs: readonly string[]): void;
/** The same through esbuild's asynchronous API when the loader offers it (register.cjs does): the files that miss the cache. */
export declare function precompileFoldersAsync(dirs: readonly string[]): Promise<void>;
