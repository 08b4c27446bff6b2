/**
 * Generates the development PKI into certs-dev/out/ (or the folder given with --out).
 *
 *   node -r @swc-node/register certs-dev/generate.ts [--out DIR] [--crl-base-url URL] [--ocsp-url URL] [--force]
 *
 * Without --force, an existing complete PKI for the same CRL base URL and OCSP URL is kept.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_CRL_BASE_URL, DEFAULT_OCSP_URL, ensureDevPki } from './dev-pki';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = resolve(argValue('--out') ?? join(__dirname, 'out'));
  const crlBaseUrl = argValue('--crl-base-url') ?? DEFAULT_CRL_BASE_URL;
  const started = Date.now();
  const ocspUrl = argValue('--ocsp-url') ?? DEFAULT_OCSP_URL;
  const manifest = await ensureDevPki(out, { crlBaseUrl, ocspUrl, force: process.argv.includes('--force') });
  console.log(
    `dev PKI in ${out} (generated ${manifest.generatedAt}, CRLs at ${manifest.crlBaseUrl}, OCSP at ${manifest.ocspUrl}) — ${Date.now() - started} ms`,
  );
  console.log(`leaves: ${Object.keys(manifest.leaves).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
