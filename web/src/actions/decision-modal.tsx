// Confirming a decision (approve, reject, undo) on one action or several of the same type, with
// an optional comment that goes to the audit log.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea, { type TextareaProps } from '@cloudscape-design/components/textarea';
import { useEffect, useRef, useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { Decision } from '../api/client';
import { ACTION_TYPE_LABELS } from '../common/labels';

const VERBS: Record<Decision, string> = { approve: 'Approve', reject: 'Reject', undo: 'Undo' };
const MAX_COMMENT = 2000;
const LISTED = 10;

function consequence(decision: Decision, count: number): string {
  const them = count === 1 ? 'the target' : 'the targets';
  switch (decision) {
    case 'approve':
      return `Remediation starts on ${them} as soon as you approve.`;
    case 'reject':
      return `Nothing will be done to ${them}. A rejection cannot be taken back.`;
    case 'undo':
      return `The remediation is reversed on ${them}.`;
  }
}

export interface DecisionRequest {
  decision: Decision;
  actions: Action[];
}

export function DecisionModal({
  request,
  initialComment = '',
  busy,
  onConfirm,
  onDismiss,
}: {
  request: DecisionRequest;
  /** A comment typed before, for a decision that failed and is tried again. */
  initialComment?: string;
  busy: boolean;
  onConfirm(comment: string | undefined): void;
  onDismiss(): void;
}) {
  const [comment, setComment] = useState(initialComment);
  const commentField = useRef<TextareaProps.Ref>(null);
  // The comment is what there is to type: focus goes there, not to the Close button.
  useEffect(() => {
    const timer = setTimeout(() => commentField.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  const { decision, actions } = request;
  const verb = VERBS[decision];
  const first = actions[0];
  const typeLabel = first ? ACTION_TYPE_LABELS[first.type] : '';
  const what = actions.length === 1 ? `1 action` : `${actions.length} actions`;
  const tooLong = comment.length > MAX_COMMENT;
  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header={`${verb} ${what}: ${typeLabel}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss} disabled={busy}>
              Cancel
            </Button>
            <Button
              variant="primary"
              loading={busy}
              disabled={tooLong}
              onClick={() => onConfirm(comment.trim() || undefined)}
              data-testid="confirm-decision"
            >
              {verb}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>{consequence(decision, actions.length)}</Box>
        <ul aria-label="Targets">
          {actions.slice(0, LISTED).map((a) => (
            <li key={a.id}>{a.target.displayName}</li>
          ))}
          {actions.length > LISTED ? <li>and {actions.length - LISTED} more</li> : null}
        </ul>
        <FormField
          label={
            <span>
              Comment <i>- optional</i>
            </span>
          }
          description="Kept with the decision in the audit log."
          constraintText={`${comment.length}/${MAX_COMMENT} characters`}
          errorText={tooLong ? `At most ${MAX_COMMENT} characters.` : undefined}
        >
          <Textarea
            ref={commentField}
            value={comment}
            onChange={({ detail }) => setComment(detail.value)}
            placeholder="Why, ticket number, ..."
            rows={3}
            ariaLabel="Comment"
          />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
