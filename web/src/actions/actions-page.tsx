// The Action Center: the Pending and History tabs, the details split panel, single and bulk
// decisions, undo, and the CSV export of what the filters show. Composes the hooks and parts.
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { mayDecide, useSession } from '../auth/session-context';
import { TAB_LABELS } from '../common/labels';
import { hrefOf, navigate } from '../common/route';
import { Shell } from '../common/shell';
import { ActionPanel } from './action-panel';
import { ActionsHeader } from './actions-header';
import { ActionsTable } from './actions-table';
import { bulkBlocker } from './bulk-blocker';
import { DecisionModal } from './decision-modal';
import { useActionList } from './use-action-list';
import { useCsvExport } from './use-csv-export';
import { useDecisionFlow } from './use-decision-flow';
import { useDeepLink } from './use-deep-link';
import { useSelection } from './use-selection';
import { useShownInvestigation } from './use-shown-investigation';
import { useSorting } from './use-sorting';
import { useTabView } from './use-tab-view';

export function ActionsPage({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  // Each tab is its own page state: switching tabs starts from that tab's stored filters.
  return <ActionsTab key={tab} tab={tab} actionId={actionId} />;
}

function ActionsTab({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  const { me } = useSession();
  const view = useTabView(tab);
  const list = useActionList(view.query, view.preferences.pageSize);
  const selection = useSelection(tab, list);
  useDeepLink(tab, actionId, selection.focus);
  const sorting = useSorting(list.items);
  const investigation = useShownInvestigation(selection.shown);
  const decisions = useDecisionFlow(tab, list, selection.select);
  const csv = useCsvExport(view.query);
  const blocker = bulkBlocker(selection.selected, (a: Action) => mayDecide(me, a.category));

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
          busy={decisions.busy}
          onConfirm={decisions.confirm}
          onDismiss={decisions.dismiss}
        />
      ) : null}
    </>
  );
}
