import type { FastifyInstance } from 'fastify';
import * as path from 'node:path';
import { SchemaRegistry } from '@korpu/schemas';
import { createSignatureServices, SignatureServices } from '@korpu/signature';
import { DevPkiManifest, ensureDevPki } from '../../../certs-dev/dev-pki';
import { SimulatorControls } from './simulator-controls';
import type { SimulatorsConfig } from './simulators.config';

/** What a simulator may use besides its Fastify instance: its controls, the dev PKI, the schemas. */
export interface SimulatorContext {
  controls: SimulatorControls;
  config: SimulatorsConfig;
  /** Signature services signing with `key` (e.g. population-registry-rsa) and trusting the dev CAs. */
  signature(key: string): Promise<SignatureServices>;
  schemas(): Promise<SchemaRegistry>;
  /** The dev PKI (certs-dev/out, generated when missing or stale). */
  pki(): Promise<DevPkiManifest>;
}

export type SimulatorRegistration = (app: FastifyInstance, context: SimulatorContext) => void | Promise<void>;

let pki: Promise<DevPkiManifest> | undefined;
let registry: Promise<SchemaRegistry> | undefined;

export function simulatorContext(config: SimulatorsConfig, controls: SimulatorControls): SimulatorContext {
  return {
    controls,
    config,
    signature: async (key) => {
      const manifest = await (pki ??= ensureDevPki(config.pkiDir));
      const leaf = manifest.leaves[key];
      if (!leaf) throw new Error(`no key ${key} in the dev PKI at ${config.pkiDir}`);
      return createSignatureServices({
        trust: { caFiles: [manifest.trustBundle], crlFiles: [manifest.crls.root, manifest.crls.intermediate], fetchCrls: false },
        keys: [{ certFile: leaf.chain, keyFile: leaf.key }],
      });
    },
    schemas: () => (registry ??= SchemaRegistry.load({ directory: config.schemasDir })),
    pki: () => (pki ??= ensureDevPki(config.pkiDir)),
  };
}

/** SOAP and XML request bodies are read as text. */
export function acceptXmlBodies(app: FastifyInstance): void {
  app.addContentTypeParser(['text/xml', 'application/xml', 'application/soap+xml'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
}

export function contractFile(config: SimulatorsConfig, partner: string, file: string): string {
  return path.join(config.contractsDir, partner, file);
}
