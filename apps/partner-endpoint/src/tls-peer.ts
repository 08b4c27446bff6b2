import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { InboundErrorCode, InboundException } from '@korpu/inbound';

/** The verified client certificate of a mutual-TLS connection; undefined on plain HTTP or when none was sent. */
export function tlsClientCertificate(socket: unknown): X509Certificate | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const peer = tls.getPeerCertificate();
  if (!peer || !peer.raw) return undefined;
  if (!tls.authorized) {
    throw new InboundException(InboundErrorCode.CLIENT_UNAUTHENTICATED, `The TLS client certificate is not trusted (${String(tls.authorizationError)})`);
  }
  return new X509Certificate(peer.raw);
}
