// A decision link opened (`#/decide/<token>`, from a notification): what the action would do and
// a confirmation. Nothing is decided by opening the page; Approve or Reject decides, once, as the
// signed-in person, through the API's own decision path.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Textarea from '@cloudscape-design/components/textarea';
import { type ReactNode, useCallback, useState } from 'react';
import type { Action, LinkView } from '../../../functions/api/schemas';
import type { ApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import {
  ACTION_STATUS_INDICATORS,
  ACTION_TYPE_LABELS,
  formatTime,
  SEVERITY_INDICATORS,
  SEVERITY_LABELS,
} from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';
import { apiErrorOf, useFetch } from '../common/use-fetch';

type Verdict = LinkView['decisions'][number];
const MAX_COMMENT = 2000;

/** Why a link cannot decide, in words (the API's message carries the detail). */
function refusalOf(error: ApiError): string {
  switch (error.status) {
    case 400:
      return 'This is not a valid decision link: it was changed or cut short. Open it again from the notification.';
    case 403:
      return `Your roles do not allow this decision: ${error.message}. The link stays usable by someone who may decide.`;
    case 404:
      return 'The action of this link no longer exists.';
    case 409:
      return `This link can no longer decide: ${error.message}.`;
    case 410:
      return `This link or its action expired: ${error.message}.`;
    default:
      return error.message;
  }
}

function ActionFacts({ action, linkExpiresAt }: { action: Action; linkExpiresAt?: string }) {
  return (
    <KeyValuePairs
      columns={2}
      items={[
        { label: 'Action', value: ACTION_TYPE_LABELS[action.type] },
        { label: 'Target', value: action.target.displayName },
        {
          label: 'Severity',
          value: (
            <StatusIndicator type={SEVERITY_INDICATORS[action.severity]}>
              {SEVERITY_LABELS[action.severity]}
            </StatusIndicator>
          ),
        },
        {
          label: 'Status',
          value: (
            <StatusIndicator type={ACTION_STATUS_INDICATORS[action.status]}>
              {action.status}
            </StatusIndicator>
          ),
        },
        {
          label: 'Investigation',
          value: (
            <Link href={hrefOf.investigation(action.investigationId)}>
              {action.investigationId}
            </Link>
          ),
        },
        { label: 'Action expires', value: formatTime(action.expiresAt) },
        ...(linkExpiresAt ? [{ label: 'Link expires', value: formatTime(linkExpiresAt) }] : []),
      ]}
    />
  );
}

export function DecideLinkPage({ token }: { token: string }) {
  const { api, me } = useSession();
  const load = useCallback(() => api.openLink(token), [api, token]);
  const link = useFetch(load);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Verdict>();
  const [decided, setDecided] = useState<Action>();
  const [failure, setFailure] = useState<ApiError>();

  const decide = async (verdict: Verdict) => {
    setBusy(verdict);
    setFailure(undefined);
    try {
      setDecided(await api.decideByLink(token, verdict, comment.trim() || undefined));
    } catch (error) {
      // The comment stays typed; the answer says what happened.
      setFailure(apiErrorOf(error));
    } finally {
      setBusy(undefined);
    }
  };

  const view = link.data;
  const shownAction = decided ?? failure?.action ?? link.error?.action ?? view?.action;
  let body: ReactNode;
  if (link.loading && !view) {
    body = (
      <Box textAlign="center" padding="l">
        <Spinner /> Opening the link
      </Box>
    );
  } else if (link.error) {
    body = (
      <SpaceBetween size="m">
        <Alert type="warning" header="This link cannot decide">
          {refusalOf(link.error)}
        </Alert>
        {shownAction ? <ActionFacts action={shownAction} /> : null}
      </SpaceBetween>
    );
  } else if (view) {
    const may = (v: Verdict) => view.decisions.includes(v) && !decided && busy === undefined;
    body = (
      <SpaceBetween size="l">
        {decided ? (
          <Alert type="success" header={`Decided: ${decided.status}`}>
            {decided.status === 'Pending'
              ? 'Your approval is recorded; the action waits for the other approvals it needs.'
              : decided.status === 'Rejected'
                ? 'Nothing will be done to the target.'
                : 'Remediation starts on the target.'}{' '}
            <Link href={hrefOf.action(decided.id)}>Open it in the Action Center</Link>
          </Alert>
        ) : null}
        {failure ? (
          <Alert type="error" header="Not decided">
            {refusalOf(failure)}
          </Alert>
        ) : null}
        {view.decisions.length === 0 && !decided ? (
          <Alert type="info" header="You may not decide this action">
            Your roles ({me.roles.join(', ') || 'none'}) do not allow deciding it. The link stays
            usable by someone who may.
          </Alert>
        ) : null}
        <ActionFacts action={shownAction ?? view.action} linkExpiresAt={view.expiresAt} />
        {!decided ? (
          <FormField
            label="Comment (optional)"
            description="Kept with the decision in the audit log."
            constraintText={`${comment.length}/${MAX_COMMENT}`}
          >
            <Textarea
              value={comment}
              onChange={({ detail }) => setComment(detail.value.slice(0, MAX_COMMENT))}
              ariaLabel="Comment"
            />
          </FormField>
        ) : null}
        {!decided ? (
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              disabled={!may('reject')}
              loading={busy === 'reject'}
              onClick={() => void decide('reject')}
            >
              Reject
            </Button>
            <Button
              variant="primary"
              disabled={!may('approve')}
              loading={busy === 'approve'}
              onClick={() => void decide('approve')}
            >
              Approve
            </Button>
          </SpaceBetween>
        ) : null}
      </SpaceBetween>
    );
  }

  return (
    <Shell
      activeHref={hrefOf.tab('pending')}
      breadcrumbs={[{ text: 'Decision link', href: `#/decide/${encodeURIComponent(token)}` }]}
      content={
        <Container
          header={
            <Header
              variant="h1"
              description="Opening this link decided nothing. Approve or Reject decides once, as you."
            >
              {view
                ? `${ACTION_TYPE_LABELS[view.action.type]} on ${view.action.target.displayName}`
                : 'Decision link'}
            </Header>
          }
        >
          {body}
        </Container>
      }
    />
  );
}
