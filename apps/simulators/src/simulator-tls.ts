import * as fs from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { SimulatorTlsMode } from './simulators.config';

export interface SimulatorTlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

/** What node:https needs to serve a simulator in `mode`: nothing for `off`; for `required` the handshake refuses a caller without a trusted client certificate. */
export interface SimulatorHttpsOptions {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  requestCert: true;
  rejectUnauthorized: boolean;
}

export function simulatorHttpsOptions(
  mode: SimulatorTlsMode,
  files: SimulatorTlsFiles,
  read: (file: string) => Buffer = (file) => fs.readFileSync(file),
): SimulatorHttpsOptions | undefined {
  switch (mode) {
    case 'off':
      return undefined;
    case 'optional':
    case 'required':
      return { cert: read(files.certFile), key: read(files.keyFile), ca: read(files.clientCaFile), requestCert: true, rejectUnauthorized: mode === 'required' };
  }
}

/** The subject CN of the verified TLS client certificate of a connection; undefined on plain HTTP, without one, or when it is not trusted. */
export function verifiedTlsClientName(socket: unknown): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function' || !tls.authorized) return undefined;
  const cn = tls.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn.join(',') : cn;
}
