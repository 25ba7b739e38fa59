// Realistic alerts for `npm run demo`: what a newcomer sends to see the Pending tab fill.
import type { AlertDetail } from '../../functions/core/model.js';

export function demoAlerts(now = new Date(), runId = now.getTime().toString(36)): AlertDetail[] {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  return [
    {
      alertId: `demo-${runId}-phish`,
      title: 'Phishing campaign: "Invoice overdue" messages with a credential-harvesting link',
      severity: 'high',
      detectionSource: 'Mail filter',
      detectedAt: at(42),
      entities: [
        {
          kind: 'emailCluster',
          id: 'cluster-invoice-overdue',
          clusterId: 'cluster-invoice-overdue',
          verdict: 'malicious',
          displayName: 'Invoice overdue – action required (37 messages)',
          messageCount: 37,
        },
        {
          kind: 'url',
          id: 'https://login-micros0ft-support.example/verify',
          verdict: 'malicious',
          displayName: 'login-micros0ft-support.example/verify',
        },
        {
          kind: 'attachment',
          id: 'sha256:9f2c…e1',
          verdict: 'suspicious',
          displayName: 'Invoice_88231.html',
          mailbox: 'ap-team@contoso.example',
        },
      ],
    },
    {
      alertId: `demo-${runId}-ransom`,
      title: 'Ransomware behaviour on FIN-LAPTOP-07',
      severity: 'critical',
      detectionSource: 'EDR',
      detectedAt: at(17),
      entities: [
        {
          kind: 'device',
          id: 'dev-fin-laptop-07',
          verdict: 'malicious',
          displayName: 'FIN-LAPTOP-07',
        },
        {
          kind: 'process',
          id: 'pid-4412',
          verdict: 'malicious',
          deviceId: 'dev-fin-laptop-07',
          displayName: 'svch0st.exe (pid 4412)',
        },
        {
          kind: 'file',
          id: 'sha256:51ab…7c',
          verdict: 'malicious',
          deviceId: 'dev-fin-laptop-07',
          displayName: 'C:\\Users\\Public\\svch0st.exe',
        },
        {
          kind: 'scheduledTask',
          id: '\\Microsoft\\Windows\\UpdateCheck',
          verdict: 'malicious',
          deviceId: 'dev-fin-laptop-07',
          displayName: 'UpdateCheck (runs svch0st.exe at logon)',
        },
        {
          kind: 'registryKey',
          id: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\svch0st',
          verdict: 'suspicious',
          deviceId: 'dev-fin-laptop-07',
          displayName: 'Run\\svch0st',
        },
      ],
    },
    {
      alertId: `demo-${runId}-forward`,
      title: 'Suspicious external forwarding rule on a finance mailbox',
      severity: 'medium',
      detectionSource: 'Mail audit',
      detectedAt: at(9),
      entities: [
        {
          kind: 'mailbox',
          id: 'cfo@contoso.example',
          mailbox: 'cfo@contoso.example',
          verdict: 'malicious',
          displayName: 'cfo@contoso.example → archive-2291@freemail.example',
        },
      ],
    },
    {
      alertId: `demo-${runId}-url`,
      title: 'User clicked a suspicious URL',
      severity: 'low',
      detectionSource: 'Web proxy',
      detectedAt: at(5),
      entities: [
        {
          kind: 'url',
          id: 'http://cdn-fileshare.example/d/7Hq2',
          verdict: 'suspicious',
          displayName: 'cdn-fileshare.example/d/7Hq2',
        },
        { kind: 'device', id: 'dev-hr-desk-12', verdict: 'clean', displayName: 'HR-DESK-12' },
      ],
    },
    {
      alertId: `demo-${runId}-clean`,
      title: 'Unusual sign-in time (benign after investigation)',
      severity: 'informational',
      detectionSource: 'Identity',
      detectedAt: at(2),
      entities: [
        { kind: 'device', id: 'dev-dev-mac-03', verdict: 'clean', displayName: 'DEV-MAC-03' },
        { kind: 'file', id: 'sha256:00aa…11', verdict: 'unknown', displayName: 'backup.sh' },
      ],
    },
  ];
}
