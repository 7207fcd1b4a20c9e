// Certificates for loopback HTTPS targets, made in the test (node-forge, pure JS: no openssl needed): a private
// CA with a server certificate it signed, a self-signed server certificate, and an expired one.
import forge from 'node-forge';

const { pki } = forge;

export interface Pem {
  cert: string;
  key: string;
}

export interface TestCertificates {
  /** The CA's certificate, for ca-file. */
  caPem: string;
  /** localhost / 127.0.0.1, signed by the CA. */
  signedByCa: Pem;
  /** localhost / 127.0.0.1, signed by itself. */
  selfSigned: Pem;
  /** Signed by the CA, expired yesterday. */
  expired: Pem;
}

const DAY = 86_400_000;

function certificate(options: {
  subject: string;
  keys: forge.pki.rsa.KeyPair;
  issuer?: { name: string; key: forge.pki.rsa.PrivateKey };
  isCa?: boolean;
  notBefore: Date;
  notAfter: Date;
}): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = options.keys.publicKey;
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject([{ name: 'commonName', value: options.subject }]);
  cert.setIssuer([{ name: 'commonName', value: options.issuer?.name ?? options.subject }]);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.isCa ?? false }];
  if (options.isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else
    extensions.push(
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
      { name: 'extKeyUsage', serverAuth: true },
    );
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? options.keys.privateKey, forge.md.sha256.create());
  return cert;
}

function pem(cert: forge.pki.Certificate, keys: forge.pki.rsa.KeyPair): Pem {
  return { cert: pki.certificateToPem(cert), key: pki.privateKeyToPem(keys.privateKey) };
}

export function makeCertificates(): TestCertificates {
  const now = Date.now();
  const caKeys = pki.rsa.generateKeyPair(2048);
  const ca = certificate({
    subject: 'shipline test CA',
    keys: caKeys,
    isCa: true,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
  });
  const issuer = { name: 'shipline test CA', key: caKeys.privateKey };
  const serverKeys = pki.rsa.generateKeyPair(2048);
  return {
    caPem: pki.certificateToPem(ca),
    signedByCa: pem(
      certificate({
        subject: 'localhost',
        keys: serverKeys,
        issuer,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 30 * DAY),
      }),
      serverKeys,
    ),
    selfSigned: pem(
      certificate({
        subject: 'localhost',
        keys: serverKeys,
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 30 * DAY),
      }),
      serverKeys,
    ),
    expired: pem(
      certificate({
        subject: 'localhost',
        keys: serverKeys,
        issuer,
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now - DAY),
      }),
      serverKeys,
    ),
  };
}
