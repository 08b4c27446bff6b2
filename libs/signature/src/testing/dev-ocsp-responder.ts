/**
 * Test-only OCSP responder for the dev PKI (not exported from the lib). It answers for certificates issued by the
 * dev intermediate CA — `revoked` for the serials the manifest lists, `good` otherwise, `unknown` for other issuers —
 * and can be told to misbehave (wrong signer, broken signature, stale, tryLater...). Responses are built with
 * @peculiar/asn1-ocsp and signed with node:crypto. DevOcspClient serves it in memory; startDevOcspServer over
 * loopback HTTP (integration specs only).
 */
import 'reflect-metadata';
import { createHash, createPrivateKey, KeyObject, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ocsp from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, CRLReason, CRLReasons, Extension, Name } from '@peculiar/asn1-x509';
import type { DevPkiManifest } from '../../../../certs-dev/dev-pki';
import type { OcspClient } from '../trust/ocsp-client';
import { certId } from '../trust/ocsp-protocol';
import { certificateParts, normalizeSerial, parseCertificates } from '../trust/pki-encoding';

export interface DevOcspBehaviour {
  /** `auto` (default): revoked for the manifest's revoked serials, good otherwise, unknown for another issuer */
  status?: 'auto' | 'good' | 'revoked' | 'unknown';
  /**
   * `responder` (default): the delegated OCSP signing certificate; `issuer`: the intermediate CA itself;
   * `unauthorized`: a leaf of the intermediate without id-kp-OCSPSigning (gateway-rsa); `untrusted`: a leaf of
   * an unrelated CA.
   */
  signer?: 'responder' | 'issuer' | 'unauthorized' | 'untrusted';
  corruptSignature?: boolean;
  /** Offsets from now, in seconds. Defaults -60 and +3600; `nextUpdateSeconds: null` omits nextUpdate. */
  thisUpdateSeconds?: number;
  nextUpdateSeconds?: number | null;
  nonce?: 'echo' | 'omit' | 'wrong';
  /** a non-successful OCSPResponseStatus (e.g. tryLater) */
  responseStatus?: ocsp.OCSPResponseStatus;
  /** answer about another serial than the one asked */
  wrongSerial?: boolean;
  /** answer with a SHA-256 CertID whatever the request used */
  sha256CertId?: boolean;
  /** not a DER OCSPResponse at all */
  garbage?: boolean;
}

interface SignerMaterial {
  cert: X509Certificate;
  key: KeyObject;
  /** include the certificate in the response */
  include: boolean;
}

export class DevOcspResponder {
  /** serials (normalized hex) asked about, in order */
  readonly asked: string[] = [];
  private readonly intermediate: X509Certificate;
  private readonly signers: Record<NonNullable<DevOcspBehaviour['signer']>, SignerMaterial>;
  private readonly revoked: Set<string>;

  constructor(
    pki: DevPkiManifest,
    public behaviour: DevOcspBehaviour = {},
  ) {
    const load = (cert: string, key: string, include: boolean): SignerMaterial => ({
      cert: parseCertificates(readFileSync(cert))[0],
      key: createPrivateKey(readFileSync(key)),
      include,
    });
    this.intermediate = parseCertificates(readFileSync(pki.intermediateCa.cert))[0];
    this.signers = {
      responder: load(pki.ocsp.responder.cert, pki.ocsp.responder.key, true),
      issuer: load(pki.intermediateCa.cert, pki.intermediateCa.key, false),
      unauthorized: load(pki.leaves['gateway-rsa'].cert, pki.leaves['gateway-rsa'].key, true),
      untrusted: load(pki.leaves['untrusted-rsa'].cert, pki.leaves['untrusted-rsa'].key, true),
    };
    this.revoked = new Set(pki.ocsp.revokedSerials.map(normalizeSerial));
  }

