import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { EcdsaSha256XmlCryptoAlgorithm, XmlDsig } from '@korpu/signature';

/**
 * xml-crypto signing the message our signer produced (its Signature taken out, the wsu:Ids and the Security header
 * with Timestamp and token kept) over the same references, and verifying its own result with the public key.
 */
export function xmlCryptoSoap(ourSigned: string, privateKey: Buffer, certPem: string, type: 'rsa' | 'ec'): { sign: () => string; verify: (xml: string) => boolean } {
  const unsigned = ourSigned.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
  const ids = [...ourSigned.matchAll(/<ds:Reference URI="#([^"]+)"/g)].map((m) => m[1]);
  const algorithm = type === 'ec' ? XmlDsig.ECDSA_SHA256 : XmlDsig.RSA_SHA256;
  const withEcdsa = (sig: SignedXml): SignedXml => {
    sig.SignatureAlgorithms[XmlDsig.ECDSA_SHA256] = EcdsaSha256XmlCryptoAlgorithm;
    return sig;
  };
  return {
    sign: () => {
      const sig = withEcdsa(new SignedXml({ privateKey, signatureAlgorithm: algorithm, canonicalizationAlgorithm: XmlDsig.EXC_C14N }));
      for (const id of ids) sig.addReference({ xpath: `//*[@*[local-name(.)='Id']='${id}']`, transforms: [XmlDsig.EXC_C14N], digestAlgorithm: XmlDsig.SHA256 });
      sig.computeSignature(unsigned, { prefix: 'ds', location: { reference: `//*[local-name(.)='Security']`, action: 'append' } });
      return sig.getSignedXml();
    },
    verify: (xml) => {
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0)!;
      const sig = withEcdsa(new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null }));
      sig.loadSignature(signature);
      return sig.checkSignature(xml);
    },
  };
}
