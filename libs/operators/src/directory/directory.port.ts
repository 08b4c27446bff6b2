/** A directory user whose password was accepted: the name to record and the DNs of the groups they are in. */
export interface DirectoryUser {
  name: string;
  dn: string;
  groups: string[];
}

/**
 * The directory operators sign in against (LDAP / Active Directory). `authenticate` answers undefined for an
 * unknown user or a wrong password, and throws DIRECTORY_UNAVAILABLE when the directory cannot be asked.
 */
export abstract class OperatorDirectory {
  abstract authenticate(username: string, password: string): Promise<DirectoryUser | undefined>;
}

/** No directory configured: nobody signs in through it. */
export class NoOperatorDirectory extends OperatorDirectory {
  async authenticate(): Promise<DirectoryUser | undefined> {
    return undefined;
  }
}
