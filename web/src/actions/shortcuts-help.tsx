// The dialog that lists the keyboard shortcuts (opened with ?).
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { SHORTCUTS } from './use-shortcuts';

export function ShortcutsHelp({ onDismiss }: { onDismiss(): void }) {
  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header="Keyboard shortcuts"
      footer={
        <Box float="right">
          <Button variant="primary" onClick={onDismiss}>
            Close
          </Button>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p" color="text-body-secondary">
          They work when no field has focus and no dialog is open.
        </Box>
        <KeyValuePairs
          columns={1}
          ariaLabel="Keyboard shortcuts"
          items={SHORTCUTS.map((s) => ({ label: <kbd>{s.keys}</kbd>, value: s.what }))}
        />
      </SpaceBetween>
    </Modal>
  );
}
