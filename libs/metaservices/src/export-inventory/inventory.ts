/** The inventory of the exchange, for the department's audits (GET /v1/admin/inventory). */
export interface Inventory {
  generatedAt: string;
  clients: InventoryClient[];
  services: InventoryService[];
  certificates: InventoryCertificate[];
  grants: InventoryGrant[];
}

export interface InventoryClient {
  id: string;
  name: string;
  /** From the access tables: active or disabled; absent when the client was never seeded. */
  status: string | null;
  /** How it authenticates: one line per registered certificate, e.g. `tls: certificate pki:tls/pensions.crt`. */
  authentication: string[];
}

export interface InventoryService {
  /** As access rights name it: `tax-service/GetTaxpayer`. */
  service: string;
  provider: string;
  providerName: string;
  protocols: string[];
  contract: string;
  request: string;
  reply: string;
}

export interface InventoryCertificate {
  /** key-ring, trust-store, tls-server, tls-client-ca, client:<id>:<use>, partner:<id>:signer */
  source: string;
  file: string | null;
  subject: string | null;
  issuer: string | null;
  serial: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** Whole days from now to notAfter (negative: expired). */
  daysUntilExpiry: number | null;
  /** A registration not by certificate (issuer and subject, issuer and serial, key pin): what it names. */
  registration?: string;
  problem?: string;
}

export interface InventoryGrant {
  client: string;
  service: string;
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
}

export type InventorySection = 'clients' | 'services' | 'certificates' | 'grants';
export const INVENTORY_SECTIONS: readonly InventorySection[] = ['clients', 'services', 'certificates', 'grants'];

/** One CSV cell: quoted when needed; a leading = + - @ is defused so that a spreadsheet shows it as text. */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const COLUMNS: { [S in InventorySection]: Array<keyof Inventory[S][number]> } = {
  clients: ['id', 'name', 'status', 'authentication'],
  services: ['service', 'provider', 'providerName', 'protocols', 'contract', 'request', 'reply'],
  certificates: ['source', 'file', 'subject', 'issuer', 'serial', 'notBefore', 'notAfter', 'daysUntilExpiry', 'registration', 'problem'],
  grants: ['client', 'service', 'grantedBy', 'grantedAt', 'revokedBy', 'revokedAt'],
};

/** One section of the inventory as CSV (RFC 4180, CRLF, a header row). */
export function inventoryCsv(inventory: Inventory, section: InventorySection): string {
  const columns = COLUMNS[section] as string[];
  const rows = (inventory[section] as unknown as Array<Record<string, unknown>>).map((row) => columns.map((c) => cell(row[c])).join(','));
  return [columns.join(','), ...rows].join('\r\n') + '\r\n';
}
