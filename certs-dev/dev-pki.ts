/**
 * Development PKI for Körpü: a root CA, an intermediate CA, signing certificates for the gateway and the
 * simulated partners (RSA-2048 and ECDSA P-256), deliberately broken certificates for negative tests, CRLs,
 * leaves that name an OCSP responder plus the responder's signing certificate, a TLS server certificate for
 * 127.0.0.1/localhost, the Kafka broker's TLS certificate (SASL_SSL listener) and a PKCS#12 bundle.
 *
 * Everything is generated in-process with node:crypto (WebCrypto) and @peculiar/x509; only the PKCS#12
 * bundle is packed by the `openssl` CLI. Output is git-ignored (certs-dev/out/); no key is ever committed.
 *
 * `ensureDevPki(dir)` is idempotent: it regenerates only when the manifest is missing, of another layout
 * version, made for another CRL base URL or OCSP URL, older than 7 days (CRLs live 30), or when a file it lists is missing.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect polyfill
import { execFileSync } from 'node:child_process';
import { webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;

const LAYOUT_VERSION = 5;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_REUSE_MS = 7 * DAY_MS;

export const DEFAULT_CRL_BASE_URL = 'http://127.0.0.1:8089/crl';
/** Where the OCSP leaves' Authority Information Access sends OCSP requests (POST). */
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:8089/ocsp';
const ID_PKIX_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
export const DEV_P12_PASSWORD = 'korpu-dev';

/** Parties that get a valid signing certificate, each in RSA and EC flavour (`<party>-rsa`, `<party>-ec`). */
export const DEV_PARTIES = ['gateway', 'egov-portal', 'population-registry', 'tax-service', 'ministry-subsystem'] as const;

/** Leaf certificates that must be refused by a TrustStore configured with the dev root. */
export const DEV_BAD_CERTS = ['revoked', 'expired', 'not-yet-valid', 'untrusted', 'no-digital-signature'] as const;

/**
 * Leaves whose Authority Information Access names the OCSP responder (`ocspUrl`), besides the usual CRL DP:
 * `ocsp-good-rsa` (not revoked) and `ocsp-revoked-rsa` (listed in the intermediate's CRL too); and the delegated
 * responder certificate `ocsp-responder` (issued by the intermediate, EKU OCSPSigning, id-pkix-ocsp-nocheck).
 */
export const DEV_OCSP_CERTS = ['ocsp-good-rsa', 'ocsp-revoked-rsa', 'ocsp-responder'] as const;

/**
 * The ministry's subsystems that call the internal API (contracts/clients.json `MLSP/<name>`): each gets a TLS client
 * certificate `tls/<name>.crt`, registered for its client in clients.json (by the certificate itself: issuer + serial
 * and key, never by CN).
 */
export const DEV_SUBSYSTEMS = ['pensions', 'benefits', 'disability'] as const;

/**
 * TLS client certificates for mutual TLS (`tls/<name>.{crt,key,chain.crt}`, subject CN `<name>-tls`, EKU clientAuth
 * only): one per party and per subsystem, issued by the intermediate, and `untrusted`, issued by the untrusted CA.
 */
export const DEV_TLS_CLIENTS = [...DEV_PARTIES, ...DEV_SUBSYSTEMS, 'untrusted'] as const;

export interface DevPkiOptions {
  /** Base of the CRL distribution point URLs written into certificates (`<base>/intermediate-ca.crl`). */
  crlBaseUrl?: string;
  /** OCSP responder URL written into the OCSP leaves. Default DEFAULT_OCSP_URL. */
  ocspUrl?: string;
  /** Regenerate even when the folder is complete. */
  force?: boolean;
}

export interface DevPkiLeaf {
  cert: string;
  key: string;
  /** leaf + issuing CA(s), PEM */
  chain: string;
}

