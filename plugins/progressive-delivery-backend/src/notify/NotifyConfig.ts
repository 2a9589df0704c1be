import { Config } from '@backstage/config';

/** `progressiveDelivery.notifications`, and where links point. */
export interface NotifyConfig {
  /** Notify owners at all. Default true. */
  enabled: boolean;
  /** Also when a rollout succeeds. Default false. */
  onSuccess: boolean;
  /**
   * The frontend's base URL (`app.baseUrl`, without a trailing slash); links are relative to the
   * app (`/catalog/...`) when it is not configured.
   */
  appBaseUrl: string;
}

/** Reads `progressiveDelivery.notifications` and `app.baseUrl`; wrong types throw naming the key. */
export function readNotifyConfig(root: Config): NotifyConfig {
  const section = root.getOptionalConfig('progressiveDelivery.notifications');
  const baseUrl = root.getOptionalString('app.baseUrl') ?? '';
  if (baseUrl && !/^https?:\/\//.test(baseUrl)) {
    throw new Error(
      `app.baseUrl must be an http(s) URL for the links in progressive-delivery notifications, got ${baseUrl}`,
    );
  }
  return {
    enabled: section?.getOptionalBoolean('enabled') ?? true,
    onSuccess: section?.getOptionalBoolean('onSuccess') ?? false,
    appBaseUrl: baseUrl.replace(/\/+$/, ''),
  };
}
