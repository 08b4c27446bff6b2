import { Injectable } from '@nestjs/common';
import { InboundMetaservices, RestMetaserviceAnswer, SoapMetaserviceAnswer } from '@korpu/inbound';
import { parseXmlSafe, XRoadNs, XRoadServiceId } from '@korpu/xroad';
import { AllowedMethodsCommand } from '../allowed-methods/allowed-methods.command';
import { AllowedMethodsUseCase } from '../allowed-methods/allowed-methods.usecase';
import { GetServiceDescriptionCommand } from '../get-service-description/get-service-description.command';
import { GetServiceDescriptionUseCase } from '../get-service-description/get-service-description.usecase';
import { ListClientsUseCase } from '../list-clients/list-clients.usecase';
import { ListMethodsCommand } from '../list-methods/list-methods.command';
import { ListMethodsUseCase } from '../list-methods/list-methods.usecase';
import { RestMetaservices } from './rest-metaservices';
import { SOAP_METASERVICES, SoapMetaservice, soapClientList, soapGetWsdlResponse, soapServiceList } from './xroad-metaservice.shapes';

/** The text of `xrd:serviceCode` in a getWsdl request body, if any. */
function requestedServiceCode(payload: string): string | undefined {
  const element = parseXmlSafe(payload).getElementsByTagNameNS(XRoadNs.XROAD, 'serviceCode').item(0);
  return element?.textContent ?? undefined;
}

/**
 * The metaservices at the partner endpoint (the inbound admission's InboundMetaservices): over SOAP, a signed
 * X-Road request whose xrd:service names the provider subsystem and the metaservice as serviceCode (body
 * `<xrd:listMethods/>`, `<xrd:allowedMethods/>`, `<xrd:getWsdl><xrd:serviceCode>…</xrd:serviceCode></xrd:getWsdl>`,
 * and `<xrd:listClients/>`); over REST, a signed GET of the PR-MREST paths. SOAP lists SOAP services, REST REST ones.
 */
@Injectable()
export class PartnerMetaservices extends InboundMetaservices {
  constructor(
    private readonly clients: ListClientsUseCase,
    private readonly methods: ListMethodsUseCase,
    private readonly allowed: AllowedMethodsUseCase,
    private readonly descriptions: GetServiceDescriptionUseCase,
    private readonly rest: RestMetaservices,
  ) {
    super();
  }

  isMetaservice(serviceCode: string): boolean {
    return SOAP_METASERVICES.has(serviceCode);
  }

  async answerSoap(call: { clientId: string; service: XRoadServiceId; payload: string }): Promise<SoapMetaserviceAnswer> {
    const { serviceCode, serviceVersion: _version, ...provider } = call.service;
    const metaservice = serviceCode as SoapMetaservice;
    switch (metaservice) {
      case 'listClients':
        return { payload: soapClientList(this.clients.execute()) };
      case 'listMethods':
        return { payload: soapServiceList(metaservice, this.methods.execute(ListMethodsCommand.create({ provider, protocol: 'soap' }))) };
      case 'allowedMethods':
        return { payload: soapServiceList(metaservice, await this.allowed.execute(AllowedMethodsCommand.create({ clientId: call.clientId, provider, protocol: 'soap' }))) };
      case 'getWsdl': {
        const command = GetServiceDescriptionCommand.create({ provider, serviceCode: requestedServiceCode(call.payload), kind: 'wsdl' });
        const wsdl = this.descriptions.execute(command);
        return { payload: soapGetWsdlResponse(command.serviceCode), attachment: { contentType: wsdl.contentType, body: wsdl.document } };
      }
    }
  }

  answerRest(call: { clientId: string; target: string }): Promise<RestMetaserviceAnswer> {
    return this.rest.answer({ ...call, protocol: 'rest' });
  }
}
