import { createHash } from 'node:crypto';

/** xrd:requestHash: base64 SHA-512 of the request SOAP message exactly as it travelled (its bytes). */
export function requestHash(requestXml: string | Buffer): string {
  return createHash('sha512').update(requestXml).digest('base64');
}
