import * as path from 'node:path';
import type { KeyRing } from '@korpu/signature';
import { ArchiveFileRepository, MANIFEST_SUFFIX } from '../archive/archive-file.repository';
import { ARCHIVE_FORMAT, ArchiveManifest, manifestText, signManifest } from '../archive/archive-manifest';
import { CHAIN_START, ChainPosition, ChainWalker } from '../chain/chain-walker';
import type { ChainedRecord } from '../log-record';
import { MessageLogErrorCode } from '../message-log-error-code';
import { MessageLogException } from '../message-log.exception';
import { MessageLogRepository } from '../message-log.repository';
import { ArchiveMessageLogCommand } from './archive-message-log.command';

export interface ArchiveResult {
  archiveId: number;
  manifest: ArchiveManifest;
  dataFile: string;
  manifestFile: string;
}

export interface ArchiveMessageLogOptions {
  /** Key ring key to sign with (default: the ring's default key). */
  kid?: string;
  /** Records read per query (default 1000). */
  pageSize?: number;
}

const pad = (seq: number): string => String(seq).padStart(12, '0');

/**
 * Retention: moves the oldest records (logged before the cut) into `<out>/message-log-<first>-<last>.jsonl.gz`
 * with a signed `.manifest.json`, then deletes them from the table in the same transaction that records the
 * archive in message_log_archives. The segment's chain is verified before anything is written: a broken log is
 * never archived (and so never signed). Records are archived as stored: encrypted payloads stay encrypted.
 */
export class ArchiveMessageLogUseCase {
  constructor(
    private readonly repository: MessageLogRepository,
    private readonly keyRing: KeyRing,
    private readonly files: ArchiveFileRepository = new ArchiveFileRepository(),
    private readonly options: ArchiveMessageLogOptions = {},
  ) {}

  /**
   * Returns undefined when no record is old enough.
   * @throws CHAIN_BROKEN (nothing written), ARCHIVE_CONFLICT (another archiver was faster; files removed)
   */
  async execute(command: ArchiveMessageLogCommand): Promise<ArchiveResult | undefined> {
    const key = this.keyRing.resolve(this.options.kid);
    const latest = await this.repository.latestArchive();
    const start: ChainPosition = latest ? { seq: latest.lastSeq, hash: latest.lastHash } : CHAIN_START;
    let lastSeq = await this.repository.lastSeqLoggedBefore(command.cutBefore);
    if (command.maxRecords !== undefined) lastSeq = Math.min(lastSeq, start.seq + command.maxRecords);
    if (lastSeq <= start.seq) return undefined;

    const name = `message-log-${pad(start.seq + 1)}-${pad(lastSeq)}`;
    const dataFile = path.resolve(command.outDir, `${name}.jsonl.gz`);
    const manifestFile = path.resolve(command.outDir, `${name}${MANIFEST_SUFFIX}`);
    const writer = await this.files.openWriter(dataFile);
    let first: ChainedRecord | undefined;
    let last: ChainedRecord | undefined;
    let fileSha256: string;
    try {
      const walker = new ChainWalker(start);
      const pageSize = this.options.pageSize ?? 1000;
      for (let after = start.seq; after < lastSeq;) {
        const page = await this.repository.page(after, lastSeq, pageSize);
        if (page.length === 0) break;
        for (const record of page) {
          const broken = walker.next(record);
          if (broken) {
            throw new MessageLogException(
              MessageLogErrorCode.CHAIN_BROKEN,
              `refusing to archive a broken log: seq ${broken.seq} (message ${broken.messageId}): ${broken.message}`,
              { ...broken },
            );
          }
          first ??= record;
          last = record;
          await writer.write(record);
        }
        after = page[page.length - 1].seq;
      }
      if (!first || !last || last.seq !== lastSeq) {
        throw new MessageLogException(
          MessageLogErrorCode.ARCHIVE_CONFLICT,
          `records up to seq ${lastSeq} disappeared while archiving`,
        );
      }
      fileSha256 = await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }

    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      file: path.basename(dataFile),
      fileSha256,
      recordCount: last.seq - first.seq + 1,
      firstSeq: first.seq,
      lastSeq: last.seq,
      firstPrevHash: first.prevHash,
      lastHash: last.hash,
      firstLoggedAt: first.loggedAt,
      lastLoggedAt: last.loggedAt,
      cutBefore: command.cutBefore.toISOString(),
      createdAt: new Date().toISOString(),
      signer: { kid: key.kid, certificate: key.certificate.toString() },
    };
    const signed = signManifest(manifest, key);
    await this.files.writeManifest(manifestFile, signed);
    // If this throws (e.g. the connection drops during COMMIT) the files are kept: the archive may have been recorded.
    const recorded = await this.repository.recordArchive(
      {
        firstSeq: manifest.firstSeq,
        lastSeq: manifest.lastSeq,
        recordCount: manifest.recordCount,
        firstPrevHash: manifest.firstPrevHash,
        lastHash: manifest.lastHash,
        fileName: manifest.file,
        fileSha256,
        manifest: manifestText(manifest),
        signatureAlgorithm: signed.signature.algorithm,
        signature: signed.signature.value,
        signerCertificate: manifest.signer.certificate,
      },
      start.seq,
    );
    if (!recorded.ok) {
      await this.removeFiles(dataFile, manifestFile);
      throw new MessageLogException(
        MessageLogErrorCode.ARCHIVE_CONFLICT,
        `archive not recorded, nothing deleted: ${recorded.reason}`,
      );
    }
    return { archiveId: recorded.id, manifest, dataFile, manifestFile };
  }

  private async removeFiles(...files: string[]): Promise<void> {
    for (const file of files) await this.files.remove(file);
  }
}
