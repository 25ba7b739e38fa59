// How long a pending action has left, ticking every second; when it expired otherwise.
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { Action } from '../../../functions/api/schemas';
import { useNow } from '../common/hooks';
import { expiryText, formatTime } from '../common/labels';

export function ExpiryCountdown({ action }: { action: Action }) {
  const now = useNow(1000);
  if (action.status !== 'Pending') {
    return <StatusIndicator type="stopped">Expired {formatTime(action.expiresAt)}</StatusIndicator>;
  }
  const left = Date.parse(action.expiresAt) - now;
  return (
    <StatusIndicator type={left > 0 ? (left < 3_600_000 ? 'warning' : 'pending') : 'stopped'}>
      {/* The countdown and the date each on one line: the indicator would otherwise break them mid-word. */}
      <span data-testid="expiry-countdown" className="no-break">
        {expiryText(action.expiresAt, now)}
      </span>
      {left > 0 ? <span className="no-break"> ({formatTime(action.expiresAt)})</span> : null}
    </StatusIndicator>
  );
}
