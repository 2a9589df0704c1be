import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { KubeConfig } from '@kubernetes/client-node';
import { loadStrategyClass as load } from './kubernetesBackendModules';

/** How each provider signs in, for messages. */
const SOURCE_DESCRIPTIONS: Record<string, string> = {
  serviceAccount:
    'the serviceAccount strategy (the configured serviceAccountToken)',
  azure: 'the azure strategy (Workload Identity / DefaultAzureCredential)',
  aws: 'the aws strategy (AWS IAM, a signed STS GetCallerIdentity token)',
  googleServiceAccount:
    'the googleServiceAccount strategy (Google service account credentials)',
  localKubectlProxy:
    'the localKubectlProxy strategy (anonymous, kubectl proxy)',
};

/** Words for a provider's credential in messages. */
export function describeStrategy(provider: string): string {
  return SOURCE_DESCRIPTIONS[provider] ?? `the ${provider} strategy`;
}

/**
 * The Kubernetes plugin's `ServiceAccountStrategy`, handed the `@kubernetes/client-node` this
 * package already loaded: it imports it dynamically otherwise, on every call (its own tests
 * hand it in the same way), which a CommonJS test runner cannot do.
 */
function serviceAccountStrategy(): AuthenticationStrategy {
  const ServiceAccountStrategy = load('ServiceAccountStrategy');
  return Object.assign(new ServiceAccountStrategy(), {
    injectedKubernetesClient: { KubeConfig },
  });
}

/**
 * The Kubernetes plugin's authentication strategies by provider name, built as its
 * `buildDefaultAuthStrategyMap` builds them (each on first use, so an unused Azure or AWS SDK
 * is never set up), and the ones modules add through the extension point, which win.
 */
export class AuthStrategies {
  private readonly added = new Map<string, AuthenticationStrategy>();
  private readonly built = new Map<string, AuthenticationStrategy>();
  private readonly defaults: Record<string, () => AuthenticationStrategy>;

  constructor(options: { logger: LoggerService; config: RootConfigService }) {
    const { logger, config } = options;
    this.defaults = {
      aks: () => new (load('AksStrategy'))(),
      aws: () => new (load('AwsIamStrategy'))({ config }),
      azure: () => new (load('AzureIdentityStrategy'))(logger),
      google: () => new (load('GoogleStrategy'))(),
      googleServiceAccount: () =>
        new (load('GoogleServiceAccountStrategy'))({ config }),
      localKubectlProxy: () => new (load('AnonymousStrategy'))(),
      oidc: () => new (load('OidcStrategy'))(),
      serviceAccount: serviceAccountStrategy,
    };
  }

  /** A module's strategy for a provider (replaces the default one). */
  add(provider: string, strategy: AuthenticationStrategy): void {
    if (/[^a-zA-Z]/.test(provider)) {
      throw new Error(
        `Strategy name can not include dashes or other special characters: ${provider}`,
      );
    }
    this.added.set(provider, strategy);
  }

  /** Whether a module added the provider's strategy. */
  isAdded(provider: string): boolean {
    return this.added.has(provider);
  }

  /** The provider's strategy, or undefined when there is none. */
  get(provider: string): AuthenticationStrategy | undefined {
    const added = this.added.get(provider);
    if (added) {
      return added;
    }
    let strategy = this.built.get(provider);
    if (!strategy && this.defaults[provider]) {
      strategy = this.defaults[provider]();
      this.built.set(provider, strategy);
    }
    return strategy;
  }
}
