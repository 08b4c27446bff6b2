import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SchemaException } from '../schema.exception';
import { MessageTypeSummary, SchemaRegistry } from '../registry/schema-registry';

export interface SchemaCatalogDto {
  types: MessageTypeSummary[];
}

/**
 * Read-only catalogue of the message schemas: partners and internal teams download the exact schema a message is
 * checked against. Public by design (schemas hold no personal data); the app decides whether to guard it.
 */
@Controller('v1/schemas')
export class SchemasController {
  constructor(private readonly registry: SchemaRegistry) {}

  @Get()
  list(): SchemaCatalogDto {
    return { types: this.registry.listTypes() };
  }

  @Get(':type/:version')
  download(
    @Param('type') type: string,
    @Param('version') version: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const document = this.registry.findSchemaDocument(type, version);
    if (!document) {
      const known = this.registry.getMessageType(type);
      if (!known) throw SchemaException.unknownType(type, 404);
      throw SchemaException.unknownVersion(
        type,
        version,
        known.versions.map((v) => v.version),
        404,
      );
    }
    reply
      .header('etag', document.etag)
      .header('cache-control', 'public, max-age=300')
      .header('content-disposition', `inline; filename="${type}.${document.fileName}"`);
    if (ifNoneMatch === document.etag) {
      void reply.status(304).send();
      return;
    }
    void reply.type(`${document.mediaType}; charset=utf-8`).send(document.source);
  }
}
