import 'reflect-metadata';
import * as fs from 'node:fs';
import { runApp, startHttpApp } from '@korpu/platform';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

runApp('gateway', process.env, async (env) => {
  const config = loadGatewayConfig(env);
  const serverTls = (tls: { certFile: string; keyFile: string }) => ({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) });
  await startHttpApp(GatewayModule.forRoot(config), {
    name: 'gateway',
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    // Subsystems authenticate with their TLS client certificate (ClientAuthGuard decides per request, in problem+json).
    https: {
      ...serverTls(config.tls),
      ca: fs.readFileSync(config.tls.clientCaFile),
      crl: config.tls.clientCrlFiles.map((file) => fs.readFileSync(file)),
      requestCert: true,
    },
    adminListener: {
      host: config.admin.host,
      port: config.admin.port,
      https: config.admin.tls ? serverTls(config.admin.tls) : undefined,
      paths: ['/v1/admin', '/console'],
      sharedPaths: ['/health', '/ready', '/metrics'],
    },
    openApi: {
      title: 'Körpü internal API',
      description:
        'Subsystems of the ministry exchange messages with partner agencies and the e-Government portal. HTTPS with a TLS client certificate issued to the subsystem (see docs/subsystems.md).',
      version: '1',
    },
  });
});
