/**
 * JSON Schema of type.json. schemas/type.schema.json is a copy for editors (a spec keeps the two equal).
 */
export const TYPE_DESCRIPTOR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:korpu:schemas:meta:type-descriptor',
  title: 'Körpü message type descriptor (schemas/<message-type>/type.json)',
  type: 'object',
  additionalProperties: false,
  required: ['owner', 'description', 'format', 'compatibility', 'versions'],
  properties: {
    $schema: {
      type: 'string',
    },
    owner: {
      type: 'string',
      minLength: 1,
      description: 'Agency (and unit) that owns the message contract.',
    },
    description: {
      type: 'string',
      minLength: 1,
    },
    format: {
      enum: ['json', 'xml'],
    },
    compatibility: {
      enum: ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'],
    },
    carriedBy: {
      type: 'string',
      description:
        "Free text: the partner operation that carries this message, e.g. 'SOAP GetPensionEntitlement (State Social Protection Fund)'.",
    },
    versions: {
      type: 'object',
      minProperties: 1,
      propertyNames: {
        pattern: '^[1-9][0-9]{0,3}$',
      },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: {
          status: {
            enum: ['active', 'deprecated', 'retired'],
          },
          sunset: {
            type: 'string',
            format: 'date',
            description: 'Date after which a deprecated version will be retired.',
          },
          successor: {
            type: 'string',
            pattern: '^[1-9][0-9]{0,3}$',
          },
          note: {
            type: 'string',
          },
        },
      },
    },
  },
} as const;
