// The Action Center: the Pending and History tabs, the details split panel, single and bulk
// decisions, undo, and the CSV export of what the filters show. Composes the hooks and parts.
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { mayDecide, useSession } from '../auth/session-context';
import { TAB_LABELS } from '../common/labels';
import { hrefOf, navigate } from '../common/route';
import { Shell } from '../common/shell';
import { ActionPanel } from './action-panel';
import { ActionsHeader } from './actions-header';
import { ActionsTable } from './actions-table';
import { tabBlocker } from './bulk-blocker';
import { isOpenToDecision } from './decision-buttons';
import { DecisionModal } from './decision-modal';
import { ShortcutsHelp } from './shortcuts-help';
import { useActionList } from './use-action-list';
import { useCsvExport } from './use-csv-export';
import { useDecisionFlow } from './use-decision-flow';
import { useDeepLink } from './use-deep-link';
import { useLiveExpiry } from './use-live-expiry';
import { useSelection } from './use-selection';
import { useShortcuts } from './use-shortcuts';
import { useShownInvestigation } from './use-shown-investigation';
import { useShownProgress } from './use-shown-progress';
import { useSorting } from './use-sorting';
import { useTabView } from './use-tab-view';

/** Where the "Skip to the list" link takes focus. */
export const LIST_ID = 'action-list';

export function ActionsPage({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  // Each tab is its own page state: switching tabs starts from that tab's stored filters.
  return <ActionsTab key={tab} tab={tab} actionId={actionId} />;
}

function ActionsTab({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  const { me } = useSession();
  const view = useTabView(tab);
  const sorting = useSorting(tab);
  const query = { ...view.query, ...sorting.query };
  const list = useActionList(query, view.preferences.pageSize);
  const selection = useSelection(tab, list);
  useDeepLink(tab, actionId, selection.focus);
  const investigation = useShownInvestigation(selection.shown);
  const decisions = useDecisionFlow(tab, list, selection);
  const csv = useCsvExport(query);
  const blocker = tabBlocker(tab, selection.selected, (a: Action) => mayDecide(me, a.category));
  const [helpOpen, setHelpOpen] = useState(false);
  useLiveExpiry(tab, list, selection);
  useShownProgress(list, selection);
  useShortcuts({
    items: list.items,
    shown: selection.shown,
    show: (action) => selection.select([action]),
    decide: (decision) => {
      const { shown } = selection;
      if (shown?.status === 'Pending' && isOpenToDecision(shown) && mayDecide(me, shown.category)) {
        decisions.ask({ decision, actions: [shown] });
      }
    },
    dialogOpen: Boolean(decisions.request) || helpOpen,
    showHelp: () => setHelpOpen(true),
  });

  const table = (
    <ActionsTable
      tab={tab}
      view={view}
      list={list}
      selection={selection}
      sorting={sorting}
      header={
        <ActionsHeader
          tab={tab}
          list={list}
          selectedCount={selection.selected.length}
          csv={csv}
          blocker={blocker}
          onDecide={(decision) => decisions.ask({ decision, actions: selection.selected })}
        />
      }
    />
  );

  const content = (
    <ContentLayout disableOverlap>
      <SpaceBetween size="m">
        {list.error && list.items.length > 0 ? (
          <Alert
            type="error"
            header="Could not refresh"
            action={<Button onClick={list.refresh}>Retry</Button>}
          >
            {list.error.message}
          </Alert>
        ) : null}
        <section id={LIST_ID} tabIndex={-1} aria-label={`${TAB_LABELS[tab]} actions list`}>
          <Tabs
            activeTabId={tab}
            onChange={({ detail }) => navigate(hrefOf.tab(detail.activeTabId as ActionTab))}
            tabs={(['pending', 'history'] as const).map((id) => ({
              id,
              label: TAB_LABELS[id],
              href: hrefOf.tab(id),
              content: id === tab ? table : null,
            }))}
          />
        </section>
      </SpaceBetween>
    </ContentLayout>
  );

  return (
    <>
      <Shell
        activeHref={hrefOf.tab(tab)}
        breadcrumbs={[{ text: TAB_LABELS[tab], href: hrefOf.tab(tab) }]}
        contentType="table"
        content={content}
        splitPanel={
          selection.panel === 'none' ? undefined : (
            <ActionPanel
              selection={selection}
              investigation={investigation}
              decisions={decisions}
              blocker={blocker}
            />
          )
        }
        splitPanelOpen={selection.panelOpen}
        onSplitPanelToggle={selection.setPanelOpen}
      />
      {decisions.request ? (
        <DecisionModal
          request={decisions.request}
          initialComment={decisions.draft}
          busy={decisions.busy}
          onConfirm={decisions.confirm}
          onDismiss={decisions.dismiss}
        />
      ) : null}
      {helpOpen ? <ShortcutsHelp onDismiss={() => setHelpOpen(false)} /> : null}
    </>
  );
}
