import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthenticatedClient, ClientAuthGuard } from '@korpu/access';
import { RestMetaservices } from '@korpu/metaservices';
import { ApiProblems } from '@korpu/platform';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

const PROBLEMS = {
  400: 'METASERVICE_REQUEST_INVALID (no such metaservice; getOpenAPI / getWsdl without serviceCode)',
  401: 'CLIENT_UNAUTHENTICATED',
  403: 'CLIENT_MISMATCH',
  404: 'METASERVICE_PROVIDER_UNKNOWN, METASERVICE_SERVICE_UNKNOWN',
};

/**
 * X-Road's metaservices for the ministry's subsystems, in the shapes of the Service Metadata Protocol for REST:
 * who the providers are, what each offers, what the calling subsystem may call (its access rights, read on each
 * call), and each service's WSDL or OpenAPI document. Authenticated by TLS client certificate like every route.
 */
@ApiTags('metaservices')
@ApiHeader({ name: 'X-Road-Client', required: false, description: 'Optional: if sent it must be the client the TLS client certificate belongs to' })
@UseGuards(ClientAuthGuard)
@Controller('r1')
export class MetaservicesController {
  constructor(private readonly metaservices: RestMetaservices) {}

  @Get('listClients')
  @ApiOperation({ summary: 'listClients: the X-Road subsystems known here ({"member": [{id, name}]})' })
  @ApiProblems({ 401: PROBLEMS[401], 403: PROBLEMS[403] })
  listClients(@AuthenticatedClient() client: string, @Req() request: { url: string }, @Res() reply: Reply): Promise<void> {
    return this.answer(client, request.url, reply);
  }

  @Get(':xRoadInstance/:memberClass/:memberCode/:subsystemCode/:metaservice')
  @ApiOperation({
    summary: 'listMethods, allowedMethods, getOpenAPI?serviceCode=, getWsdl?serviceCode= of a provider (a partner\'s X-Road subsystem, e.g. AZ/GOV/1400057421/tax-register)',
    description: 'listMethods / allowedMethods answer {"service": [{object_type, xroad_instance, member_class, member_code, subsystem_code, service_code, service_type}]}; getOpenAPI / getWsdl the document itself.',
  })
  @ApiParam({ name: 'metaservice', enum: ['listMethods', 'allowedMethods', 'getOpenAPI', 'getWsdl'] })
  @ApiQuery({ name: 'serviceCode', required: false })
  @ApiProblems(PROBLEMS)
  ofProvider(@AuthenticatedClient() client: string, @Req() request: { url: string }, @Res() reply: Reply): Promise<void> {
    return this.answer(client, request.url, reply);
  }

  private async answer(clientId: string, target: string, reply: Reply): Promise<void> {
    const answer = await this.metaservices.answer({ clientId, target });
    reply.status(200).header('content-type', answer.contentType).send(answer.body);
  }
}
