import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { TopicAdmin, TopicNames } from '@korpu/messaging';
import { InboundCatalogue } from './inbound-catalogue';

/** Creates every owner's inbound topic and the replies topic before the app serves (idempotent). */
@Injectable()
export class InboundTopicsProvisioner implements OnModuleInit {
  constructor(
    private readonly admin: TopicAdmin,
    private readonly topics: TopicNames,
    @Inject(InboundCatalogue) private readonly catalogue: InboundCatalogue,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.ensureTopics([...this.catalogue.owners().map((owner) => ({ topic: this.topics.inbound(owner) })), { topic: this.topics.replies }]);
  }
}
