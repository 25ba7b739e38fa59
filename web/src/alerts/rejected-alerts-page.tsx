// Events of enabled alert sources that could not be mapped, the last 30 days, newest first: why
// each was refused and its body as plain text, so nothing sent is lost without a trace.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import SplitPanel from '@cloudscape-design/components/split-panel';
import Table from '@cloudscape-design/components/table';
import { useCallback, useState } from 'react';
import type { RejectedAlert } from '../../../functions/api/schemas';
import { useSession } from '../auth/session-context';
import { formatTime } from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';
import { useFetch } from '../common/use-fetch';

const PAGE_SIZE = 50;

function RejectedAlertDetails({ rejected }: { rejected: RejectedAlert }) {
  return (
    <SpaceBetween size="m">
      <KeyValuePairs
        columns={2}
        items={[
          { label: 'Received', value: formatTime(rejected.receivedAt) },
          { label: 'Event ID', value: rejected.eventId ?? '-' },
          { label: 'Source', value: rejected.source },
          { label: 'Detail type', value: rejected.detailType },
          { label: 'Reason', value: rejected.reason },
          {
            label: 'Problems',
            value: rejected.problems.length ? (
              <ul className="rejected-problems">
                {rejected.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : (
              '-'
            ),
          },
        ]}
      />
      {rejected.truncated ? (
        <Alert type="info">The body was over 64 KiB: only its start was kept.</Alert>
      ) : null}
      <Box variant="h3">Event detail (as received)</Box>
      {/* Text only: the body is alert data, never markup. */}
      <pre className="rejected-body" data-testid="rejected-body">
        {rejected.body}
      </pre>
    </SpaceBetween>
  );
}

export function RejectedAlertsPage() {
  const { api } = useSession();
  const load = useCallback(() => api.listRejectedAlerts({ limit: PAGE_SIZE }), [api]);
  const list = useFetch(load);
  const items = list.data?.items ?? [];
  const cursor = list.data?.nextCursor ?? null;
  const { loading, error } = list;
  const [shownId, setShownId] = useState<string | undefined>();
  const shown = items.find((r) => r.id === shownId);

  const loadMore = () =>
    list.extend(async (listed) => {
      const page = await api.listRejectedAlerts({
        limit: PAGE_SIZE,
        cursor: listed.nextCursor ?? undefined,
      });
      return (all) => ({ items: [...all.items, ...page.items], nextCursor: page.nextCursor });
    });

  return (
    <Shell
      activeHref={hrefOf.rejectedAlerts()}
      breadcrumbs={[{ text: 'Rejected alerts', href: hrefOf.rejectedAlerts() }]}
      contentType="table"
      splitPanelOpen={shown !== undefined}
      onSplitPanelToggle={(open) => {
        if (!open) setShownId(undefined);
      }}
      splitPanel={
        shown ? (
          <SplitPanel
            header={`${shown.detailType} from ${shown.source}`}
            closeBehavior="hide"
            data-testid="rejected-details"
          >
            <RejectedAlertDetails rejected={shown} />
          </SplitPanel>
        ) : undefined
      }
      content={
        <Table
          variant="full-page"
          items={items}
          trackBy="id"
          wrapLines
          selectionType="single"
          selectedItems={shown ? [shown] : []}
          onSelectionChange={({ detail }) => setShownId(detail.selectedItems[0]?.id)}
          onRowClick={({ detail }) => setShownId(detail.item.id)}
          ariaLabels={{
            itemSelectionLabel: (_, r) => `Show the event received ${formatTime(r.receivedAt)}`,
            selectionGroupLabel: 'Rejected alerts',
          }}
          loading={loading && items.length === 0}
          loadingText="Loading rejected alerts"
          header={
            <Header
              variant="awsui-h1-sticky"
              counter={`(${items.length}${cursor ? '+' : ''})`}
              description="Events of an enabled alert source that started no investigation, kept 30 days."
              actions={<Button iconName="refresh" ariaLabel="Refresh" onClick={list.reload} />}
            >
              Rejected alerts
            </Header>
          }
          columnDefinitions={[
            {
              id: 'receivedAt',
              header: 'Received',
              width: 160,
              cell: (r) => formatTime(r.receivedAt),
            },
            { id: 'source', header: 'Source', width: 170, cell: (r) => r.source },
            { id: 'detailType', header: 'Detail type', width: 200, cell: (r) => r.detailType },
            {
              id: 'reason',
              header: 'Reason',
              isRowHeader: true,
              minWidth: 240,
              cell: (r) => r.reason,
            },
            {
              id: 'problems',
              header: 'Problems',
              minWidth: 200,
              cell: (r) => r.problems.join('; ') || '-',
            },
          ]}
          empty={
            <Box textAlign="center" color="inherit">
              <b>
                {error
                  ? 'Could not load rejected alerts'
                  : 'No rejected alerts in the last 30 days'}
              </b>
              <Box color="inherit">
                {error
                  ? error.message
                  : 'Every event of an enabled source started an investigation.'}
              </Box>
            </Box>
          }
          footer={
            cursor ? (
              <Box textAlign="center">
                <Button loading={loading || list.extending} onClick={loadMore}>
                  Load more
                </Button>
              </Box>
            ) : undefined
          }
        />
      }
    />
  );
}
