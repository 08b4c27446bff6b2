import { Injectable } from '@nestjs/common';
import { FailureGroup, FailureGroupBy } from '../failed-message';
import { FailedMessageRepository } from '../failed-message.repository';
import { ListFailureGroupsCommand } from './list-failure-groups.command';

export interface FailureGroups {
  by: FailureGroupBy;
  groups: FailureGroup[];
}

/** Failed messages grouped by cause (fingerprint of error code + normalised message) or by service, largest first. */
@Injectable()
export class ListFailureGroupsUseCase {
  constructor(private readonly messages: FailedMessageRepository) {}

  async execute(command: ListFailureGroupsCommand): Promise<FailureGroups> {
    return { by: command.by, groups: await this.messages.groups(command.by, command.filter, command.limit) };
  }
}
