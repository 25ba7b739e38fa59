// The investigations of a window, newest first, with their status and what they are waiting on.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useCallback, useState } from 'react';
import type { HistoryWindow } from '../../../functions/api/schemas';
import { useSession } from '../auth/session-context';
import { InvestigationStatusIndicator, SeverityIndicator } from '../common/indicators';
import { formatDuration, formatTime } from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';
import { useFetch } from '../common/use-fetch';
import { WindowSelect } from '../common/window-select';

const PAGE_SIZE = 50;

export function InvestigationsPage() {
  const { api } = useSession();
  const [window, setWindow] = useState<HistoryWindow>('7d');
  const load = useCallback(
    () => api.listInvestigations({ window }, { limit: PAGE_SIZE }),
    [api, window],
  );
  const list = useFetch(load);
  const items = list.data?.items ?? [];
  const cursor = list.data?.nextCursor ?? null;
  const { loading, error } = list;

  const loadMore = () =>
    list.extend(async (listed) => {
      const page = await api.listInvestigations(
        { window },
        { limit: PAGE_SIZE, cursor: listed.nextCursor ?? undefined },
      );
      return (all) => ({ items: [...all.items, ...page.items], nextCursor: page.nextCursor });
    });

  return (
    <Shell
      activeHref={hrefOf.investigations()}
      breadcrumbs={[{ text: 'Investigations', href: hrefOf.investigations() }]}
      contentType="table"
      content={
        <Table
          variant="full-page"
          items={items}
          trackBy="id"
          wrapLines
          loading={loading && items.length === 0}
          loadingText="Loading investigations"
          header={
            <Header
              variant="awsui-h1-sticky"
              counter={`(${items.length}${cursor ? '+' : ''})`}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <WindowSelect value={window} onChange={setWindow} />
                  <Button iconName="refresh" ariaLabel="Refresh" onClick={list.reload} />
                </SpaceBetween>
              }
            >
              Investigations
            </Header>
          }
          columnDefinitions={[
            {
              id: 'title',
              header: 'Alert',
              isRowHeader: true,
              minWidth: 240,
              cell: (i) => <Link href={hrefOf.investigation(i.id)}>{i.title}</Link>,
            },
            {
              id: 'status',
              header: 'Status',
              width: 200,
              cell: (i) => <InvestigationStatusIndicator status={i.status} />,
            },
            {
              id: 'severity',
              header: 'Severity',
              width: 140,
              cell: (i) => <SeverityIndicator severity={i.severity} />,
            },
            {
              id: 'source',
              header: 'Detection source',
              width: 150,
              cell: (i) => i.detectionSource,
            },
            {
              id: 'actions',
              header: 'Pending / actions',
              width: 150,
              cell: (i) => `${i.counts.pending} / ${i.counts.actions}`,
            },
            {
              id: 'pending',
              header: 'Time pending',
              width: 130,
              cell: (i) => (
                <span data-testid="list-pending-time">{formatDuration(i.pendingSeconds)}</span>
              ),
            },
            {
              id: 'createdAt',
              header: 'Started',
              width: 140,
              cell: (i) => formatTime(i.createdAt),
            },
          ]}
          empty={
            <Box textAlign="center" color="inherit">
              <b>{error ? 'Could not load investigations' : 'No investigations'}</b>
              <Box color="inherit">
                {error ? error.message : 'No alert started an investigation in this window.'}
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
