import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SimulatorControls } from '../simulator-controls';

/** The answer a real tax register would give for a VÖEN; derived from the number so tests can predict it. */
export function taxpayerFor(voen: string): Record<string, unknown> {
  const legal = voen.endsWith('1');
  return {
    voen,
    taxpayerKind: legal ? 'LEGAL_ENTITY' : 'NATURAL_PERSON',
    name: legal ? `"Körpü Test ${voen.slice(0, 4)}" MMC` : `Taxpayer ${voen.slice(0, 4)}`,
    status: voen.startsWith('9') ? 'SUSPENDED' : 'ACTIVE',
    registeredOn: '2015-03-17',
    vatPayer: legal,
  };
}

/** State Tax Service over REST: POST /v1/taxpayers/lookup with {voen}. */
export function registerTaxService(app: FastifyInstance, controls: SimulatorControls): void {
  controls.register(app);
  app.post('/v1/taxpayers/lookup', async (request: FastifyRequest, reply: FastifyReply) => {
    const messageId = request.headers['x-road-id'] as string | undefined;
    const fault = controls.nextFault();
    switch (fault.mode) {
      case 'down':
      case 'drop-connection':
        request.raw.socket.destroy();
        return reply;
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 2000));
        break;
      case 'server-error':
        return reply.status(503).type('application/problem+json').send({ title: 'Service Unavailable', status: 503 });
      case 'malformed-body':
        return reply.status(200).type('application/json').send('{"voen": "12345');
      case 'invalid-schema':
        return reply.status(200).type('application/json').send({ voen: 'not-a-voen' });
      case 'soap-fault':
      case 'bad-signature':
      case 'none':
        break;
    }
    const remembered = controls.remembered(messageId);
    if (remembered) return reply.status(remembered.status).type(remembered.contentType).send(remembered.body);
    const voen = (request.body as { voen?: unknown } | undefined)?.voen;
    let answer;
    if (typeof voen !== 'string' || !/^[0-9]{9}[12]$/.test(voen)) {
      answer = { status: 400, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Invalid VÖEN', status: 400 }) };
    } else if (voen.startsWith('000')) {
      answer = { status: 404, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Taxpayer not found', status: 404 }) };
    } else {
      answer = { status: 200, contentType: 'application/json', body: JSON.stringify(taxpayerFor(voen)) };
    }
    controls.remember(messageId, answer);
    return reply.status(answer.status).header('x-korpu-schema-version', '1').type(answer.contentType).send(answer.body);
  });
}
