// Deciding from the page: the request the modal confirms (one action, or several of one type),
// then the list brought up to date and a toast; a single decision leaves the panel open on the
// action's new status. A failed one shows in its panel and keeps the typed comment; after a
// network failure, Retry re-reads the action before anything is sent again.
import { useState } from 'react';
import type { Action, BulkOutcome } from '../../../functions/api/schemas';
import type { ActionTab, Decision } from '../api/client';
import { useSession } from '../auth/session-context';
import { useNotifications } from '../common/notifications';
import { type DecisionFailure, decisionFailure } from './decision-errors';
import type { DecisionRequest } from './decision-modal';
import { bulkDecidedNotice, decidedNotice, recheckedNotice } from './decision-notices';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';

export interface DecisionFlow {
  /** What the modal asks to confirm, if anything. */
  request?: DecisionRequest;
  /** The comment typed for the request before a failed attempt, offered again. */
  draft: string;
  ask(request: DecisionRequest): void;
  dismiss(): void;
  busy: boolean;
  confirm(comment: string | undefined): void;
  /** Why the last decision on this action failed, if it did. */
  failureOf(actionId: string): DecisionFailure | undefined;
  dismissFailure(): void;
  /** After a failure that may have been recorded: read the action, then offer the decision again. */
  recheck(): void;
  rechecking: boolean;
  /** How each action of the last bulk undo went, by id (its selection stays to show them). */
  bulkResults?: ReadonlyMap<string, BulkOutcome>;
}

interface Failed {
  actionId: string;
  decision: Decision;
  comment: string;
  failure: DecisionFailure;
}

export function useDecisionFlow(
  tab: ActionTab,
  list: ActionList,
  selection: Pick<Selection, 'select' | 'focus'>,
): DecisionFlow {
  const { api } = useSession();
  const { notify } = useNotifications();
  const [request, setRequest] = useState<DecisionRequest>();
  const [busy, setBusy] = useState(false);
  const [rechecking, setRechecking] = useState(false);
  const [failed, setFailed] = useState<Failed>();
  const [bulkResults, setBulkResults] = useState<ReadonlyMap<string, BulkOutcome>>();

  /** Shows the server's copy: it leaves the Pending list once decided, and the panel shows it. */
  function show(current: Action) {
    if (tab === 'pending' && current.status !== 'Pending') list.remove([current.id]);
    else list.replace(current);
    selection.focus(current);
  }

  async function decideOne(decision: Decision, only: Action, comment: string | undefined) {
    const updated = await api.decide(only.id, decision, comment);
    setFailed(undefined);
    show(updated);
    notify(decidedNotice(decision, only, updated, tab));
  }

  async function decideMany(decision: Decision, actions: Action[], comment: string | undefined) {
    const { results } = await api.decideMany(
      actions.map((a) => a.id),
      decision,
      comment,
    );
    notify(bulkDecidedNotice(decision, actions.length, results));
    if (decision === 'undo') {
      // The undone actions stay selected: the summary shows how each one went.
      setBulkResults(new Map(results.map((r) => [r.id, r.outcome])));
    } else {
      selection.select([]);
    }
    list.refresh();
  }

  async function confirm(comment: string | undefined) {
    if (!request) return;
    const { decision, actions } = request;
    setBusy(true);
    try {
      const [only] = actions;
      if (actions.length === 1 && only) await decideOne(decision, only, comment);
      else await decideMany(decision, actions, comment);
    } catch (error) {
      const [first] = actions;
      const failure = decisionFailure(error, decision);
      if (actions.length === 1 && first) {
        setFailed({ actionId: first.id, decision, comment: comment ?? '', failure });
        const current = (error as { action?: Action }).action;
        if (current) list.replace(current);
      } else {
        notify({ type: 'error', header: failure.header, content: failure.message });
      }
    } finally {
      setBusy(false);
      setRequest(undefined);
    }
  }

  async function recheck() {
    if (!failed) return;
    setRechecking(true);
    try {
      const current = await api.getAction(failed.actionId);
      const stillOpen =
        failed.decision === 'undo'
          ? current.status === 'Completed' && current.undoable
          : current.status === 'Pending';
      if (stillOpen) {
        // Not recorded: the same decision is offered again, with the comment, to confirm.
        list.replace(current);
        setFailed({ ...failed, failure: { ...failed.failure, uncertain: false } });
        setRequest({ decision: failed.decision, actions: [current] });
      } else {
        setFailed(undefined);
        show(current);
        notify(recheckedNotice(current));
      }
    } catch (error) {
      setFailed({ ...failed, failure: decisionFailure(error, failed.decision) });
    } finally {
      setRechecking(false);
    }
  }

  const only = request?.actions.length === 1 ? request.actions[0] : undefined;
  return {
    request,
    draft:
      only && failed?.actionId === only.id && failed.decision === request?.decision
        ? failed.comment
        : '',
    ask: (next) => {
      setBulkResults(undefined);
      setRequest(next);
    },
    dismiss: () => setRequest(undefined),
    busy,
    confirm: (comment) => void confirm(comment),
    failureOf: (actionId) =>
      failed?.actionId === actionId
        ? { ...failed.failure, comment: failed.comment || undefined }
        : undefined,
    dismissFailure: () => setFailed(undefined),
    recheck: () => void recheck(),
    rechecking,
    bulkResults,
  };
}
