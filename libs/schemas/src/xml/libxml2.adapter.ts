import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';

/** The libxml2-wasm module namespace (an ES module with top-level await: it cannot be `require`d). */
export type Libxml2 = typeof import('libxml2-wasm');

let loading: Promise<Libxml2> | undefined;

/**
 * Loads libxml2-wasm once per process. The package is ESM-only and instantiates its WebAssembly with a
 * top-level await, so CommonJS code must reach it through a real dynamic `import()`. TypeScript/SWC
 * rewrite `import()` to `require()` under CommonJS, hence the import expression is built at run time.
 * In a host that evaluates modules inside a `vm` context without a dynamic-import hook (Jest does), that
 * expression is rejected (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING[_FLAG]); then it is compiled in the main
 * context with Node's default loader instead.
 */
export function loadLibxml2(): Promise<Libxml2> {
  loading ??= importEsm('libxml2-wasm').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function importEsm(specifier: string): Promise<Libxml2> {
  const url = pathToFileURL(require.resolve(specifier)).href;
  const direct = new Function('url', 'return import(url)') as (u: string) => Promise<Libxml2>;
  try {
    return await direct(url);
  } catch (error: unknown) {
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, or ..._MISSING_FLAG when the host set a callback behind a flag.
    if (!String((error as { code?: unknown }).code).startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) throw error;
  }
  const viaMainContext = vm.runInThisContext('(url) => import(url)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  } as vm.RunningScriptOptions) as (u: string) => Promise<Libxml2>;
  return viaMainContext(url);
}
