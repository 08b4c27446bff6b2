import { compare } from 'fast-json-patch';
import { createTwoFilesPatch } from 'diff';
import { ContentType } from '@korpu/envelope';
import type { EditDiffFormat } from '../failed-message.repository';

export interface PayloadDiff {
  format: EditDiffFormat;
  /** JSON Patch (RFC 6902) operations turning the original into the edit, or a unified diff for XML. */
  diff: unknown;
  /** The diff as stored. */
  text: string;
}

/** What an operator changed: a JSON Patch for JSON payloads, a unified diff (by line) for XML. */
export function payloadDiff(contentType: ContentType, before: string, after: string, names: { before: string; after: string }): PayloadDiff {
  if (contentType === 'application/json') {
    const patch = compare(JSON.parse(before) as object, JSON.parse(after) as object);
    return { format: 'json-patch', diff: patch, text: JSON.stringify(patch) };
  }
  const text = createTwoFilesPatch(names.before, names.after, withNewline(before), withNewline(after), undefined, undefined, { context: 3 });
  return { format: 'unified-diff', diff: text, text };
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** The diff without its values, for the audit trail: the JSON Patch operations and paths, or the XML lines changed. */
export function diffSummary(diff: PayloadDiff): Array<{ op: string; path: string }> | { linesRemoved: number; linesAdded: number } {
  if (diff.format === 'json-patch') return (diff.diff as Array<{ op: string; path: string }>).map(({ op, path }) => ({ op, path }));
  const lines = diff.text.split('\n').filter((line) => !line.startsWith('---') && !line.startsWith('+++'));
  return { linesRemoved: lines.filter((line) => line.startsWith('-')).length, linesAdded: lines.filter((line) => line.startsWith('+')).length };
}
