// The split panel: the details of the shown action, or the summary of several selected ones.
import SplitPanel from '@cloudscape-design/components/split-panel';
import { type ReactNode, useEffect, useRef } from 'react';
import { ACTION_TYPE_LABELS } from '../common/labels';
import type { InvestigationState } from '../investigations/use-investigation';
import { ActionDetails } from './action-details';
import { SelectionSummary } from './selection-summary';
import type { DecisionFlow } from './use-decision-flow';
import type { Selection } from './use-selection';

export function ActionPanel({
  selection,
  investigation,
  decisions,
  blocker,
}: {
  selection: Selection;
  /** The investigation of the shown action. */
  investigation: InvestigationState;
  decisions: DecisionFlow;
  blocker: string | undefined;
}) {
  const { shown, selected, panel } = selection;
  if (panel === 'details' && shown) {
    return (
      <SplitPanel
        header={`${ACTION_TYPE_LABELS[shown.type]}: ${shown.target.displayName}`}
        closeBehavior="hide"
        data-testid="action-details"
      >
        <PanelFocus
          request={selection.focusRequest}
          label={`Details of ${ACTION_TYPE_LABELS[shown.type]} on ${shown.target.displayName}`}
        >
          <ActionDetails
            action={shown}
            investigation={investigation}
            failure={decisions.failureOf(shown.id)}
            onDismissFailure={decisions.dismissFailure}
            onRecheck={decisions.recheck}
            rechecking={decisions.rechecking}
            onDecide={(decision) => decisions.ask({ decision, actions: [shown] })}
          />
        </PanelFocus>
      </SplitPanel>
    );
  }
  if (panel === 'summary') {
    return (
      <SplitPanel
        header={`${selected.length} actions selected`}
        closeBehavior="hide"
        data-testid="selection-summary"
      >
        <SelectionSummary
          selected={selected}
          blocker={blocker}
          undo={selected.some((a) => a.status !== 'Pending')}
          results={decisions.bulkResults}
        />
      </SplitPanel>
    );
  }
  return null;
}

/** Takes focus when `request` changes, so the keyboard continues where the eye went. */
function PanelFocus({
  request,
  label,
  children,
}: {
  request: number;
  label: string;
  children: ReactNode;
}) {
  const region = useRef<HTMLElement>(null);
  useEffect(() => {
    if (request > 0) region.current?.focus();
  }, [request]);
  return (
    <section
      ref={region}
      tabIndex={-1}
      aria-label={label}
      className="panel-focus"
      data-testid="panel-focus"
    >
      {children}
    </section>
  );
}
