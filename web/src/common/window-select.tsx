// The choice of time window that History and the investigations list share.
import Select from '@cloudscape-design/components/select';
import type { HistoryWindow } from '../../../functions/api/schemas';

const WINDOW_OPTIONS: { value: HistoryWindow; label: string }[] = [
  { value: '1d', label: 'Past day' },
  { value: '7d', label: 'Past week' },
  { value: '30d', label: 'Past month' },
  { value: '180d', label: 'Past 6 months' },
];

export function WindowSelect({
  value,
  onChange,
  testId,
}: {
  value: HistoryWindow;
  onChange(window: HistoryWindow): void;
  testId?: string;
}) {
  return (
    <Select
      selectedOption={WINDOW_OPTIONS.find((o) => o.value === value) ?? null}
      options={WINDOW_OPTIONS}
      onChange={({ detail }) => onChange(detail.selectedOption.value as HistoryWindow)}
      ariaLabel="Time window"
      data-testid={testId}
    />
  );
}
