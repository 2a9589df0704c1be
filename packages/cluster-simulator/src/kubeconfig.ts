import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigCluster {
  name: string;
  url: string;
  token: string;
  caFile?: string;
}

/** A kubeconfig with one context per simulated cluster; the first is current. */
export function renderKubeconfig(clusters: KubeconfigCluster[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': clusters[0]?.name ?? '',
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: {
        server: c.url,
        ...(c.caFile ? { 'certificate-authority': c.caFile } : {}),
      },
    })),
    users: clusters.map(c => ({
      name: `${c.name}-user`,
      user: { token: c.token },
    })),
    contexts: clusters.map(c => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-user` },
    })),
    preferences: {},
  });
}

/** Writes the kubeconfig and, beside it, `ca.crt`. Returns the CA path. */
export function writeKubeconfig(
  kubeconfigPath: string,
  clusters: Array<Omit<KubeconfigCluster, 'caFile'>>,
  caPem: string | undefined,
): string | undefined {
  const dir = path.dirname(kubeconfigPath);
  fs.mkdirSync(dir, { recursive: true });
  let caFile: string | undefined;
  if (caPem) {
    caFile = path.join(dir, 'ca.crt');
    fs.writeFileSync(caFile, caPem);
  }
  fs.writeFileSync(
    kubeconfigPath,
    renderKubeconfig(clusters.map(c => ({ ...c, caFile }))),
    { mode: 0o600 },
  );
  return caFile;
}
