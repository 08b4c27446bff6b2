import { OperatorsException } from '../operators.exception';

const USERNAME = /^[A-Za-z0-9._@-]{1,128}$/;

/** A sign-in attempt: user name and password from the body, the caller's address from the connection. */
export class SignInCommand {
  private constructor(
    readonly username: string,
    readonly password: string,
    readonly source: string,
  ) {}

  static create(input: { body: unknown; source: string | undefined }): SignInCommand {
    const body = typeof input.body === 'object' && input.body !== null && !Array.isArray(input.body) ? (input.body as Record<string, unknown>) : {};
    const problems: string[] = [];
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    if (!USERNAME.test(username)) problems.push('"username" must be 1-128 of A-Z a-z 0-9 . _ @ -');
    const password = body.password;
    if (typeof password !== 'string' || password.length === 0 || password.length > 1024) problems.push('"password" must be a string of 1 to 1024 characters');
    if (problems.length) throw OperatorsException.invalid(problems);
    return new SignInCommand(username, password as string, (input.source ?? 'unknown').slice(0, 100));
  }

  /** The throttle's key of the account: names are case-insensitive in directories. */
  get accountKey(): string {
    return `account:${this.username.toLowerCase()}`;
  }

  get sourceKey(): string {
    return `source:${this.source}`;
  }
}
