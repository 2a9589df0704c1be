/** Labels kustomize-controller sets on everything it applies. */
export function kustomizeOwnerLabels(
  name: string,
  namespace: string,
): Record<string, string> {
  return {
    'kustomize.toolkit.fluxcd.io/name': name,
    'kustomize.toolkit.fluxcd.io/namespace': namespace,
  };
}
