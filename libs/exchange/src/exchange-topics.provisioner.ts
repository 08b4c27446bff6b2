import { Injectable, OnModuleInit } from '@nestjs/common';
import { PartnerDirectory } from '@korpu/contracts';
import { TopicAdmin, TopicNames } from '@korpu/messaging';
import { exchangeTopics } from './exchange-topics';

/** Creates the exchange topics before an app serves (idempotent, so every app and instance may do it). */
@Injectable()
export class ExchangeTopicsProvisioner implements OnModuleInit {
  constructor(
    private readonly admin: TopicAdmin,
    private readonly partners: PartnerDirectory,
    private readonly topics: TopicNames,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.ensureTopics(exchangeTopics(this.partners.all(), this.topics));
  }
}
