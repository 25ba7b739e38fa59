// Signing in. Locally: paste a token printed by `npm run token`. In AWS: the Cognito hosted UI.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { HostConfig } from '../config';
import { beginCognitoSignIn } from './cognito';

export function SignIn({
  config,
  problem,
  onToken,
}: {
  config: HostConfig;
  /** Why the user is here again (expired token, rejected token, failed callback). */
  problem?: string;
  onToken(token: string): Promise<void>;
}) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const auth = config.auth;

  async function submit() {
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!value) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onToken(value);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <Box padding={{ top: 'xxxl' }}>
        <SpaceBetween size="l">
          {problem ? (
            <Alert type="warning" header="Please sign in again">
              {problem}
            </Alert>
          ) : null}
          {auth.mode === 'cognito' ? (
            <Container header={<Header variant="h1">Sign in to the Action Center</Header>}>
              <SpaceBetween size="m">
                <Box>You sign in with your organisation's account on the sign-in page.</Box>
                <Button variant="primary" onClick={() => void beginCognitoSignIn(auth)}>
                  Continue to sign-in
                </Button>
              </SpaceBetween>
            </Container>
          ) : (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void submit();
              }}
            >
              <Form
                header={<Header variant="h1">Sign in to the Action Center</Header>}
                actions={
                  <Button
                    variant="primary"
                    formAction="submit"
                    loading={busy}
                    data-testid="sign-in"
                  >
                    Sign in
                  </Button>
                }
                errorText={error}
              >
                <Container>
                  <FormField
                    label="Access token"
                    description="This Action Center runs locally. Print a token for yourself with your roles, then paste it here. It is kept for this browser tab only."
                    constraintText={
                      <>
                        <Box variant="code">
                          npm run token -- you@example.com SecurityAdmin,SearchAndPurge
                        </Box>{' '}
                        (roles: GlobalAdmin, SecurityAdmin, SecurityOperator, SecurityReader,
                        ActiveRemediationActions, SearchAndPurge)
                      </>
                    }
                    stretch
                  >
                    <Textarea
                      value={token}
                      onChange={({ detail }) => setToken(detail.value)}
                      placeholder="eyJhbGciOiJIUzI1NiIs..."
                      rows={4}
                      spellcheck={false}
                      ariaLabel="Access token"
                      data-testid="token-input"
                    />
                  </FormField>
                </Container>
              </Form>
            </form>
          )}
        </SpaceBetween>
      </Box>
    </main>
  );
}
