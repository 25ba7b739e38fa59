// "Propose action": an operator asks for a remediation by hand in this investigation. It waits,
// Pending, for the approval of another person (the proposer may not approve their own).
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { ACTION_TYPES, type ActionType, type Entity } from '../../../functions/api/schemas';
import { kindsOf } from '../../../functions/core/catalog';
import { useSession } from '../auth/session-context';
import { ACTION_TYPE_LABELS, ENTITY_KIND_LABELS } from '../common/labels';

const TYPE_OPTIONS = ACTION_TYPES.map((type) => ({ value: type, label: ACTION_TYPE_LABELS[type] }));

/** What the form starts with when opened from a device or mailbox of the evidence. */
export interface ProposalStart {
  type: ActionType;
  targetId: string;
  name: string;
}

/**
 * The device or mailbox an evidence entity is on, as a proposal: isolate the device, or turn off
 * the mailbox's external forwarding; undefined for an entity on neither.
 */
export function proposalFor(entity: Entity): ProposalStart | undefined {
  if (entity.kind === 'device' || entity.deviceId) {
    const id = entity.kind === 'device' ? entity.id : (entity.deviceId as string);
    const name = entity.kind === 'device' ? (entity.displayName ?? id) : id;
    return { type: 'isolateDevice', targetId: id, name };
  }
  if (entity.kind === 'mailbox' || entity.mailbox) {
    const id = entity.kind === 'mailbox' ? entity.id : (entity.mailbox as string);
    return { type: 'disableExternalForwarding', targetId: id, name: id };
  }
  return undefined;
}

export function ProposeAction({
  investigationId,
  onProposed,
  start,
}: {
  investigationId: string;
  onProposed(): void;
  /** Filled in from the evidence (remount with a new `key` to fill it again). */
  start?: ProposalStart;
}) {
  const { api } = useSession();
  const [type, setType] = useState<ActionType>(start?.type ?? 'isolateDevice');
  const [targetId, setTargetId] = useState(start?.targetId ?? '');
  const [name, setName] = useState(start?.name ?? '');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const kind = kindsOf(type)[0] ?? 'device';

  async function submit() {
    setBusy(true);
    setOutcome(undefined);
    try {
      const id = targetId.trim();
      const action = await api.proposeAction({
        type,
        target: {
          kind,
          id,
          displayName: name.trim() || id,
          ...(kind === 'device' && { deviceId: id }),
        },
        investigationId,
        ...(comment.trim() && { comment: comment.trim() }),
      });
      setOutcome({
        ok: true,
        text: `Proposed ${action.id}: it waits for another person's approval.`,
      });
      setTargetId('');
      setName('');
      setComment('');
      onProposed();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Ask for a remediation by hand; another person approves it."
        >
          Propose action
        </Header>
      }
      data-testid="propose-action"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Form
          actions={
            <Button
              variant="primary"
              formAction="submit"
              loading={busy}
              disabled={targetId.trim() === ''}
              data-testid="propose-submit"
            >
              Propose
            </Button>
          }
        >
          <SpaceBetween size="m">
            {outcome ? (
              <Alert type={outcome.ok ? 'success' : 'error'} data-testid="propose-outcome">
                {outcome.text}
              </Alert>
            ) : null}
            <FormField label="Action">
              <Select
                selectedOption={{ value: type, label: ACTION_TYPE_LABELS[type] }}
                options={TYPE_OPTIONS}
                onChange={({ detail }) => setType(detail.selectedOption.value as ActionType)}
                ariaLabel="Action"
                data-testid="propose-type"
              />
            </FormField>
            <FormField
              label={`Target (${ENTITY_KIND_LABELS[kind].toLowerCase()}) identifier`}
              constraintText="The id the remediation system knows it by."
            >
              <Input
                value={targetId}
                onChange={({ detail }) => setTargetId(detail.value)}
                ariaLabel="Target identifier"
                data-testid="propose-target"
              />
            </FormField>
            <FormField label="Target name" constraintText="Optional: shown in the lists.">
              <Input
                value={name}
                onChange={({ detail }) => setName(detail.value)}
                ariaLabel="Target name"
              />
            </FormField>
            <FormField
              label="Comment"
              constraintText="Optional: why, for the approver and the audit."
            >
              <Input
                value={comment}
                onChange={({ detail }) => setComment(detail.value)}
                ariaLabel="Comment"
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Container>
  );
}