  /** DER OCSPResponse for a DER OCSPRequest, following `behaviour`. */
  respond(requestDer: Uint8Array): Buffer {
    const b = this.behaviour;
    if (b.garbage) return Buffer.from('this is not an OCSP response');
    if (b.responseStatus !== undefined) {
      return Buffer.from(AsnConvert.serialize(new ocsp.OCSPResponse({ responseStatus: b.responseStatus })));
    }
    const request = AsnConvert.parse(Buffer.from(requestDer), ocsp.OCSPRequest);
    const asked = request.tbsRequest.requestList[0].reqCert;
    const serialHex = normalizeSerial(Buffer.from(asked.serialNumber).toString('hex'));
    this.asked.push(serialHex);
    const now = Date.now();

    let reqCert = asked;
    if (b.wrongSerial) reqCert = new ocsp.CertID({ ...asked, serialNumber: new Uint8Array([0x01, 0x02, 0x03]).buffer });
    if (b.sha256CertId) {
      const parts = certificateParts(this.intermediate);
      reqCert = new ocsp.CertID({
        ...reqCert,
        hashAlgorithm: certId(this.intermediate, this.intermediate, 'sha256').hashAlgorithm,
        issuerNameHash: new OctetString(createHash('sha256').update(parts.subjectName).digest()),
        issuerKeyHash: new OctetString(createHash('sha256').update(parts.publicKeyBits).digest()),
      });
    }

    const ours = Buffer.from(asked.issuerKeyHash.buffer).equals(
      Buffer.from(certId(this.intermediate, this.intermediate, hashOf(asked)).issuerKeyHash.buffer),
    );
    const status = b.status && b.status !== 'auto' ? b.status : !ours ? 'unknown' : this.revoked.has(serialHex) ? 'revoked' : 'good';
    const certStatus =
      status === 'good'
        ? new ocsp.CertStatus({ good: null })
        : status === 'unknown'
          ? new ocsp.CertStatus({ unknown: null })
          : new ocsp.CertStatus({
              revoked: new ocsp.RevokedInfo({
                revocationTime: new Date(now - 3600_000),
                revocationReason: new CRLReason(CRLReasons.keyCompromise),
              }),
            });
    const nextUpdateSeconds = b.nextUpdateSeconds === undefined ? 3600 : b.nextUpdateSeconds;
    const single = new ocsp.SingleResponse({
      certID: reqCert,
      certStatus,
      thisUpdate: new Date(now + (b.thisUpdateSeconds ?? -60) * 1000),
      nextUpdate: nextUpdateSeconds === null ? undefined : new Date(now + nextUpdateSeconds * 1000),
    });

    const signer = this.signers[b.signer ?? 'responder'];
    const signerParts = certificateParts(signer.cert);
    const responderID =
      signer === this.signers.issuer
        ? new ocsp.ResponderID({ byName: AsnConvert.parse(signerParts.subjectName, Name) })
        : new ocsp.ResponderID({ byKey: new OctetString(createHash('sha1').update(signerParts.publicKeyBits).digest()) });

    const requestNonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === ocsp.id_pkix_ocsp_nonce);
    const nonceMode = b.nonce ?? 'echo';
    const responseExtensions: Extension[] = [];
    if (requestNonce && nonceMode === 'echo') responseExtensions.push(requestNonce);
    if (nonceMode === 'wrong') {
      responseExtensions.push(
        new Extension({
          extnID: ocsp.id_pkix_ocsp_nonce,
          extnValue: new OctetString(AsnConvert.serialize(new OctetString(Buffer.alloc(16, 7)))),
        }),
      );
    }

    const tbsResponseData = new ocsp.ResponseData({
      responderID,
      producedAt: new Date(now),
      responses: [single],
      responseExtensions: responseExtensions.length ? responseExtensions : undefined,
    });
    const tbs = Buffer.from(AsnConvert.serialize(tbsResponseData));
    const signature = sign('sha256', tbs, signer.key);
    if (b.corruptSignature) signature[signature.length - 1] ^= 0x01;
    const basic = new ocsp.BasicOCSPResponse({
      tbsResponseData,
      signatureAlgorithm: new AlgorithmIdentifier({
        algorithm: signer.key.asymmetricKeyType === 'ec' ? '1.2.840.10045.4.3.2' : '1.2.840.113549.1.1.11',
        parameters: signer.key.asymmetricKeyType === 'ec' ? undefined : new Uint8Array([0x05, 0x00]).buffer,
      }),
      signature: toArrayBuffer(signature),
      certs: signer.include ? [AsnConvert.parse(signer.cert.raw, Certificate)] : undefined,
    });
    return Buffer.from(
      AsnConvert.serialize(
        new ocsp.OCSPResponse({
          responseStatus: ocsp.OCSPResponseStatus.successful,
          responseBytes: new ocsp.ResponseBytes({
            responseType: ocsp.id_pkix_ocsp_basic,
            response: new OctetString(AsnConvert.serialize(basic)),
          }),
        }),
      ),
    );
  }
}

/** An in-memory OcspClient in front of a DevOcspResponder; `down` makes every request fail like a dead socket. */
export class DevOcspClient implements OcspClient {
  readonly calls: string[] = [];
  down = false;

  constructor(readonly responder: DevOcspResponder) {}

  async request(url: string, ocspRequest: Uint8Array): Promise<Uint8Array> {
    this.calls.push(url);
    if (this.down) throw new Error('connect ECONNREFUSED');
    return this.responder.respond(ocspRequest);
  }
}

export interface DevOcspServer {
  /** http://127.0.0.1:<port>/ocsp */
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** Serves a DevOcspResponder over HTTP on 127.0.0.1 (random port). For *.int-spec.ts only: it opens a socket. */
export async function startDevOcspServer(
  responder: Pick<DevOcspResponder, 'respond'>,
  options: { hang?: boolean } = {},
): Promise<DevOcspServer> {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.hang) return; // never answers: the client's timeout must fire
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/ocsp-request') {
        res.writeHead(415).end();
        return;
      }
      try {
        const body = responder.respond(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': body.length }).end(body);
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ocsp`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hashOf(id: ocsp.CertID): 'sha1' | 'sha256' {
  return id.hashAlgorithm.algorithm === '2.16.840.1.101.3.4.2.1' ? 'sha256' : 'sha1';
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}
