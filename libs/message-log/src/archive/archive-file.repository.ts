import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import type { ChainedRecord } from '../log-record';
import type { SignedArchiveManifest } from './archive-manifest';

/** Writes records as gzip JSON Lines while hashing the bytes written. */
export interface ArchiveDataWriter {
  write(record: ChainedRecord): Promise<void>;
  /** Flushes and closes the file; returns the sha256 (hex) of its bytes. */
  close(): Promise<string>;
  /** Closes and deletes the file (archiving gave up). */
  abort(): Promise<void>;
}

export const MANIFEST_SUFFIX = '.manifest.json';

/** Archive files on the local file system: `<name>.jsonl.gz` (records) and `<name>.manifest.json` (signed manifest). */
export class ArchiveFileRepository {
  async openWriter(file: string): Promise<ArchiveDataWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file, { flags: 'wx' });
    await once(out, 'open');
    const gzip = createGzip();
    const hash = createHash('sha256');
    gzip.on('data', (chunk: Buffer) => hash.update(chunk));
    gzip.pipe(out);
    const finished = once(out, 'close');
    return {
      write: async (record) => {
        if (!gzip.write(`${JSON.stringify(record)}\n`)) await once(gzip, 'drain');
      },
      close: async () => {
        gzip.end();
        await finished;
        const handle = await fs.open(file, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        return hash.digest('hex');
      },
      abort: async () => {
        gzip.destroy();
        out.destroy();
        await fs.rm(file, { force: true });
      },
    };
  }

  async *readRecords(file: string): AsyncGenerator<ChainedRecord> {
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim()) yield JSON.parse(line) as ChainedRecord;
    }
  }

  async sha256(file: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async writeManifest(file: string, signed: SignedArchiveManifest): Promise<void> {
    await fs.writeFile(file, `${JSON.stringify(signed, null, 2)}\n`, { flag: 'wx' });
  }

  async readManifest(file: string): Promise<SignedArchiveManifest> {
    return JSON.parse(await fs.readFile(file, 'utf8')) as SignedArchiveManifest;
  }

  /** Manifest files of a folder, sorted by name. */
  async listManifests(dir: string): Promise<string[]> {
    const names = await fs.readdir(dir);
    return names
      .filter((name) => name.endsWith(MANIFEST_SUFFIX))
      .sort()
      .map((name) => path.join(dir, name));
  }

  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }
}
