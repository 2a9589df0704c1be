// The service proxy's URL rules live with the other cluster calls, shared with the analysis.
export { parseServiceUrl, serviceProxyPath } from '../watch/serviceProxy';
export type { ServiceTarget } from '../watch/serviceProxy';

/**
 * The loadtester endpoint that opens or closes the gate a `.../check` webhook asks, as
 * flagger-loadtester serves them: `/gate/check` -> `/gate/open|close`, `/rollback/check` ->
 * `/rollback/open|close` (a path prefix before them is kept).
 */
export function gateEndpoint(
  checkPath: string,
  verb: 'open' | 'close',
): string | undefined {
  // Plain segments only: nothing encoded and no dot segments that could climb out of the proxy.
  const match =
    /^((?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/(gate|rollback))\/check\/?$/.exec(
      checkPath,
    );
  return match ? `${match[1]}/${verb}` : undefined;
}
