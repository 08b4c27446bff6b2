import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_CONTENT_SECURITY_POLICY, ConsoleAsset, ConsoleAssets } from '../console-assets';

/**
 * Serves the console's static files. Public on purpose: the files hold no data and no secret; every API call the
 * console makes carries the operator's token and goes through AdminGuard.
 */
@ApiExcludeController()
@Controller('console')
export class AdminConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  index(@Res() reply: FastifyReply): void {
    // The page refers to its files by absolute path, so /console needs no redirect to /console/.
    this.send(reply, this.assets.find('index.html') as ConsoleAsset);
  }

  /** `/console/` (empty name: the page) and `/console/<file>`: only the files read at boot, no sub-folders. */
  @Get('*')
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const name = (request.params as Record<string, string | undefined>)['*'] ?? '';
    const asset = this.assets.find(name === '' ? 'index.html' : name);
    if (!asset) throw new NotFoundException(`No console file "${name}"`);
    this.send(reply, asset);
  }

  private send(reply: FastifyReply, asset: ConsoleAsset): void {
    void reply
      .header('content-type', asset.contentType)
      .header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-cache')
      .send(asset.body);
  }
}
