// The decision history of one action: proposed, decided, finished, with who and the comment or
// result; from the investigation's timeline, or from the action itself while that is loading.
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import type { Action, TimelineEvent } from '../../../functions/api/schemas';
import { formatExactTime, SOURCE_LABELS } from '../common/labels';

/** The action's own history: proposed, decided, finished; from the investigation timeline. */
function historyOf(
  action: Action,
  timeline: readonly TimelineEvent[] | undefined,
): TimelineEvent[] {
  const events = timeline?.filter((e) => e.actionId === action.id) ?? [];
  if (events.length > 0) return events;
  const fallback: TimelineEvent[] = [
    { at: action.createdAt, event: 'ActionProposed', status: 'Pending' },
  ];
  if (action.decision) {
    fallback.push({
      at: action.decision.at,
      event: action.status === 'Rejected' ? 'ActionRejected' : 'ActionApproved',
      status: action.status === 'Rejected' ? 'Rejected' : 'Approved',
      by: action.decision.by,
    });
  }
  return fallback;
}

const eventLabel = (event: string) =>
  event.replace(/^Action/, '').replace(/([a-z])([A-Z])/g, '$1 $2');

function noteOf(action: Action, event: TimelineEvent): string | undefined {
  if (/Approved|Rejected/.test(event.event) && action.decision) {
    const auto = action.decision.automated ? 'Automated decision. ' : '';
    return `${auto}${action.decision.comment ?? ''}`.trim() || undefined;
  }
  if (action.result && event.at === action.result.at) {
    return [action.result.outcome, action.result.detail].filter(Boolean).join(': ');
  }
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
