import type { CrlFetcher } from './crl-fetcher';

export interface HttpCrlFetcherOptions {
  timeoutMs?: number;
  /** Upper bound on a CRL's size; larger answers are refused. */
  maxBytes?: number;
}

/** Fetches CRLs over plain HTTP(S) (CRLs are signed, so HTTP is the norm for distribution points). */
export class HttpCrlFetcher implements CrlFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(options: HttpCrlFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  }

  async fetch(url: string): Promise<Uint8Array> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`unsupported CRL distribution point scheme: ${parsed.protocol}`);
    }
    const response = await fetch(parsed, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
    if (!response.ok) throw new Error(`CRL fetch ${url} answered ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength > this.maxBytes) throw new Error(`CRL at ${url} exceeds ${this.maxBytes} bytes`);
    return body;
  }
}
