/**
 * @korpu/signature — electronic signatures for Körpü.
 *
 * - TrustStore: is this certificate trusted now? (chain, validity, key usage, OCSP/CRL revocation, fail closed)
 * - KeyRing: our signing keys (PEM / PKCS#12), selected by kid, rotatable
 * - SoapSigner / SoapVerifier: WS-Security XML signatures over SOAP 1.1 + X-Road 4.0 headers
 * - JwsSigner / JwsVerifier: detached unencoded-payload JWS bound to the HTTP method, path and message id
 * - SignatureModule.forRoot(options) for Nest apps, createSignatureServices(options) for everything else
 *
 * Every refusal is a SignatureException carrying a SignatureErrorCode.
 */
export { SignatureErrorCode } from './signature-error-code';
export { SignatureException, isRevocationUnavailable, isSignatureException } from './signature.exception';
export type { SignatureModuleOptions } from './signature.options';
export { SignatureModule } from './signature.module';
export type { SignatureModuleAsyncOptions } from './signature.module';
export { createSignatureServices } from './signature.factory';
export type { SignatureServices } from './signature.factory';
export type { Clock } from './clock';

export { TrustStore } from './trust/trust-store';
export type {
  TrustStoreOptions,
  TrustStoreOcspOptions,
  ValidatedCertificate,
  RevocationMode,
  RevocationEvidence,
} from './trust/trust-store';
export type { CrlFetcher } from './trust/crl-fetcher';
export { HttpCrlFetcher } from './trust/http-crl-fetcher.adapter';
export type { OcspClient } from './trust/ocsp-client';
export { HttpOcspClient } from './trust/http-ocsp-client.adapter';
export type { HttpOcspClientOptions } from './trust/http-ocsp-client.adapter';
export type { OcspHash } from './trust/ocsp-protocol';
export { certificateKid } from './trust/pki-encoding';

export { KeyRing } from './keys/key-ring';
export type { SigningKey, SigningKeyMaterial, SigningKeyType } from './keys/key-ring';
export { KeyMaterialRepository } from './keys/key-material.repository';
export type { KeySource, PemKeySource, Pkcs12KeySource } from './keys/key-material.repository';

export { SoapSigner } from './soap/soap-signer';
export type { SoapSignerOptions, SoapSignOptions } from './soap/soap-signer';
export { SoapVerifier } from './soap/soap-verifier';
export type { SoapVerifierOptions, VerifiedSoapMessage } from './soap/soap-verifier';
export { Ns as SoapNamespaces, XROAD_SIGNED_HEADERS } from './soap/ws-security.constants';
export type { XroadHeaderName } from './soap/ws-security.constants';
export { XmlDsig, EcdsaSha256XmlCryptoAlgorithm } from './xml/xml-dsig-algorithms';

export { JwsSigner } from './jws/jws-signer';
export { JwsVerifier } from './jws/jws-verifier';
export type { JwsVerifierOptions, VerifiedJws } from './jws/jws-verifier';
export { JWS_COVERED_HEADERS, JWS_SIGNATURE_HEADER, coveredHeaders, jwsRequestHash } from './jws/jws.constants';
export type { JwsAlgorithm, JwsBinding, JwsHeaders } from './jws/jws.constants';
export { readSignatureOptions } from './signature.config';

export { CertificateIdentity, parseCertificateRegistrations, spkiSha256, canonicalName, describeCertificate } from './identity/certificate-identity';
export type { CertificateRegistration, CertificateRegistrationOptions } from './identity/certificate-identity';
