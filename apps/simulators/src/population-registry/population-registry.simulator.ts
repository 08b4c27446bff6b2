import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as fs from 'node:fs';
import { isKorpuException } from '@korpu/errors';
import {
  XRoadHeaders,
  buildSoapFault,
  buildXRoadMessage,
  escapeXml,
  readXRoadMessage,
  requestHash,
  requireRequestHeaders,
} from '@korpu/xroad';
import { acceptXmlBodies, contractFile, SimulatorRegistration } from '../simulator-context';

const NS = 'urn:korpu:population:person';
const SURNAMES = ['Aliyev', 'Mammadov', 'Hasanov', 'Huseynov', 'Guliyev', 'Ismayilov'];
const GIVEN = ['Rashad', 'Leyla', 'Elvin', 'Aysel', 'Tural', 'Nigar'];

/** What a real registry would say about a FIN; derived from it, so tests can predict it. */
export function personFor(fin: string): { surname: string; givenName: string; sex: 'M' | 'F'; birthDate: string } {
  const n = [...fin].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
  const index = n % SURNAMES.length;
  return {
    surname: SURNAMES[index],
    givenName: GIVEN[index],
    sex: index % 2 === 0 ? 'M' : 'F',
    birthDate: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
  };
}

function personXml(fin: string, sex: string): string {
  const person = personFor(fin);
  return (
    `<GetPersonResponse xmlns="${NS}"><Fin>${escapeXml(fin)}</Fin><Surname>${person.surname}</Surname><GivenName>${person.givenName}</GivenName>` +
    `<BirthDate>${person.birthDate}</BirthDate><Sex>${sex}</Sex><Citizenship>AZE</Citizenship>` +
    `<RegisteredAddress><Region>Baku</Region><Settlement>Yasamal</Settlement><PostalCode>AZ1000</PostalCode></RegisteredAddress>` +
    `</GetPersonResponse>`
  );
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const fault = (faultcode: 'Client' | 'Server', faultstring: string, code: string): Answer => ({
  status: 500,
  contentType: 'text/xml; charset=utf-8',
  body: buildSoapFault({ faultcode, faultstring, code }),
});

/**
 * The State population registry over SOAP (X-Road 4.0, WS-Security): GetPerson by FIN at POST /soap, its WSDL
 * at GET /soap?wsdl. Request signatures are verified, replies signed with population-registry-rsa (fault
 * 'wrong-signer': tax-service-rsa), bound to the request by xrd:requestHash (fault 'drop-request-binding': not) and
 * checked against person-lookup-reply v1 before they leave. Redelivered xrd:ids are answered from memory (counted).
 */
export const registerPopulationRegistry: SimulatorRegistration = async (app: FastifyInstance, context) => {
  const { controls } = context;
  const signature = await context.signature('population-registry-rsa');
  // Fault 'wrong-signer': another party the ministry trusts signs the registry's reply.
  const impostor = await context.signature('tax-service-rsa');
  const schemas = await context.schemas();
  const wsdl = fs.readFileSync(contractFile(context.config, 'population-registry', 'population-registry.wsdl'), 'utf8');
  acceptXmlBodies(app);
  controls.register(app);

  app.get('/soap', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!('wsdl' in (request.query as Record<string, unknown>))) return reply.status(404).send({ error: 'GET /soap?wsdl' });
    const scheme = context.config.tls.modes['population-registry'] === 'off' ? 'http' : 'https';
    const location = `${scheme}://${request.headers.host}/soap`;
    return reply.type('text/xml; charset=utf-8').send(wsdl.replace(/location="[^"]*"/, `location="${location}"`));
  });

  app.post('/soap', async (request: FastifyRequest, reply: FastifyReply) => {
    const send = (answer: Answer) => reply.status(answer.status).type(answer.contentType).send(answer.body);
    const mode = await controls.playNextFault(request, reply);
    if (!mode) return reply;
    switch (mode.mode) {
      case 'down':
      case 'drop-connection':
      case 'trickle':
      case 'redirect':
      case 'latency':
        break;
      case 'server-error':
        return reply.status(503).type('text/html').send('<html><body>503 Service Unavailable</body></html>');
      case 'soap-fault':
      case 'malformed-body':
      case 'bad-signature':
      case 'invalid-schema':
      case 'wrong-signer':
      case 'drop-request-binding':
      case 'none':
        break; // applied once the request is verified
    }
    const requestXml = typeof request.body === 'string' ? request.body : '';
    let headers: XRoadHeaders;
    let fin: string | undefined;
    try {
      const verified = await signature.soapVerifier.verify(requestXml);
      const message = readXRoadMessage(verified.document);
      headers = requireRequestHeaders(message.headers);
      fin = message.payloadElement?.getElementsByTagNameNS(NS, 'Fin').item(0)?.textContent ?? undefined;
    } catch (error) {
      const code = isKorpuException(error) ? error.code : 'REQUEST_MALFORMED';
      return send(fault('Client', `The request was refused: ${(error as Error).message}`, code));
    }
    // A redelivered xrd:id gets the remembered result, in a fresh envelope bound to this request (requestHash).
    const signReply = (payload: string): Answer => ({
      status: 200,
      contentType: 'text/xml; charset=utf-8',
      body: (mode.mode === 'wrong-signer' ? impostor : signature).soapSigner.sign(
        buildXRoadMessage(mode.mode === 'drop-request-binding' ? headers : { ...headers, requestHash: requestHash(requestXml) }, payload),
      ),
    });
    const remembered = controls.remembered(headers.id);
    if (remembered) return send(remembered.status === 200 ? signReply(remembered.body) : remembered);
    if (mode.mode === 'soap-fault') return send(fault('Server', 'The population registry is temporarily unavailable', 'REGISTRY_UNAVAILABLE'));
    if (mode.mode === 'malformed-body') {
      return send({ status: 200, contentType: 'text/xml', body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><GetPersonResponse' });
    }

    let answer: Answer;
    if (!fin || !/^[0-9A-HJ-NP-Z]{7}$/.test(fin)) {
      answer = fault('Client', 'The request has no valid Fin', 'INVALID_FIN');
    } else if (fin.startsWith('000')) {
      answer = fault('Client', `No person with FIN ${fin}`, 'PERSON_NOT_FOUND');
    } else {
      const person = personFor(fin);
      const payload = personXml(fin, mode.mode === 'invalid-schema' ? 'X' : person.sex);
      if (mode.mode !== 'invalid-schema') schemas.validate('person-lookup-reply', '1', payload);
      const signed = signReply(payload);
      if (mode.mode === 'bad-signature') signed.body = signed.body.replace(`<Surname>${person.surname}</Surname>`, '<Surname>Tampered</Surname>');
      if (mode.mode !== 'none' && mode.mode !== 'latency') return send(signed); // faulty answers are not remembered
      controls.remember(headers.id, { status: 200, contentType: 'payload', body: payload });
      return send(signed);
    }
    controls.remember(headers.id, answer);
    return send(answer);
  });
};
