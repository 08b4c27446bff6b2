import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/** What the TLS connection says about the caller: its client certificate and whether the TLS client CA trusts it. */
export interface TlsPeer {
  certificate: X509Certificate;
  /** Why the TLS client CA (TLS_CLIENT_CA_FILE) does not trust it; undefined when it does. */
  untrustedBecause?: string;
}

/** The caller's address as the TCP connection has it (no forwarding header is trusted); undefined when unknown. */
export function peerAddressOf(socket: unknown): string | undefined {
  const address = (socket as { remoteAddress?: unknown } | undefined)?.remoteAddress;
  return typeof address === 'string' && address ? address : undefined;
}

/** The client certificate of a TLS connection; undefined on plain HTTP or when the caller sent none. */
export function tlsPeerOf(socket: unknown): TlsPeer | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const peer = tls.getPeerCertificate();
  if (!peer || !peer.raw) return undefined;
  const certificate = new X509Certificate(peer.raw);
  return tls.authorized ? { certificate } : { certificate, untrustedBecause: String(tls.authorizationError ?? 'not authorized') };
}
