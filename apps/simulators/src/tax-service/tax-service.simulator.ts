import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JWS_SIGNATURE_HEADER, SignatureServices, isSignatureException, jwsRequestHash } from '@korpu/signature';
import { SimulatorControls } from '../simulator-controls';

const LOOKUP_PATH = '/v1/taxpayers/lookup';

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

/** How a reply is signed: as it should be, or one of the signature faults. */
type ReplySigning = 'normal' | 'corrupt' | 'wrong-signer' | 'drop-request-binding';

/**
 * State Tax Service over REST: POST /v1/taxpayers/lookup with {voen}. Requests must carry a detached JWS
 * that the tax service's trust store accepts; replies are signed with the tax service's key, bound to the
 * request by the hash of its JWS (faults: 'wrong-signer' signs with `impostor`, another trusted party's key;
 * 'drop-request-binding' leaves the request hash out).
 */
export function registerTaxService(
  app: FastifyInstance,
  controls: SimulatorControls,
  signatures: SignatureServices,
  impostor: SignatureServices,
): void {
  controls.register(app);
  // Keep the body as bytes: a detached JWS covers exactly what was sent.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post(LOOKUP_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const messageId = (request.headers['x-road-id'] as string | undefined) ?? '';
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const requestHash = jwsRequestHash(String(request.headers[JWS_SIGNATURE_HEADER] ?? ''));
    const send = (status: number, contentType: string, body: string, signing: ReplySigning = 'normal') => {
      const signer = signing === 'wrong-signer' ? impostor : signatures;
      let jws = signer.jwsSigner.sign(body, {
        method: 'POST',
        path: LOOKUP_PATH,
        messageId,
        status,
        ...(signing === 'drop-request-binding' ? {} : { requestHash }),
      });
      if (signing === 'corrupt') jws = `${jws.slice(0, -6)}AAAAAA`;
      return reply.status(status).header(JWS_SIGNATURE_HEADER, jws).header('x-korpu-schema-version', '1').type(contentType).send(body);
    };
    try {
      await signatures.jwsVerifier.verify(String(request.headers[JWS_SIGNATURE_HEADER] ?? ''), rawBody, {
        method: 'POST',
        path: LOOKUP_PATH,
        messageId,
        headers: request.headers,
      });
    } catch (error) {
      if (!isSignatureException(error)) throw error;
      return send(401, 'application/problem+json', JSON.stringify({ title: 'Signature refused', status: 401, code: error.code }));
    }
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
        return send(503, 'application/problem+json', JSON.stringify({ title: 'Service Unavailable', status: 503 }));
      case 'malformed-body':
        return send(200, 'application/json', '{"voen": "12345');
      case 'invalid-schema':
        return send(200, 'application/json', JSON.stringify({ voen: 'not-a-voen' }));
      case 'bad-signature':
        return send(200, 'application/json', JSON.stringify(taxpayerFor('1400057421')), 'corrupt');
      case 'wrong-signer':
      case 'drop-request-binding':
      case 'soap-fault':
      case 'none':
        break;
    }
    const signing: ReplySigning = fault.mode === 'wrong-signer' || fault.mode === 'drop-request-binding' ? fault.mode : 'normal';
    const remembered = controls.remembered(messageId);
    if (remembered) return send(remembered.status, remembered.contentType, remembered.body, signing);
    let voen: unknown;
    try {
      voen = (JSON.parse(rawBody) as { voen?: unknown }).voen;
    } catch {
      voen = undefined;
    }
    let answer;
    if (typeof voen !== 'string' || !/^[0-9]{9}[12]$/.test(voen)) {
      answer = { status: 400, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Invalid VÖEN', status: 400 }) };
    } else if (voen.startsWith('000')) {
      answer = { status: 404, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Taxpayer not found', status: 404 }) };
    } else {
      answer = { status: 200, contentType: 'application/json', body: JSON.stringify(taxpayerFor(voen)) };
    }
    if (signing === 'normal') controls.remember(messageId, answer); // faulty answers are not remembered
    return send(answer.status, answer.contentType, answer.body, signing);
  });
}
