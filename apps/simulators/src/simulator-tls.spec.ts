import { simulatorHttpsOptions, verifiedTlsClientName } from './simulator-tls';

const files = { certFile: 'server.crt', keyFile: 'server.key', clientCaFile: 'ca.crt' };
const read = (file: string) => Buffer.from(file);

describe('simulatorHttpsOptions', () => {
  it('serves plain HTTP when TLS is off', () => {
    expect(simulatorHttpsOptions('off', files, read)).toBeUndefined();
  });

  it('asks for a client certificate but lets the handshake through without one when optional', () => {
    expect(simulatorHttpsOptions('optional', files, read)).toEqual({
      cert: Buffer.from('server.crt'),
      key: Buffer.from('server.key'),
      ca: Buffer.from('ca.crt'),
      requestCert: true,
      rejectUnauthorized: false,
    });
  });

  it('refuses a caller without a trusted client certificate in the handshake when required', () => {
    expect(simulatorHttpsOptions('required', files, read)).toMatchObject({ requestCert: true, rejectUnauthorized: true });
  });
});

describe('verifiedTlsClientName', () => {
  const socket = (authorized: boolean, cn?: string) => ({ authorized, getPeerCertificate: () => ({ subject: cn ? { CN: cn } : undefined }) });

  it('names the CN of a verified client certificate', () => {
    expect(verifiedTlsClientName(socket(true, 'gateway-tls'))).toBe('gateway-tls');
  });

  it('names nobody on plain HTTP or for an unverified certificate', () => {
    expect(verifiedTlsClientName({})).toBeUndefined();
    expect(verifiedTlsClientName(socket(false, 'untrusted-tls'))).toBeUndefined();
  });
});
