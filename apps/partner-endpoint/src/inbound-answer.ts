import { deprecationHeaders } from '@korpu/platform';
import type { InboundAnswer } from '@korpu/inbound';

export interface RequestLike {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: { socket: unknown };
}

export interface ReplyLike {
  /** Fastify's request of this reply: the HTTP metrics read the `service` label from it (korpuService). */
  request?: object;
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/** Writes an admission use case's signed answer (SOAP and REST alike), with Deprecation/Warning where due. */
export function sendAnswer(reply: ReplyLike, answer: InboundAnswer): void {
  // Only an answered call names its service: refusals keep `none`, so callers cannot grow the label set.
  if (answer.service && reply.request) (reply.request as { korpuService?: string }).korpuService = answer.service;
  for (const [name, value] of Object.entries({ ...deprecationHeaders(answer.warnings), ...answer.headers })) reply.header(name, value);
  reply.status(200).header('content-type', answer.contentType).send(answer.body);
}
