import Fastify from 'fastify';
import { MetricsRegistry } from '@korpu/observability';
import { instrumentHttp } from './http-metrics';

// Fastify's inject: requests handled in memory, no socket.
describe('instrumentHttp', () => {
  it('counts requests by route template, client and service, with `none` where the handler named no service', async () => {
    const metrics = new MetricsRegistry();
    const app = Fastify();
    instrumentHttp(app, metrics, 'gateway');
    app.post('/v1/exchange', async (request) => {
      const named = request as unknown as { korpuClient?: string; korpuService?: string };
      named.korpuClient = 'MLSP/pensions';
      if ((request.body as { known?: boolean }).known) named.korpuService = 'tax-service/GetTaxpayer';
      return { ok: true };
    });
    await app.ready();
    await app.inject({ method: 'POST', url: '/v1/exchange', payload: { known: true } });
    await app.inject({ method: 'POST', url: '/v1/exchange', payload: { known: true } });
    await app.inject({ method: 'POST', url: '/v1/exchange', payload: { known: false } });
    await app.inject({ method: 'GET', url: '/v1/messages/01ABC' });
    const text = await metrics.render();
    expect(text).toContain('korpu_http_requests_total{app="gateway",route="/v1/exchange",method="POST",client="MLSP/pensions",service="tax-service/GetTaxpayer",status="200"} 2');
    expect(text).toContain('korpu_http_requests_total{app="gateway",route="/v1/exchange",method="POST",client="MLSP/pensions",service="none",status="200"} 1');
    // An unmatched URL is counted under one route, never under the raw path.
    expect(text).toContain('korpu_http_requests_total{app="gateway",route="unmatched",method="GET",client="none",service="none",status="404"} 1');
    expect(text).not.toContain('01ABC');
    await app.close();
  });
});
