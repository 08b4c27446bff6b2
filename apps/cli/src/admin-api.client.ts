import * as https from 'node:https';

/** A problem+json refusal of the admin API, or a transport failure (status 0). */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The admin API over HTTPS (the gateway's admin listener), as an operator: `Authorization: Bearer <session or
 * service token>`. The server certificate is checked against `ca` (or the system's CAs); nothing else is trusted.
 */
export class AdminApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly ca: Buffer | undefined,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30000,
  ) {
    if (!/^https:\/\//i.test(baseUrl)) throw new AdminApiError(0, 'CLI_USAGE', `the admin URL must be https:// (got ${baseUrl})`);
  }

  async json<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const answer = await this.request(method, path, body, headers);
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  }

  async request(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiAnswer> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const answer = await new Promise<ApiAnswer>((resolve, reject) => {
      const request = https.request(
        url,
        {
          method,
          ca: this.ca,
          timeout: this.timeoutMs,
          headers: {
            ...extraHeaders,
            accept: 'application/json, application/problem+json, text/csv, application/x-ndjson',
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(payload);
    }).catch((error: Error) => {
      throw new AdminApiError(0, 'CLI_UNREACHABLE', `${url.origin} did not answer: ${error.message}`);
    });
    if (answer.status >= 400) {
      let problem: Record<string, unknown> | undefined;
      try {
        problem = JSON.parse(answer.text) as Record<string, unknown>;
      } catch {
        problem = undefined;
      }
      throw new AdminApiError(answer.status, String(problem?.code ?? `HTTP_${answer.status}`), String(problem?.detail ?? answer.text.slice(0, 300)), problem);
    }
    return answer;
  }
}
