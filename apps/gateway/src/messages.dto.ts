import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI description of the submit/exchange body; validation itself is SubmitMessageCommand's. */
export class SubmitMessageDto {
  @ApiProperty({ example: 'tax-service/GetTaxpayer', description: 'partner/operation, as onboarded in contracts/' })
  service!: string;

  @ApiPropertyOptional({ example: 'taxpayer-lookup-request', description: 'Defaults to the operation\'s request type' })
  messageType?: string;

  @ApiPropertyOptional({ example: '1', description: 'Schema version the payload follows; defaults to the operation\'s' })
  schemaVersion?: string;

  @ApiProperty({
    example: { voen: '1400057421' },
    description: 'A JSON object, or for SOAP partners an XML document as a string',
    oneOf: [{ type: 'object' }, { type: 'string' }],
  })
  payload!: unknown;

  @ApiPropertyOptional({ description: 'Your own id for the message: sending the same id again returns the first result' })
  messageId?: string;

  @ApiPropertyOptional()
  correlationId?: string;

  @ApiPropertyOptional({ description: 'The person on whose behalf the subsystem acts (X-Road userId)' })
  userId?: string;
}

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
