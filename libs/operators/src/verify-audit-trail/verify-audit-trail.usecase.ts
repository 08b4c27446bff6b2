import { Injectable } from '@nestjs/common';
import { CHAIN_START, ChainBreak, ChainPosition, ChainWalker } from '@korpu/message-log';
import { auditRecordHash } from '../audit/audit-chain';
import { AuditEntry } from '../audit/audit-entry';
import { AuditTrail } from '../audit/audit-trail.repository';

export interface AuditTrailVerification {
  ok: boolean;
  checkedRecords: number;
  head: ChainPosition;
  /** The first entry that breaks the chain (seq, reason), if any. */
  break?: ChainBreak;
}

const PAGE = 1000;

/**
 * Walks the whole audit trail in one snapshot with the message log's ChainWalker (the audit trail's own hash):
 * every entry's hash and link from seq 1, then the chain head. Stops at the first broken entry.
 */
@Injectable()
export class VerifyAuditTrailUseCase {
  constructor(private readonly audit: AuditTrail) {}

  async execute(): Promise<AuditTrailVerification> {
    return this.audit.snapshot(async (tx) => {
      const head = await this.audit.head(tx);
      const walker = new ChainWalker<AuditEntry>(CHAIN_START, (entry) => auditRecordHash(entry.prevHash, entry));
      let after = 0;
      let broken: ChainBreak | undefined;
      for (;;) {
        const page = await this.audit.list({}, { limit: PAGE, after, order: 'oldest' }, tx);
        for (const entry of page) {
          broken = walker.next(entry);
          if (broken) break;
        }
        if (broken || page.length < PAGE) break;
        after = page[page.length - 1].seq;
      }
      broken = broken ?? walker.end(head);
      return { ok: !broken, checkedRecords: walker.count, head, ...(broken ? { break: broken } : {}) };
    });
  }
}
