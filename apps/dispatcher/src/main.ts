import 'reflect-metadata';
import { runApp, startHttpApp } from '@korpu/platform';
import { configureXmlLimits } from '@korpu/xml';
import { loadDispatcherConfig } from './dispatcher.config';
import { DispatcherModule } from './dispatcher.module';

runApp('dispatcher', process.env, async (env) => {
  const config = loadDispatcherConfig(env);
  // Partner replies are XML too: the same limits as the partner endpoint's requests.
  configureXmlLimits(config.xml);
  // The dispatcher's HTTP side serves only /health and /ready.
  await startHttpApp(DispatcherModule.forRoot(config), {
    name: 'dispatcher',
    host: config.host,
    port: config.port,
    maxBodyBytes: 64 * 1024,
  });
});
