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
  let signCpuUs = 0;
  let verifyCpuUs = 0;
  const cpu = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  while (Date.now() < end) {
    if (only !== 'verify') {
      const t0 = performance.now();
      const c0 = cpu();
      s.soapSigner.sign(xml);
      signCpuUs += cpu() - c0;
      signMs += performance.now() - t0;
      signs++;
    }
    if (only !== 'sign') {
      const t0 = performance.now();
      const c0 = cpu();
      await s.soapVerifier.verify(signed);
      verifyCpuUs += cpu() - c0;
      verifyMs += performance.now() - t0;
      verifies++;
    }
  }
  const per = (total: number, n: number): string => (total / Math.max(1, n)).toFixed(2);
  // CPU time (user + system of this process) beside wall time: steadier when other processes share the cores.
  console.log(
    `sign ${signs} × ${per(signMs, signs)} ms (CPU ${per(signCpuUs / 1000, signs)} ms), ` +
      `verify ${verifies} × ${per(verifyMs, verifies)} ms (CPU ${per(verifyCpuUs / 1000, verifies)} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
