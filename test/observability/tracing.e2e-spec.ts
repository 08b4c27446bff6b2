import * as fs from 'node:fs';
import { stopAllApps } from '@korpu/testing';
import { closeHttpsAgents } from '../support/https-client';
import { simulator } from '../support/contracts';
import { JaegerSpan, findTraces, getTrace, jaegerPorts, startJaeger } from '../support/jaeger';
import { MonitoringProcess, portOpen } from '../support/monitoring';
import { Stack, api, startStack, waitFor } from '../support/stack';

const OPERATOR_TOKEN = 'e2e-operator-token';

/**
 * Traces as deployed: the apps export OTLP/HTTP to a real Jaeger (built from source by scripts/ensure-jaeger.sh);
 * one message is followed through its Jaeger trace, hop by hop, across the Kafka records' `traceparent` headers.
 */
describe('OpenTelemetry traces through Kafka', () => {
  let stack: Stack;
  let jaeger: ReturnType<typeof startJaeger>;
  let jaegerProcess: MonitoringProcess | undefined;

  beforeAll(async () => {
    for (const port of Object.values(jaegerPorts)) {
      if (await portOpen(port)) throw new Error(`port ${port} is taken: set TEST_JAEGER_OTLP_PORT / TEST_JAEGER_QUERY_PORT / TEST_JAEGER_GRPC_PORT`);
    }
    jaeger = startJaeger();
    jaegerProcess = jaeger.process;
    await waitFor(`Jaeger's query API\n${jaeger.process.output().slice(-3000)}`, async () => ((await fetch(`${jaeger.queryUrl}/api/services`)).ok ? true : undefined));
    stack = await startStack({
      simulators: ['tax-service', 'ministry-subsystem', 'egov-portal'],
      partnerEndpoint: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint, ADMIN_OPERATORS: `${OPERATOR_TOKEN}=aysel.mammadova` },
    });
  });

  afterAll(async () => {
    if (stack) await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"none"}' }).catch(() => undefined);
    await stack?.stop();
    await stopAllApps();
    await jaegerProcess?.stop();
    closeHttpsAgents();
    if (jaeger) fs.rmSync(jaeger.dir, { recursive: true, force: true });
  });

  /** The one trace in which the dispatcher handled `messageId`, once every span listed by `complete` has arrived. */
  async function traceOfMessage(messageId: string, complete: (spans: JaegerSpan[]) => boolean): Promise<JaegerSpan[]> {
    return waitFor(
      `the trace of ${messageId} in Jaeger`,
      async () => {
        const [found] = await findTraces(jaeger.queryUrl, 'korpu-dispatcher', { 'messaging.message.id': messageId });
        if (!found) return undefined;
        const spans = await getTrace(jaeger.queryUrl, found[0].traceId);
        return complete(spans) ? spans : undefined;
      },
      30000,
    );
  }

  const one = (spans: JaegerSpan[], service: string, kind: string, name: RegExp): JaegerSpan => {
    const matching = spans.filter((span) => span.service === service && span.kind === kind && name.test(span.name));
    if (matching.length === 0) throw new Error(`no ${kind} span ${String(name)} of ${service} in\n${spans.map((s) => `${s.service} ${s.kind} ${s.name}`).join('\n')}`);
    return matching[0];
  };

  /** Every hop of one outbound exchange, parent by parent: gateway HTTP → produce → dispatcher consume → partner → reply produce → gateway consume. */
  function expectOutboundChain(spans: JaegerSpan[], route: string): void {
    const prefix = stack.env.KAFKA_TOPIC_PREFIX;
    const http = one(spans, 'korpu-gateway', 'server', new RegExp(`^POST ${route}$`));
    const produce = one(spans, 'korpu-gateway', 'producer', new RegExp(`^send ${prefix}\\.outbound\\.tax-service$`));
    const consume = one(spans, 'korpu-dispatcher', 'consumer', new RegExp(`^process ${prefix}\\.outbound\\.tax-service$`));
    const partner = one(spans, 'korpu-dispatcher', 'client', /^partner tax-service GetTaxpayer$/);
    const replyProduce = one(spans, 'korpu-dispatcher', 'producer', new RegExp(`^send ${prefix}\\.replies$`));
    const replyConsume = one(spans, 'korpu-gateway', 'consumer', new RegExp(`^process ${prefix}\\.replies$`));
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    expect(http.parentSpanId).toBeUndefined();
    expect(produce.parentSpanId).toBe(http.spanId);
    // The Kafka hop: the dispatcher's span is a child of the gateway's producer span, named by the record's traceparent.
    expect(consume.parentSpanId).toBe(produce.spanId);
    expect(partner.parentSpanId).toBe(consume.spanId);
    expect(replyProduce.parentSpanId).toBe(consume.spanId);
    expect(replyConsume.parentSpanId).toBe(replyProduce.spanId);
    expect(partner.tags['korpu.partner']).toBe('tax-service');
    // tax-service signs with JWS: the request is signed and the reply verified inside the partner call.
    const inPartnerCall = spans.filter((span) => span.parentSpanId === partner.spanId).map((span) => span.name);
    expect(inPartnerCall).toEqual(expect.arrayContaining(['sign request', 'verify reply']));
  }

  const complete = (spans: JaegerSpan[]) =>
    ['korpu-gateway:server', 'korpu-gateway:producer', 'korpu-dispatcher:consumer', 'korpu-dispatcher:client', 'korpu-dispatcher:producer', 'korpu-gateway:consumer'].every((hop) =>
      spans.some((span) => `${span.service}:${span.kind}` === hop),
    ) && spans.some((span) => span.name === 'verify reply');

  const lookup = (voen: string) => ({ service: 'tax-service/GetTaxpayer', messageType: 'taxpayer-lookup-request', schemaVersion: '1', payload: { voen } });

  it('follows a synchronous exchange from the internal API through Kafka, the dispatcher and the partner back to the gateway in one trace', async () => {
    const response = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'));
    expect(response.status).toBe(200);
    const spans = await traceOfMessage(response.body.messageId, complete);
    expectOutboundChain(spans, '/v1/exchange');
    // The message's status names the same trace.
    const status = await api(stack, 'GET', `/v1/messages/${response.body.messageId}`);
    expect(status.body.traceId).toBe(spans[0].traceId);
  });

  it('follows an asynchronous submit the same way, and the two messages are two traces', async () => {
    const first = await api(stack, 'POST', '/v1/exchange', lookup('1400057421'));
    const response = await api(stack, 'POST', '/v1/messages', lookup('2900000012'));
    expect(response.status).toBe(202);
    const spans = await traceOfMessage(response.body.messageId, complete);
    expectOutboundChain(spans, '/v1/messages');
    const other = await traceOfMessage(first.body.messageId, complete);
    expect(other[0].traceId).not.toBe(spans[0].traceId);
  });

  it('follows an inbound partner call: partner endpoint → Kafka → subsystem delivery, in one trace', async () => {
    const result = await simulator(stack.simulatorUrls['egov-portal'], '/_sim/call', { operation: 'GetPensionEntitlement', fin: '5ZJBKQ2', transport: 'rest' });
    expect(result).toMatchObject({ httpStatus: 200 });
    const isInboundCall = (span: JaegerSpan) => span.service === 'korpu-partner-endpoint' && span.kind === 'server' && /^POST \/rest/.test(span.name);
    const spans = await waitFor('the inbound trace in Jaeger', async () => {
      for (const found of await findTraces(jaeger.queryUrl, 'korpu-partner-endpoint')) {
        if (!found.some(isInboundCall)) continue;
        const all = await getTrace(jaeger.queryUrl, found[0].traceId);
        if (all.some((span) => span.kind === 'consumer' && span.name.includes('.inbound.'))) return all;
      }
      return undefined;
    });
    const server = spans.find(isInboundCall) as JaegerSpan;
    const produce = spans.find((span) => span.kind === 'producer' && span.parentSpanId === server.spanId);
    expect(produce).toBeDefined();
    const consume = spans.find((span) => span.kind === 'consumer' && span.parentSpanId === produce?.spanId);
    expect(consume).toBeDefined();
    expect(consume?.name).toMatch(new RegExp(`^process ${stack.env.KAFKA_TOPIC_PREFIX}\\.inbound\\.`));
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
  });

  it('names the trace of a failed message in the admin API, and Jaeger holds that trace from the internal API on', async () => {
    await fetch(`${stack.taxServiceUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'invalid-schema', count: 1 }) });
    const submitted = await api(stack, 'POST', '/v1/messages', lookup('1800000011'));
    expect(submitted.status).toBe(202);
    const failed = await waitFor('the failed-message record', async () => {
      const response = await api(stack, 'GET', `/v1/admin/failed-messages/${submitted.body.messageId}`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
      return response.status === 200 ? (response.body as { traceId?: string }) : undefined;
    });
    expect(failed.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await waitFor('the failed message\'s trace in Jaeger', async () => {
      const all = await getTrace(jaeger.queryUrl, failed.traceId as string);
      return all.some((span) => span.service === 'korpu-gateway' && span.kind === 'server') && all.some((span) => span.service === 'korpu-dispatcher' && span.kind === 'client') ? all : undefined;
    });
    expect(one(spans, 'korpu-gateway', 'server', /^POST \/v1\/messages$/).traceId).toBe(failed.traceId);
    expect(one(spans, 'korpu-dispatcher', 'consumer', /\.outbound\.tax-service$/).tags['messaging.message.id']).toBe(submitted.body.messageId);
    // The dispatcher's log lines about the message carry the trace id next to the message id.
    const lines = stack.dispatchers[0].output().split('\n').filter((line) => line.includes(submitted.body.messageId as string));
    expect(lines.some((line) => line.includes(`"traceId":"${failed.traceId as string}"`))).toBe(true);
  });
});
