/** Types of compiled-code.cjs (see there); what TypeScript code uses of it. */
export declare const COMPILED_CODE_FILE: '.synth-cache/compiled-ts.json';
/** Whether the loader wants batches now (a cold or switched-off compiled-code cache). */
export declare function precompileWanted(): boolean;
/** Compiles these `.ts` files ahead of requiring them, when the loader wants batches. */
export declare function precompile(filenames: readonly string[]): void;
