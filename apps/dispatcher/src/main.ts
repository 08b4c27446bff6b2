import 'reflect-metadata';
import { runApp, startHttpApp } from '@korpu/platform';
import { loadDispatcherConfig } from './dispatcher.config';
import { DispatcherModule } from './dispatcher.module';

runApp('dispatcher', async () => {
  const config = loadDispatcherConfig(process.env);
  // The dispatcher's HTTP side serves only /health and /ready.
  await startHttpApp(DispatcherModule.forRoot(config), {
    name: 'dispatcher',
    host: config.host,
    port: config.port,
    maxBodyBytes: 64 * 1024,
  });
});
