import Fastify, { FastifyInstance } from 'fastify';
import { runApp } from '@korpu/platform';
import { SimulatorControls } from './simulator-controls';
import { SimulatorName, loadSimulatorsConfig } from './simulators.config';
import { registerTaxService } from './tax-service/tax-service.simulator';

const registrations: Record<SimulatorName, (app: FastifyInstance, controls: SimulatorControls) => void> = {
  'tax-service': registerTaxService,
};

/** Partner simulators, each on its own port, speaking real HTTP; SIMULATORS picks which run. */
runApp('simulators', async () => {
  const config = loadSimulatorsConfig(process.env);
  const servers: FastifyInstance[] = [];
  for (const name of config.enabled) {
    const app = Fastify({ logger: false });
    registrations[name](app, new SimulatorControls());
    const address = await app.listen({ host: config.host, port: config.ports[name] });
    servers.push(app);
    // One line per simulator, parsed by the launcher and the e2e tests.
    process.stdout.write(`simulator ${name} listening on ${address}\n`);
  }
  const stop = () => void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
