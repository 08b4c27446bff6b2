import { InputReader, readFilter } from '../command-input';
import { ReplayJobSelection } from '../replay-job';

/** Most ids one selection may name (larger sets: a failure group or a filter). */
export const MAX_SELECTED_IDS = 10_000;

/**
 * Reads what a bulk replay is made of from a request body: exactly one of `ids` (a selection), `fingerprint`
 * (a failure group) or `filter` (the list's filters; status defaults to unresolved).
 */
export function readSelection(body: InputReader): ReplayJobSelection {
  const given = ['ids', 'fingerprint', 'filter'].filter((name) => body.has(name));
  if (given.length !== 1) {
    body.problems.push('give exactly one of "ids" (message ids), "fingerprint" (a failure group) or "filter" (the list filters)');
    return { ids: [] };
  }
  if (given[0] === 'ids') {
    const ids = body.raw('ids');
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SELECTED_IDS || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 300)) {
      body.problems.push(`"ids" must be 1 to ${MAX_SELECTED_IDS} message ids`);
      return { ids: [] };
    }
    return { ids: [...new Set(ids as string[])] };
  }
  if (given[0] === 'fingerprint') {
    const fingerprint = body.string('fingerprint', { pattern: /^[0-9a-f]{8,64}$/ });
    return { fingerprint: fingerprint ?? '' };
  }
  const filterInput = new InputReader(body.raw('filter'), '"filter"');
  const filter = readFilter(filterInput);
  body.problems.push(...filterInput.problems.map((problem) => `filter: ${problem}`));
  return { filter };
}
