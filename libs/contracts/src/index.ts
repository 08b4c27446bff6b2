export { ContractsModule } from './contracts.module';
export type { ContractsOptions } from './contracts.module';
export { PartnerDirectory } from './partner-directory';
export { loadPartnerConfigs, parsePartnerConfig } from './partner-config.loader';
export type { LoadPartnerConfigsOptions, PartnerConfigOptions } from './partner-config.loader';
export { ContractsException, ContractsErrorCode, UnknownServiceException } from './contracts.exception';
export type { OperationConfig, PartnerConfig, PartnerProtocol, RetryPolicy, SchemaRef, SignatureMode, PartnerTls } from './partner-config';
