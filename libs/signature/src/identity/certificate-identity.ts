import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How configuration names a certificate that identifies a party (a subsystem's TLS client certificate, a
 * partner's signing certificate). Never by common name alone: a CN is only unique within one CA.
 *
 * - `spkiSha256`: SHA-256 of the SubjectPublicKeyInfo (base64 or hex): a key pin, survives re-issuing with the same key.
 * - `issuer` + `serial`: exactly one certificate.
 * - `issuer` + `subject`: every certificate that CA issues to that subject (survives renewal).
 * - `file`: a PEM certificate; matched by issuer + serial and SPKI. `pki:<relative>` is resolved against the PKI
 *   folder — for the development PKI, which is regenerated, so its pins cannot be committed.
 */
export type CertificateRegistration =
  | { spkiSha256: string }
  | { issuer: string; serial: string }
  | { issuer: string; subject: string }
  | { file: string };

/** SHA-256 of the certificate's SubjectPublicKeyInfo DER, base64. */
export function spkiSha256(certificate: X509Certificate): string {
  const der = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/**
 * A distinguished name as a sorted list of `type=value` pairs, so that `CN=a,O=b` (configuration, RFC 4514 order)
 * equals Node's `O=b\nCN=a` (X509Certificate.subject). Types are upper-cased, values kept as written.
 */
export function canonicalName(name: string): string {
  const separator = name.includes('\n') ? /\n/ : /(?<!\\),/;
  return name
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      return `${part.slice(0, eq).trim().toUpperCase()}=${part.slice(eq + 1).trim().replace(/\\,/g, ',')}`;
    })
    .sort()
    .join('\n');
}

function canonicalSerial(serial: string): string {
  return serial.replace(/[:\s]/g, '').replace(/^0+(?=.)/, '').toUpperCase();
}

function canonicalPin(pin: string): string | undefined {
  const trimmed = pin.trim();
  if (/^[0-9a-fA-F:]{64,95}$/.test(trimmed)) {
    const hex = trimmed.replace(/:/g, '');
    return hex.length === 64 ? Buffer.from(hex, 'hex').toString('base64') : undefined;
  }
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes.toString('base64') : undefined;
}

/** What identities compare of a presented certificate, derived once per certificate object, not once per identity. */
interface Presented {
  pin: string;
  issuer: string;
  serial: string;
  subject: string;
}

const presentedCache = new WeakMap<X509Certificate, Presented>();

function presented(certificate: X509Certificate): Presented {
  let derived = presentedCache.get(certificate);
  if (!derived) {
    derived = {
      pin: spkiSha256(certificate),
      issuer: canonicalName(certificate.issuer),
      serial: canonicalSerial(certificate.serialNumber),
      subject: canonicalName(certificate.subject),
    };
    presentedCache.set(certificate, derived);
  }
  return derived;
}

/** One registered identity: answers whether a presented (already trusted) certificate is it. */
export class CertificateIdentity {
  private constructor(
    private readonly test: (certificate: Presented) => boolean,
    private readonly description: string,
    /** The certificate itself, for a registration by file (the inventory lists its issuer, serial and expiry). */
    readonly certificate?: X509Certificate,
  ) {}

  static ofPin(pin: string): CertificateIdentity {
    return new CertificateIdentity((c) => c.pin === pin, `SPKI sha256 ${pin}`);
  }

  static ofIssuerSerial(issuer: string, serial: string): CertificateIdentity {
    const i = canonicalName(issuer);
    const s = canonicalSerial(serial);
    return new CertificateIdentity((c) => c.issuer === i && c.serial === s, `issuer "${issuer}" serial ${s}`);
  }

  static ofIssuerSubject(issuer: string, subject: string): CertificateIdentity {
    const i = canonicalName(issuer);
    const s = canonicalName(subject);
    return new CertificateIdentity((c) => c.issuer === i && c.subject === s, `issuer "${issuer}" subject "${subject}"`);
  }

  /** Exactly this certificate: same issuer and serial, same key. */
  static ofCertificate(certificate: X509Certificate, origin: string): CertificateIdentity {
    const own = presented(certificate);
    return new CertificateIdentity((c) => c.issuer === own.issuer && c.serial === own.serial && c.pin === own.pin, `certificate ${origin}`, certificate);
  }

  matches(certificate: X509Certificate): boolean {
    return this.test(presented(certificate));
  }

  describe(): string {
    return this.description;
  }
}

/** How a certificate is named in messages and logs: issuer, subject and serial, never key material. */
export function describeCertificate(certificate: X509Certificate): string {
  return `subject "${certificate.subject.split('\n').join(',')}" issuer "${certificate.issuer.split('\n').join(',')}" serial ${certificate.serialNumber}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function resolveFile(file: string, pkiDir: string, baseDir: string | undefined): string {
  if (file.startsWith('pki:')) return path.resolve(pkiDir, file.slice(4));
  return path.resolve(baseDir ?? process.cwd(), file);
}

export interface CertificateRegistrationOptions {
  /** Where `pki:` file references point (PKI_DIR). */
  pkiDir: string;
  /** Where relative file references point (the folder of the configuration file). */
  baseDir?: string;
}

/**
 * Parses a JSON array of registrations. Never throws on bad input: returns the identities it could build and one
 * problem per bad entry, each naming `where` and the index.
 */
export function parseCertificateRegistrations(
  value: unknown,
  where: string,
  options: CertificateRegistrationOptions,
): { identities: CertificateIdentity[]; problems: string[] } {
  const identities: CertificateIdentity[] = [];
  const problems: string[] = [];
  if (!Array.isArray(value)) return { identities, problems: [`${where}: must be an array of certificate registrations`] };
  value.forEach((entry, index) => {
    const at = `${where}[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${at}: must be an object with spkiSha256, issuer + serial, issuer + subject, or file`);
      return;
    }
    const keys = Object.keys(entry).filter((k) => k !== '$comment').sort().join('+');
    if (keys === 'spkiSha256' && nonEmpty(entry.spkiSha256)) {
      const pin = canonicalPin(entry.spkiSha256);
      if (pin) identities.push(CertificateIdentity.ofPin(pin));
      else problems.push(`${at}.spkiSha256: must be a SHA-256 digest (32 bytes, base64 or hex)`);
    } else if (keys === 'issuer+serial' && nonEmpty(entry.issuer) && nonEmpty(entry.serial)) {
      if (/^[0-9a-fA-F:\s]+$/.test(entry.serial)) identities.push(CertificateIdentity.ofIssuerSerial(entry.issuer, entry.serial));
      else problems.push(`${at}.serial: must be hexadecimal`);
    } else if (keys === 'issuer+subject' && nonEmpty(entry.issuer) && nonEmpty(entry.subject)) {
      identities.push(CertificateIdentity.ofIssuerSubject(entry.issuer, entry.subject));
    } else if (keys === 'file' && nonEmpty(entry.file)) {
      const file = resolveFile(entry.file, options.pkiDir, options.baseDir);
      try {
        identities.push(CertificateIdentity.ofCertificate(new X509Certificate(fs.readFileSync(file)), entry.file));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not a PEM certificate';
        problems.push(`${at}.file: ${reason} (${entry.file})`);
      }
    } else {
      problems.push(`${at}: must have exactly one of spkiSha256, issuer + serial, issuer + subject, or file (non-empty strings)`);
    }
  });
  return { identities, problems };
}
