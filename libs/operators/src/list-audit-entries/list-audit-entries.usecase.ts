import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';
import { ListAuditEntriesCommand } from './list-audit-entries.command';

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