/** Absolute paths of everything in the dev PKI folder (also written as manifest.json). */
export interface DevPkiManifest {
  version: number;
  crlBaseUrl: string;
  ocspUrl: string;
  generatedAt: string;
  rootCa: { cert: string; key: string };
  intermediateCa: { cert: string; key: string };
  untrustedCa: { cert: string; key: string };
  /** root + intermediate, PEM: what a TrustStore is configured with */
  trustBundle: string;
  crls: { root: string; intermediate: string; intermediateEmpty: string };
  /** serial number (hex) of the revoked leaf */
  revokedSerial: string;
  /** the OCSP responder signing certificate (same files as `leaves['ocsp-responder']`) and what it must say */
  ocsp: { responder: DevPkiLeaf; revokedSerials: string[] };
  leaves: Record<string, DevPkiLeaf>;
  tls: { cert: string; key: string; chain: string };
  /**
   * The Kafka broker's TLS server certificate for its SASL_SSL listener (deploy/local/kafka.sh with KAFKA_TLS=1): SAN
   * `localhost` + `127.0.0.1`, EKU serverAuth+clientAuth (the brokers of the local cluster call each other on it).
   */
  kafkaBroker: DevPkiLeaf;
  /** TLS client certificates (mutual TLS), by party (DEV_TLS_CLIENTS); subject CN `<party>-tls`. */
  tlsClients: Record<string, DevPkiLeaf>;
  pkcs12: { file: string; password: string; of: string };
}

/** Reads the manifest when the folder holds a complete PKI matching the options, else generates it. */
export async function ensureDevPki(dir: string, options: DevPkiOptions = {}): Promise<DevPkiManifest> {
  const crlBaseUrl = (options.crlBaseUrl ?? DEFAULT_CRL_BASE_URL).replace(/\/+$/, '');
  const ocspUrl = options.ocspUrl ?? DEFAULT_OCSP_URL;
  if (!options.force) {
    const existing = readCompleteManifest(dir, crlBaseUrl, ocspUrl);
    if (existing) return existing;
  }
  return generateDevPki(dir, crlBaseUrl, ocspUrl);
}

function readCompleteManifest(dir: string, crlBaseUrl: string, ocspUrl: string): DevPkiManifest | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as DevPkiManifest;
    if (manifest.version !== LAYOUT_VERSION || manifest.crlBaseUrl !== crlBaseUrl || manifest.ocspUrl !== ocspUrl) return undefined;
    // CRLs are valid for 30 days: regenerate well before they go stale.
    if (Date.now() - Date.parse(manifest.generatedAt) > MAX_REUSE_MS) return undefined;
    return listFiles(manifest).every((f) => existsSync(f)) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function listFiles(m: DevPkiManifest): string[] {
  return [
    m.rootCa.cert, m.rootCa.key, m.intermediateCa.cert, m.intermediateCa.key, m.untrustedCa.cert, m.untrustedCa.key,
    m.trustBundle, m.crls.root, m.crls.intermediate, m.crls.intermediateEmpty,
    ...Object.values(m.leaves).flatMap((l) => [l.cert, l.key, l.chain]),
    m.tls.cert, m.tls.key, m.tls.chain, m.pkcs12.file, m.kafkaBroker.cert, m.kafkaBroker.key, m.kafkaBroker.chain,
    ...Object.values(m.tlsClients).flatMap((l) => [l.cert, l.key, l.chain]),
  ];
}

type KeyKind = 'rsa' | 'ec';

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

const RSA_GEN: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const EC_GEN: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

async function generateKeys(kind: KeyKind): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(kind === 'rsa' ? RSA_GEN : EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function signingAlgorithmOf(issuerKey: CryptoKey): Algorithm | EcdsaParams {
  return issuerKey.algorithm.name === 'ECDSA'
    ? ({ name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams)
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
}

let serialCounter = 0;
function nextSerial(): string {
  // 16 random bytes with a positive leading byte, plus a counter to stay unique within one run
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x3f) | 0x10;
  bytes[15] = (serialCounter++ & 0xff);
  return Buffer.from(bytes).toString('hex');
}

async function createCa(name: string, issuer?: Issued, pathLength?: number, crlUrl?: string): Promise<Issued> {
  const keys = await generateKeys('rsa');
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (!issuer) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: nextSerial(),
      name,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 3650 * DAY_MS),
      keys,
      signingAlgorithm: signingAlgorithmOf(keys.privateKey),
      extensions,
    });
    return { cert, keys };
  }
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  if (crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([crlUrl]));
  return { cert: await issue(issuer, name, keys, extensions, now - DAY_MS, now + 1825 * DAY_MS), keys };
}

