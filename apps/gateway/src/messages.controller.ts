import { Body, Controller, Get, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthenticatedClient, ClientAuthGuard } from '@korpu/access';
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

function setWarnings(reply: Reply, warnings: string[]): void {
  for (const [name, value] of Object.entries(deprecationHeaders(warnings))) reply.header(name, value);
}

/** The internal API of the ministry's subsystems. */
@ApiTags('messages')
@ApiHeader({
  name: 'X-Road-Client',
  required: false,
  description: 'Optional: the calling subsystem (e.g. MLSP/pensions); if sent it must be the client the TLS client certificate belongs to',
})
@ApiUnauthorizedResponse({ description: 'CLIENT_UNAUTHENTICATED: no TLS client certificate, an untrusted one, or one registered for no client' })
@ApiForbiddenResponse({ description: 'CLIENT_MISMATCH: X-Road-Client names another client; ACCESS_DENIED: no right to the service' })
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
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiOkResponse({ description: 'The message id was submitted before: its current status' })
  async submitMessage(
    @AuthenticatedClient() client: string,
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
    @AuthenticatedClient() client: string,
    @Body() body: SubmitMessageDto,
    @Res() reply: Reply,
  ): Promise<void> {
    const result = await this.exchange.execute(SubmitMessageCommand.create({ client, body }), this.config.exchangeTimeoutMs);
    setWarnings(reply, result.warnings);
    const { warnings, payload, contentType, ...rest } = result;
    reply.status(200).send({ ...rest, payload: contentType === 'application/json' ? JSON.parse(payload) : payload });
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'Status and history of a message (only its sender may read it)' })
  @ApiNotFoundResponse({ description: 'MESSAGE_NOT_FOUND: no such message, or another client sent it' })
  async getMessage(@AuthenticatedClient() client: string, @Param('id') id: string): Promise<MessageRecord> {
    return this.status.execute(id, client);
  }
}
