import 'reflect-metadata';
import { runApp, startHttpApp } from '@korpu/platform';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

runApp('gateway', async () => {
  const config = loadGatewayConfig(process.env);
  await startHttpApp(GatewayModule.forRoot(config), {
    name: 'gateway',
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    openApi: {
      title: 'Körpü internal API',
      description: 'Subsystems of the ministry exchange messages with partner agencies and the e-Government portal.',
      version: '1',
    },
  });
});
