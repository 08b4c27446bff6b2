import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { AuthenticateClientCommand } from '../authenticate-client/authenticate-client.command';
import { AuthenticateClientUseCase } from '../authenticate-client/authenticate-client.usecase';

/** The request once ClientAuthGuard let it through. */
interface ClientRequest {
  headers: Record<string, string | string[] | undefined>;
  raw?: { socket?: unknown };
  socket?: unknown;
  ip?: string;
  korpuClient?: string;
}

interface Peer {
  certificate?: X509Certificate;
  verified: boolean;
  error?: string;
}

/** A TLS connection presents one certificate for its life: parsed once per connection, not once per request. */
const peers = new WeakMap<object, Peer>();

function peerOf(socket: unknown): Peer {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (!tls || typeof tls.getPeerCertificate !== 'function') return { verified: false, error: 'not a TLS connection' };
  const known = peers.get(tls);
  if (known) return known;
  const raw = tls.getPeerCertificate();
  const peer: Peer =
    raw && raw.raw
      ? { certificate: new X509Certificate(raw.raw), verified: tls.authorized === true, error: tls.authorizationError ? String(tls.authorizationError) : undefined }
      : { verified: false };
  peers.set(tls, peer);
  return peer;
}

/** Authenticates the calling subsystem by its TLS client certificate and puts its client id on the request. */
@Injectable()
export class ClientAuthGuard implements CanActivate {
  constructor(private readonly authenticate: AuthenticateClientUseCase) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ClientRequest>();
    const peer = peerOf(request.raw?.socket ?? request.socket);
    request.korpuClient = await this.authenticate.execute(
      AuthenticateClientCommand.create({
        certificate: peer.certificate,
        verified: peer.verified,
        verificationError: peer.error,
        declaredClient: request.headers['x-road-client'],
        source: request.ip,
      }),
    );
    return true;
  }
}

/** The client ClientAuthGuard authenticated. */
export const AuthenticatedClient = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const client = context.switchToHttp().getRequest<ClientRequest>().korpuClient;
  if (!client) throw new Error('AuthenticatedClient used on a route without ClientAuthGuard');
  return client;
});
