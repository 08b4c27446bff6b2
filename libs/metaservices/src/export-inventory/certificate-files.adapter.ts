import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';

/** A PEM file the inventory lists the certificates of, and what it is (`key-ring`, `trust-store`, `tls-server`...). */
export interface CertificateFile {
  source: string;
  file: string;
}

/** Reads every certificate of a PEM file (a bundle holds several); a missing or unreadable file yields a problem, not a crash. */
export function readCertificateFile(file: string): { certificates: X509Certificate[]; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { certificates: [], problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read' };
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificates: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      return { certificates, problem: 'holds a block that is not a certificate' };
    }
  }
  return blocks.length === 0 ? { certificates, problem: 'holds no PEM certificate' } : { certificates };
}
