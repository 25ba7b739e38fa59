// The HTTP API (docs/openapi.json) as the page calls it: every call carries the bearer token,
// every answer is parsed with the API's own schemas (functions/api/schemas.ts), and every error
// becomes an ApiError with its status.
import type { z } from 'zod';
import {
  type Action,
  type ActionListQuery,
  ActionPage,
  Action as ActionSchema,
  type BulkDecisionBody,
  BulkDecisionResult,
  DecidedAction,
  type DecisionBody,
  ErrorBody,
  type HistoryWindow,
  InvestigationDetail,
  InvestigationPage,
  type InvestigationStatus,
  type LinkDecisionBody,
  LinkView,
  type ManualActionBody,
  Me,
  RejectedAlertPage,
} from '../../../functions/api/schemas';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** 409 and 410: the action as the server holds it now. */
    readonly action?: Action,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ActionTab = 'pending' | 'history';

/**
 * The shared list filters of `GET /actions` as the query string carries them (several values of a
 * filter joined by commas), and the list's order; `window` applies to the history tab only.
 */
export type ActionQuery = { tab: ActionTab } & Partial<
  Pick<
    z.input<typeof ActionListQuery>,
    | 'window'
    | 'category'
    | 'type'
    | 'status'
    | 'severity'
    | 'source'
    | 'investigationId'
    | 'q'
    | 'sort'
    | 'order'
  >
>;

export type Decision = 'approve' | 'reject' | 'undo';

function searchOf(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function actionParams(query: ActionQuery): Record<string, string | undefined> {
  const { tab, window, ...filters } = query;
  return { tab, ...(tab === 'history' ? { window } : {}), ...filters };
}

function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
    /** Called on a 401: the token expired or was revoked. */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'NetworkError', 'The Action Center API cannot be reached.');
    }
    if (!response.ok) throw await this.errorOf(response);
    return response;
  }

  private async errorOf(response: Response): Promise<ApiError> {
    if (response.status === 401) this.onUnauthorized();
    const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      return new ApiError(response.status, 'Unknown', `The API answered ${response.status}.`);
    }
    const { error, action } = parsed.data;
    return new ApiError(response.status, error.code, error.message, action, error.details);
  }

  private async json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await this.send(method, path, body);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        'UnexpectedShape',
        'The API answered in an unexpected shape.',
      );
    }
    return parsed.data;
  }

  me() {
    return this.json(Me, 'GET', '/me');
  }

  listActions(query: ActionQuery, page: { limit: number; cursor?: string }) {
    return this.json(ActionPage, 'GET', `/actions${searchOf({ ...actionParams(query), ...page })}`);
  }

  getAction(id: string) {
    return this.json(ActionSchema, 'GET', `/actions/${encodeURIComponent(id)}`);
  }

  decide(id: string, decision: Decision, comment?: string) {
    const body: DecisionBody = comment ? { comment } : {};
    return this.json(DecidedAction, 'POST', `/actions/${encodeURIComponent(id)}/${decision}`, body);
  }

  /** A decision link's action and what this person may decide; opening it decides nothing. */
  openLink(token: string) {
    return this.json(LinkView, 'GET', `/links/${encodeURIComponent(token)}`);
  }

  /** Approves or rejects through a decision link, once. */
  decideByLink(token: string, decision: LinkDecisionBody['decision'], comment?: string) {
    const body: LinkDecisionBody = { decision, ...(comment ? { comment } : {}) };
    return this.json(DecidedAction, 'POST', `/links/${encodeURIComponent(token)}`, body);
  }

  /** Proposes an action by hand: it waits, Pending, for another person's approval. */
  proposeAction(body: ManualActionBody) {
    return this.json(ActionSchema, 'POST', '/actions', body);
  }

  decideMany(actionIds: string[], decision: BulkDecisionBody['decision'], comment?: string) {
    const body: BulkDecisionBody = { actionIds, decision, ...(comment ? { comment } : {}) };
    return this.json(BulkDecisionResult, 'POST', '/actions/decisions', body);
  }

  /** Every row the filters match, as the CSV file the API renders. */
  async exportCsv(query: ActionQuery): Promise<{ blob: Blob; filename: string }> {
    const response = await this.send('GET', `/actions/export.csv${searchOf(actionParams(query))}`);
    return {
      blob: await response.blob(),
      filename: filenameOf(
        response.headers.get('content-disposition'),
        `actions-${query.tab}-${new Date().toISOString().slice(0, 10)}.csv`,
      ),
    };
  }

  listInvestigations(
    query: { window: HistoryWindow; status?: InvestigationStatus },
    page: { limit: number; cursor?: string },
  ) {
    return this.json(InvestigationPage, 'GET', `/investigations${searchOf({ ...query, ...page })}`);
  }

  /** Events of enabled sources that could not be mapped, the last 30 days, newest first. */
  listRejectedAlerts(page: { limit: number; cursor?: string }) {
    return this.json(RejectedAlertPage, 'GET', `/alerts/rejected${searchOf(page)}`);
  }

  getInvestigation(id: string) {
    return this.json(InvestigationDetail, 'GET', `/investigations/${encodeURIComponent(id)}`);
  }
}
