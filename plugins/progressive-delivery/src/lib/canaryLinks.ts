import { CanaryLink } from '@progressive-delivery/plugin-progressive-delivery-common';

const ORDER: Record<CanaryLink['kind'], number> = { grafana: 0, kiali: 1 };

/**
 * The links out of a canary that may be shown as buttons: http(s) URLs only (a URL built from
 * a template and object names must never become a `javascript:` link), Grafana before Kiali.
 */
export function shownLinks(links: CanaryLink[] | undefined): CanaryLink[] {
  return (links ?? [])
    .filter(link => {
      try {
        const { protocol } = new URL(link.url);
        return protocol === 'https:' || protocol === 'http:';
      } catch {
        return false;
      }
    })
    .sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}
