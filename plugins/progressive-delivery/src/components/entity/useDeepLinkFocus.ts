import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';

/** What a link into the Delivery tab may point at (notifications link here). */
export interface DeliveryDeepLink {
  cluster: string;
  /** `<namespace>/<name>` of the canary. */
  canary: string;
  /** `approve`: focus the canary's approve button once it is shown. */
  action?: string;
}

/** Reads `?cluster=&canary=[&action=approve]` from a Delivery tab URL. */
export function readDeliveryDeepLink(
  search: string,
): DeliveryDeepLink | undefined {
  const params = new URLSearchParams(search);
  const cluster = params.get('cluster');
  const canary = params.get('canary');
  if (!cluster || !canary || !/^[^/]+\/[^/]+$/.test(canary)) {
    return undefined;
  }
  return { cluster, canary, action: params.get('action') ?? undefined };
}

function approveButton(panel: Element): HTMLButtonElement | undefined {
  return Array.from(panel.querySelectorAll('button')).find(b =>
    /^approve/i.test(b.textContent?.trim() ?? ''),
  );
}

/** Scrolls to the linked canary once and focuses its approve button; true when done. */
function focusTarget(
  link: DeliveryDeepLink,
  done: { scrolled?: boolean; focused?: boolean },
): boolean {
  const testId = `canary-${link.cluster}-${link.canary}`;
  const panel = Array.from(document.querySelectorAll('[data-testid]')).find(
    e => e.getAttribute('data-testid') === testId,
  );
  if (!panel) return false;
  if (!done.scrolled) {
    panel.scrollIntoView?.({ block: 'start' });
    done.scrolled = true;
  }
  if (link.action !== 'approve') return true;
  const button = approveButton(panel);
  if (!button) return false;
  button.focus();
  done.focused = true;
  return true;
}

/**
 * Follows a link to one canary on the Delivery tab: scrolls its panel into view once it is
 * rendered and, for `action=approve`, focuses its approve button once the button is there
 * (after the permission check). Nothing is clicked: the user still confirms.
 */
export function useDeepLinkFocus(renderedAt: string | undefined): void {
  const { search } = useLocation();
  const done = useRef<{ scrolled?: boolean; focused?: boolean }>({});
  useEffect(() => {
    const link = readDeliveryDeepLink(search);
    if (!link || done.current.focused) {
      return undefined;
    }
    // The panel comes with the state, the button only after its permission check: look
    // again every 200 ms (for at most 30 s after each new state) until both are there.
    const started = Date.now();
    const timer = setInterval(() => {
      if (focusTarget(link, done.current) || Date.now() - started > 30_000) {
        clearInterval(timer);
      }
    }, 200);
    return () => clearInterval(timer);
  }, [search, renderedAt]);
}
