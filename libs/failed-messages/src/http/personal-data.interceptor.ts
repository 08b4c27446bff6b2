import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { hasPermission, Permission } from '@korpu/operators';
import { PersonalDataMasker } from '@korpu/schemas';
import type { FailedMessage } from '../failed-message';
import { FAILED_MESSAGES_OPTIONS, FailedMessagesOptions } from '../failed-messages.options';
import type { AdminRequest } from './admin.guard';

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
 * Whether the operator of this request has the unmasked view: their roles hold `personal-data:unmask` (admins,
 * @korpu/operators), and, when FailedMessagesOptions.unmaskOperators lists names, their name is listed too.
 */
export function operatorCanUnmask(request: AdminRequest, options: Pick<FailedMessagesOptions, 'unmaskOperators'>): boolean {
  if (!hasPermission(request.principal, Permission.UNMASK)) return false;
  const allowed = options.unmaskOperators;
  return allowed === undefined || (request.operator !== undefined && allowed.includes(request.operator));
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

/** Applies maskFor to what a failed-message route answers (`@UseInterceptors(PersonalDataInterceptor)`). */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(
    @Inject(FAILED_MESSAGES_OPTIONS) private readonly options: FailedMessagesOptions,
    @Optional() private readonly masker: PersonalDataMasker = MASK_EVERYTHING,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const canUnmask = operatorCanUnmask(context.switchToHttp().getRequest<AdminRequest>(), this.options);
    return next.handle().pipe(map((body: unknown) => maskBody(body, canUnmask, this.masker ?? MASK_EVERYTHING)));
  }
}
