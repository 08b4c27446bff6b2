import { Injectable, Logger, Optional } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { LogEvent, MessageLog, RefusalLogBudget } from '@korpu/message-log';
import { CounterMetric, MetricsRegistry } from '@korpu/observability';
import { describeCertificate } from '@korpu/signature';
import { AccessErrorCode, AccessException } from '../access.exception';
import { ClientRegistry } from '../client-registry';
import { AuthenticateClientCommand } from './authenticate-client.command';

/**
 * Who is calling the internal API: the client whose registered TLS client certificate the connection presented
 * (verified by the TLS layer against the client CAs and CRLs, then matched by issuer + serial, key pin or issuer +
 * subject — never by CN). A declared `X-Road-Client` must name that same client. Each refusal is logged (code,
 * source, certificate — never key material or payloads), counted by code, and recorded in the message log as
 * `rejected` (bounded metadata, at most REFUSAL_RECORDS_PER_MINUTE per source address; beyond that only counted).
 */
@Injectable()
export class AuthenticateClientUseCase {
  private readonly logger = new Logger('client-authentication');
  private readonly refusals?: CounterMetric<'code'>;
  private readonly unrecorded?: CounterMetric;
  private readonly budget = new RefusalLogBudget({ perMinute: REFUSAL_RECORDS_PER_MINUTE, maxSources: 10_000 });

  constructor(
    private readonly registry: ClientRegistry,
    @Optional() metrics?: MetricsRegistry,
    @Optional() private readonly messageLog?: MessageLog,
  ) {
    this.refusals = metrics?.counter({
      name: 'korpu_client_authentication_refusals_total',
      help: 'Requests to the internal API refused because the caller was not authenticated (401) or named another client (403)',
      labelNames: ['code'] as const,
    });
    this.unrecorded = metrics?.counter({
      name: 'korpu_client_authentication_refusals_unrecorded_total',
      help: 'Authentication refusals beyond the per-source rate, counted but not written to the message log',
    });
  }

  /** The authenticated client; a refusal is thrown after its record is written (or counted). */
  async execute(command: AuthenticateClientCommand): Promise<string> {
    try {
      return this.authenticate(command);
    } catch (error) {
      if (error instanceof AccessException) await this.record(command, error);
      throw error;
    }
  }

  private authenticate(command: AuthenticateClientCommand): string {
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
    this.refusals?.inc({ code });
    const who = command.certificate ? describeCertificate(command.certificate) : 'no certificate';
    this.logger.warn(
      `refused ${code}: ${message}; source ${command.source ?? 'unknown'}; ${who}${client ? `; client ${client}` : ''}${
        command.declaredClient !== undefined ? `; declared ${JSON.stringify(command.declaredClient.slice(0, 100))}` : ''
      }`,
    );
    throw new AccessException(code, message, client ? { authenticatedClient: client } : undefined);
  }

  /** A bounded record of who was refused and why; never throws (the caller answers with the refusal). */
  private async record(command: AuthenticateClientCommand, error: AccessException): Promise<void> {
    if (!this.messageLog) return;
    if (!this.budget.take(command.source ?? 'unknown')) {
      this.unrecorded?.inc({});
      return;
    }
    const id = newMessageId();
    const declared = command.declaredClient?.slice(0, 128);
    const authenticated = error.details?.authenticatedClient as string | undefined;
    try {
      await this.messageLog.append({
        event: LogEvent.REJECTED,
        messageId: id,
        correlationId: id,
        direction: 'outbound',
        client: authenticated ?? 'unauthenticated',
        service: 'internal-api/authenticate',
        messageType: 'unknown',
        schemaVersion: 'unknown',
        detail: {
          code: error.code,
          message: error.message,
          source: command.source ?? 'unknown',
          ...(command.certificate ? { certificate: describeCertificate(command.certificate) } : {}),
          ...(declared !== undefined ? { declaredClient: declared } : {}),
        },
      });
    } catch (cause) {
      this.logger.warn(`Refusal ${error.code} not recorded in the message log: ${String(cause)}`);
    }
  }
}

/** Refusal records per source address and minute; a flood beyond it is only counted. */
export const REFUSAL_RECORDS_PER_MINUTE = 60;
