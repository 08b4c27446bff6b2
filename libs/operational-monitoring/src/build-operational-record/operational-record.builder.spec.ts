import { generateKeyPairSync } from 'node:crypto';
import { OperationalRecordInput } from '../operational-record';
import { buildOperationalRecord, exchangeDurations, payloadSize, replySignerOf } from './operational-record.builder';

// A self-signed EC certificate made for this spec (openssl req -x509 ... -set_serial 0x1A2B3C).
const SIGNER = `-----BEGIN CERTIFICATE-----
MIIBxDCCAWqgAwIBAgIDGis8MAoGCCqGSM49BAMCMEAxCzAJBgNVBAYTAkFaMRQw
EgYDVQQKDAtUYXggU2VydmljZTEbMBkGA1UEAwwSdGF4LXNlcnZpY2Utc2lnbmVy
MB4XDTI2MTIwMjE4Mzg1NFoXDTM2MTEyOTE4Mzg1NFowQDELMAkGA1UEBhMCQVox
FDASBgNVBAoMC1RheCBTZXJ2aWNlMRswGQYDVQQDDBJ0YXgtc2VydmljZS1zaWdu
ZXIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATr5KfJpw6YmP7/UkgHPshD4HWH
eN+92D2iMtVEVlcODmnJ2Ahr11Mk4AF5qcIIPCN6RstsCDNDjSik1XE5LB0do1Mw
UTAdBgNVHQ4EFgQUJcbcGXL/PYdbS/DAZIxOvvYVwW0wHwYDVR0jBBgwFoAUJcbc
GXL/PYdbS/DAZIxOvvYVwW0wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNI
ADBFAiEAvquYD8DtYQ0uN1ELf2/5BxKyrVcuvQB3ajVHmT9l6eACIHmmd5WESTkL
N8E/qm+NlWzzoI90RbG8YheCD5N7CiN/
-----END CERTIFICATE-----`;

const input = (over: Partial<OperationalRecordInput> = {}): OperationalRecordInput => ({
  direction: 'outbound',
  client: 'MLSP/pensions',
  service: 'tax-service/GetTaxpayer',
  messageId: 'm-1',
  correlationId: 'c-1',
  attempt: 1,
  requestSize: 22,
  hops: { requestInAt: '2026-12-02T10:00:00.000Z', requestQueuedAt: '2026-12-02T10:00:00.010Z' },
  result: 'succeeded',
  ...over,
});

describe('building an operational record', () => {
  it('derives the duration of every hop it passed through, and only those', () => {
    expect(
      exchangeDurations({
        requestInAt: '2026-12-02T10:00:00.000Z',
        requestQueuedAt: '2026-12-02T10:00:00.012Z',
        requestPickedAt: '2026-12-02T10:00:00.040Z',
        requestOutAt: '2026-12-02T10:00:00.045Z',
        responseInAt: '2026-12-02T10:00:00.345Z',
        responseOutAt: '2026-12-02T10:00:00.360Z',
      }),
    ).toEqual({ acceptMs: 12, queueMs: 28, prepareMs: 5, partnerMs: 300, replyMs: 15, totalMs: 360 });
    expect(exchangeDurations({ requestInAt: '2026-12-02T10:00:00.000Z', requestPickedAt: '2026-12-02T10:00:01.000Z' })).toEqual({});
  });

  it('never reports a negative duration when two hosts\' clocks disagree a little', () => {
    expect(exchangeDurations({ requestInAt: '2026-12-02T10:00:00.020Z', requestQueuedAt: '2026-12-02T10:00:00.010Z' })).toEqual({ acceptMs: 0 });
  });

  it('splits the service, normalises instants, drops unreadable hops and names who wrote it', () => {
    const record = buildOperationalRecord(
      input({ hops: { requestInAt: '2026-12-02T12:00:00+02:00', requestOutAt: 'not a time', responseInAt: '2026-12-02T10:00:00.250Z' } }),
      { id: 'r-1', app: 'dispatcher', instanceId: 'host-1' },
    );
    expect(record).toMatchObject({ id: 'r-1', partner: 'tax-service', operation: 'GetTaxpayer', app: 'dispatcher', instanceId: 'host-1' });
    expect(record.hops).toEqual({ requestInAt: '2026-12-02T10:00:00.000Z', responseInAt: '2026-12-02T10:00:00.250Z' });
    expect(record.durations).toEqual({});
  });

  it('starts a record whose start cannot be read when it is recorded', () => {
    const now = new Date('2026-12-02T11:00:00.000Z');
    const record = buildOperationalRecord(input({ hops: { requestInAt: 'garbage' } }), { id: 'r-2', app: 'dispatcher', instanceId: 'h', now });
    expect(record.hops.requestInAt).toBe(now.toISOString());
  });

  it('counts payload sizes in UTF-8 bytes, not characters', () => {
    expect(payloadSize('Ə')).toBe(2);
    expect(payloadSize(undefined)).toBeUndefined();
  });

  it('reads the reply signer\'s subject, serial and issuer from its certificate, and nothing from garbage', () => {
    expect(replySignerOf(SIGNER)).toEqual({
      subject: 'C=AZ, O=Tax Service, CN=tax-service-signer',
      serialNumber: '1A2B3C',
      issuer: 'C=AZ, O=Tax Service, CN=tax-service-signer',
    });
    expect(replySignerOf('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBeUndefined();
    expect(replySignerOf(undefined)).toBeUndefined();
    // A key pair alone is no certificate: the builder must not throw on what a partner sent.
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(replySignerOf(publicKey.export({ type: 'spki', format: 'pem' }) as string)).toBeUndefined();
  });
});
