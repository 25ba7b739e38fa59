// The Action Center: the Pending and History tabs, the details split panel, single and bulk
// decisions, undo, and the CSV export of what the filters show.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CollectionPreferences from '@cloudscape-design/components/collection-preferences';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import PropertyFilter, {
  type PropertyFilterProps,
} from '@cloudscape-design/components/property-filter';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import SplitPanel from '@cloudscape-design/components/split-panel';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { type Action, HISTORY_WINDOWS, type HistoryWindow } from '../../../functions/api/schemas';
import type { ActionQuery, ActionTab } from '../api/client';
import { mayDecide, mayDecideAny, useSession } from '../auth/session-context';
import { useNow, useStoredState } from '../common/hooks';
import { ACTION_STATUS_INDICATORS, ACTION_TYPE_LABELS } from '../common/labels';
import { useNotifications } from '../common/notifications';
import { hrefOf, navigate } from '../common/route';
import { Shell } from '../common/shell';
import { useInvestigation } from '../investigations/use-investigation';
import { ActionDetails } from './action-details';
import {
  actionColumns,
  contentDisplayOptions,
  defaultPreferences,
  isTablePreferences,
  PAGE_SIZES,
  type TablePreferences,
  withKnownColumns,
} from './columns';
import { type DecisionFailure, decisionFailure } from './decision-errors';
import { DecisionModal, type DecisionRequest } from './decision-modal';
import {
  EMPTY_FILTER,
  filteringOptions,
  filteringProperties,
  filtersOf,
  WINDOW_OPTIONS,
} from './filters';
import { useActionList } from './use-action-list';

const TAB_LABELS: Record<ActionTab, string> = { pending: 'Pending', history: 'History' };

const isFilterQuery = (v: unknown): v is PropertyFilterProps.Query =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as PropertyFilterProps.Query).tokens) &&
  ['and', 'or'].includes((v as PropertyFilterProps.Query).operation);
const isWindow = (v: unknown): v is HistoryWindow => typeof v === 'string' && v in HISTORY_WINDOWS;
const isIdList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((id) => typeof id === 'string');

/** Why the selected actions cannot be decided together, or undefined when they can. */
function bulkBlocker(selected: readonly Action[], canDecide: (a: Action) => boolean) {
  if (selected.length === 0) return 'Select pending actions to decide them.';
  if (selected.some((a) => a.status !== 'Pending')) return 'Only pending actions can be decided.';
  if (new Set(selected.map((a) => a.type)).size > 1) {
    return 'Select actions of one type to decide them together.';
  }
  if (!selected.every(canDecide)) return 'Your roles do not allow deciding these actions.';
  return undefined;
}

