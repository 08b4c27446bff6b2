import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import * as forge from 'node-forge';
import { SignatureErrorCode } from '../signature-error-code';
import { SignatureException } from '../signature.exception';

/**
 * Unpacks a PKCS#12 bundle. node-forge is used only to decrypt and split the container; the key and
 * certificates are handed to node:crypto as DER straight away (forge itself only understands RSA keys).
 */
export function unpackPkcs12(der: Uint8Array, password: string): { privateKey: KeyObject; certificate: X509Certificate; chain: X509Certificate[] } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (cause) {
    throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'PKCS#12 cannot be opened (wrong password or corrupt file)', undefined, cause);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  if (keyBags.length !== 1) {
    throw new SignatureException(SignatureErrorCode.KEY_INVALID, `PKCS#12 must hold exactly one private key, found ${keyBags.length}`);
  }
  const bag = keyBags[0];
  const keyInfo = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  const privateKey = createPrivateKey({ key: asn1Der(keyInfo), format: 'der', type: 'pkcs8' });

  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map(
    (b) => new X509Certificate(b.cert ? asn1Der(forge.pki.certificateToAsn1(b.cert)) : asn1Der(b.asn1)),
  );
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const certificate = certs.find((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  if (!certificate) throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'PKCS#12 holds no certificate for its key');
  return { privateKey, certificate, chain: certs.filter((c) => c !== certificate) };
}

function asn1Der(asn1: forge.asn1.Asn1 | undefined): Buffer {
  if (!asn1) throw new SignatureException(SignatureErrorCode.KEY_INVALID, 'PKCS#12 bag is empty');
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
