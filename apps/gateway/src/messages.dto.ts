import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AcceptedDto {
  @ApiProperty() messageId!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ enum: ['claimed', 'accepted', 'dispatched', 'delivered', 'replied', 'retrying', 'failed'] }) status!: string;
  @ApiProperty() statusUrl!: string;
}

export class ExchangeReplyDto {
  @ApiProperty() messageId!: string;
  @ApiProperty() replyMessageId!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() messageType!: string;
  @ApiProperty() schemaVersion!: string;
  @ApiProperty({ description: 'The partner\'s reply: a JSON value, or an XML document as a string' }) payload!: unknown;
}

class MessageEventDto {
  @ApiProperty() status!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) detail?: Record<string, unknown>;
}

/** GET /v1/messages/{id}: the message's status, history and, once replied, the partner's reply. */
export class MessageRecordDto {
  @ApiProperty() messageId!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() client!: string;
  @ApiProperty() service!: string;
  @ApiProperty() messageType!: string;
  @ApiProperty() schemaVersion!: string;
  @ApiProperty() direction!: string;
  @ApiProperty({ enum: ['claimed', 'accepted', 'dispatched', 'delivered', 'replied', 'retrying', 'failed'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: [MessageEventDto] }) history!: MessageEventDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The partner\'s reply: messageId, messageType, schemaVersion, contentType, payload' })
  reply?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Why it failed: code and message' })
  error?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The message\'s OpenTelemetry trace id (32 hex digits), when tracing is on' }) traceId?: string;
}
