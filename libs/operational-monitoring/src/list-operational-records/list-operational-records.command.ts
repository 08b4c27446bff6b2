import { requestProblems } from '@korpu/errors';
import { OperationalRecordCursor, OperationalRecordFilter, OperationalResult, decodeCursor } from '../operational-record';
import { OperationalMonitoringException } from '../operational-monitoring.exception';
import { DEFAULT_PAGE_SIZE, LIST_OPERATIONAL_RECORDS_SCHEMA } from './list-operational-records.schema';

type Query = Partial<Record<'client' | 'service' | 'partner' | 'direction' | 'result' | 'errorCode' | 'messageId' | 'correlationId' | 'from' | 'to' | 'limit' | 'cursor', string>>;

/** A page of operational records, newest exchange first, from a query string (LIST_OPERATIONAL_RECORDS_SCHEMA). */
export class ListOperationalRecordsCommand {
  private constructor(
    readonly filter: OperationalRecordFilter,
    readonly limit: number,
    readonly after: OperationalRecordCursor | undefined,
  ) {}

  /** @throws OPERATIONAL_RECORDS_REQUEST_INVALID with every problem of the query */
  static create(query: unknown): ListOperationalRecordsCommand {
    const input = (query ?? {}) as Query;
    const problems = requestProblems(LIST_OPERATIONAL_RECORDS_SCHEMA, input);
    if (problems.length) throw OperationalMonitoringException.invalid(problems);
    const from = input.from === undefined ? undefined : new Date(input.from);
    const to = input.to === undefined ? undefined : new Date(input.to);
    if (from && Number.isNaN(from.getTime())) problems.push('"from" is not a valid instant');
    if (to && Number.isNaN(to.getTime())) problems.push('"to" is not a valid instant');
    if (from && to && !(from < to)) problems.push('"from" must be before "to"');
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    if (input.cursor !== undefined && !after) problems.push('"cursor" is not one this API issued');
    if (problems.length) throw OperationalMonitoringException.invalid(problems);
    const filter: OperationalRecordFilter = {
      ...(input.client !== undefined ? { client: input.client } : {}),
      ...(input.service !== undefined ? { service: input.service } : {}),
      ...(input.partner !== undefined ? { partner: input.partner } : {}),
      ...(input.direction !== undefined ? { direction: input.direction as OperationalRecordFilter['direction'] } : {}),
      ...(input.result !== undefined ? { result: [...new Set(input.result.split(','))] as OperationalResult[] } : {}),
      ...(input.errorCode !== undefined ? { errorCode: input.errorCode } : {}),
      ...(input.messageId !== undefined ? { messageId: input.messageId } : {}),
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    };
    return new ListOperationalRecordsCommand(filter, input.limit === undefined ? DEFAULT_PAGE_SIZE : Number(input.limit), after);
  }
}
