// The frame of every signed-in page: side navigation, breadcrumbs, split panel, and messages as
// toasts fixed at the bottom of the window, where the eye is when a decision was just made.
import AppLayout, { type AppLayoutProps } from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup, {
  type BreadcrumbGroupProps,
} from '@cloudscape-design/components/breadcrumb-group';
import Flashbar from '@cloudscape-design/components/flashbar';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import { type ReactNode, useState } from 'react';
import { useStoredState } from './hooks';
import { useNotifications } from './notifications';
import { hrefOf, navigate } from './route';

const isSplitPanelPreferences = (v: unknown): v is AppLayoutProps.SplitPanelPreferences =>
  typeof v === 'object' &&
  v !== null &&
  ['side', 'bottom'].includes((v as { position?: string }).position ?? '');

/** Every trail starts at the Action Center, which is also the side navigation's header. */
const HOME = { text: 'Action Center', href: hrefOf.tab('pending') };

export function Shell({
  activeHref,
  breadcrumbs,
  content,
  contentType = 'default',
  splitPanel,
  splitPanelOpen,
  onSplitPanelToggle,
}: {
  activeHref: string;
  /** The trail after the Action Center itself. */
  breadcrumbs: BreadcrumbGroupProps.Item[];
  content: ReactNode;
  contentType?: AppLayoutProps.ContentType;
  splitPanel?: ReactNode;
  splitPanelOpen?: boolean;
  onSplitPanelToggle?(open: boolean): void;
}) {
  const { items } = useNotifications();
  const [splitPanelPreferences, setSplitPanelPreferences] = useStoredState(
    'actionCenter.splitPanel',
    { position: 'side' } as AppLayoutProps.SplitPanelPreferences,
    isSplitPanelPreferences,
  );
  const [navigationOpen, setNavigationOpen] = useStoredState(
    'actionCenter.navigationOpen',
    true,
    (v): v is boolean => typeof v === 'boolean',
  );
  // On the side the size is a width: a third of the window leaves the list readable.
  const [splitPanelSize, setSplitPanelSize] = useState(() =>
    splitPanelPreferences.position === 'side'
      ? Math.max(400, Math.round(window.innerWidth * 0.34))
      : Math.max(360, Math.round(window.innerHeight * 0.5)),
  );
  const follow = (event: CustomEvent<{ href: string; external?: boolean }>) => {
    if (event.detail.external) return;
    event.preventDefault();
    navigate(event.detail.href);
  };
  return (
    <>
      <AppLayout
        headerSelector="#top-navigation"
        contentType={contentType}
        toolsHide
        navigationOpen={navigationOpen}
        onNavigationChange={({ detail }) => setNavigationOpen(detail.open)}
        navigation={
          <SideNavigation
            header={HOME}
            activeHref={activeHref}
            onFollow={follow}
            items={[
              { type: 'link', text: 'Pending actions', href: hrefOf.tab('pending') },
              { type: 'link', text: 'History', href: hrefOf.tab('history') },
              { type: 'link', text: 'Investigations', href: hrefOf.investigations() },
              { type: 'link', text: 'Rejected alerts', href: hrefOf.rejectedAlerts() },
            ]}
          />
        }
        breadcrumbs={<BreadcrumbGroup items={[HOME, ...breadcrumbs]} onFollow={follow} />}
        content={content}
        splitPanel={splitPanel}
        splitPanelOpen={splitPanel ? splitPanelOpen : false}
        onSplitPanelToggle={({ detail }) => onSplitPanelToggle?.(detail.open)}
        splitPanelSize={splitPanelSize}
        onSplitPanelResize={({ detail }) => setSplitPanelSize(detail.size)}
        splitPanelPreferences={splitPanelPreferences}
        onSplitPanelPreferencesChange={({ detail }) => setSplitPanelPreferences(detail)}
      />
      <section className="toasts" aria-label="Messages" data-testid="toasts">
        <Flashbar items={items} stackItems={items.length > 2} />
      </section>
    </>
  );
}
