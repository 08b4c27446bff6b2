import { FILTER_PROPERTIES, FILTER_SCHEMA, InputReader, MESSAGE_ID_PARAM_SCHEMA, readFilter } from '../command-input';
import { ReplayJobSelection } from '../replay-job';

/** Most ids one selection may name (larger sets: a failure group or a filter). */
export const MAX_SELECTED_IDS = 10_000;

/** The selection fields of a bulk-replay body: exactly one of them is given (the command says so, a schema of OpenAPI 3.0 cannot). */
export const SELECTION_PROPERTIES: Record<string, Record<string, unknown>> = {
  ids: { type: 'array', minItems: 1, maxItems: MAX_SELECTED_IDS, items: MESSAGE_ID_PARAM_SCHEMA, description: 'A selection of message ids' },
  fingerprint: { ...FILTER_PROPERTIES.fingerprint, description: 'A failure group' },
  filter: FILTER_SCHEMA,
};

/**
 * Reads what a bulk replay is made of from a validated request body: exactly one of `ids` (a selection),
 * `fingerprint` (a failure group) or `filter` (the list's filters; status defaults to unresolved).
 */
export function readSelection(body: InputReader): ReplayJobSelection {
  const given = Object.keys(SELECTION_PROPERTIES).filter((name) => body.has(name));
  if (given.length !== 1) {
    if (!body.problems.length) body.problems.push('give exactly one of "ids" (message ids), "fingerprint" (a failure group) or "filter" (the list filters)');
    return { ids: [] };
  }
  if (given[0] === 'ids') return { ids: [...new Set(body.raw('ids') as string[])] };
  if (given[0] === 'fingerprint') return { fingerprint: body.string('fingerprint') ?? '' };
  return { filter: readFilter(InputReader.ofValidated(body.raw('filter'), body.problems)) };
}
