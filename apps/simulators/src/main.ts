import Fastify, { FastifyInstance } from 'fastify';
import { runApp } from '@korpu/platform';
import { registerEgovPortal } from './egov-portal/egov-portal.simulator';
import { registerMinistrySubsystem } from './ministry-subsystem/ministry-subsystem.simulator';
import { registerPopulationRegistry } from './population-registry/population-registry.simulator';
import { SimulatorControls } from './simulator-controls';
import { SimulatorRegistration, simulatorContext } from './simulator-context';
import { simulatorHttpsOptions, verifiedTlsClientName } from './simulator-tls';
import { SimulatorName, loadSimulatorsConfig } from './simulators.config';
import { registerTaxService } from './tax-service/tax-service.simulator';

const registrations: Record<SimulatorName, SimulatorRegistration> = {
  'tax-service': async (app, context) =>
    registerTaxService(app, context.controls, await context.signature('tax-service-rsa'), await context.signature('population-registry-rsa')),
  'population-registry': registerPopulationRegistry,
  'ministry-subsystem': registerMinistrySubsystem,
  'egov-portal': registerEgovPortal,
};

/**
 * Partner simulators, each on its own port, speaking real HTTP, or HTTPS with client certificates where
 * `<NAME>_TLS` says so; SIMULATORS picks which run.
 */
runApp('simulators', process.env, async (env) => {
  const config = loadSimulatorsConfig(env);
  const servers: FastifyInstance[] = [];
  for (const name of config.enabled) {
    const https = simulatorHttpsOptions(config.tls.modes[name], config.tls);
    // The HTTPS flavour of Fastify differs from the HTTP one only in its server type.
    const app = (https ? Fastify({ logger: false, https }) : Fastify({ logger: false })) as unknown as FastifyInstance;
    const controls = new SimulatorControls();
    if (https) app.addHook('onRequest', async (request) => controls.noteTlsClient(verifiedTlsClientName(request.raw.socket)));
    await registrations[name](app, simulatorContext(config, controls));
    const address = await app.listen({ host: config.host, port: config.ports[name] });
    servers.push(app);
    // One line per simulator, parsed by the launcher and the e2e tests.
    process.stdout.write(`simulator ${name} listening on ${address}\n`);
  }
  const stop = () => void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
