/** Test-only set-up of the admission use cases: the dev PKI, the real clients.json, real signatures (not exported). */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientRegistry } from '@korpu/access';
import { createReply, Envelope, createEnvelope } from '@korpu/envelope';
import { SignatureServices, createSignatureServices } from '@korpu/signature';
import { DevPkiManifest, ensureDevPki } from '../../../../certs-dev/dev-pki';
import { CallerIdentityService } from '../admission/caller-identity.service';
import type { HandleInboundRequestUseCase, InboundRequest, InboundResult } from '../handle-inbound-request/handle-inbound-request.usecase';
import { loadInboundCatalogue } from '../inbound-catalogue';
import type { InboundOptions } from '../inbound.options';
import { RecordInboundRejectionUseCase } from '../record-inbound-rejection/record-inbound-rejection.usecase';
import { RecordingMessageLog } from './inbound-fakes';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const PORTAL = 'AZ/GOV/1400000001/egov-portal';
export const POPULATION_REGISTRY = 'AZ/GOV/1400000002/population-registry';
export const catalogue = () => loadInboundCatalogue(path.join(repoRoot, 'contracts/ministry'));

export async function admissionPki(): Promise<{ pki: DevPkiManifest; pkiDir: string }> {
  const pkiDir = path.join(os.tmpdir(), `korpu-inbound-test-pki-${process.env.JEST_WORKER_ID ?? '0'}`);
  return { pki: await ensureDevPki(pkiDir), pkiDir };
}

export const certificateOf = (file: string) => new X509Certificate(fs.readFileSync(file));

/** Signature services as a party of the dev PKI has them: its key, the dev trust bundle and CRLs. */
export function signatureOf(pki: DevPkiManifest, leaf: string): SignatureServices {
  return createSignatureServices({
    trust: { caFiles: [pki.trustBundle], crlFiles: [pki.crls.root, pki.crls.intermediate], revocation: 'require', ocsp: { enabled: false } },
    keys: [{ certFile: pki.leaves[leaf].chain, keyFile: pki.leaves[leaf].key }],
  } as Parameters<typeof createSignatureServices>[0]);
}

/** HandleInboundRequestUseCase stand-in: records what it was asked and answers with a fixed reply. */
export class FakeInboundRequests {
  readonly requests: InboundRequest[] = [];
  readonly repliesSent: unknown[] = [];

  async execute(input: InboundRequest): Promise<InboundResult> {
    this.requests.push(input);
    const request: Envelope = createEnvelope({
      client: input.clientId,
      service: { partner: 'ministry', operation: input.operation },
      messageType: 'pension-entitlement-request',
      schemaVersion: input.schemaVersion ?? '1',
      contentType: 'application/xml',
      payload: input.payload,
      direction: 'inbound',
    });
    const reply = createReply(request, { messageType: 'pension-entitlement-reply', schemaVersion: '2', contentType: 'application/xml', payload: '<r:Reply xmlns:r="urn:test"/>', client: 'MLSP/pensions' });
    return { request, reply, service: catalogue().get(input.operation), warnings: [], duplicate: false };
  }

  async recordReplySent(_result: InboundResult, signature: unknown): Promise<void> {
    this.repliesSent.push(signature);
  }

  asUseCase(): HandleInboundRequestUseCase {
    return this as unknown as HandleInboundRequestUseCase;
  }
}

/** What every admission use case is built from, with the ministry's own signature services (gateway-rsa). */
export function admissionParts(pki: DevPkiManifest, pkiDir: string, options: Pick<InboundOptions, 'tlsClientCertificate'> = {}) {
  const log = new RecordingMessageLog();
  const inbound = new FakeInboundRequests();
  const ministry = signatureOf(pki, 'gateway-rsa');
  const registry = ClientRegistry.load(path.join(repoRoot, 'contracts/clients.json'), { pkiDir });
  const opts: InboundOptions = { directory: path.join(repoRoot, 'contracts/ministry'), replyTimeoutMs: 1000, ...options };
  return {
    log,
    inbound,
    ministry,
    identity: new CallerIdentityService(registry, opts),
    rejections: new RecordInboundRejectionUseCase(log.asMessageLog(), catalogue(), opts),
    catalogue: catalogue(),
    options: opts,
    /** The rejected entries of the log, as (code, client, certificates) — who was refused and why. */
    rejected: () =>
      log.entries
        .filter((entry) => entry.event === 'rejected')
        .map((entry) => ({ client: entry.client, verification: entry.signature?.verification, ...(entry.detail as Record<string, unknown>) })),
  };
}
