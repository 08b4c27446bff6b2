import * as http from 'node:http';
import * as https from 'node:https';
import type { OcspClient } from './ocsp-client';

export interface HttpOcspClientOptions {
  /** Whole exchange (connect, send, receive). Default 5000. */
  timeoutMs?: number;
  /** Upper bound on a response's size; larger answers are refused. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * Asks OCSP responders over HTTP(S) with POST `application/ocsp-request` (RFC 6960 appendix A.1).
 * OCSP responses are signed, so plain HTTP is the norm. No redirects are followed.
 */
export class HttpOcspClient implements OcspClient {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(options: HttpOcspClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
  }

  request(url: string, ocspRequest: Uint8Array): Promise<Uint8Array> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return Promise.reject(new Error(`unsupported OCSP responder scheme: ${target.protocol}`));
    }
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise<Uint8Array>((resolve, reject) => {
      const req = transport.request(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/ocsp-request',
            accept: 'application/ocsp-response',
            'content-length': ocspRequest.byteLength,
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`OCSP responder ${url} answered HTTP ${res.statusCode}`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.maxBytes) {
              req.destroy(new Error(`OCSP response from ${url} exceeds ${this.maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
          res.on('error', reject);
        },
      );
      // `timeout` only covers socket inactivity: bound the whole exchange too.
      const deadline = setTimeout(() => req.destroy(new Error(`OCSP responder ${url} timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      deadline.unref();
      req.on('timeout', () => req.destroy(new Error(`OCSP responder ${url} timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.on('close', () => clearTimeout(deadline));
      req.end(Buffer.from(ocspRequest));
    });
  }
}
