// Entry point: Cloudscape's global styles and English strings, then the page.
import './zod-config';
import '@cloudscape-design/global-styles/index.css';
import './page.css';
import { I18nProvider } from '@cloudscape-design/components/i18n';
import messages from '@cloudscape-design/components/i18n/messages/all.en';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <I18nProvider locale="en" messages={[messages]}>
      <App />
    </I18nProvider>
  </StrictMode>,
);
