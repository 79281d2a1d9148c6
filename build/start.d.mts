// Types of build/start.mjs for the tests that import it.
export declare function electronBinary(root?: string, env?: NodeJS.ProcessEnv): { readonly file?: string; readonly missing?: string };