async function issue(
  issuer: Issued,
  subject: string,
  keys: CryptoKeyPair,
  extensions: x509.Extension[],
  notBefore: number,
  notAfter: number,
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: issuer.cert.subject,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithmOf(issuer.keys.privateKey),
    extensions,
  });
}

interface LeafSpec {
  name: string;
  kind: KeyKind;
  issuer: Issued;
  notBefore?: number;
  notAfter?: number;
  keyUsage?: x509.KeyUsageFlags;
  tls?: boolean;
  /** a TLS client certificate: KeyUsage digitalSignature, EKU clientAuth, no SAN */
  tlsClient?: boolean;
  /** Authority Information Access → this OCSP responder URL */
  ocspUrl?: string;
  /** a delegated OCSP responder certificate: EKU OCSPSigning + id-pkix-ocsp-nocheck */
  ocspSigning?: boolean;
}

async function createLeaf(spec: LeafSpec, crlUrl: string): Promise<Issued> {
  const keys = await generateKeys(spec.kind);
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      spec.keyUsage ??
        (spec.tls
          ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
          : spec.tlsClient
            ? x509.KeyUsageFlags.digitalSignature
            : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation),
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.keys.publicKey),
    new x509.CRLDistributionPointsExtension([crlUrl]),
  ];
  if (spec.tls) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    );
  }
  if (spec.tlsClient) extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]));
  if (spec.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: [spec.ocspUrl] }));
  if (spec.ocspSigning) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning]),
      new x509.Extension(ID_PKIX_OCSP_NOCHECK, false, new Uint8Array([0x05, 0x00])), // NULL
    );
  }
  const cert = await issue(
    spec.issuer,
    `CN=${spec.name},OU=Korpu Dev,O=Ministry (development),C=AZ`,
    keys,
    extensions,
    spec.notBefore ?? now - DAY_MS,
    spec.notAfter ?? now + 825 * DAY_MS,
  );
  return { cert, keys };
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
}

/** OpenSSL and xmlsec1 expect the `X509 CRL` PEM label (the library writes `CRL`). */
function crlPem(crl: x509.X509Crl): string {
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL') + '\n';
}

function certPem(cert: x509.X509Certificate): string {
  return cert.toString('pem') + '\n';
}

async function createCrl(issuer: Issued, revokedSerials: string[]): Promise<x509.X509Crl> {
  const now = Date.now();
  return x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 30 * DAY_MS),
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithmOf(issuer.keys.privateKey),
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now - 60_000),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)],
  });
}

function write(file: string, content: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content, { mode });
}

