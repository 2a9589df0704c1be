import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCli } from './cli';

describe('parseCli', () => {
  it('runs no Prometheus unless asked to', () => {
    expect(parseCli(['--scenario', 'demo']).prometheus).toBeUndefined();
  });

  it('puts each Prometheus beside the kubeconfig unless told otherwise', () => {
    const options = parseCli([
      '--kubeconfig',
      '/tmp/sim/kubeconfig',
      '--prometheus-port',
      '9090',
    ]);
    expect(options.prometheus).toEqual({
      firstPort: 9090,
      dir: path.resolve('/tmp/sim/prometheus'),
      scrapeInterval: '15s',
    });
    expect(
      parseCli([
        '--prometheus-port',
        '19090',
        '--prometheus-dir',
        '/tmp/p',
        '--scrape-interval',
        '5s',
      ]).prometheus,
    ).toEqual({ firstPort: 19090, dir: '/tmp/p', scrapeInterval: '5s' });
  });

  it('takes token files and OIDC as kube-apiserver flags', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
    const jwks = path.join(dir, 'jwks.json');
    fs.writeFileSync(
      jwks,
      JSON.stringify({ keys: [{ kty: 'RSA', kid: 'a' }] }),
    );
    try {
      const options = parseCli([
        '--token-file',
        '/var/run/token-a',
        '--token-file',
        '/var/run/token-b',
        '--oidc-issuer-url',
        'https://issuer.example.com',
        '--oidc-client-id',
        'kubernetes',
        '--oidc-jwks-file',
        jwks,
        '--oidc-username-claim',
        'email',
        '--oidc-signing-algs',
        'RS256,ES256',
      ]);
      expect(options.tokenFiles).toEqual([
        { path: '/var/run/token-a' },
        { path: '/var/run/token-b' },
      ]);
      expect(options.oidc).toMatchObject({
        issuerUrl: 'https://issuer.example.com',
        clientId: 'kubernetes',
        jwks: { keys: [{ kty: 'RSA', kid: 'a' }] },
        usernameClaim: 'email',
        signingAlgs: ['RS256', 'ES256'],
      });
      expect(options.oidcJwksFile).toBe(jwks);
      expect(() =>
        parseCli(['--oidc-issuer-url', 'https://issuer.example.com']),
      ).toThrow('--oidc-issuer-url needs --oidc-client-id');
      expect(parseCli([]).oidc).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
