import { PayloadCipher } from './payload-cipher';
import { SealedColumn } from './sealed-column';

/** The data keys of one deployment (DATA_KEYS / DATA_ACTIVE_KEY), built by the app's config layer. */
export interface DataKeysOptions {
  /** Keys by key id: 32 random bytes each, base64 (`openssl rand -base64 32`). Empty: values are stored in clear. */
  keys: Record<string, string>;
  /** Key id new values are encrypted with; absent (only when `keys` is empty): no encryption. */
  activeKeyId?: string;
}

/**
 * The one set of data keys every store encrypts personal data with, each store under its own purpose.
 * Provided app-wide by DataKeysModule; stores ask it for the column they own.
 */
export class DataKeys {
  constructor(private readonly options: DataKeysOptions) {
    // Validates the keys once, at boot (KEY_INVALID), rather than at the first write.
    new PayloadCipher(options.keys, options.activeKeyId, 'korpu/validate');
  }

  get encrypts(): boolean {
    return this.options.activeKeyId !== undefined;
  }

  /** A cipher bound to `purpose` (where its values are stored). */
  cipher(purpose: string): PayloadCipher {
    return new PayloadCipher(this.options.keys, this.options.activeKeyId, purpose);
  }

  column(purpose: string): SealedColumn {
    return new SealedColumn(this.cipher(purpose));
  }
}
