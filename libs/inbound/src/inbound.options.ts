export const INBOUND_OPTIONS = Symbol('INBOUND_OPTIONS');

export interface InboundOptions {
  /** Folder of services.json and the ministry's WSDL (contracts/ministry). */
  directory: string;
  /** owner subsystem → callback URL. Owners not listed consume `inbound(owner)` themselves. */
  callbacks?: Record<string, string>;
  callbackTimeoutMs?: number;
  /** Consumer group of callback delivery (default `<topic prefix>-inbound-callbacks`). */
  callbackGroupId?: string;
}
