import { Body, Controller, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthenticatedClient, ClientAuthGuard } from '@korpu/access';
import {
  ExchangeMessageUseCase,
  GetMessageStatusUseCase,
  SUBMIT_MESSAGE_SCHEMA,
  SubmitMessageCommand,
  SubmitMessageUseCase,
} from '@korpu/exchange';
import { isKorpuException } from '@korpu/errors';
import { MESSAGE_ID_PATTERN } from '@korpu/envelope';
import { ApiProblems, deprecationHeaders } from '@korpu/platform';
import { MessageRecord } from '@korpu/tracking';
import { AcceptedDto, ExchangeReplyDto, MessageRecordDto } from './messages.dto';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';

interface Reply {
  /** The request this answers (Fastify's reply.request): the metrics read the service label from it. */
  readonly request: unknown;
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

function setWarnings(reply: Reply, warnings: string[]): void {
  for (const [name, value] of Object.entries(deprecationHeaders(warnings))) reply.header(name, value);
}

const AUTH_PROBLEMS = {
  401: 'CLIENT_UNAUTHENTICATED: no TLS client certificate, an untrusted one, or one registered for no client',
  403: 'CLIENT_MISMATCH: X-Road-Client names another client than the certificate\'s',
};

const SUBMIT_PROBLEMS = {
  ...AUTH_PROBLEMS,
  400: 'REQUEST_INVALID (`problems` lists each), REQUEST_MALFORMED (not JSON), SCHEMA_UNKNOWN_VERSION',
  403: 'CLIENT_MISMATCH, ACCESS_DENIED (no right to the service), CLIENT_DISABLED',
  404: 'SERVICE_UNKNOWN: no partner offers the service',
  409: 'MESSAGE_ID_CONFLICT (the id was used by another client or service), MESSAGE_IN_PROGRESS (retry shortly)',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body must be application/json',
  422: 'SCHEMA_VALIDATION_FAILED (`violations`), MESSAGE_TYPE_MISMATCH, SCHEMA_VERSION_RETIRED',
  503: 'BROKER_UNAVAILABLE: not accepted, send it again with the same messageId',
};

/** The internal API of the ministry's subsystems. */
@ApiTags('messages')
@ApiHeader({
  name: 'X-Road-Client',
  required: false,
  description: 'Optional: the calling subsystem (e.g. MLSP/pensions); if sent it must be the client the TLS client certificate belongs to',
})
@UseGuards(ClientAuthGuard)
@Controller('v1')
export class MessagesController {
  constructor(
    private readonly submit: SubmitMessageUseCase,
    private readonly exchange: ExchangeMessageUseCase,
    private readonly status: GetMessageStatusUseCase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post('messages')
  @ApiOperation({ summary: 'Submit a message for a partner; answers once Kafka holds it' })
  @ApiBody({ schema: SUBMIT_MESSAGE_SCHEMA })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiOkResponse({ type: AcceptedDto, description: 'The message id was submitted before: its current status' })
  @ApiProblems({ ...SUBMIT_PROBLEMS })
  async submitMessage(
    @AuthenticatedClient() client: string,
    @Body() body: unknown,
    @Res() reply: Reply,
  ): Promise<void> {
    const command = SubmitMessageCommand.create({ client, body });
    const result = await labelService(reply, command, () => this.submit.execute(command));
    setWarnings(reply, result.warnings);
    const statusUrl = `/v1/messages/${result.messageId}`;
    reply
      .status(result.duplicate ? 200 : 202)
      .header('location', statusUrl)
      .send({ messageId: result.messageId, correlationId: result.correlationId, status: result.status, statusUrl });
  }

  @Post('exchange')
  @ApiOperation({ summary: 'Send a message and wait for the partner\'s reply (504 with the message id when late)' })
  @ApiBody({ schema: SUBMIT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: ExchangeReplyDto })
  @ApiProblems({
    ...SUBMIT_PROBLEMS,
    502: 'EXCHANGE_FAILED: the partner refused or failed for good (`cause` names how)',
    503: 'BROKER_UNAVAILABLE (not accepted, send it again with the same messageId), EXCHANGE_OVERLOADED (too many exchanges wait for a reply, towards this partner (`scope` partner), of this client towards it (`scope` client) or in all (`scope` gateway): nothing accepted; Retry-After)',
    504: 'REPLY_TIMEOUT: no reply in time; the exchange goes on (`messageId`, `statusUrl`)',
  })
  async exchangeMessage(
    @AuthenticatedClient() client: string,
    @Body() body: unknown,
    @Res() reply: Reply,
  ): Promise<void> {
    const command = SubmitMessageCommand.create({ client, body });
    const result = await labelService(reply, command, () => this.exchange.execute(command, this.config.exchangeTimeoutMs));
    setWarnings(reply, result.warnings);
    const { warnings, payload, contentType, ...rest } = result;
    reply.status(200).send({ ...rest, payload: contentType === 'application/json' ? JSON.parse(payload) : payload });
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'Status and history of a message (only its sender may read it)' })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: MESSAGE_ID_PATTERN.source } })
  @ApiOkResponse({ type: MessageRecordDto })
  @ApiProblems({
    ...AUTH_PROBLEMS,
    404: 'MESSAGE_NOT_FOUND: no such message, or another client sent it (not told apart)',
    414: 'URI_TOO_LONG: the id is longer than any message id',
  })
  async getMessage(@AuthenticatedClient() client: string, @Param('id') id: string): Promise<MessageRecord> {
    return this.status.execute(id, client);
  }
}

/**
 * Names the service on the request for the HTTP metrics (`service` label) once it is known to be a registered one:
 * after the use case answered, or failed on the partner's side (5xx: the service was found and allowed first).
 * Refusals before that (unknown service, no access, bad body) keep `none`, so callers cannot grow the label set.
 */
async function labelService<T>(reply: Reply, command: SubmitMessageCommand, run: () => Promise<T>): Promise<T> {
  const mark = () => {
    (reply.request as unknown as { korpuService?: string }).korpuService = `${command.service.partner}/${command.service.operation}`;
  };
  try {
    const result = await run();
    mark();
    return result;
  } catch (error) {
    if (isKorpuException(error) && error.status >= 500) mark();
    throw error;
  }
}
