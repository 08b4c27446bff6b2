/**
 * Port through which the TrustStore obtains a CRL from a certificate's CRL distribution point.
 * The default adapter is HttpCrlFetcher; tests and simulators inject their own.
 */
export interface CrlFetcher {
  /** Resolves to the CRL bytes (DER or PEM); rejects when the CRL cannot be obtained. */
  fetch(url: string): Promise<Uint8Array>;
}
