/**
 * Signs and verifies the 100 KB SOAP message of signature.bench.ts in a loop, for `node --cpu-prof`:
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof -r @swc-node/register bench/soap-profile-loop.ts [--seconds 10] [--only sign|verify]
 *   node -r @swc-node/register bench/cpu-profile-top.ts /tmp/prof
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevPki } from '../certs-dev/dev-pki';
import { createSignatureServices } from '../libs/signature/src';
import { soapEnvelopeOfSize } from './support/soap-envelope';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const seconds = Number(arg('--seconds')) || 10;
  const only = arg('--only');
  const pki = await ensureDevPki(join(tmpdir(), 'korpu-bench-pki'));
  const leaf = pki.leaves['gateway-rsa'];
  const s = createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], fetchCrls: false },
    keys: [{ certFile: leaf.chain, keyFile: leaf.key }],
  });
  const xml = soapEnvelopeOfSize(100 * 1024);
  const signed = s.soapSigner.sign(xml);
  await s.soapVerifier.verify(signed);
  const end = Date.now() + seconds * 1000;
  let signs = 0;
  let verifies = 0;
  let signMs = 0;
  let verifyMs = 0;
  while (Date.now() < end) {
    if (only !== 'verify') {
      const t0 = performance.now();
      s.soapSigner.sign(xml);
      signMs += performance.now() - t0;
      signs++;
    }
    if (only !== 'sign') {
      const t0 = performance.now();
      await s.soapVerifier.verify(signed);
      verifyMs += performance.now() - t0;
      verifies++;
    }
  }
  console.log(`sign ${signs} × ${(signMs / Math.max(1, signs)).toFixed(2)} ms, verify ${verifies} × ${(verifyMs / Math.max(1, verifies)).toFixed(2)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
