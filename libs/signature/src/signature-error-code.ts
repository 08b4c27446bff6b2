/**
 * Stable codes of every failure the signature capability reports. Transports map them to the wire
 * (problem+json `code`, SOAP Fault `faultcode` detail); tests and alerts match on them, so never rename one.
 */
export enum SignatureErrorCode {
  // --- certificates and trust -------------------------------------------------------------------
  /** No path from the certificate to a configured trust anchor (unknown CA, self-signed, broken chain). */
  CERT_UNTRUSTED = 'SIGNATURE_CERT_UNTRUSTED',
  CERT_EXPIRED = 'SIGNATURE_CERT_EXPIRED',
  CERT_NOT_YET_VALID = 'SIGNATURE_CERT_NOT_YET_VALID',
  /** Revoked according to a CRL or an OCSP response (details: source, reason, revokedAt when known). */
  CERT_REVOKED = 'SIGNATURE_CERT_REVOKED',
  /** The signing certificate lacks the digitalSignature key usage (or a CA lacks keyCertSign). */
  CERT_KEY_USAGE = 'SIGNATURE_CERT_KEY_USAGE',
  /** The certificate cannot be parsed or a chain element is not a CA. */
  CERT_INVALID = 'SIGNATURE_CERT_INVALID',
  /** No usable (present, authentic, not past nextUpdate) CRL for an issuer while revocation is required. */
  CRL_UNAVAILABLE = 'SIGNATURE_CRL_UNAVAILABLE',
  /** The OCSP responder the certificate names answered `unknown`: it does not know the certificate (no CRL fallback). */
  OCSP_UNKNOWN = 'SIGNATURE_OCSP_UNKNOWN',
  /** The OCSP responder could not be reached, timed out or answered a non-successful status, and no CRL could answer. */
  OCSP_UNAVAILABLE = 'SIGNATURE_OCSP_UNAVAILABLE',
  /**
   * The OCSP response is unusable — unparsable, signature does not verify, signed by a certificate the issuer did not
   * authorize (id-kp-OCSPSigning), not about this certificate, nonce mismatch — and no CRL could answer.
   */
  OCSP_RESPONSE_INVALID = 'SIGNATURE_OCSP_RESPONSE_INVALID',
  /** The OCSP response is outside its thisUpdate/nextUpdate window (with clock skew), and no CRL could answer. */
  OCSP_RESPONSE_STALE = 'SIGNATURE_OCSP_RESPONSE_STALE',

  // --- local keys ---------------------------------------------------------------------------------
  KEY_NOT_FOUND = 'SIGNATURE_KEY_NOT_FOUND',
  /** A configured key is unusable: unsupported type/size, or it does not match its certificate. */
  KEY_INVALID = 'SIGNATURE_KEY_INVALID',

  // --- algorithms ---------------------------------------------------------------------------------
  /** Signature, digest, canonicalization or transform algorithm outside the allow-list, or not fitting the key. */
  ALGORITHM_NOT_ALLOWED = 'SIGNATURE_ALGORITHM_NOT_ALLOWED',

  // --- XML / SOAP ---------------------------------------------------------------------------------
  XML_MALFORMED = 'SIGNATURE_XML_MALFORMED',
  /** A DOCTYPE (and with it any entity declaration) is never accepted. */
  XML_DOCTYPE_FORBIDDEN = 'SIGNATURE_XML_DOCTYPE_FORBIDDEN',
  /** Deeper, or with more elements or attributes, than XML_MAX_DEPTH / XML_MAX_ELEMENTS / XML_MAX_ATTRIBUTES allow. */
  XML_TOO_COMPLEX = 'SIGNATURE_XML_TOO_COMPLEX',
  /** No ds:Signature / wsse:Security where one is required. */
  MISSING = 'SIGNATURE_MISSING',
  /** More than one ds:Signature, wsse:Security or SignedInfo. */
  DUPLICATE = 'SIGNATURE_DUPLICATE',
  /** The ds:Signature element does not have the strict expected shape (e.g. a comment inside DigestValue). */
  MALFORMED = 'SIGNATURE_MALFORMED',
  /** The digest of the processed soap:Body does not match its reference. */
  TAMPERED_BODY = 'SIGNATURE_TAMPERED_BODY',
  /** The digest of another referenced element (timestamp, X-Road header) does not match. */
  DIGEST_MISMATCH = 'SIGNATURE_DIGEST_MISMATCH',
  /** The SignatureValue does not verify over SignedInfo (or, for JWS, over header and payload). */
  INVALID = 'SIGNATURE_INVALID',
  /** A reference points at an element other than the one processed (moved Body, extra Body, signature outside the Security header). */
  WRAPPING = 'SIGNATURE_WRAPPING',
  /** Two elements carry the same Id. */
  DUPLICATE_ID = 'SIGNATURE_DUPLICATE_ID',
  /** An element that must be signed (Body, Timestamp, X-Road header) is not referenced, or a required header is absent. */
  MISSING_REFERENCE = 'SIGNATURE_MISSING_REFERENCE',
  /** KeyInfo is not a SecurityTokenReference to a BinarySecurityToken of this Security header (JWS: bad x5c). */
  KEY_INFO_INVALID = 'SIGNATURE_KEY_INFO_INVALID',
  TIMESTAMP_MISSING = 'SIGNATURE_TIMESTAMP_MISSING',
  TIMESTAMP_STALE = 'SIGNATURE_TIMESTAMP_STALE',
  TIMESTAMP_FUTURE = 'SIGNATURE_TIMESTAMP_FUTURE',

  // --- JWS ----------------------------------------------------------------------------------------
  JWS_MALFORMED = 'SIGNATURE_JWS_MALFORMED',
  /** `crit` names a parameter we do not implement, or `b64:false` is missing from it. */
  JWS_CRIT_UNSUPPORTED = 'SIGNATURE_JWS_CRIT_UNSUPPORTED',
  /** The protected header was made for another method, path or message id. */
  JWS_BINDING_MISMATCH = 'SIGNATURE_JWS_BINDING_MISMATCH',
}
