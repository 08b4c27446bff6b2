/** The X-Road SOAP 1.1 request of the signature benches, padded with person records to about `targetBytes`. */
export function soapEnvelopeOfSize(targetBytes: number): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prr="http://population-registry.gov.az/v1">
<soapenv:Header>
<xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000001</id:memberCode><id:subsystemCode>egov-portal</id:subsystemCode></xrd:client>
<xrd:service id:objectType="SERVICE"><id:xRoadInstance>AZ</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1400000002</id:memberCode><id:subsystemCode>population-registry</id:subsystemCode><id:serviceCode>getPerson</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>
<xrd:id>01JDEV0000000000000000BENCH</xrd:id><xrd:userId>AZ1234567</xrd:userId><xrd:protocolVersion>4.0</xrd:protocolVersion>
</soapenv:Header>
<soapenv:Body><prr:getPersonResponse>`;
  const tail = `</prr:getPersonResponse></soapenv:Body></soapenv:Envelope>`;
  const record = '<prr:person><prr:pin>5ABC123</prr:pin><prr:name>Aysel Mammadova</prr:name><prr:city>Baku</prr:city></prr:person>\n';
  let body = '';
  while (head.length + body.length + tail.length + record.length <= targetBytes) body += record;
  return head + body + tail;
}
