import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  FLUX_ACTION_KINDS,
  FluxActionKind,
  FluxActionName,
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import express from 'express';
import { ObjectOwnership } from '../resolve/ObjectOwnership';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { ClusterConfig } from '../watch/WatchConfig';
import { ActionsConfig } from './ActionsConfig';
import { CanaryActions } from './CanaryActions';
import { actionClientsFor, withActionCaller } from './ClusterActionClient';
import { FluxActions } from './FluxActions';
import { OutcomeUnknownError } from './outcomeUnknown';

const PERMISSIONS: Record<
  CanaryActionName | FluxActionName,
  ResourcePermission<'catalog-entity'>
> = {
  approve: progressiveDeliveryCanaryApprovePermission,
  halt: progressiveDeliveryCanaryRollbackPermission,
  rollback: progressiveDeliveryCanaryRollbackPermission,
  reconcile: progressiveDeliveryFluxReconcilePermission,
  suspend: progressiveDeliveryFluxSuspendPermission,
  resume: progressiveDeliveryFluxSuspendPermission,
};

/** A user action that went through, for the rollout recorder. */
export interface PerformedAction {
  cluster: string;
  namespace: string;
  name: string;
  kind: string;
  action: CanaryActionName | FluxActionName;
  /** The user's entity ref, or the service principal's subject. */
  actor: string;
  at: Date;
}

export interface ActionTarget {
  cluster: string;
  namespace: string;
  name: string;
  /** `canaries` or a Flux kind's lower-case plural. */
  kind: 'canaries' | FluxActionKind;
  action: CanaryActionName | FluxActionName;
}

/** Who asks for an action: an HTTP request, or credentials alone (a tool). */
type ActionCaller =
  | {
      request: express.Request;
      credentials?: undefined;
      /** The user's own cluster token, for clusters that sign in as the user. */
      userClusterToken?: string;
    }
  | {
      credentials: BackstageCredentials;
      request?: undefined;
      userClusterToken?: undefined;
    };

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * Runs a user's action on a canary or Flux object: finds the catalog entity that owns the
 * object, checks the action's resource permission on it, audits who did what where and how it
 * ended, and only then writes to the cluster.
 */
export class DeliveryActions {
  private readonly listeners = new Set<(action: PerformedAction) => void>();

  private constructor(
    private readonly options: {
      store: ObjectStore;
      events: EventHistory;
      clusterNames: () => string[];
      ownership: ObjectOwnership;
      permissions: PermissionsService;
      httpAuth: HttpAuthService;
      auditor: AuditorService;
      canaryActions: CanaryActions;
      fluxActions: FluxActions;
    },
  ) {}

  static create(options: {
    store: ObjectStore;
    events: EventHistory;
    /** The configured clusters, which the actions write to. */
    clusters: ClusterConfig[];
    /** The clusters being watched. */
    clusterNames: () => string[];
    ownership: ObjectOwnership;
    permissions: PermissionsService;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    /** The cluster call timeout and where gates may be called. */
    config: ActionsConfig;
  }): DeliveryActions {
    const { clusters, config, ...rest } = options;
    const clientFor = actionClientsFor(clusters, config.clusterCallTimeoutMs);
    return new DeliveryActions({
      ...rest,
      canaryActions: new CanaryActions(clientFor, config.gates),
      fluxActions: new FluxActions(options.store, clientFor),
    });
  }

