/**
 * Port through which the TrustStore asks an OCSP responder (RFC 6960) about a certificate.
 * The default adapter is HttpOcspClient; tests and simulators inject their own.
 */
export interface OcspClient {
  /**
   * Sends a DER OCSPRequest to the responder at `url` and resolves to the DER OCSPResponse body.
   * Rejects when the responder cannot be reached, times out or answers other than HTTP 200.
   */
  request(url: string, ocspRequest: Uint8Array): Promise<Uint8Array>;
}
