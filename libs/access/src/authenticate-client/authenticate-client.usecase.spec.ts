import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogEntry, MessageLog } from '@korpu/message-log';
import { MetricsRegistry } from '@korpu/observability';
import { ensureDevPki, DevPkiManifest } from '../../../../certs-dev/dev-pki';
import { ClientRegistry } from '../client-registry';
import { AuthenticateClientCommand } from './authenticate-client.command';
import { AuthenticateClientUseCase, REFUSAL_RECORDS_PER_MINUTE } from './authenticate-client.usecase';

const clientsFile = path.resolve(__dirname, '../../../../contracts/clients.json');
let pki: DevPkiManifest;
let pkiDir: string;

beforeAll(async () => {
  pkiDir = path.join(os.tmpdir(), `korpu-access-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  pki = await ensureDevPki(pkiDir);
});

const tlsCert = (name: string) => new X509Certificate(fs.readFileSync(pki.tlsClients[name].cert));

function setUp() {
  const entries: LogEntry[] = [];
  const messageLog = { append: async (entry: LogEntry) => void entries.push(entry) } as unknown as MessageLog;
  const metrics = new MetricsRegistry();
  const useCase = new AuthenticateClientUseCase(ClientRegistry.load(clientsFile, { pkiDir }), metrics, messageLog);
  return { useCase, entries, metrics };
}

describe('AuthenticateClientUseCase', () => {
  it('takes the client from a verified, registered certificate, and a matching declaration', async () => {
    const { useCase, entries } = setUp();
    expect(await useCase.execute(AuthenticateClientCommand.create({ certificate: tlsCert('pensions'), verified: true }))).toBe('MLSP/pensions');
    expect(await useCase.execute(AuthenticateClientCommand.create({ certificate: tlsCert('benefits'), verified: true, declaredClient: 'MLSP/benefits' }))).toBe('MLSP/benefits');
    expect(entries).toHaveLength(0);
  });

  it.each([
    ['no certificate', {}, 'CLIENT_UNAUTHENTICATED'],
    ['a certificate the TLS layer did not verify', { certificate: 'pensions', verified: false, verificationError: 'CERT_REVOKED' }, 'CLIENT_UNAUTHENTICATED'],
    ['a trusted certificate registered for nobody', { certificate: 'gateway', verified: true }, 'CLIENT_UNAUTHENTICATED'],
    ['another client declared', { certificate: 'pensions', verified: true, declaredClient: 'MLSP/benefits' }, 'CLIENT_MISMATCH'],
  ])('refuses %s and records who was refused and why in the message log', async (_what, input, code) => {
    const { useCase, entries, metrics } = setUp();
    const { certificate, ...rest } = input as { certificate?: string; verified?: boolean };
    const command = AuthenticateClientCommand.create({ verified: false, ...rest, ...(certificate ? { certificate: tlsCert(certificate) } : {}), source: '10.0.0.7' });
    await expect(useCase.execute(command)).rejects.toMatchObject({ code });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ event: 'rejected', service: 'internal-api/authenticate', detail: { code, source: '10.0.0.7' } });
    if (certificate) expect(String(entries[0].detail?.certificate)).toContain(`${certificate}-tls`);
    expect(entries[0].payload).toBeUndefined();
    expect(await metrics.render()).toContain(`korpu_client_authentication_refusals_total{code="${code}"} 1`);
  });

  it('records at most its per-minute budget for one source and counts the rest', async () => {
    const { useCase, entries, metrics } = setUp();
    for (let i = 0; i < REFUSAL_RECORDS_PER_MINUTE + 5; i++) {
      await expect(useCase.execute(AuthenticateClientCommand.create({ verified: false, source: '10.0.0.8' }))).rejects.toMatchObject({ code: 'CLIENT_UNAUTHENTICATED' });
    }
    expect(entries).toHaveLength(REFUSAL_RECORDS_PER_MINUTE);
    expect(await metrics.render()).toContain('korpu_client_authentication_refusals_unrecorded_total 5');
    expect(await metrics.render()).toContain(`korpu_client_authentication_refusals_total{code="CLIENT_UNAUTHENTICATED"} ${REFUSAL_RECORDS_PER_MINUTE + 5}`);
  });
});
