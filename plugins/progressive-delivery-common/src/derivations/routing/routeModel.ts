import { IstioRoute } from '../../api';

/** A route read from a router object, with what decides its part in the split. */
export interface ReadRoute {
  route: IstioRoute;
  /** Its matches narrow it to some clients (A/B conditions or a sticky cookie). */
  selective: boolean;
  /** A destination sets the session-affinity cookie: the weighted route of session affinity. */
  setsCookie: boolean;
}

/** Whether a header list (`[{name, value}]` or a `{name: value}` map) holds Set-Cookie. */
export function hasSetCookie(headers: unknown): boolean {
  if (Array.isArray(headers)) {
    return headers.some(
      header =>
        typeof header === 'object' &&
        header !== null &&
        String((header as { name?: unknown }).name).toLowerCase() ===
          'set-cookie',
    );
  }
  if (typeof headers === 'object' && headers !== null) {
    return Object.keys(headers).some(key => key.toLowerCase() === 'set-cookie');
  }
  return false;
}
