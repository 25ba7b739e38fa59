// The investigations of a window, newest first, with their status and what they are waiting on.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import type { HistoryWindow, Investigation } from '../../../functions/api/schemas';
import { WINDOW_OPTIONS } from '../actions/filters';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import {
  formatDuration,
  formatTime,
  INVESTIGATION_STATUS_INDICATORS,
  INVESTIGATION_STATUS_LABELS,
  SEVERITY_INDICATORS,
  SEVERITY_LABELS,
} from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';

const PAGE_SIZE = 50;

export function InvestigationsPage() {
  const { api } = useSession();
  const [window, setWindow] = useState<HistoryWindow>('7d');
  const [items, setItems] = useState<Investigation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    // `version` forces a reload.
    void version;
    api
      .listInvestigations({ window }, { limit: PAGE_SIZE })
      .then((page) => {
        if (!current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (current) setError(e instanceof ApiError ? e : new ApiError(0, 'Unknown', String(e)));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [api, window, version]);

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await api.listInvestigations({ window }, { limit: PAGE_SIZE, cursor });
      setItems((all) => [...all, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Unknown', String(e)));
    } finally {
      setLoading(false);
    }
  }

  return (
    <Shell
      activeHref={hrefOf.investigations()}
      breadcrumbs={[
        { text: 'Action Center', href: hrefOf.tab('pending') },
        { text: 'Investigations', href: hrefOf.investigations() },
      ]}
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
                  <Select
                    selectedOption={WINDOW_OPTIONS.find((o) => o.value === window) ?? null}
                    options={WINDOW_OPTIONS}
                    onChange={({ detail }) =>
                      setWindow(detail.selectedOption.value as HistoryWindow)
                    }
                    ariaLabel="Time window"
                  />
                  <Button
                    iconName="refresh"
                    ariaLabel="Refresh"
                    onClick={() => setVersion((v) => v + 1)}
                  />
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
              cell: (i) => (
                <StatusIndicator type={INVESTIGATION_STATUS_INDICATORS[i.status]}>
                  {INVESTIGATION_STATUS_LABELS[i.status]}
                </StatusIndicator>
              ),
            },
            {
              id: 'severity',
              header: 'Severity',
              width: 140,
              cell: (i) => (
                <StatusIndicator type={SEVERITY_INDICATORS[i.severity]}>
                  {SEVERITY_LABELS[i.severity]}
                </StatusIndicator>
              ),
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
              cell: (i) => formatDuration(i.pendingSeconds),
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
                <Button loading={loading} onClick={() => void loadMore()}>
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
