import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { newMessageId } from '@korpu/envelope';
import { DEFAULT_HOLDER_ALIVE_SECONDS, MessageStatusRepository } from '@korpu/tracking';

/** How often the holder says it is alive: three times within the window that protects its claims. */
export const HOLDER_HEARTBEAT_MS = (DEFAULT_HOLDER_ALIVE_SECONDS * 1000) / 3;

/**
 * This process as the holder of the message-id claims it makes (one id per process start, never reused): it says
 * it is alive every few seconds, so when it dies between claiming an id and queueing its message, the client's
 * next submit of that id takes the claim over within seconds instead of waiting out the whole lease (a gateway
 * killed mid-submit no longer keeps a message out for two minutes).
 */
@Injectable()
export class ClaimHolder implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly id = `holder-${newMessageId()}`;
  private readonly logger = new Logger(ClaimHolder.name);
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(private readonly statuses: MessageStatusRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HOLDER_HEARTBEAT_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    try {
      await this.statuses.markHolderAlive(this.id);
      if (this.failing) this.logger.log(`Claim holder ${this.id} is alive again`);
      this.failing = false;
    } catch (error) {
      // Without a sign of life our claims can be taken over: at worst a message is queued twice (one partner call).
      if (!this.failing) this.logger.warn(`Claim holder ${this.id} could not say it is alive: ${String(error)}`);
      this.failing = true;
    }
  }
}
