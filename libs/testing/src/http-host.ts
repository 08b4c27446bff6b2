import type { ArgumentsHost } from '@nestjs/common';

/** What an exception filter wrote on the reply: status, headers (lower-case names) and body. */
export interface SentReply {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** An HTTP ArgumentsHost for an exception filter's unit spec: the request it sees, and the reply it wrote. */
export function httpFilterHost(request: Record<string, unknown>): { host: ArgumentsHost; sent: SentReply } {
  const sent: SentReply = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { host, sent };
}
