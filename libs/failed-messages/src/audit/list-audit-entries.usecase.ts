import { Injectable } from '@nestjs/common';
import { InputReader } from '../command-input';
import { FailedMessagesException } from '../failed-messages.exception';
import { AuditEntry, AuditFilter, AuditTrail, OPERATOR_ACTIONS, OperatorAction } from './audit-trail.repository';

export class ListAuditEntriesCommand {
  private constructor(
    readonly filter: AuditFilter,
    readonly limit: number,
    readonly before: string | undefined,
  ) {}

  static create(query: unknown): ListAuditEntriesCommand {
    const input = new InputReader(query, 'the query');
    const filter: AuditFilter = {};
    const operator = input.string('operator');
    if (operator) filter.operator = operator;
    const [action] = input.list<OperatorAction>('action', OPERATOR_ACTIONS) ?? [];
    if (action) filter.action = action;
    const messageId = input.string('messageId', { max: 300 });
    if (messageId) filter.messageId = messageId;
    const from = input.instant('from');
    if (from) filter.from = from;
    const to = input.instant('to');
    if (to) filter.to = to;
    const limit = input.integer('limit', 1, 500) ?? 50;
    const before = input.string('cursor', { pattern: /^\d{1,19}$/ });
    if (input.problems.length) throw FailedMessagesException.invalid(input.problems);
    return new ListAuditEntriesCommand(filter, limit, before);
  }
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string;
}

/** The operators' audit trail, newest first, with keyset paging. */
@Injectable()
export class ListAuditEntriesUseCase {
  constructor(private readonly audit: AuditTrail) {}

  async execute(command: ListAuditEntriesCommand): Promise<AuditPage> {
    const rows = await this.audit.list(command.filter, { limit: command.limit + 1, before: command.before });
    const items = rows.slice(0, command.limit);
    return { items, ...(rows.length > command.limit ? { nextCursor: items[items.length - 1].id } : {}) };
  }
}
