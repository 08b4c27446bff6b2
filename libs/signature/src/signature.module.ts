import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { JwsSigner } from './jws/jws-signer';
import { JwsVerifier } from './jws/jws-verifier';
import { KeyRing } from './keys/key-ring';
import { createSignatureServices, SignatureServices } from './signature.factory';
import { SignatureMetrics } from './signature.metrics';
import type { SignatureModuleOptions } from './signature.options';
import { SoapSigner } from './soap/soap-signer';
import { SoapVerifier } from './soap/soap-verifier';
import { TrustStore } from './trust/trust-store';

const SIGNATURE_SERVICES = Symbol('SIGNATURE_SERVICES');
const EXPORTED = [TrustStore, KeyRing, SoapSigner, SoapVerifier, JwsSigner, JwsVerifier];

function serviceProviders(): Provider[] {
  const pick = <K extends keyof SignatureServices>(token: unknown, key: K): Provider => ({
    provide: token as never,
    useFactory: (s: SignatureServices) => s[key],
    inject: [SIGNATURE_SERVICES],
  });
  return [
    pick(TrustStore, 'trustStore'),
    pick(KeyRing, 'keyRing'),
    pick(SoapSigner, 'soapSigner'),
    pick(SoapVerifier, 'soapVerifier'),
    pick(JwsSigner, 'jwsSigner'),
    pick(JwsVerifier, 'jwsVerifier'),
    SignatureMetrics,
  ];
}

export interface SignatureModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...args: never[]) => SignatureModuleOptions | Promise<SignatureModuleOptions>;
}

/** Provides (globally, once per app) TrustStore, KeyRing, SoapSigner/SoapVerifier and JwsSigner/JwsVerifier (class tokens). */
@Module({})
export class SignatureModule {
  static forRoot(options: SignatureModuleOptions): DynamicModule {
    return {
      module: SignatureModule,
      global: true,
      providers: [{ provide: SIGNATURE_SERVICES, useFactory: () => createSignatureServices(options) }, ...serviceProviders()],
      exports: EXPORTED,
    };
  }

  /** Same, with the options built by a factory (e.g. from the apps' ConfigService). */
  static forRootAsync(options: SignatureModuleAsyncOptions): DynamicModule {
    return {
      module: SignatureModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: SIGNATURE_SERVICES,
          useFactory: async (...args: never[]) => createSignatureServices(await options.useFactory(...args)),
          inject: (options.inject ?? []) as never[],
        },
        ...serviceProviders(),
      ],
      exports: EXPORTED,
    };
  }
}
