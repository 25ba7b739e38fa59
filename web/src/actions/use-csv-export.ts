// Export CSV: the API renders every row the filters match; the browser saves it as a file.
import { useState } from 'react';
import type { ActionQuery } from '../api/client';
import { useSession } from '../auth/session-context';
import { useNotifications } from '../common/notifications';

function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: the browser may still be reading the blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface CsvExport {
  exporting: boolean;
  exportCsv(): void;
}

export function useCsvExport(query: ActionQuery): CsvExport {
  const { api } = useSession();
  const { notify } = useNotifications();
  const [exporting, setExporting] = useState(false);

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
  return { exporting, exportCsv: () => void exportCsv() };
}
