import crypto from 'node:crypto';
import net from 'node:net';
import forge from 'node-forge';

export interface ServerCertificate {
  /** PEM of the self-signed CA that signed the server certificate. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair() {
  // Node's native RSA generation is far faster than node-forge's JavaScript one.
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(
      privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ),
    publicKey: forge.pki.publicKeyFromPem(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ),
  };
}

function serial(): string {
  // Positive, non-zero serial numbers (the first byte below 0x80).
  return `01${crypto.randomBytes(15).toString('hex')}`;
}

type Subject = Array<{ name: string; value: string }>;

/** A certificate for `keys`, valid from `notBefore` to `notAfter`, signed by `issuerKey`. */
function signedCertificate(c: {
  keys: ReturnType<typeof keyPair>;
  subject: Subject;
  issuer: Subject;
  issuerKey: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  extensions: unknown[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = c.keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = c.notBefore;
  cert.validity.notAfter = c.notAfter;
  cert.setSubject(c.subject);
  cert.setIssuer(c.issuer);
  cert.setExtensions(c.extensions);
  cert.sign(c.issuerKey, forge.md.sha256.create());
  return cert;
}

/**
 * A fresh CA and a server certificate for `hosts` (IPs and DNS names),
 * generated at every start so no key is ever committed.
 */
export function generateServerCertificate(hosts: string[]): ServerCertificate {
  const now = new Date();
  const validity = {
    notAfter: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    notBefore: new Date(now.getTime() - 3600 * 1000),
  };
  const caKeys = keyPair();
  const caSubject = [{ name: 'commonName', value: 'cluster-simulator-ca' }];
  const ca = signedCertificate({
    keys: caKeys,
    subject: caSubject,
    issuer: caSubject,
    issuerKey: caKeys.privateKey,
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
      },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const keys = keyPair();
  const altNames = [...new Set(['127.0.0.1', 'localhost', ...hosts])].map(h =>
    net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h },
  );
  const cert = signedCertificate({
    keys,
    subject: [{ name: 'commonName', value: 'cluster-simulator' }],
    issuer: caSubject,
    issuerKey: caKeys.privateKey,
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
