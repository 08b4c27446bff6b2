import { SqlExecutor } from '@korpu/store';
import { ArchiveManifest, manifestText, verifyManifestSignature } from '../archive/archive-manifest';
import { CHAIN_START, ChainBreak, ChainPosition, ChainWalker } from '../chain/chain-walker';
import { MessageLogErrorCode } from '../message-log-error-code';
import { MessageLogException } from '../message-log.exception';
import { ArchiveRow, MessageLogRepository } from '../message-log.repository';

export interface MessageLogVerification {
  ok: boolean;
  /** Records of the table whose hash and link were checked. */
  checkedRecords: number;
  /** Archives recorded in message_log_archives (their signed manifests and linkage were checked). */
  archives: number;
  /** Where the table's chain starts: the end of the newest archive, or seq 0 / the genesis hash. */
  start: ChainPosition;
  /** The chain head: last seq and hash of the log. */
  head: ChainPosition;
  /** The first broken record. */
  break?: ChainBreak;
}

const PAGE = 1000;

/**
 * Walks the whole message log in one snapshot: the archives recorded in the database (each manifest's signature,
 * and that they continue each other from seq 1), then every record of the table from the newest archive's last
 * hash, then the chain head. Needs no decryption key. Stops at the first broken record.
 */
export class VerifyMessageLogUseCase {
  constructor(private readonly repository: MessageLogRepository) {}

  async execute(): Promise<MessageLogVerification> {
    return this.repository.snapshot(async (tx) => {
      const archives = await this.repository.archives(tx);
      const head = await this.repository.head(tx);
      const archiveBreak = checkArchiveRows(archives);
      const start: ChainPosition = archives.length
        ? { seq: archives[archives.length - 1].lastSeq, hash: archives[archives.length - 1].lastHash }
        : CHAIN_START;
      const report = { archives: archives.length, start, head };
      if (archiveBreak) return { ...report, ok: false, checkedRecords: 0, break: archiveBreak };
      const walker = new ChainWalker(start);
      const broken = (await this.walk(tx, walker, start.seq)) ?? walker.end(head);
      return { ...report, ok: !broken, checkedRecords: walker.count, break: broken };
    });
  }

  /** @throws CHAIN_BROKEN naming the first broken record */
  async assertIntact(): Promise<MessageLogVerification> {
    const report = await this.execute();
    if (report.break) {
      throw new MessageLogException(
        MessageLogErrorCode.CHAIN_BROKEN,
        `message log broken at seq ${report.break.seq}: ${report.break.message}`,
        {
          ...report.break,
        },
      );
    }
    return report;
  }

  /** Feeds every record after `afterSeq` to the walker, page by page; returns the first break. */
  private async walk(tx: SqlExecutor, walker: ChainWalker, afterSeq: number): Promise<ChainBreak | undefined> {
    let after = afterSeq;
    for (;;) {
      const page = await this.repository.page(after, Number.MAX_SAFE_INTEGER, PAGE, tx);
      for (const record of page) {
        const broken = walker.next(record);
        if (broken) return broken;
      }
      if (page.length < PAGE) return undefined;
      after = page[page.length - 1].seq;
    }
  }
}

/** Archive rows: each signed manifest verifies and matches its row, and the archives continue each other from seq 1. */
export function checkArchiveRows(archives: readonly ArchiveRow[]): ChainBreak | undefined {
  let end: ChainPosition = CHAIN_START;
  for (const row of archives) {
    const fail = (message: string, expected: string, actual: string): ChainBreak => ({
      reason: 'archive-invalid',
      seq: row.firstSeq,
      expected,
      actual,
      message: `archive ${row.fileName} (seq ${row.firstSeq}..${row.lastSeq}): ${message}`,
    });
    let manifest: ArchiveManifest;
    try {
      manifest = JSON.parse(row.manifest) as ArchiveManifest;
    } catch {
      return fail('its manifest is not JSON', 'JSON', 'unparsable');
    }
    if (
      manifestText(manifest) !== row.manifest ||
      !verifyManifestSignature(row.manifest, row.signatureAlgorithm, row.signature, row.signerCertificate)
    ) {
      return fail('the signature of its manifest does not verify', 'valid signature', 'invalid');
    }
    if (manifest.signer?.certificate !== row.signerCertificate)
      return fail('the signer is not the one in the manifest', 'manifest signer', 'other');
    for (const field of ['firstSeq', 'lastSeq', 'recordCount', 'firstPrevHash', 'lastHash', 'fileSha256'] as const) {
      if (manifest[field] !== row[field])
        return fail(`${field} differs from the signed manifest`, String(manifest[field]), String(row[field]));
    }
    if (row.firstSeq !== end.seq + 1)
      return fail(`it should start at seq ${end.seq + 1}`, String(end.seq + 1), String(row.firstSeq));
    if (row.firstPrevHash !== end.hash)
      return fail(`it does not continue the hash of seq ${end.seq}`, end.hash, row.firstPrevHash);
    end = { seq: row.lastSeq, hash: row.lastHash };
  }
  return undefined;
}
