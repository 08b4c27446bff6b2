import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { MetricsRegistry } from '@korpu/observability';
import { describeCertificate } from '@korpu/signature';
import { AccessErrorCode, AccessException } from '../access.exception';
import { ClientRegistry } from '../client-registry';
import { AuthenticateClientCommand } from './authenticate-client.command';

/**
 * Who is calling the internal API: the client whose registered TLS client certificate the connection presented
 * (verified by the TLS layer against the client CAs and CRLs, then matched by issuer + serial, key pin or issuer +
 * subject — never by CN). A declared `X-Road-Client` must name that same client. Each refusal is logged (code,
 * source, certificate — never key material or payloads) and counted by code.
 */
@Injectable()
export class AuthenticateClientUseCase implements OnModuleInit {
  private readonly logger = new Logger('client-authentication');
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly registry: ClientRegistry,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    this.metrics?.register(() =>
      [...this.refusals].map(([code, value]) => ({
        name: 'korpu_client_authentication_refusals_total',
        help: 'Requests to the internal API refused because the caller was not authenticated (401) or named another client (403)',
        type: 'counter' as const,
        labels: { code },
        value,
      })),
    );
  }

  execute(command: AuthenticateClientCommand): string {
    const { certificate } = command;
    if (!certificate) {
      this.refuse(command, AccessErrorCode.CLIENT_UNAUTHENTICATED, 'A TLS client certificate issued to the subsystem is required');
    }
    if (!command.verified) {
      this.refuse(command, AccessErrorCode.CLIENT_UNAUTHENTICATED, `The TLS client certificate is not trusted (${command.verificationError ?? 'unverified'})`);
    }
    const client = this.registry.identify(certificate, 'tls');
    if (!client) {
      this.refuse(command, AccessErrorCode.CLIENT_UNAUTHENTICATED, 'The TLS client certificate is registered for no client');
    }
    if (command.declaredClient !== undefined && command.declaredClient !== client) {
      this.refuse(command, AccessErrorCode.CLIENT_MISMATCH, `X-Road-Client names "${command.declaredClient}" but the certificate belongs to "${client}"`, client);
    }
    return client;
  }

  private refuse(command: AuthenticateClientCommand, code: AccessErrorCode, message: string, client?: string): never {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
    const who = command.certificate ? describeCertificate(command.certificate) : 'no certificate';
    this.logger.warn(
      `refused ${code}: ${message}; source ${command.source ?? 'unknown'}; ${who}${client ? `; client ${client}` : ''}${
        command.declaredClient !== undefined ? `; declared ${JSON.stringify(command.declaredClient.slice(0, 100))}` : ''
      }`,
    );
    throw new AccessException(code, message);
  }
}
