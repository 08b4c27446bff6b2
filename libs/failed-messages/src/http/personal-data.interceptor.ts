import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, Optional } from '@nestjs/common';
import { from, map, mergeMap, Observable } from 'rxjs';
import { hasPermission, OperatorsErrorCode, OperatorsException, Permission } from '@korpu/operators';
import { PersonalDataMasker } from '@korpu/schemas';
import { AuditTrail, OperatorAction } from '../audit/audit-trail.repository';
import { Clock } from '../clock';
import type { FailedMessage } from '../failed-message';
import type { AdminRequest } from './admin.guard';

/** The header that asks for the unmasked view, with the reason the auditor will read (e.g. a ticket number). */
export const UNMASK_REASON_HEADER = 'korpu-unmask-reason';
const REASON_MIN = 5;
const REASON_MAX = 500;

/** Fail closed: without the registry's declarations every value of every payload is masked. */
const MASK_EVERYTHING = PersonalDataMasker.fromTypes([]);

/**
 * A failed message as the principal may see it: unchanged for one with the unmasked view, else `payload` and
 * `editedPayload` with their personal values masked as the schema registry declares them for the message's type
 * and version (PersonalDataMasker). The one place the admin API decides what a response shows of personal data.
 */
export function maskFor<T extends Pick<FailedMessage, 'messageType' | 'schemaVersion' | 'payload' | 'editedPayload'>>(
  principalCanUnmask: boolean,
  masker: PersonalDataMasker,
  message: T,
): T {
  if (principalCanUnmask) return message;
  const mask = (payload: string) => masker.maskText(message.messageType, message.schemaVersion, payload);
  return { ...message, payload: mask(message.payload), editedPayload: message.editedPayload === null ? null : mask(message.editedPayload) };
}

/**
 * The stated reason of a request that asks for the unmasked view (header `Korpu-Unmask-Reason`), or undefined when
 * it does not ask. Asking without `personal-data:unmask` (admins, @korpu/operators) is refused with
 * OPERATOR_FORBIDDEN; a reason shorter than 5 or longer than 500 characters with OPERATOR_REQUEST_INVALID.
 * Nobody sees personal data by default, admins included: the unmasked view is a deliberate, audited act.
 */
export function unmaskReasonOf(request: AdminRequest): string | undefined {
  const raw = request.headers[UNMASK_REASON_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || value === '') return undefined;
  if (!hasPermission(request.principal, Permission.UNMASK)) {
    throw new OperatorsException(OperatorsErrorCode.FORBIDDEN, 'Your roles do not allow the unmasked view of personal data', { required: [Permission.UNMASK] });
  }
  if (value.length < REASON_MIN || value.length > REASON_MAX) {
    throw OperatorsException.invalid([`${UNMASK_REASON_HEADER}: state the reason in ${REASON_MIN} to ${REASON_MAX} characters`]);
  }
  return value;
}

/** The message ids an answer shows: the ones the unmasked view is audited under. */
function shownMessageIds(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  if (isFailedMessage(body)) return [body.messageId];
  const ids: string[] = [];
  for (const key of ['message', 'original'] as const) {
    const inner = (body as Record<string, unknown>)[key];
    if (isFailedMessage(inner)) ids.push(inner.messageId);
  }
  return ids;
}

function isFailedMessage(body: unknown): body is FailedMessage {
  return typeof body === 'object' && body !== null && typeof (body as FailedMessage).payload === 'string' && 'messageType' in body;
}

/** An edit's difference shows the values it changed: personal data, shown only with the unmasked view. */
const MASKED_DIFF = '[masked: the unmasked view shows the difference]';

function maskDiffs<T>(edit: T): T {
  return edit && typeof edit === 'object' && 'diff' in edit ? { ...edit, diff: MASKED_DIFF } : edit;
}

/**
 * A failed message (with the diffs of its edits), or a result carrying one as `message` or `original` (the edit's
 * answer, whose copy holds the diff), with maskFor applied.
 */
function maskBody(body: unknown, canUnmask: boolean, masker: PersonalDataMasker): unknown {
  if (canUnmask || typeof body !== 'object' || body === null) return body;
  if (isFailedMessage(body)) {
    const masked = maskFor(false, masker, body) as FailedMessage & { editOf?: unknown; copies?: unknown[] };
    return {
      ...masked,
      ...(masked.editOf ? { editOf: maskDiffs(masked.editOf) } : {}),
      ...(Array.isArray(masked.copies) ? { copies: masked.copies.map(maskDiffs) } : {}),
    };
  }
  const result = { ...(body as Record<string, unknown>) };
  for (const key of ['message', 'original'] as const) {
    if (isFailedMessage(result[key])) result[key] = maskFor(false, masker, result[key] as FailedMessage);
  }
  if (result.copy) result.copy = maskDiffs(result.copy);
  return result;
}

/**
 * Applies maskFor to what a failed-message route answers (`@UseInterceptors(PersonalDataInterceptor)`), unless the
 * request asks for the unmasked view with a reason and may have it: then the answer is unchanged and an `unmask`
 * audit entry (who, when, which messages, the reason) is written before the answer leaves.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  private readonly logger = new Logger('PersonalData');

  constructor(
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Optional() private readonly masker: PersonalDataMasker = MASK_EVERYTHING,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const reason = unmaskReasonOf(request);
    if (reason === undefined) return next.handle().pipe(map((body: unknown) => maskBody(body, false, this.masker ?? MASK_EVERYTHING)));
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const messageIds = shownMessageIds(body);
            await this.audit.record({ operator: request.operator ?? 'unknown', action: OperatorAction.UNMASK, messageIds, at: this.clock.now(), reason });
            this.logger.log(`unmasked view for ${request.operator ?? 'unknown'} of ${messageIds.length} message(s), audited`);
            return body;
          })(),
        ),
      ),
    );
  }
}
