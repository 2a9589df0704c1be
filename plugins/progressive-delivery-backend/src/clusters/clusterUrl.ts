import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { CatalogLocatorOptions } from './readClusterLocators';

/*
 * The Kubernetes plugin's check of a catalog cluster's API server URL
 * (cluster-locator/validateClusterApiServerUrl in @backstage/plugin-kubernetes-backend 0.21.11,
 * not exported): an entity anyone can register must not point the backend's credentials at a
 * private address unless the locator's dangerouslyAllowClusterUrls names the host.
 */

function isNonPublicIp(ip: string): boolean {
  try {
    return ipaddr.parse(ip).range() !== 'unicast';
  } catch {
    return true;
  }
}

function hostnameMatches(hostname: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    return hostname.endsWith(p.slice(1)) || hostname === p.slice(2);
  }
  return hostname === p;
}

/** Throws with the reason when the URL may not be used for a catalog cluster. */
export async function validateClusterApiServerUrl(
  apiServerUrl: string | undefined,
  options: CatalogLocatorOptions,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(apiServerUrl ?? '');
  } catch {
    throw new Error('Kubernetes cluster API server URL is not a valid URL');
  }
  if (url.username || url.password) {
    throw new Error(
      'Kubernetes cluster API server URL must not contain credentials',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      'Kubernetes cluster API server URL must use the HTTP or HTTPS scheme',
    );
  }
  const hostname = url.hostname.toLowerCase();
  const exempt = (options.dangerouslyAllowClusterUrls ?? []).some(p =>
    hostnameMatches(hostname, p),
  );
  if (exempt) {
    return url;
  }
  if (url.protocol !== 'https:') {
    throw new Error(
      'Kubernetes cluster API server URL must use the HTTPS scheme',
    );
  }
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) {
    if (isNonPublicIp(bare)) {
      throw new Error(
        'Kubernetes cluster API server URL must not use a non-public IP address',
      );
    }
    return url;
  }
  const addresses = await lookup(hostname, { all: true });
  if (addresses.some(a => isNonPublicIp(a.address))) {
    throw new Error(
      `Kubernetes cluster API server URL hostname "${hostname}" resolves to a non-public address`,
    );
  }
  return url;
}
