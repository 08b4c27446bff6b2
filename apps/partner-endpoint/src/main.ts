import 'reflect-metadata';
import * as fs from 'node:fs';
import { runApp, startHttpApp } from '@korpu/platform';
import { RecordInboundRejectionUseCase } from '@korpu/inbound';
import { configureXmlLimits } from '@korpu/xml';
import { PartnerEndpointErrorFilter } from './partner-endpoint-error.filter';
import { loadPartnerEndpointConfig } from './partner-endpoint.config';
import { PartnerEndpointModule } from './partner-endpoint.module';

runApp('partner-endpoint', process.env, async (env) => {
  const config = loadPartnerEndpointConfig(env);
  configureXmlLimits(config.xml);
  await startHttpApp(PartnerEndpointModule.forRoot(config), {
    name: 'partner-endpoint',
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    // SOAP Faults under /soap whatever refuses the request, problem+json elsewhere; HTTP-level refusals recorded.
    errorFilter: (app) => new PartnerEndpointErrorFilter(app.get(RecordInboundRejectionUseCase, { strict: false })),
    textContentTypes: ['text/xml', 'application/xml', 'application/soap+xml'],
    https:
      config.tls.mode === 'off'
        ? undefined
        : {
            key: fs.readFileSync(config.tls.keyFile),
            cert: fs.readFileSync(config.tls.certFile),
            ca: fs.readFileSync(config.tls.clientCaFile),
            requestCert: true,
          },
    openApi: {
      title: 'Körpü partner endpoint',
      description: 'Services of the Ministry of Labour and Social Protection for the e-Government portal and partner agencies. SOAP: POST /soap (WSDL at GET /soap?wsdl).',
      version: '1',
    },
  });
});
