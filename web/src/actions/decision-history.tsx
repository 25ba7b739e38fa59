// The decision history of one action: proposed, decided, finished, undone, with who and the
// comment or result; from the investigation's timeline (reloaded when the action changes), or from
// the action itself (the API's own timelineOf) while that is loading.
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import type { Action, TimelineEvent } from '../../../functions/api/schemas';
import { timelineOf } from '../../../functions/core/investigation-status';
import { formatExactTime, SOURCE_LABELS } from '../common/labels';

/** The action's own history: proposed, decided, finished, undone. */
export function historyOf(
  action: Action,
  timeline: readonly TimelineEvent[] | undefined,
): TimelineEvent[] {
  const events = timeline?.filter((e) => e.actionId === action.id) ?? [];
  return events.length > 0 ? events : timelineOf([action]);
}

const eventLabel = (event: string) =>
  event.replace(/^Action/, '').replace(/([a-z])([A-Z])/g, '$1 $2');

const resultText = (result: NonNullable<Action['result']>) =>
  [result.outcome, result.detail].filter(Boolean).join(': ');

function noteOf(action: Action, event: TimelineEvent): string | undefined {
  if (/Approved|Rejected/.test(event.event) && action.decision) {
    const auto = action.decision.automated ? 'Automated decision. ' : '';
    return `${auto}${event.comment ?? action.decision.comment ?? ''}`.trim() || undefined;
  }
  if (event.event === 'ActionUndone') {
    const comment = event.comment ?? action.undone?.comment;
    const result = action.result ? resultText(action.result) : undefined;
    return [comment, result && `(${result})`].filter(Boolean).join(' ') || undefined;
  }
  if (event.event === 'UndoRequested') return event.comment;
  // An undone action's `result` is the undo's; the remediation's is kept as `undone.reversed`.
  const finished = action.status === 'Undone' ? action.undone?.reversed : action.result;
  if (finished && event.at === finished.at) return resultText(finished);
  return undefined;
}

export function DecisionHistory({
  action,
  timeline,
}: {
  action: Action;
  timeline: readonly TimelineEvent[] | undefined;
}) {
  return (
    <Table
      variant="embedded"
      data-testid="decision-history"
      header={<Header variant="h3">Decision history</Header>}
      items={historyOf(action, timeline)}
      trackBy={(e) => `${e.at}-${e.event}`}
      columnDefinitions={[
        { id: 'at', header: 'Time', cell: (e) => formatExactTime(e.at) },
        { id: 'event', header: 'Event', cell: (e) => eventLabel(e.event) },
        {
          id: 'by',
          header: 'By',
          cell: (e) => e.by ?? (e.event === 'ActionProposed' ? SOURCE_LABELS[action.source] : '-'),
        },
        {
          id: 'note',
          header: 'Comment or result',
          cell: (e) => noteOf(action, e) ?? '-',
        },
      ]}
    />
  );
}
