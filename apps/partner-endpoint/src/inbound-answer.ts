import { deprecationHeaders } from '@korpu/platform';
import type { InboundAnswer } from '@korpu/inbound';

export interface RequestLike {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: { socket: unknown };
}

export interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/** Writes an admission use case's signed answer (SOAP and REST alike), with Deprecation/Warning where due. */
export function sendAnswer(reply: ReplyLike, answer: InboundAnswer): void {
  for (const [name, value] of Object.entries({ ...deprecationHeaders(answer.warnings), ...answer.headers })) reply.header(name, value);
  reply.status(200).header('content-type', answer.contentType).send(answer.body);
}
