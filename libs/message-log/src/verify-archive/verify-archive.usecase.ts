import { X509Certificate } from 'node:crypto';
import * as path from 'node:path';
import { ArchiveFileRepository } from '../archive/archive-file.repository';
import { ARCHIVE_FORMAT, ArchiveManifest, manifestText, verifyManifestSignature } from '../archive/archive-manifest';
import { CHAIN_START, ChainBreak, ChainPosition, ChainWalker } from '../chain/chain-walker';
import { isHash } from '../chain/record-hash';

export type ArchiveProblemReason =
  /** The manifest cannot be read or lacks fields. */
  | 'manifest-invalid'
  /** The manifest's signature does not verify with the certificate it names. */
  | 'signature-invalid'
  /** The signer's certificate is not trusted (only when a trust check was given). */
  | 'signer-untrusted'
  /** The data file's sha256 is not the one the manifest signed. */
  | 'file-changed'
  /** The records inside the file break their chain, or do not end where the manifest says. */
  | 'chain-broken'
  /** The archive does not continue the previous one, or the next archive / the table does not continue it. */
  | 'linkage-broken';

export interface ArchiveProblem {
  reason: ArchiveProblemReason;
  manifestFile?: string;
  /** The first broken record (or the seq where linkage breaks), when known. */
  seq?: number;
  messageId?: string;
  chainBreak?: ChainBreak;
  message: string;
}

export interface ArchiveFileReport {
  ok: boolean;
  manifestFile: string;
  manifest?: ArchiveManifest;
  problem?: ArchiveProblem;
}

export interface ArchiveDirectoryReport {
  ok: boolean;
  files: ArchiveFileReport[];
  /** The first problem, in seq order. */
  problem?: ArchiveProblem;
  /** Where the newest archive ends: where the table must continue. */
  end: ChainPosition;
}

export interface VerifyArchiveOptions {
  /** Checks that the signer certificate is trusted (e.g. `(cert) => trustStore.validate(cert)`); throw to refuse. */
  trustSigner?: (certificate: X509Certificate) => Promise<unknown> | unknown;
}

const MANIFEST_FIELDS: (keyof ArchiveManifest)[] = [
  'file',
  'fileSha256',
  'firstPrevHash',
  'lastHash',
  'firstLoggedAt',
  'lastLoggedAt',
];

/**
 * Verifies archive files without the database: the manifest's signature, the data file's sha256, the chain of
 * records inside (which needs no decryption key: hashes cover the stored ciphertext), and how archives link.
 */
export class VerifyArchiveUseCase {
  constructor(private readonly files: ArchiveFileRepository = new ArchiveFileRepository()) {}

  async verifyFile(manifestFile: string, options: VerifyArchiveOptions = {}): Promise<ArchiveFileReport> {
    const fail = (problem: Omit<ArchiveProblem, 'manifestFile'>, manifest?: ArchiveManifest): ArchiveFileReport => ({
      ok: false,
      manifestFile,
      manifest,
      problem: { ...problem, manifestFile },
    });
    let manifest: ArchiveManifest;
    let signature: { algorithm: string; value: string };
    try {
      const signed = await this.files.readManifest(manifestFile);
      manifest = signed.manifest;
      signature = signed.signature;
      const invalid = manifestProblem(manifest);
      if (invalid || !signature || typeof signature.value !== 'string') {
        return fail({
          reason: 'manifest-invalid',
          message: `${path.basename(manifestFile)}: ${invalid ?? 'no signature'}`,
        });
      }
    } catch (error) {
      return fail({
        reason: 'manifest-invalid',
        message: `${path.basename(manifestFile)} cannot be read: ${(error as Error).message}`,
      });
    }
    if (
      !verifyManifestSignature(
        manifestText(manifest),
        signature.algorithm,
        signature.value,
        manifest.signer.certificate,
      )
    ) {
      return fail(
        {
          reason: 'signature-invalid',
          seq: manifest.firstSeq,
          message: `the signature of ${path.basename(manifestFile)} does not verify`,
        },
        manifest,
      );
    }
    if (options.trustSigner) {
      try {
        await options.trustSigner(new X509Certificate(manifest.signer.certificate));
      } catch (error) {
        return fail(
          {
            reason: 'signer-untrusted',
            seq: manifest.firstSeq,
            message: `the signer of ${path.basename(manifestFile)} is not trusted: ${(error as Error).message}`,
          },
          manifest,
        );
      }
    }
    const dataFile = path.join(path.dirname(manifestFile), path.basename(manifest.file));
    let sha256: string;
    try {
      sha256 = await this.files.sha256(dataFile);
    } catch (error) {
      return fail(
        {
          reason: 'file-changed',
          seq: manifest.firstSeq,
          message: `${manifest.file} cannot be read: ${(error as Error).message}`,
        },
        manifest,
      );
    }
    if (sha256 !== manifest.fileSha256) {
      return fail(
        {
          reason: 'file-changed',
          seq: manifest.firstSeq,
          message: `${manifest.file} is not the file that was signed (sha256 differs)`,
        },
        manifest,
      );
    }
    const walker = new ChainWalker({ seq: manifest.firstSeq - 1, hash: manifest.firstPrevHash });
    try {
      for await (const record of this.files.readRecords(dataFile)) {
        const broken = walker.next(record);
        if (broken) {
          return fail(
            {
              reason: 'chain-broken',
              seq: broken.seq,
              messageId: broken.messageId,
              chainBreak: broken,
              message: `${manifest.file}: ${broken.message}`,
            },
            manifest,
          );
        }
      }
    } catch (error) {
      return fail(
        {
          reason: 'chain-broken',
          seq: manifest.firstSeq,
          message: `${manifest.file} cannot be parsed: ${(error as Error).message}`,
        },
        manifest,
      );
    }
    const broken = walker.end({ seq: manifest.lastSeq, hash: manifest.lastHash });
    if (broken || walker.count !== manifest.recordCount) {
      return fail(
        {
          reason: 'chain-broken',
          seq: broken?.seq ?? manifest.lastSeq,
          messageId: broken?.messageId,
          chainBreak: broken,
          message: `${manifest.file}: ${broken?.message ?? `${walker.count} records, the manifest says ${manifest.recordCount}`}`,
        },
        manifest,
      );
    }
    return { ok: true, manifestFile, manifest };
  }

