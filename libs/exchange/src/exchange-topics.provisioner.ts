import { Injectable, OnModuleInit } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { TopicAdmin } from '@korpu/messaging';
import { exchangeTopics } from './exchange-topics';

/** Creates the exchange topics before an app serves (idempotent, so every app and instance may do it). */
@Injectable()
export class ExchangeTopicsProvisioner implements OnModuleInit {
  constructor(
    private readonly admin: TopicAdmin,
    private readonly partners: PartnerDirectory,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.ensureTopics(exchangeTopics(this.partners.all()));
  }
}
