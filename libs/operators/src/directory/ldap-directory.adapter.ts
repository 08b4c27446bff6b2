import { Client, InvalidCredentialsError } from 'ldapts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { OperatorsErrorCode } from '../operators-error-code';
import { OperatorsException } from '../operators.exception';
import { DirectoryOptions, OPERATORS_OPTIONS, OperatorsOptions } from '../operators.options';
import { DirectoryUser, OperatorDirectory } from './directory.port';
import { escapeFilterValue } from './distinguished-name';

/**
 * Sign-in against LDAP / Active Directory with `ldapts`, always over TLS (LDAPS, or StartTLS before any bind):
 * bind as the gateway's service account, find the user (exactly one entry), bind as the user with the password,
 * then find the user's groups as the service account. No password is ever logged.
 */
@Injectable()
export class LdapDirectoryAdapter extends OperatorDirectory {
  private readonly logger = new Logger('LdapDirectory');
  private readonly options: DirectoryOptions;

  constructor(@Inject(OPERATORS_OPTIONS) options: OperatorsOptions) {
    super();
    if (!options.directory) throw new Error('LdapDirectoryAdapter needs OperatorsOptions.directory');
    this.options = options.directory;
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    // An empty password would be an unauthenticated bind (RFC 4513 5.1.2), which succeeds: never send one.
    if (password.length === 0) return undefined;
    const service = await this.connect();
    try {
      await this.bindOrUnavailable(service, this.options.bindDn, this.options.bindPassword, 'the service account');
      const { searchEntries } = await service.search(this.options.userBase, {
        scope: 'sub',
        filter: this.options.userFilter.replaceAll('{username}', escapeFilterValue(username)),
        attributes: [this.options.nameAttribute],
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1) return undefined;
      const entry = searchEntries[0];
      const userClient = await this.connect();
      try {
        await userClient.bind(entry.dn, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return undefined;
        throw this.unavailable('the user bind', error);
      } finally {
        await userClient.unbind().catch(() => undefined);
      }
      const groups = await service.search(this.options.groupBase, {
        scope: 'sub',
        filter: this.options.groupFilter.replaceAll('{dn}', escapeFilterValue(entry.dn)),
        attributes: ['dn'],
      });
      const name = entry[this.options.nameAttribute];
      return {
        name: typeof name === 'string' && name ? name : username,
        dn: entry.dn,
        groups: groups.searchEntries.map((group) => group.dn),
      };
    } catch (error) {
      if (error instanceof OperatorsException) throw error;
      throw this.unavailable('a search', error);
    } finally {
      await service.unbind().catch(() => undefined);
    }
  }

  private async connect(): Promise<Client> {
    // A fresh object each time: ldapts keeps the upgraded socket in the options it is given. Constructor TLS
    // options are for ldaps:// only (given for ldap://, ldapts would speak TLS at once instead of StartTLS).
    const tlsOptions = () => ({ ...(this.options.ca ? { ca: this.options.ca } : {}), minVersion: 'TLSv1.2' as const });
    const client = new Client({
      url: this.options.url,
      timeout: this.options.timeoutMs,
      connectTimeout: this.options.timeoutMs,
      ...(this.options.startTls ? {} : { tlsOptions: tlsOptions() }),
    });
    if (this.options.startTls) {
      try {
        await client.startTLS(tlsOptions());
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw this.unavailable('StartTLS', error);
      }
    }
    return client;
  }

  private async bindOrUnavailable(client: Client, dn: string, password: string, who: string): Promise<void> {
    try {
      await client.bind(dn, password);
    } catch (error) {
      throw this.unavailable(`the bind of ${who}`, error);
    }
  }

  private unavailable(step: string, error: unknown): OperatorsException {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(`${OperatorsErrorCode.DIRECTORY_UNAVAILABLE} ${this.options.url}: ${step} failed (${reason})`);
    return new OperatorsException(OperatorsErrorCode.DIRECTORY_UNAVAILABLE, 'The directory could not be asked; try again later');
  }
}
