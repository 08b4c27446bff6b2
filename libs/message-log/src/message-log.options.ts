/** Configuration of the message log (built by the app's config layer; this lib never reads process.env). */
export interface MessageLogModuleOptions {
  /** Payload encryption keys by key id: 32 random bytes each, base64 (`openssl rand -base64 32`). */
  encryptionKeys?: Record<string, string>;
  /** Key id new payloads are encrypted with; absent: payloads are stored in clear (older ones stay readable). */
  activeKeyId?: string;
  /** Most appends written in one transaction when they queue up (default 100). */
  maxBatchSize?: number;
}
