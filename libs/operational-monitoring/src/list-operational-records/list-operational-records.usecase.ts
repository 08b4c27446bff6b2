import { Injectable } from '@nestjs/common';
import { OperationalRecordPage, encodeCursor } from '../operational-record';
import { OperationalRecordStore } from '../operational-record.repository';
import { ListOperationalRecordsCommand } from './list-operational-records.command';

/** One page of operational records (keyset: one more row than asked tells whether another page follows). */
@Injectable()
export class ListOperationalRecordsUseCase {
  constructor(private readonly store: OperationalRecordStore) {}

  async execute(command: ListOperationalRecordsCommand): Promise<OperationalRecordPage> {
    const rows = await this.store.list(command.filter, command.limit + 1, command.after);
    const items = rows.slice(0, command.limit);
    const last = items[items.length - 1];
    return rows.length > command.limit && last ? { items, nextCursor: encodeCursor({ requestInAt: last.hops.requestInAt, id: last.id }) } : { items };
  }
}
