import { Body, Controller, Get, Headers, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ExchangeMessageUseCase,
  GetMessageStatusUseCase,
  SubmitMessageCommand,
  SubmitMessageUseCase,
} from '@korpu/exchange';
import { deprecationHeaders } from '@korpu/platform';
import { MessageRecord } from '@korpu/tracking';
import { AcceptedDto, ExchangeReplyDto, SubmitMessageDto } from './messages.dto';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

const CLIENT_HEADER = 'x-road-client';

function setWarnings(reply: Reply, warnings: string[]): void {
  for (const [name, value] of Object.entries(deprecationHeaders(warnings))) reply.header(name, value);
}

/** The internal API of the ministry's subsystems. */
@ApiTags('messages')
@ApiHeader({ name: 'X-Road-Client', required: true, description: 'The calling subsystem, e.g. MLSP/pensions' })
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
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiOkResponse({ description: 'The message id was submitted before: its current status' })
  async submitMessage(
    @Headers(CLIENT_HEADER) client: string | undefined,
    @Body() body: SubmitMessageDto,
    @Res() reply: Reply,
  ): Promise<void> {
    const result = await this.submit.execute(SubmitMessageCommand.create({ client, body }));
    setWarnings(reply, result.warnings);
    const statusUrl = `/v1/messages/${result.messageId}`;
    reply
      .status(result.duplicate ? 200 : 202)
      .header('location', statusUrl)
      .send({ messageId: result.messageId, correlationId: result.correlationId, status: result.status, statusUrl });
  }

  @Post('exchange')
  @ApiOperation({ summary: 'Send a message and wait for the partner\'s reply (504 with the message id when late)' })
  @ApiOkResponse({ type: ExchangeReplyDto })
  async exchangeMessage(
    @Headers(CLIENT_HEADER) client: string | undefined,
    @Body() body: SubmitMessageDto,
    @Res() reply: Reply,
  ): Promise<void> {
    const result = await this.exchange.execute(SubmitMessageCommand.create({ client, body }), this.config.exchangeTimeoutMs);
    setWarnings(reply, result.warnings);
    const { warnings, payload, contentType, ...rest } = result;
    reply.status(200).send({ ...rest, payload: contentType === 'application/json' ? JSON.parse(payload) : payload });
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'Status and history of a message' })
  async getMessage(@Headers(CLIENT_HEADER) client: string | undefined, @Param('id') id: string): Promise<MessageRecord> {
    return this.status.execute(id, client);
  }
}
