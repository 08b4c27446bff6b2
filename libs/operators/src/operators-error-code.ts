/** Stable codes of operator authentication, roles, sessions and the audit trail. */
export enum OperatorsErrorCode {
  /** No `Authorization: Bearer <token>`, or a token that is neither a session's nor a configured service token. */
  UNAUTHENTICATED = 'ADMIN_UNAUTHENTICATED',
  /** The session of this token was signed out or expired (idle or absolute): sign in again. */
  SESSION_ENDED = 'OPERATOR_SESSION_ENDED',
  /** The operator is signed in but their roles do not hold the permission the route needs. */
  FORBIDDEN = 'OPERATOR_FORBIDDEN',
  /** Wrong user name or password, an unknown user, or a directory user no configured group gives a role. */
  SIGN_IN_FAILED = 'SIGN_IN_FAILED',
  /** Too many failed sign-ins for this account or from this address: wait `retryAfterSeconds`. */
  SIGN_IN_THROTTLED = 'SIGN_IN_THROTTLED',
  /** The directory (LDAP/AD) did not answer or refused the gateway's own bind; nothing was counted against the user. */
  DIRECTORY_UNAVAILABLE = 'DIRECTORY_UNAVAILABLE',
  /** No live session has this id (an admin ending a session). */
  SESSION_NOT_FOUND = 'OPERATOR_SESSION_NOT_FOUND',
  /** The request (body, query) is malformed; `problems` lists why. */
  REQUEST_INVALID = 'OPERATOR_REQUEST_INVALID',
}
