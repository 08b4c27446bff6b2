import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InboundCallbackHeader } from '@korpu/inbound';
import { escapeXml, parseXmlSafe } from '@korpu/xroad';
import { acceptXmlBodies, SimulatorRegistration } from '../simulator-context';

const PENSION_NS = 'urn:korpu:pension:entitlement';
const DISABILITY_NS = 'urn:korpu:disability:status';

function sum(fin: string): number {
  return [...fin].reduce((total, ch) => total + ch.charCodeAt(0), 0);
}

/** The pension subsystem's answer, derived from the FIN: FINs starting with 0 have no pension. */
export function pensionEntitlementFor(fin: string, invalid = false): string {
  if (fin.startsWith('0')) return `<p:GetPensionEntitlementResponse xmlns:p="${PENSION_NS}"><p:Fin>${escapeXml(fin)}</p:Fin><p:Entitled>false</p:Entitled></p:GetPensionEntitlementResponse>`;
  const amount = (250 + (sum(fin) % 500)).toFixed(2);
  return (
    `<p:GetPensionEntitlementResponse xmlns:p="${PENSION_NS}"><p:Fin>${escapeXml(fin)}</p:Fin><p:Entitled>true</p:Entitled>` +
    `<p:PensionKind>${invalid ? 'LOTTERY' : 'AGE'}</p:PensionKind><p:MonthlyAmount>${amount}</p:MonthlyAmount><p:AssignedOn>2019-03-01</p:AssignedOn>` +
    `</p:GetPensionEntitlementResponse>`
  );
}

export function disabilityStatusFor(fin: string, invalid = false): string {
  const has = sum(fin) % 2 === 0;
  return (
    `<d:GetDisabilityStatusResponse xmlns:d="${DISABILITY_NS}"><d:Fin>${escapeXml(fin)}</d:Fin><d:HasDisability>${has}</d:HasDisability>` +
    (has ? `<d:Degree>${invalid ? 'DEGREE_9' : 'DEGREE_2'}</d:Degree><d:ValidFrom>2023-01-10</d:ValidFrom><d:Indefinite>true</d:Indefinite>` : '') +
    `</d:GetDisabilityStatusResponse>`
  );
}

const ANSWERS: Record<string, { ns: string; answer: (fin: string, invalid: boolean) => string }> = {
  GetPensionEntitlement: { ns: PENSION_NS, answer: pensionEntitlementFor },
  GetDisabilityStatus: { ns: DISABILITY_NS, answer: disabilityStatusFor },
};

/**
 * A subsystem of the ministry (pensions, disability) answering inbound requests on the HTTP callback it
 * registered with Körpü: POST /callbacks/:owner with the request payload (XML), answered with the reply payload.
 */
export const registerMinistrySubsystem: SimulatorRegistration = (app: FastifyInstance, { controls }) => {
  acceptXmlBodies(app);
  controls.register(app);
  app.post('/callbacks/:owner', async (request: FastifyRequest, reply: FastifyReply) => {
    const messageId = request.headers[InboundCallbackHeader.ID.toLowerCase()] as string | undefined;
    const operation = request.headers[InboundCallbackHeader.OPERATION.toLowerCase()] as string | undefined;
    const fault = await controls.playNextFault(request, reply);
    if (!fault) return reply;
    switch (fault.mode) {
      case 'down':
      case 'drop-connection':
      case 'trickle':
      case 'redirect':
      case 'latency':
        break;
      case 'server-error':
      case 'soap-fault':
        return reply.status(503).type('application/problem+json').send({ title: 'Service Unavailable', status: 503 });
      case 'malformed-body':
        return reply.status(200).type('application/xml').send('<p:GetPensionEntitlementResponse xmlns:p="');
      case 'bad-signature': // callbacks are not signed
      case 'wrong-signer': // callbacks are not signed
      case 'drop-request-binding': // callbacks are not bound by a signature
      case 'invalid-schema': // applied to the answer below
      case 'none':
        break;
    }
    const remembered = controls.remembered(messageId);
    if (remembered) return reply.status(remembered.status).type(remembered.contentType).send(remembered.body);
    const handler = operation ? ANSWERS[operation] : undefined;
    if (!handler) return reply.status(404).type('application/problem+json').send({ title: `No operation ${operation}`, status: 404 });
    let fin: string | undefined;
    try {
      fin = parseXmlSafe(String(request.body ?? '')).getElementsByTagNameNS(handler.ns, 'Fin').item(0)?.textContent ?? undefined;
    } catch {
      fin = undefined;
    }
    if (!fin) return reply.status(400).type('application/problem+json').send({ title: 'No Fin in the request', status: 400 });
    const answer = { status: 200, contentType: 'application/xml', body: handler.answer(fin, fault.mode === 'invalid-schema') };
    if (fault.mode === 'none' || fault.mode === 'latency') controls.remember(messageId, answer);
    return reply.status(answer.status).type(answer.contentType).send(answer.body);
  });
};
