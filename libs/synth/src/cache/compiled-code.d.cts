/** Types of compiled-code.cjs (see there); what TypeScript code uses of it. */
export declare const COMPILED_CODE_FILE: '.synth-cache/compiled-ts.json';
/** Compiles these `.ts` files ahead of requiring them, when the loader says it is worth it. */
export declare function precompile(filenames: readonly string[]): void;
