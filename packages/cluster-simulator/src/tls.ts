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

/**
 * A fresh CA and a server certificate for `hosts` (IPs and DNS names),
 * generated at every start so no key is ever committed.
 */
export function generateServerCertificate(hosts: string[]): ServerCertificate {
  const now = new Date();
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const notBefore = new Date(now.getTime() - 3600 * 1000);

  const caKeys = keyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = notAfter;
  const caSubject = [{ name: 'commonName', value: 'cluster-simulator-ca' }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'cluster-simulator' }]);
  cert.setIssuer(caSubject);
  const altNames = [...new Set(['127.0.0.1', 'localhost', ...hosts])].map(h =>
    net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h },
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
