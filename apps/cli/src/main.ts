/**
 * `korpu` — the admin API from a terminal or a script, with the operator's own roles and audit trail.
 *
 *   korpu sign-in --user <name>          password from the terminal (hidden) or stdin; keeps the session token
 *   korpu sign-out | whoami
 *   korpu list [--status s] [--service s] [--error-code c] [--client c] [--message-type t] [--fingerprint f]
 *              [--from t] [--to t] [--q prefix] [--limit n] [--cursor c]
 *   korpu groups [--by fingerprint|service] [filters]
 *   korpu show <message id> [--unmask-reason r]                 personal data masked unless an admin states why (audited)
 *   korpu replay <id>... [--force] [--reason r]                  one message or a selection, one by one
 *   korpu replay --group <fingerprint> | --filter k=v ... [--limit n] [--dry-run] [--force] [--reason r]
 *   korpu resolve <id> [--archive] [--reason r]
 *   korpu discard <id> --reason r | korpu restore <id> [--reason r]
 *   korpu edit <id> --payload-file <file> [--reason r]           edit-and-replay: a new message id, linked to <id>
 *   korpu jobs create (<id>... | --group <fingerprint> | --filter k=v ...) [--preview] [--force] [--reason r]
 *   korpu jobs list | jobs status <job id> [--watch] | jobs pause|resume|cancel <job id>
 *   korpu audit list [--operator o] [--action a] [--message-id m] [--from t] [--to t] [--limit n]
 *   korpu audit export [--format csv|ndjson] [--out file] [same filters]
 *   korpu access list [--client c] | grant|revoke --client c --service partner/operation [--reason r]
 *   korpu records list [--client c] [--service partner/operation] [--partner p] [--direction outbound|inbound]
 *              [--result succeeded,failed,dead-lettered] [--error-code c] [--message-id m] [--correlation-id c]
 *              [--from t] [--to t] [--limit n] [--cursor c]      operational records, one per exchange
 *   korpu sessions list | sessions end <session id> [--reason r]     (admins)
 *   korpu hash-password                  an scrypt hash for OPERATOR_ACCOUNTS_FILE (password asked twice, or stdin)
 *
 * Options everywhere: --url (KORPU_ADMIN_URL, default https://127.0.0.1:8090), --ca <PEM file> (KORPU_CA_FILE,
 * default the development CA when present), --json (raw answers). KORPU_TOKEN: a service token instead of a
 * session. KORPU_SESSION_FILE: where the session token is kept (default ~/.config/korpu/session, mode 0600).
 * Exit 0: done; 1: the API refused (code and reason on stderr); 2: wrong usage or no answer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AdminApiClient, AdminApiError } from './admin-api.client';
import { readPassword } from './password-prompt';
import { loadSession, removeSession, saveSession, sessionFilePath } from './session-file';

const repoRoot = path.resolve(__dirname, '../../..');
const DEFAULT_URL = 'https://127.0.0.1:8090';

const OPTIONS = {
  url: { type: 'string' },
  ca: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
  user: { type: 'string' },
  status: { type: 'string' },
  service: { type: 'string' },
  'error-code': { type: 'string' },
  client: { type: 'string' },
  'message-type': { type: 'string' },
  fingerprint: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  q: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  by: { type: 'string' },
  group: { type: 'string' },
  filter: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  reason: { type: 'string' },
  archive: { type: 'boolean', default: false },
  operator: { type: 'string' },
  action: { type: 'string' },
  'message-id': { type: 'string' },
  'correlation-id': { type: 'string' },
  partner: { type: 'string' },
  direction: { type: 'string' },
  result: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'unmask-reason': { type: 'string' },
  'payload-file': { type: 'string' },
  preview: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

function listFilters(values: Values): Record<string, string | undefined> {
  return {
    status: values.status,
    service: values.service,
    errorCode: values['error-code'],
    client: values.client,
    messageType: values['message-type'],
    fingerprint: values.fingerprint,
    from: values.from,
    to: values.to,
    q: values.q,
  };
}

/** `--filter name=value` pairs (and `--group`) as the API's filter object. */
function filterOf(values: Values): Record<string, string> {
  const filter: Record<string, string> = values.group ? { fingerprint: values.group } : {};
  for (const pair of values.filter ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--filter takes name=value (got ${pair})`);
    filter[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return filter;
}

interface JobProgress {
  job: { id: string; state: string };
  done: number;
  failed: number;
  remaining: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  percent?: number;
}

function progressLine(p: JobProgress): string {
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
  return `${p.job.id}: ${p.job.state}, done ${p.done}, failed ${p.failed}, remaining ${p.remaining}, ${p.ratePerSecond.toFixed(1)}/s${eta}`;
}

const TERMINAL_JOB_STATES = ['completed', 'cancelled'];

/** What `records list` shows of an operational record (the API's shape; --json prints all of it). */
interface OperationalRecordRow {
  messageId: string;
  client: string;
  service: string;
  result: string;
  errorCode?: string;
  requestSize: number;
  responseSize?: number;
  hops: { requestInAt: string };
  durations: { totalMs?: number; partnerMs?: number };
}

function print(values: Values, value: unknown, human: () => string): void {
  console.log(values.json ? JSON.stringify(value, null, 2) : human());
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
    return command || values.help ? 0 : 2;
  }
  const sessionFile = sessionFilePath(env);
  const saved = command === 'sign-in' ? undefined : loadSession(sessionFile);
  const url = values.url ?? env.KORPU_ADMIN_URL ?? saved?.url ?? DEFAULT_URL;
  const caFile = values.ca ?? env.KORPU_CA_FILE ?? [path.join(repoRoot, 'certs-dev/out/ca/trust-bundle.crt')].find((file) => fs.existsSync(file));
  const ca = caFile ? fs.readFileSync(caFile) : undefined;
  const token = env.KORPU_TOKEN || saved?.token;
  const api = new AdminApiClient(url, ca, command === 'sign-in' ? undefined : token);
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new UsageError(`give ${what}`);
    return value;
  };

  switch (command) {
    case 'hash-password': {
      const password = await readPassword('password: ');
      if (process.stdin.isTTY && (await readPassword('again: ')) !== password) throw new UsageError('the two passwords differ');
      if (password.length < 12) throw new UsageError('a break-glass password must have at least 12 characters');
      // Loaded here only: the other commands need nothing of the server's code.
      const { hashPassword } = await import('@korpu/operators');
      console.log(await hashPassword(password));
      return 0;
    }
    case 'sign-in': {
      const username = need(values.user, '--user <name>');
      const password = await readPassword(`password for ${username}: `);
      const result = await api.json<{ token: string; expiresAt: string; operator: { name: string; roles: string[] } }>('POST', '/v1/admin/session', { username, password });
      saveSession(sessionFile, { token: result.token, url, operator: result.operator.name, expiresAt: result.expiresAt });
      console.error(`signed in as ${result.operator.name} (${result.operator.roles.join(', ')}) until ${result.expiresAt}; session in ${sessionFile}`);
      return 0;
    }
    case 'sign-out': {
      if (!token) throw new UsageError('not signed in');
      if (!env.KORPU_TOKEN) {
        await api.request('DELETE', '/v1/admin/session').catch((error: unknown) => {
          if (!(error instanceof AdminApiError && error.status === 401)) throw error;
        });
        removeSession(sessionFile);
      }
      console.error('signed out');
      return 0;
    }
    case 'whoami': {
      const me = await api.json<{ name: string; roles: string[]; permissions: string[] }>('GET', '/v1/admin/session');
      print(values, me, () => `${me.name} (${me.roles.join(', ')}): ${me.permissions.join(' ')}`);
      return 0;
    }
    case 'list': {
      const page = await api.json<{ items: Array<Record<string, string>>; nextCursor?: string }>(
        'GET',
        `/v1/admin/failed-messages${query({ ...listFilters(values), limit: values.limit, cursor: values.cursor })}`,
      );
      print(values, page, () =>
        [
          table([
            ['MESSAGE ID', 'STATUS', 'SERVICE', 'ERROR', 'LAST FAILED'],
            ...page.items.map((m) => [m.messageId, m.status, m.service, m.errorCode, m.lastFailedAt]),
          ]),
          page.nextCursor ? `more: --cursor ${page.nextCursor}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      return 0;
    }
    case 'groups': {
      const groups = await api.json<{ groups: Array<Record<string, unknown>> }>('GET', `/v1/admin/failed-messages/groups${query({ ...listFilters(values), by: values.by })}`);
      print(values, groups, () => JSON.stringify(groups, null, 2));
      return 0;
    }
    case 'show': {
      const id = need(rest[0], 'a message id');
      const unmask = values['unmask-reason'] ? { 'korpu-unmask-reason': values['unmask-reason'] } : undefined;
      const message = await api.json<Record<string, unknown>>('GET', `/v1/admin/failed-messages/${encodeURIComponent(id)}`, undefined, unmask);
      print(values, message, () => JSON.stringify(message, null, 2));
      return 0;
    }
    case 'replay': {
      const options = { ...(values.force ? { force: true } : {}), ...(values.reason ? { reason: values.reason } : {}) };
      if (values.group || values.filter?.length) {
        const filter = filterOf(values);
        const body = { filter, ...options, ...(values.limit ? { limit: Number(values.limit) } : {}), ...(values['dry-run'] ? { dryRun: true } : {}) };
        const result = await api.json<Record<string, unknown>>('POST', '/v1/admin/failed-messages/replay', body);
        print(values, result, () => JSON.stringify(result, null, 2));
        return 0;
      }
      if (rest.length === 0) throw new UsageError('give message ids, --group <fingerprint> or --filter name=value');
      let failed = 0;
      for (const id of rest) {
        try {
          const result = await api.json<{ replayId?: string; status?: string }>('POST', `/v1/admin/failed-messages/${encodeURIComponent(id)}/replay`, options);
          print(values, { messageId: id, ...result }, () => `${id}: replayed${result.replayId ? ` (${result.replayId})` : ''}`);
        } catch (error) {
          if (!(error instanceof AdminApiError) || error.status === 0 || error.status === 401) throw error;
          failed++;
          console.error(`${id}: ${error.code}: ${error.message}`);
        }
      }
      return failed ? 1 : 0;
    }
    case 'resolve': {
      const id = need(rest[0], 'a message id');
      const result = await api.json<Record<string, unknown>>('POST', `/v1/admin/failed-messages/${encodeURIComponent(id)}/resolve`, {
        ...(values.archive ? { archive: true } : {}),
        ...(values.reason ? { reason: values.reason } : {}),
      });
      print(values, result, () => `${id}: ${String(result.status ?? 'resolved')}`);
      return 0;
    }
    case 'discard':
    case 'restore': {
      const id = need(rest[0], 'a message id');
      const reason = command === 'discard' ? need(values.reason, '--reason (a discard says why)') : values.reason;
      const result = await api.json<{ message?: { status?: string } }>('POST', `/v1/admin/failed-messages/${encodeURIComponent(id)}/${command}`, reason ? { reason } : {});
      print(values, result, () => `${id}: ${String(result.message?.status ?? command)}`);
      return 0;
    }
    case 'edit': {
      const id = need(rest[0], 'a message id');
      const file = need(values['payload-file'], '--payload-file (the corrected payload: JSON, or XML as it is)');
      const text = fs.readFileSync(file, 'utf8');
      let payload: unknown = text;
      try {
        payload = JSON.parse(text);
      } catch {
        // not JSON: sent as the XML text it is
      }
      const result = await api.json<{ copy: { messageId: string; editOf: string } }>('POST', `/v1/admin/failed-messages/${encodeURIComponent(id)}/edit-and-replay`, {
        payload,
        ...(values.reason ? { reason: values.reason } : {}),
      });
      print(values, result, () => `${id}: edited and replayed as ${result.copy.messageId} (editOf ${result.copy.editOf})`);
      return 0;
    }
    case 'jobs': {
      const [sub, jobId] = rest;
      if (sub === 'create') {
        const ids = rest.slice(1);
        const selection = ids.length ? { ids } : values.group ? { fingerprint: values.group } : values.filter?.length ? { filter: filterOf(values) } : undefined;
        if (!selection) throw new UsageError('jobs create takes message ids, --group <fingerprint> or --filter name=value');
        const body = { ...selection, ...(values.force ? { force: true } : {}), ...(values.reason ? { reason: values.reason } : {}), ...(values.preview ? { preview: true } : {}) };
        const result = await api.json<Record<string, unknown>>('POST', '/v1/admin/replay-jobs', body);
        print(values, result, () => (values.preview ? JSON.stringify(result, null, 2) : progressLine(result as unknown as JobProgress)));
        return 0;
      }
      if (sub === 'pause' || sub === 'resume' || sub === 'cancel') {
        const id = need(jobId, 'a job id');
        const result = await api.json<JobProgress>('POST', `/v1/admin/replay-jobs/${encodeURIComponent(id)}/${sub}`, values.reason ? { reason: values.reason } : {});
        print(values, result, () => progressLine(result));
        return 0;
      }
      if (sub === 'status') {
        const id = need(jobId, 'a job id');
        for (;;) {
          const result = await api.json<JobProgress>('GET', `/v1/admin/replay-jobs/${encodeURIComponent(id)}`);
          print(values, result, () => progressLine(result));
          if (!values.watch || TERMINAL_JOB_STATES.includes(result.job.state)) return 0;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
      if (sub !== 'list' && sub !== undefined) throw new UsageError('jobs create | list | status | pause | resume | cancel');
      const jobs = await api.json<{ items: Array<Record<string, unknown>> }>('GET', '/v1/admin/replay-jobs');
      print(values, jobs, () =>
        table([['JOB', 'STATE', 'CREATED BY', 'CREATED AT'], ...jobs.items.map((j) => [String(j.id), String(j.state), String(j.createdBy ?? ''), String(j.createdAt ?? '')])]),
      );
      return 0;
    }
    case 'audit': {
      const filters = { operator: values.operator, action: values.action, messageId: values['message-id'], from: values.from, to: values.to };
      if (rest[0] === 'export') {
        const answer = await api.request('GET', `/v1/admin/audit/export${query({ ...filters, format: values.format ?? 'ndjson' })}`);
        if (values.out) {
          fs.writeFileSync(values.out, answer.text, { mode: 0o600 });
          console.error(`audit export written to ${values.out}`);
        } else process.stdout.write(answer.text);
        return 0;
      }
      if (rest[0] !== 'list' && rest[0] !== undefined) throw new UsageError('audit list | audit export');
      const page = await api.json<{ items: Array<Record<string, unknown>> }>('GET', `/v1/admin/audit${query({ ...filters, limit: values.limit, cursor: values.cursor })}`);
      print(values, page, () =>
        table([
          ['SEQ', 'AT', 'OPERATOR', 'ACTION', 'MESSAGES', 'REASON'],
          ...page.items.map((e) => [String(e.seq), String(e.at), String(e.operator), String(e.action), (e.messageIds as string[]).join(' '), String(e.reason ?? '')]),
        ]),
      );
      return 0;
    }
    case 'records': {
      if (rest[0] !== 'list' && rest[0] !== undefined) throw new UsageError('records list');
      const filters = {
        client: values.client,
        service: values.service,
        partner: values.partner,
        direction: values.direction,
        result: values.result,
        errorCode: values['error-code'],
        messageId: values['message-id'],
        correlationId: values['correlation-id'],
        from: values.from,
        to: values.to,
      };
      const page = await api.json<{ items: Array<OperationalRecordRow>; nextCursor?: string }>(
        'GET',
        `/v1/admin/operational-records${query({ ...filters, limit: values.limit, cursor: values.cursor })}`,
      );
      print(values, page, () =>
        [
          table([
            ['ACCEPTED', 'MESSAGE ID', 'CLIENT', 'SERVICE', 'RESULT', 'ERROR', 'TOTAL MS', 'PARTNER MS', 'REQ B', 'REPLY B'],
            ...page.items.map((r) => [
              r.hops.requestInAt,
              r.messageId,
              r.client,
              r.service,
              r.result,
              r.errorCode ?? '',
              String(r.durations.totalMs ?? ''),
              String(r.durations.partnerMs ?? ''),
              String(r.requestSize),
              String(r.responseSize ?? ''),
            ]),
          ]),
          page.nextCursor ? `more: --cursor ${page.nextCursor}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      return 0;
    }
    case 'access': {
      const [sub] = rest;
      if (sub === 'grant' || sub === 'revoke') {
        const body = { client: need(values.client, '--client'), service: need(values.service, '--service partner/operation'), ...(values.reason ? { reason: values.reason } : {}) };
        const rights = await api.json<unknown[]>('POST', `/v1/admin/access-rights/${sub}`, body);
        print(values, rights, () => `${sub === 'grant' ? 'granted' : 'revoked'} ${body.client} → ${body.service}`);
        return 0;
      }
      if (sub !== 'list' && sub !== undefined) throw new UsageError('access list | access grant | access revoke');
      const rights = await api.json<Array<Record<string, string>>>('GET', `/v1/admin/access-rights${query({ client: values.client })}`);
      print(values, rights, () =>
        table([['CLIENT', 'SERVICE', 'GRANTED BY', 'REVOKED BY'], ...rights.map((r) => [r.clientId, r.service, r.grantedBy, r.revokedBy ?? ''])]),
      );
      return 0;
    }
    case 'sessions': {
      if (rest[0] === 'end') {
        const id = need(rest[1], 'a session id');
        await api.request('DELETE', `/v1/admin/sessions/${encodeURIComponent(id)}`, values.reason ? { reason: values.reason } : undefined);
        console.error(`session ${id} ended`);
        return 0;
      }
      const sessions = await api.json<Array<Record<string, string>>>('GET', '/v1/admin/sessions');
      print(values, sessions, () =>
        table([
          ['SESSION', 'OPERATOR', 'ROLES', 'SOURCE', 'FROM', 'SINCE', 'UNTIL'],
          ...sessions.map((x) => [x.sessionId, x.operator, String(x.roles), x.source, x.clientAddress ?? '', x.createdAt, x.expiresAt]),
        ]),
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command} (korpu --help)`);
  }
}

run(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof AdminApiError && error.status > 0) {
      console.error(`korpu: ${error.code} (${error.status}): ${error.message}`);
      process.exitCode = 1;
      return;
    }
    console.error(`korpu: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
