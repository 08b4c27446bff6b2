/** Test-only SOAP 1.1 envelopes with X-Road 4.0 headers. */
export function xroadEnvelope(options: { bodyPadding?: number; omit?: string[]; messageId?: string } = {}): string {
  const omit = new Set(options.omit ?? []);
  const padding = options.bodyPadding ? `<prr:note>${'x'.repeat(options.bodyPadding)}</prr:note>` : '';
  const headers = [
    omit.has('client')
      ? ''
      : `<xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000001</id:memberCode><id:subsystemCode>egov-portal</id:subsystemCode></xrd:client>`,
    omit.has('service')
      ? ''
      : `<xrd:service id:objectType="SERVICE"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000002</id:memberCode><id:subsystemCode>population-registry</id:subsystemCode><id:serviceCode>getPerson</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>`,
    omit.has('id') ? '' : `<xrd:id>${options.messageId ?? '01JDEV0000000000000000TEST'}</xrd:id>`,
    omit.has('userId') ? '' : `<xrd:userId>AZ1234567</xrd:userId>`,
    omit.has('issue') ? '' : `<xrd:issue>case-42</xrd:issue>`,
    omit.has('protocolVersion') ? '' : `<xrd:protocolVersion>4.0</xrd:protocolVersion>`,
  ].join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prr="http://population-registry.gov.az/v1">
  <soapenv:Header>
    ${headers}
  </soapenv:Header>
  <soapenv:Body>
    <prr:getPerson>
      <prr:pin>5ABC123</prr:pin>
      <prr:purpose>Benefit &amp; pension check</prr:purpose>${padding}
    </prr:getPerson>
  </soapenv:Body>
</soapenv:Envelope>`;
}

/** Replaces the first match and fails loudly when the pattern is absent (so a test cannot pass vacuously). */
export function mutate(xml: string, pattern: RegExp | string, replacement: string | ((...m: string[]) => string)): string {
  const matched = typeof pattern === 'string' ? xml.includes(pattern) : pattern.test(xml);
  if (!matched) throw new Error(`mutation pattern not found: ${String(pattern)}`);
  return xml.replace(pattern as RegExp, replacement as (...m: string[]) => string);
}