function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ActionsPage({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  // Each tab is its own page state: switching tabs starts from that tab's stored filters.
  return <ActionsTab key={tab} tab={tab} actionId={actionId} />;
}

function ActionsTab({ tab, actionId }: { tab: ActionTab; actionId?: string }) {
  const { api, me } = useSession();
  const { notify } = useNotifications();
  const now = useNow(30_000);

  const [storedPreferences, setPreferences] = useStoredState<TablePreferences>(
    `actionCenter.columns.${tab}`,
    defaultPreferences(tab),
    isTablePreferences,
  );
  const preferences = useMemo(
    () => withKnownColumns(tab, storedPreferences),
    [tab, storedPreferences],
  );
  const [filter, setFilter] = useStoredState(
    `actionCenter.filter.${tab}`,
    EMPTY_FILTER,
    isFilterQuery,
    'session',
  );
  const [historyWindow, setHistoryWindow] = useStoredState<HistoryWindow>(
    'actionCenter.window',
    '7d',
    isWindow,
    'session',
  );
  const { filters, ignored } = filtersOf(filter);
  const query: ActionQuery = {
    tab,
    ...(tab === 'history' ? { window: historyWindow } : {}),
    ...filters,
  };
  const list = useActionList(query, preferences.pageSize);

  // The selection survives refreshes and reloads: kept by id, re-read from each fresh list.
  const [storedSelection, setStoredSelection] = useStoredState<string[]>(
    `actionCenter.selection.${tab}`,
    [],
    isIdList,
    'session',
  );
  const selectedIds = useRef(storedSelection);
  const [selected, setSelected] = useState<Action[]>([]);
  const select = (actions: Action[]) => {
    selectedIds.current = actions.map((a) => a.id);
    setStoredSelection(selectedIds.current);
    setSelected(actions);
    if (actions.length > 0) {
      setSplitPanelOpen(true);
      setFocused(undefined);
    }
  };
  useEffect(() => {
    if (list.loading) return;
    const byId = new Map(list.items.map((a) => [a.id, a]));
    setSelected(selectedIds.current.flatMap((id) => byId.get(id) ?? []));
  }, [list.items, list.loading]);

  // A deep link (#/actions/{id}) shows that action even when it is not in the loaded list.
  const [focused, setFocused] = useState<Action>();
  useEffect(() => {
    if (!actionId) return;
    let current = true;
    api
      .getAction(actionId)
      .then((action) => {
        if (!current) return;
        if (action.status !== 'Pending' && tab === 'pending') {
          navigate(hrefOf.tab('history'));
          sessionStorage.setItem('actionCenter.selection.history', JSON.stringify([action.id]));
          return;
        }
        selectedIds.current = [];
        setSelected([]);
        setFocused(action);
        setSplitPanelOpen(true);
      })
      .catch(() => {
        if (current) notify({ type: 'error', header: `Action ${actionId} was not found.` });
      });
    return () => {
      current = false;
    };
  }, [api, actionId, tab, notify]);

  const [splitPanelOpen, setSplitPanelOpen] = useState(true);
  const [sorting, setSorting] = useState<TableProps.SortingState<Action>>();
  const [request, setRequest] = useState<DecisionRequest>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ actionId: string; failure: DecisionFailure }>();
  const [exporting, setExporting] = useState(false);

  const panelAction =
    selected.length === 1 ? selected[0] : selected.length === 0 ? focused : undefined;
  const investigation = useInvestigation(panelAction?.investigationId);
  // The shown action changed on the server (decided, finished): its timeline did too.
  const shownVersion = panelAction ? `${panelAction.id}@${panelAction.updatedAt}` : undefined;
  const lastShown = useRef(shownVersion);
  const { reload: reloadInvestigation } = investigation;
  useEffect(() => {
    const [id] = shownVersion?.split('@') ?? [];
    const [lastId] = lastShown.current?.split('@') ?? [];
    if (shownVersion && id === lastId && shownVersion !== lastShown.current) reloadInvestigation();
    lastShown.current = shownVersion;
  }, [shownVersion, reloadInvestigation]);
  const canDecide = (a: Action) => mayDecide(me, a.category);

  const columns = actionColumns(tab, now, (a) => select([a]));
  const sortedItems = useMemo(() => {
    const column = sorting?.sortingColumn;
    if (!column) return list.items;
    const compare =
      column.sortingComparator ??
      ((x: Action, y: Action) => {
        const key = column.sortingField as keyof Action | undefined;
        return String(key ? x[key] : '').localeCompare(String(key ? y[key] : ''));
      });
    const sorted = [...list.items].sort(compare);
    return sorting?.isDescending ? sorted.reverse() : sorted;
  }, [list.items, sorting]);

  async function confirm(comment: string | undefined) {
    if (!request) return;
    const { decision, actions } = request;
    setBusy(true);
    try {
      const [only] = actions;
      if (actions.length === 1 && only) {
        const updated = await api.decide(only.id, decision, comment);
        setFailure(undefined);
        if (tab === 'pending') {
          list.remove([only.id]);
          select([]);
        } else {
          list.replace(updated);
        }
        const done = { approve: 'Approved', reject: 'Rejected', undo: 'Undone' }[decision];
        const outcome = {
          approve: 'The remediation is running; its result appears in History.',
          reject: 'Nothing was done to the target.',
          undo: `The remediation was reversed (${updated.result?.outcome ?? updated.status}).`,
        }[decision];
        notify({
          type: 'success',
          header: `${done}: ${ACTION_TYPE_LABELS[only.type]} on ${only.target.displayName}`,
          content: outcome,
          action:
            tab === 'pending' ? (
              <Button onClick={() => navigate(hrefOf.tab('history'))}>View history</Button>
            ) : undefined,
        });
      } else if (decision !== 'undo') {
        const { results } = await api.decideMany(
          actions.map((a) => a.id),
          decision,
          comment,
        );
        const counts = new Map<string, number>();
        for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
        const done = decision === 'approve' ? 'approved' : 'rejected';
        const succeeded = counts.get(done) ?? 0;
        const others = [...counts].filter(([outcome]) => outcome !== done);
        notify({
          type: others.length === 0 ? 'success' : succeeded > 0 ? 'warning' : 'error',
          header: `${succeeded} of ${actions.length} actions ${done}`,
          content:
            others.length > 0
              ? `Not decided: ${others.map(([o, n]) => `${n} ${o === 'notFound' ? 'not found' : o}`).join(', ')}.`
              : undefined,
        });
        select([]);
        list.refresh();
      }
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

  async function exportCsv() {
    setExporting(true);
    try {
      const { blob, filename } = await api.exportCsv(query);
      download(blob, filename);
    } catch (error) {
      notify({ type: 'error', header: 'Export failed', content: (error as Error).message });
    } finally {
      setExporting(false);
    }
  }

  const blocker = bulkBlocker(selected, canDecide);
  const decideSelected = (decision: 'approve' | 'reject') =>
    setRequest({ decision, actions: selected });
  const count = `(${list.items.length}${list.nextCursor ? '+' : ''})`;
  const filtered = filter.tokens.length > 0;

  const table = (
    <Table
      data-testid="actions-table"
      items={sortedItems}
      columnDefinitions={columns}
      columnDisplay={preferences.contentDisplay}
      trackBy="id"
      loading={list.loading && list.items.length === 0}
      loadingText={`Loading ${tab === 'pending' ? 'pending actions' : 'history'}`}
      selectionType="multi"
      selectedItems={selected}
      onSelectionChange={({ detail }) => select(detail.selectedItems)}
      onRowClick={({ detail }) => select([detail.item])}
      ariaLabels={{
        selectionGroupLabel: 'Actions',
        allItemsSelectionLabel: () => 'Select all loaded actions',
        itemSelectionLabel: (_, a) =>
          `Select ${ACTION_TYPE_LABELS[a.type]} on ${a.target.displayName}`,
        tableLabel: `${TAB_LABELS[tab]} actions`,
      }}
      sortingColumn={sorting?.sortingColumn}
      sortingDescending={sorting?.isDescending}
      onSortingChange={({ detail }) => setSorting(detail)}
      wrapLines={preferences.wrapLines}
      stripedRows={preferences.stripedRows}
      variant="full-page"
      stickyHeader
      resizableColumns
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={selected.length > 0 ? `(${selected.length}/${list.items.length})` : count}
          description={
            tab === 'pending'
              ? 'Remediation proposed by automated investigations, waiting for a decision. Pending actions expire after 7 days.'
              : 'Decided and finished actions in the chosen window.'
          }
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                iconName="refresh"
                ariaLabel="Refresh"
                loading={list.loading && list.items.length > 0}
                onClick={list.refresh}
                data-testid="refresh"
              />
              <Button
                iconName="download"
                loading={exporting}
                onClick={() => void exportCsv()}
                data-testid="export-csv"
              >
                Export CSV
              </Button>
              {tab === 'pending' && mayDecideAny(me) ? (
                <>
                  <Button
                    disabled={blocker !== undefined}
                    disabledReason={blocker}
                    onClick={() => decideSelected('reject')}
                    data-testid="bulk-reject"
                  >
                    Reject
                  </Button>
                  <Button
                    variant="primary"
                    disabled={blocker !== undefined}
                    disabledReason={blocker}
                    onClick={() => decideSelected('approve')}
                    data-testid="bulk-approve"
                  >
                    Approve
                  </Button>
                </>
              ) : null}
            </SpaceBetween>
          }
        >
          {tab === 'pending' ? 'Pending actions' : 'Action history'}
        </Header>
      }
      filter={
        <SpaceBetween size="xs">
          <PropertyFilter
            query={filter}
            onChange={({ detail }) => {
              setFilter(detail);
            }}
            filteringProperties={filteringProperties(tab)}
            filteringOptions={filteringOptions(tab)}
            filteringPlaceholder="Filter by target name, type, category, severity, source..."
            filteringAriaLabel="Filter actions"
            countText={`${list.items.length}${list.nextCursor ? '+' : ''} matches`}
            hideOperations
            expandToViewport
            customControl={
              tab === 'history' ? (
                <Select
                  selectedOption={WINDOW_OPTIONS.find((o) => o.value === historyWindow) ?? null}
                  options={WINDOW_OPTIONS}
                  onChange={({ detail }) =>
                    setHistoryWindow(detail.selectedOption.value as HistoryWindow)
                  }
                  ariaLabel="Time window"
                  data-testid="history-window"
                />
              ) : undefined
            }
          />
          {ignored.length > 0 ? (
            <Box color="text-status-warning" fontSize="body-s">
              Not applied: {ignored.join('; ')}
            </Box>
          ) : null}
        </SpaceBetween>
      }
      empty={
        list.error ? (
          <Box textAlign="center" color="inherit" data-testid="load-error">
            <SpaceBetween size="xxs">
              <b>Could not load actions</b>
              <Box color="inherit">{list.error.message}</Box>
              <Button onClick={list.refresh}>Retry</Button>
            </SpaceBetween>
          </Box>
        ) : (
          <Box textAlign="center" color="inherit" data-testid="empty-state">
            <SpaceBetween size="xxs">
              <b>
                {filtered ? 'No matches' : tab === 'pending' ? 'No pending actions' : 'No history'}
              </b>
              <Box color="inherit">
                {filtered
                  ? 'No action matches the filters.'
                  : tab === 'pending'
                    ? 'Nothing is waiting for a decision.'
                    : 'No action was decided in this window.'}
              </Box>
              {filtered ? (
                <Button onClick={() => setFilter(EMPTY_FILTER)}>Clear filters</Button>
              ) : null}
            </SpaceBetween>
          </Box>
        )
      }
      footer={
        list.nextCursor ? (
          <Box textAlign="center">
            <Button loading={list.loadingMore} onClick={list.loadMore} data-testid="load-more">
              Load more
            </Button>
          </Box>
        ) : undefined
      }
      preferences={
        <CollectionPreferences
          title="Preferences"
          confirmLabel="Confirm"
          cancelLabel="Cancel"
          preferences={preferences}
          onConfirm={({ detail }) => {
            const next = { ...preferences, ...detail } as TablePreferences;
            if (isTablePreferences(next)) setPreferences(next);
          }}
          pageSizePreference={{
            title: 'Actions per page load',
            options: PAGE_SIZES.map((value) => ({ value, label: `${value} actions` })),
          }}
          wrapLinesPreference={{ label: 'Wrap lines', description: 'Show long values in full' }}
          stripedRowsPreference={{ label: 'Striped rows' }}
          contentDisplayPreference={{
            title: 'Columns',
            description: 'Choose and order the columns; kept for your next visit.',
            options: contentDisplayOptions(tab),
          }}
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

  let splitPanel: ReactNode;
  if (panelAction) {
    splitPanel = (
      <SplitPanel
        header={`${ACTION_TYPE_LABELS[panelAction.type]}: ${panelAction.target.displayName}`}
        closeBehavior="hide"
        data-testid="action-details"
      >
        <ActionDetails
          action={panelAction}
          investigation={investigation}
          failure={failure?.actionId === panelAction.id ? failure.failure : undefined}
          onDismissFailure={() => setFailure(undefined)}
          onDecide={(decision) => setRequest({ decision, actions: [panelAction] })}
        />
      </SplitPanel>
    );
  } else if (selected.length > 1) {
    splitPanel = (
      <SplitPanel
        header={`${selected.length} actions selected`}
        closeBehavior="hide"
        data-testid="selection-summary"
      >
        <SpaceBetween size="m">
          <Box color="text-body-secondary">
            {blocker ?? 'These actions can be decided together with Approve or Reject above.'}
          </Box>
          <Table
            variant="embedded"
            items={selected}
            trackBy="id"
            columnDefinitions={[
              { id: 'target', header: 'Target', cell: (a) => a.target.displayName },
              { id: 'type', header: 'Action type', cell: (a) => ACTION_TYPE_LABELS[a.type] },
              {
                id: 'status',
                header: 'Status',
                cell: (a) => (
                  <StatusIndicator type={ACTION_STATUS_INDICATORS[a.status]}>
                    {a.status}
                  </StatusIndicator>
                ),
              },
            ]}
          />
        </SpaceBetween>
      </SplitPanel>
    );
  }

  return (
    <>
      <Shell
        activeHref={hrefOf.tab(tab)}
        breadcrumbs={[
          { text: 'Action Center', href: hrefOf.tab('pending') },
          { text: TAB_LABELS[tab], href: hrefOf.tab(tab) },
        ]}
        contentType="table"
        content={content}
        splitPanel={splitPanel}
        splitPanelOpen={splitPanelOpen}
        onSplitPanelToggle={setSplitPanelOpen}
      />
      {request ? (
        <DecisionModal
          request={request}
          busy={busy}
          onConfirm={(comment) => void confirm(comment)}
          onDismiss={() => setRequest(undefined)}
        />
      ) : null}
    </>
  );
}