  /** Tells `listener` about every action that succeeded; returns the unsubscribe. */
  onPerformed(listener: (action: PerformedAction) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * An action requested over HTTP: the caller's credentials and the request go to the audit.
   * `userClusterToken` (the `Backstage-Kubernetes-Authorization` header's) is what a cluster
   * that signs in as the user (aks, google, oidc) is called with.
   */
  async run(
    req: express.Request,
    target: ActionTarget,
    body: ActionRequest,
    userClusterToken?: string,
  ): Promise<ActionResponse> {
    return this.runFor({ request: req, userClusterToken }, target, body);
  }

  /**
   * The same action for a caller known only by its credentials (the tools of the actions
   * registry): the auditor cannot read who acts from a request, so the event's meta names the
   * actor.
   */
  async runAs(
    credentials: BackstageCredentials,
    target: ActionTarget,
    body: ActionRequest,
  ): Promise<ActionResponse> {
    return this.runFor({ credentials }, target, body);
  }

  private async runFor(
    caller: ActionCaller,
    target: ActionTarget,
    body: ActionRequest,
  ): Promise<ActionResponse> {
    const kind =
      target.kind === 'canaries' ? 'Canary' : FLUX_ACTION_KINDS[target.kind];
    const permission = PERMISSIONS[target.action];
    const where = {
      cluster: target.cluster,
      kind,
      namespace: target.namespace,
      name: target.name,
    };
    const auditEvent = await this.options.auditor.createEvent({
      eventId: target.kind === 'canaries' ? 'canary-action' : 'flux-action',
      severityLevel: 'medium',
      ...(caller.request ? { request: caller.request } : {}),
      meta: {
        actionType: target.action,
        permission: permission.name,
        ...where,
        ...(body.entityRef ? { requestedEntityRef: body.entityRef } : {}),
        ...(caller.credentials ? { actor: actorOf(caller.credentials) } : {}),
      },
    });
    try {
      const credentials =
        caller.credentials === undefined
          ? await this.options.httpAuth.credentials(caller.request)
          : caller.credentials;
      const result = await withActionCaller(
        {
          via: caller.request ? 'http' : 'tool',
          userClusterToken: caller.userClusterToken,
        },
        () => this.perform(target, kind, permission, body, credentials),
      );
      await auditEvent.success({
        meta: { entityRef: result.entityRef, result: result.message },
      });
      const performed: PerformedAction = {
        ...where,
        action: target.action,
        actor: actorOf(credentials),
        at: new Date(),
      };
      for (const listener of this.listeners) {
        try {
          listener(performed);
        } catch {
          // The action happened; a listener's trouble does not change that.
        }
      }
      return result;
    } catch (error) {
      // The auditor knows succeeded and failed only: an unknown outcome ends as failed with
      // meta.outcome 'unknown' and the OutcomeUnknownError saying it may have happened.
      await auditEvent.fail({
        error: error as Error,
        ...(error instanceof OutcomeUnknownError
          ? { meta: { outcome: 'unknown' } }
          : {}),
      });
      throw error;
    }
  }

  private async perform(
    target: ActionTarget,
    kind: string,
    permission: ResourcePermission<'catalog-entity'>,
    body: ActionRequest,
    credentials: BackstageCredentials,
  ): Promise<ActionResponse> {
    const { cluster, namespace, name, action } = target;
    const id = `${kind} ${namespace}/${name} in cluster ${cluster}`;
    if (!this.options.clusterNames().includes(cluster)) {
      throw new NotFoundError(`No cluster named ${cluster} is configured`);
    }
    const object = this.options.store.get(cluster, kind, namespace, name);
    if (!object) {
      throw new NotFoundError(`${id} does not exist (or is not watched)`);
    }
    const entity = await this.authorizedOwner(
      { cluster, kind, namespace, name },
      id,
      action,
      permission,
      body.entityRef,
      credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    if (target.kind === 'canaries') {
      const result = await this.options.canaryActions.run(
        cluster,
        object,
        this.options.events.eventsFor(cluster, namespace, name),
        action as CanaryActionName,
      );
      return { ...result, entityRef };
    }
    const result = await this.options.fluxActions.run(
      cluster,
      object,
      action as FluxActionName,
      { withSource: body.withSource },
    );
    return { ...result, entityRef };
  }

  /** The owning entity on which the caller holds the permission, or 403/404 saying why not. */
  private async authorizedOwner(
    ref: { cluster: string; kind: string; namespace: string; name: string },
    id: string,
    action: string,
    permission: ResourcePermission<'catalog-entity'>,
    requested: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    let owners = await this.options.ownership.ownersOf(ref, credentials);
    if (owners.length === 0) {
      throw new NotFoundError(
        `No catalog entity you can see owns ${id}; actions are allowed through the entity whose annotations select the object`,
      );
    }
    if (requested) {
      owners = owners.filter(e => stringifyEntityRef(e) === requested);
      if (owners.length === 0) {
        throw new InputError(`${requested} does not own ${id}`);
      }
    }
    const decisions = await this.options.permissions.authorize(
      owners.map(e => ({ permission, resourceRef: stringifyEntityRef(e) })),
      { credentials },
    );
    const allowed = owners.find(
      (_, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );
    if (!allowed) {
      throw new NotAllowedError(
        `Not allowed to ${action} ${id}: that needs the permission ${
          permission.name
        } on ${owners.map(e => stringifyEntityRef(e)).join(' or ')}`,
      );
    }
    return allowed;
  }
}
