import { RequestSchema, readRequest } from '@korpu/errors';
import { OperatorsException } from '../operators.exception';

/** The body of POST /v1/admin/session: validated here, published by the controller. */
export const SIGN_IN_BODY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', pattern: '^\\s*[A-Za-z0-9._@-]{1,128}\\s*$', description: '1-128 of A-Z a-z 0-9 . _ @ - (the directory account or a break-glass account)' },
    password: { type: 'string', minLength: 1, maxLength: 1024, format: 'password' },
  },
};

/** A sign-in attempt: user name and password from the body, the caller's address from the connection. */
export class SignInCommand {
  private constructor(
    readonly username: string,
    readonly password: string,
    readonly source: string,
  ) {}

  static create(input: { body: unknown; source: string | undefined }): SignInCommand {
    const { fields, problems } = readRequest(SIGN_IN_BODY, input.body);
    if (problems.length) throw OperatorsException.invalid(problems);
    return new SignInCommand((fields.username as string).trim(), fields.password as string, (input.source ?? 'unknown').slice(0, 100));
  }

  /** The throttle's key of the account: names are case-insensitive in directories. */
  get accountKey(): string {
    return `account:${this.username.toLowerCase()}`;
  }

  get sourceKey(): string {
    return `source:${this.source}`;
  }
}
