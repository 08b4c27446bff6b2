import { Module } from '@nestjs/common';
import { PartnerClient } from './partner-client';
import { RestPartnerDriver } from './rest/rest-partner.driver';

@Module({ providers: [RestPartnerDriver, PartnerClient], exports: [PartnerClient] })
export class AdaptersModule {}
