import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DeliveryActionRunner, registerActionTools } from './actionTools';
import { DeliveryStateReader, registerReadTools } from './readTools';

/**
 * Registers the plugin's tools with Backstage's actions registry (served to MCP clients by
 * `@backstage/plugin-mcp-actions-backend` when `backend.actions.pluginSources` lists
 * `progressive-delivery`): two read tools and six action tools, each calling what the HTTP
 * route calls, with the caller's credentials from the registry. None without a registry.
 */
export function registerDeliveryTools(
  registry: ActionsRegistryService | undefined,
  options: { service: DeliveryStateReader; actions: DeliveryActionRunner },
): void {
  if (!registry) {
    return;
  }
  registerReadTools(registry, options.service);
  registerActionTools(registry, options.actions);
}