async function generateDevPki(dir: string, crlBaseUrl: string, ocspUrl: string): Promise<DevPkiManifest> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const p = (...parts: string[]): string => join(dir, ...parts);
  const intermediateCrlUrl = `${crlBaseUrl}/intermediate-ca.crl`;
  const now = Date.now();

  const root = await createCa('CN=Korpu Dev Root CA,O=Ministry (development),C=AZ');
  // The intermediate names where its own revocation status (the root's CRL) is published.
  const intermediate = await createCa('CN=Korpu Dev Intermediate CA,O=Ministry (development),C=AZ', root, 0, `${crlBaseUrl}/root-ca.crl`);
  const untrusted = await createCa('CN=Untrusted Dev CA,O=Somebody Else,C=ZZ');

  const specs: LeafSpec[] = [];
  for (const party of DEV_PARTIES) {
    specs.push({ name: `${party}-rsa`, kind: 'rsa', issuer: intermediate });
    specs.push({ name: `${party}-ec`, kind: 'ec', issuer: intermediate });
  }
  specs.push(
    { name: 'revoked-rsa', kind: 'rsa', issuer: intermediate },
    { name: 'expired-rsa', kind: 'rsa', issuer: intermediate, notBefore: now - 400 * DAY_MS, notAfter: now - 30 * DAY_MS },
    { name: 'not-yet-valid-rsa', kind: 'rsa', issuer: intermediate, notBefore: now + 30 * DAY_MS, notAfter: now + 400 * DAY_MS },
    { name: 'untrusted-rsa', kind: 'rsa', issuer: untrusted },
    {
      name: 'no-digital-signature-rsa',
      kind: 'rsa',
      issuer: intermediate,
      keyUsage: x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment,
    },
    { name: 'ocsp-good-rsa', kind: 'rsa', issuer: intermediate, ocspUrl },
    { name: 'ocsp-revoked-rsa', kind: 'rsa', issuer: intermediate, ocspUrl },
    { name: 'ocsp-responder', kind: 'rsa', issuer: intermediate, keyUsage: x509.KeyUsageFlags.digitalSignature, ocspSigning: true },
  );

  const leaves: Record<string, DevPkiLeaf> = {};
  let revokedSerial = '';
  let ocspRevokedSerial = '';
  const issued = await Promise.all(specs.map((s) => createLeaf(s, intermediateCrlUrl)));
  for (let i = 0; i < specs.length; i++) {
    const { name, issuer } = specs[i];
    const leaf = issued[i];
    const files: DevPkiLeaf = { cert: p('leaf', `${name}.crt`), key: p('leaf', `${name}.key`), chain: p('leaf', `${name}.chain.crt`) };
    write(files.cert, certPem(leaf.cert));
    write(files.key, await privateKeyPem(leaf.keys), 0o600);
    write(files.chain, certPem(leaf.cert) + certPem(issuer.cert));
    leaves[name] = files;
    if (name === 'revoked-rsa') revokedSerial = leaf.cert.serialNumber;
    if (name === 'ocsp-revoked-rsa') ocspRevokedSerial = leaf.cert.serialNumber;
  }

  const tls = await createLeaf({ name: 'localhost', kind: 'rsa', issuer: intermediate, tls: true }, intermediateCrlUrl);
  const kafkaBroker = await createLeaf({ name: 'kafka-broker', kind: 'rsa', issuer: intermediate, tls: true }, intermediateCrlUrl);
  const tlsClientSpecs: LeafSpec[] = DEV_TLS_CLIENTS.map((name) => ({
    name: `${name}-tls`,
    kind: 'rsa',
    issuer: name === 'untrusted' ? untrusted : intermediate,
    tlsClient: true,
  }));
  const tlsClientCerts = await Promise.all(tlsClientSpecs.map((s) => createLeaf(s, intermediateCrlUrl)));
  const tlsClients: Record<string, DevPkiLeaf> = {};
  for (let i = 0; i < DEV_TLS_CLIENTS.length; i++) {
    const name = DEV_TLS_CLIENTS[i];
    const files: DevPkiLeaf = { cert: p('tls', `${name}.crt`), key: p('tls', `${name}.key`), chain: p('tls', `${name}.chain.crt`) };
    write(files.cert, certPem(tlsClientCerts[i].cert));
    write(files.key, await privateKeyPem(tlsClientCerts[i].keys), 0o600);
    write(files.chain, certPem(tlsClientCerts[i].cert) + certPem(tlsClientSpecs[i].issuer.cert));
    tlsClients[name] = files;
  }

  const manifest: DevPkiManifest = {
    version: LAYOUT_VERSION,
    crlBaseUrl,
    ocspUrl,
    generatedAt: new Date(now).toISOString(),
    rootCa: { cert: p('ca', 'root-ca.crt'), key: p('ca', 'root-ca.key') },
    intermediateCa: { cert: p('ca', 'intermediate-ca.crt'), key: p('ca', 'intermediate-ca.key') },
    untrustedCa: { cert: p('ca', 'untrusted-ca.crt'), key: p('ca', 'untrusted-ca.key') },
    trustBundle: p('ca', 'trust-bundle.crt'),
    crls: { root: p('crl', 'root-ca.crl'), intermediate: p('crl', 'intermediate-ca.crl'), intermediateEmpty: p('crl', 'intermediate-ca.empty.crl') },
    revokedSerial,
    ocsp: { responder: leaves['ocsp-responder'], revokedSerials: [revokedSerial, ocspRevokedSerial] },
    leaves,
    tls: { cert: p('tls', 'localhost.crt'), key: p('tls', 'localhost.key'), chain: p('tls', 'localhost.chain.crt') },
    kafkaBroker: { cert: p('tls', 'kafka-broker.crt'), key: p('tls', 'kafka-broker.key'), chain: p('tls', 'kafka-broker.chain.crt') },
    tlsClients,
    pkcs12: { file: p('p12', 'gateway-rsa.p12'), password: DEV_P12_PASSWORD, of: 'gateway-rsa' },
  };

  write(manifest.rootCa.cert, certPem(root.cert));
  write(manifest.rootCa.key, await privateKeyPem(root.keys), 0o600);
  write(manifest.intermediateCa.cert, certPem(intermediate.cert));
  write(manifest.intermediateCa.key, await privateKeyPem(intermediate.keys), 0o600);
  write(manifest.untrustedCa.cert, certPem(untrusted.cert));
  write(manifest.untrustedCa.key, await privateKeyPem(untrusted.keys), 0o600);
  write(manifest.trustBundle, certPem(root.cert) + certPem(intermediate.cert));
  write(manifest.crls.root, crlPem(await createCrl(root, [])));
  write(manifest.crls.intermediate, crlPem(await createCrl(intermediate, [revokedSerial, ocspRevokedSerial])));
  write(manifest.crls.intermediateEmpty, crlPem(await createCrl(intermediate, [])));
  write(manifest.tls.cert, certPem(tls.cert));
  write(manifest.tls.key, await privateKeyPem(tls.keys), 0o600);
  write(manifest.tls.chain, certPem(tls.cert) + certPem(intermediate.cert));
  write(manifest.kafkaBroker.cert, certPem(kafkaBroker.cert));
  write(manifest.kafkaBroker.key, await privateKeyPem(kafkaBroker.keys), 0o600);
  write(manifest.kafkaBroker.chain, certPem(kafkaBroker.cert) + certPem(intermediate.cert));

  const gw = leaves['gateway-rsa'];
  mkdirSync(dirname(manifest.pkcs12.file), { recursive: true });
  execFileSync(
    'openssl',
    [
      'pkcs12', '-export', '-inkey', gw.key, '-in', gw.cert, '-certfile', manifest.intermediateCa.cert,
      '-name', 'gateway-rsa', '-out', manifest.pkcs12.file, '-passout', `pass:${DEV_P12_PASSWORD}`,
      '-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  // Sanity: the chain we just wrote verifies with node:crypto.
  const nodeLeaf = new NodeX509Certificate(readFileSync(gw.cert));
  const nodeIntermediate = new NodeX509Certificate(readFileSync(manifest.intermediateCa.cert));
  if (!nodeLeaf.verify(nodeIntermediate.publicKey)) throw new Error('dev PKI: generated chain does not verify');

  write(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Signs a fresh CRL for the dev intermediate CA (used by tests that rotate CRLs). */
export async function issueDevCrl(
  manifest: DevPkiManifest,
  revokedSerials: string[],
  validity: { thisUpdate?: Date; nextUpdate?: Date } = {},
): Promise<string> {
  const cert = new x509.X509Certificate(readFileSync(manifest.intermediateCa.cert, 'utf8'));
  const pkcs8 = x509.PemConverter.decodeFirst(readFileSync(manifest.intermediateCa.key, 'utf8'));
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: cert.subject,
    thisUpdate: validity.thisUpdate ?? new Date(now - 60_000),
    nextUpdate: validity.nextUpdate ?? new Date(now + DAY_MS),
    signingKey: privateKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
    entries: revokedSerials.map((serialNumber) => ({ serialNumber, revocationDate: new Date(now - 60_000) })),
  });
  return crlPem(crl);
}
