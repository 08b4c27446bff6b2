import * as path from 'node:path';
import { repoRoot, startTestKafkaTls, stopAllApps, stopTestKafkaTls } from '@korpu/testing';
import { ensureDevPki } from '../../certs-dev/dev-pki';
import { Stack, api, startStack } from '../support/stack';

/**
 * The apps as processes against a broker whose client listener is SASL_SSL (kafka.sh KAFKA_TLS=1, a port and data
 * folder of its own; the shared test broker stays SASL_PLAINTEXT): the stack passes KAFKA_SSL=true and the dev trust
 * bundle as KAFKA_SSL_CA_FILE, as `KAFKA_TLS=1 npm start` does, and provisions over TLS.
 */
let stack: Stack | undefined;

beforeAll(async () => {
  const pki = await ensureDevPki(path.join(repoRoot, 'certs-dev/out'));
  const { brokers } = await startTestKafkaTls('none');
  stack = await startStack({ exchangeTimeoutMs: 8000, kafka: { brokers, tls: { caFile: pki.trustBundle } } });
}, 240000);

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
  await stopTestKafkaTls();
}, 120000);

describe('the apps over SASL_SSL', () => {
  it('answers an exchange through gateway → Kafka (TLS) → dispatcher → partner → Kafka (TLS) → gateway', async () => {
    const response = await api(stack as Stack, 'POST', '/v1/exchange', {
      service: 'tax-service/GetTaxpayer',
      messageType: 'taxpayer-lookup-request',
      schemaVersion: '1',
      payload: { voen: '1400057421' },
    });
    expect(response.status).toBe(200);
    expect(response.body.payload).toMatchObject({ voen: '1400057421', status: 'ACTIVE' });
    expect((stack as Stack).env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_BROKERS: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  });
});
