// Deciding from the page: the request the modal confirms (one action, or several of one type),
// then the list brought up to date and a message; a failed single decision shows in its panel.
import { useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useSession } from '../auth/session-context';
import { useNotifications } from '../common/notifications';
import { type DecisionFailure, decisionFailure } from './decision-errors';
import type { DecisionRequest } from './decision-modal';
import { bulkDecidedNotice, decidedNotice } from './decision-notices';
import type { ActionList } from './use-action-list';

export interface DecisionFlow {
  /** What the modal asks to confirm, if anything. */
  request?: DecisionRequest;
  ask(request: DecisionRequest): void;
  dismiss(): void;
  busy: boolean;
  confirm(comment: string | undefined): void;
  /** Why the last decision on this action failed, if it did. */
  failureOf(actionId: string): DecisionFailure | undefined;
  dismissFailure(): void;
}

export function useDecisionFlow(
  tab: ActionTab,
  list: ActionList,
  select: (actions: Action[]) => void,
): DecisionFlow {
  const { api } = useSession();
  const { notify } = useNotifications();
  const [request, setRequest] = useState<DecisionRequest>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ actionId: string; failure: DecisionFailure }>();

  async function decideOne(request: DecisionRequest, only: Action, comment: string | undefined) {
    const updated = await api.decide(only.id, request.decision, comment);
    setFailure(undefined);
    if (tab === 'pending') {
      list.remove([only.id]);
      select([]);
    } else {
      list.replace(updated);
    }
    notify(decidedNotice(request.decision, only, updated, tab));
  }

  async function decideMany(
    decision: 'approve' | 'reject',
    actions: Action[],
    comment: string | undefined,
  ) {
    const { results } = await api.decideMany(
      actions.map((a) => a.id),
      decision,
      comment,
    );
    notify(bulkDecidedNotice(decision, actions.length, results));
    select([]);
    list.refresh();
  }

  async function confirm(comment: string | undefined) {
    if (!request) return;
    const { decision, actions } = request;
    setBusy(true);
    try {
      const [only] = actions;
      if (actions.length === 1 && only) await decideOne(request, only, comment);
      else if (decision !== 'undo') await decideMany(decision, actions, comment);
    } catch (error) {
      const [first] = actions;
      const reason = decisionFailure(error, decision);
      if (actions.length === 1 && first) {
        setFailure({ actionId: first.id, failure: reason });
        const current = (error as { action?: Action }).action;
        if (current) list.replace(current);
      } else {
        notify({ type: 'error', header: reason.header, content: reason.message });
      }
    } finally {
      setBusy(false);
      setRequest(undefined);
    }
  }

  return {
    request,
    ask: setRequest,
    dismiss: () => setRequest(undefined),
    busy,
    confirm: (comment) => void confirm(comment),
    failureOf: (actionId) => (failure?.actionId === actionId ? failure.failure : undefined),
    dismissFailure: () => setFailure(undefined),
  };
}