  /**
   * Verifies every archive of a folder and that they form one chain from `start` (default: the log's first
   * record) without gaps; `next`, when given, is where the following data (the table) must continue.
   */
  async verifyDirectory(
    dir: string,
    options: VerifyArchiveOptions & { start?: ChainPosition; next?: { seq: number; prevHash: string } } = {},
  ): Promise<ArchiveDirectoryReport> {
    const files: ArchiveFileReport[] = [];
    for (const manifestFile of await this.files.listManifests(dir))
      files.push(await this.verifyFile(manifestFile, options));
    const manifests = files
      .flatMap((f) => (f.manifest ? [f] : []))
      .sort((a, b) => a.manifest!.firstSeq - b.manifest!.firstSeq);
    const linkage = checkArchiveLinkage(
      manifests.map((f) => f.manifest!),
      options.start ?? CHAIN_START,
      options.next,
    );
    const problems = [
      ...files.flatMap((f) => (f.problem ? [f.problem] : [])),
      ...(linkage.problem ? [linkage.problem] : []),
    ];
    problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
    return { ok: problems.length === 0, files, problem: problems[0], end: linkage.end };
  }
}

/**
 * Checks that manifests (sorted by firstSeq) continue each other from `start`: each first seq follows the previous
 * last seq and each first prev_hash is the previous last hash; then that `next` continues the newest one.
 */
export function checkArchiveLinkage(
  manifests: readonly Pick<ArchiveManifest, 'firstSeq' | 'lastSeq' | 'firstPrevHash' | 'lastHash' | 'file'>[],
  start: ChainPosition = CHAIN_START,
  next?: { seq: number; prevHash: string },
): { problem?: ArchiveProblem; end: ChainPosition } {
  let end = { ...start };
  for (const manifest of manifests) {
    if (manifest.firstSeq !== end.seq + 1 || manifest.firstPrevHash !== end.hash) {
      return {
        end,
        problem: {
          reason: 'linkage-broken',
          seq: manifest.firstSeq,
          message:
            manifest.firstSeq !== end.seq + 1
              ? `${manifest.file} starts at seq ${manifest.firstSeq}, expected ${end.seq + 1} (an archive is missing or overlaps)`
              : `${manifest.file} does not continue the chain: its first prev_hash is not the hash of seq ${end.seq}`,
        },
      };
    }
    end = { seq: manifest.lastSeq, hash: manifest.lastHash };
  }
  if (next && (next.seq !== end.seq + 1 || next.prevHash !== end.hash)) {
    return {
      end,
      problem: {
        reason: 'linkage-broken',
        seq: next.seq,
        message:
          next.seq !== end.seq + 1
            ? `the log continues at seq ${next.seq} but the archives end at seq ${end.seq}`
            : `seq ${next.seq} does not continue the last archive: its prev_hash is not the hash of seq ${end.seq}`,
      },
    };
  }
  return { end };
}

function manifestProblem(manifest: ArchiveManifest | undefined): string | undefined {
  if (!manifest || typeof manifest !== 'object') return 'no manifest';
  if (manifest.format !== ARCHIVE_FORMAT) return `unknown format ${String(manifest.format)}`;
  for (const field of MANIFEST_FIELDS) if (typeof manifest[field] !== 'string') return `${field} is missing`;
  if (!isHash(manifest.firstPrevHash) || !isHash(manifest.lastHash) || !isHash(manifest.fileSha256))
    return 'a hash is malformed';
  for (const field of ['firstSeq', 'lastSeq', 'recordCount'] as const) {
    if (!Number.isSafeInteger(manifest[field])) return `${field} is not an integer`;
  }
  if (manifest.lastSeq - manifest.firstSeq + 1 !== manifest.recordCount)
    return 'recordCount does not match firstSeq..lastSeq';
  if (typeof manifest.signer?.certificate !== 'string') return 'signer certificate is missing';
  return undefined;
}
