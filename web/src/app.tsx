// The page: reads the host config, signs the user in, then routes between the Action Center
// tabs and the investigation pages. The top navigation shows who is signed in.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { Me } from '../../functions/api/schemas';
import { ActionsPage, LIST_ID } from './actions/actions-page';
import { RejectedAlertsPage } from './alerts/rejected-alerts-page';
import { ApiClient, ApiError } from './api/client';
import { cognitoSignOutUrl, completeCognitoSignIn } from './auth/cognito';
import { forgetToken, storedToken, storeToken } from './auth/session';
import { mayDecideAny, type Session, SessionContext } from './auth/session-context';
import { SignIn } from './auth/sign-in';
import { NotificationsProvider } from './common/notifications';
import { hrefOf, useRoute } from './common/route';
import { type HostConfig, loadHostConfig } from './config';
import { InvestigationPage } from './investigations/investigation-page';
import { InvestigationsPage } from './investigations/investigations-page';
import { DecideLinkPage } from './links/decide-link-page';

type State =
  | { phase: 'starting' }
  | { phase: 'broken'; message: string }
  | { phase: 'signedOut'; config: HostConfig; problem?: string }
  | { phase: 'signedIn'; config: HostConfig; token: string; me: Me };

/** Checks a token by asking the API who it belongs to. */
async function whoAmI(config: HostConfig, token: string): Promise<Me> {
  try {
    return await new ApiClient(config.apiBase, token).me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new Error(
        'This token was not accepted: it is malformed, expired, or signed with another secret.',
      );
    }
    throw error;
  }
}

export function App() {
  const [state, setState] = useState<State>({ phase: 'starting' });

  useEffect(() => {
    (async () => {
      const config = await loadHostConfig();
      let token = storedToken();
      if (config.auth.mode === 'cognito') {
        try {
          const fresh = await completeCognitoSignIn(config.auth);
          if (fresh) {
            storeToken(fresh);
            token = fresh;
          }
        } catch (error) {
          setState({ phase: 'signedOut', config, problem: (error as Error).message });
          return;
        }
      }
      if (!token) {
        setState({ phase: 'signedOut', config });
        return;
      }
      try {
        setState({ phase: 'signedIn', config, token, me: await whoAmI(config, token) });
      } catch (error) {
        forgetToken();
        setState({ phase: 'signedOut', config, problem: (error as Error).message });
      }
    })().catch((error: unknown) =>
      setState({ phase: 'broken', message: (error as Error).message }),
    );
  }, []);

  const signOut = useCallback(
    (problem?: string) => {
      forgetToken();
      if (state.phase !== 'signedIn') return;
      if (!problem && state.config.auth.mode === 'cognito') {
        location.assign(cognitoSignOutUrl(state.config.auth));
        return;
      }
      setState({ phase: 'signedOut', config: state.config, problem });
    },
    [state],
  );

  if (state.phase === 'starting') {
    return (
      <Box textAlign="center" padding="xxxl">
        <Spinner size="large" /> <Box variant="span">Loading the Action Center</Box>
      </Box>
    );
  }
  if (state.phase === 'broken') {
    return (
      <Box padding="xxl">
        <Alert type="error" header="The Action Center cannot start">
          {state.message}
        </Alert>
      </Box>
    );
  }
  if (state.phase === 'signedOut') {
    const { config } = state;
    return (
      <SignIn
        config={config}
        problem={state.problem}
        onToken={async (token) => {
          const me = await whoAmI(config, token);
          storeToken(token);
          setState({ phase: 'signedIn', config, token, me });
        }}
      />
    );
  }
  return <SignedIn state={state} signOut={signOut} />;
}

function SignedIn({
  state,
  signOut,
}: {
  state: Extract<State, { phase: 'signedIn' }>;
  signOut(problem?: string): void;
}) {
  const route = useRoute();
  const { config, token, me } = state;
  const session: Session = useMemo(
    () => ({
      api: new ApiClient(config.apiBase, token, () =>
        signOut('Your session ended (the token expired or was revoked).'),
      ),
      me,
      signOut: () => signOut(),
    }),
    [config.apiBase, token, me, signOut],
  );
  const readOnly = !mayDecideAny(me);

  let page: ReactNode;
  switch (route.page) {
    case 'actions':
      page = <ActionsPage tab={route.tab} actionId={route.actionId} />;
      break;
    case 'investigations':
      page = <InvestigationsPage />;
      break;
    case 'investigation':
      page = <InvestigationPage key={route.id} id={route.id} />;
      break;
    case 'rejectedAlerts':
      page = <RejectedAlertsPage />;
      break;
    case 'decide':
      page = <DecideLinkPage key={route.token} token={route.token} />;
      break;
  }

  return (
    <SessionContext.Provider value={session}>
      <NotificationsProvider>
        {route.page === 'actions' ? (
          <a
            className="skip-link"
            href={`#${LIST_ID}`}
            onClick={(event) => {
              // The hash is the route: move focus without navigating.
              event.preventDefault();
              document.getElementById(LIST_ID)?.focus();
            }}
          >
            Skip to the list
          </a>
        ) : null}
        <div id="top-navigation">
          <TopNavigation
            identity={{ href: hrefOf.tab('pending'), title: 'Action Center' }}
            utilities={[
              ...(readOnly
                ? [
                    {
                      type: 'button' as const,
                      text: 'Read-only',
                      iconName: 'lock-private' as const,
                    },
                  ]
                : []),
              {
                type: 'menu-dropdown',
                text: me.user,
                description: me.roles.join(', ') || 'No Action Center role',
                iconName: 'user-profile',
                items: [{ id: 'sign-out', text: 'Sign out' }],
                onItemClick: ({ detail }) => {
                  if (detail.id === 'sign-out') signOut();
                },
              },
            ]}
          />
        </div>
        {page}
      </NotificationsProvider>
    </SessionContext.Provider>
  );
}
