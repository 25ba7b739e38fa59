// Defender for Endpoint's API as the stand-in serves it, in the shapes of Microsoft's published
// samples (test/fixtures/microsoft/README.md): machine actions (isolate, release, stop and
// quarantine, live response) that go Pending -> InProgress -> Succeeded over several polls, or
// end Failed on the devices told to fail; live response's documented limits (10 calls a minute,
// then 429; 25 sessions; one per device, then 400 ActiveRequestAlreadyExists); indicators.
import { randomUUID } from 'node:crypto';
import type { RecordedRequest, StandInAnswer, StandInRoute } from './standin.js';

export interface DefenderEndpointOptions {
  /** The devices (MDE machine ids) it knows; any other is a 404. */
  machines: Record<string, { computerDnsName: string }>;
  /** How many status reads a machine action spends in Pending and then InProgress (default 1). */
  pollsPerStep?: number;
  /** Devices whose machine actions end Failed. */
  failingMachines?: readonly string[];
  now?: () => number;
}

interface StoredAction {
  body: Record<string, unknown>;
  reads: number;
  fails: boolean;
}

export interface DefenderEndpointState {
  machineActions: Map<string, StoredAction>;
  indicators: Map<string, Record<string, unknown>>;
}

const STEPS = ['Pending', 'InProgress'] as const;
const MINUTE_MS = 60_000;
const LIVE_RESPONSE = { callsPerMinute: 10, sessions: 25 } as const;

const error = (status: number, code: string, message: string): StandInAnswer => ({
  status,
  body: { error: { code, message, target: randomUUID() } },
});

const field = (body: unknown, name: string) =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

export function defenderEndpointRoutes(options: DefenderEndpointOptions): {
  routes: StandInRoute[];
  state: DefenderEndpointState;
} {
  const now = options.now ?? Date.now;
  const pollsPerStep = options.pollsPerStep ?? 1;
  const state: DefenderEndpointState = { machineActions: new Map(), indicators: new Map() };
  const liveResponseCalls: number[] = [];
  let nextIndicator = 995;

  const statusOf = (stored: StoredAction): string => {
    const step = Math.floor(stored.reads / pollsPerStep);
    if (step < STEPS.length) return STEPS[step] as string;
    return stored.fails ? 'Failed' : 'Succeeded';
  };
  const view = (stored: StoredAction) => {
    const status = statusOf(stored);
    const commands = stored.body.commands as { commandStatus: string }[] | undefined;
    return {
      ...stored.body,
      status,
      lastUpdateDateTimeUtc: new Date(now()).toISOString(),
      ...(commands && {
        commands: commands.map((c) => ({
          ...c,
          commandStatus:
            status === 'Succeeded' ? 'Completed' : status === 'Failed' ? 'Failed' : 'Created',
          errors: status === 'Failed' ? ['The script failed on the device'] : [],
        })),
      }),
    };
  };
  const running = (machineId: string) =>
    [...state.machineActions.values()].filter(
      (a) =>
        a.body.type === 'LiveResponse' &&
        (a.body.machineId === machineId || machineId === '*') &&
        !['Succeeded', 'Failed'].includes(statusOf(a)),
    );

  const create = (machineId: string, type: string, request: RecordedRequest, extra: object) => {
    const machine = options.machines[machineId];
    if (!machine) return error(404, 'ResourceNotFound', `Machine ${machineId} was not found`);
    const comment = field(request.body, 'Comment');
    if (typeof comment !== 'string' || comment === '') {
      return error(400, 'InvalidRequestBody', 'Comment is required');
    }
    const id = randomUUID();
    const at = new Date(now()).toISOString();
    const body = {
      '@odata.context':
        'https://api.securitycenter.microsoft.com/api/$metadata#MachineActions/$entity',
      id,
      type,
      scope: type === 'Isolate' ? (field(request.body, 'IsolationType') ?? 'Full') : null,
      requestor: 'stand-in-app',
      requestorComment: comment,
      status: 'Pending',
      machineId,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: at,
      lastUpdateDateTimeUtc: at,
      relatedFileInfo: null,
      ...extra,
    };
    state.machineActions.set(id, {
      body,
      reads: 0,
      fails: (options.failingMachines ?? []).includes(machineId),
    });
    return { status: 201, body };
  };

  const machineRoute = (
    path: string,
    type: string,
    permission: string,
    extra: (request: RecordedRequest) => object | StandInAnswer = () => ({}),
  ): StandInRoute => ({
    service: 'defenderEndpoint',
    method: 'POST',
    path: new RegExp(`^/api/machines/([^/]+)/${path}$`, 'i'),
    permission,
    handle: (request, match) => {
      const more = extra(request);
      if ('status' in more) return more as StandInAnswer;
      return create(decodeURIComponent(match[1] ?? ''), type, request, more);
    },
  });

  const routes: StandInRoute[] = [
    machineRoute('isolate', 'Isolate', 'Machine.Isolate'),
    machineRoute('unisolate', 'Unisolate', 'Machine.Isolate'),
    machineRoute(
      'StopAndQuarantineFile',
      'StopAndQuarantineFile',
      'Machine.StopAndQuarantine',
      (r) => {
        const sha1 = field(r.body, 'Sha1');
        if (typeof sha1 !== 'string' || !/^[0-9a-f]{40}$/i.test(sha1)) {
          return error(400, 'InvalidRequestBody', 'Sha1 is required');
        }
        return { relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: 'Sha1' } };
      },
    ),
    {
      service: 'defenderEndpoint',
      method: 'POST',
      path: /^\/api\/machines\/([^/]+)\/runliveresponse$/i,
      permission: 'Machine.LiveResponse',
      handle: (request, match) => {
        const machineId = decodeURIComponent(match[1] ?? '');
        const at = now();
        while (liveResponseCalls.length > 0 && (liveResponseCalls[0] as number) <= at - MINUTE_MS)
          liveResponseCalls.shift();
        if (liveResponseCalls.length >= LIVE_RESPONSE.callsPerMinute) {
          const retry = Math.ceil(((liveResponseCalls[0] as number) + MINUTE_MS - at) / 1000);
          return {
            ...error(429, 'TooManyRequests', 'Too many requests'),
            headers: { 'retry-after': String(retry) },
          };
        }
        liveResponseCalls.push(at);
        if (running('*').length >= LIVE_RESPONSE.sessions) {
          return error(429, 'TooManyRequests', 'Too many concurrent live response sessions');
        }
        if (running(machineId).length > 0) {
          return error(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
        }
        const commands = field(request.body, 'Commands');
        if (!Array.isArray(commands) || commands.length === 0) {
          return error(400, 'InvalidRequestBody', 'Commands are required');
        }
        return create(machineId, 'LiveResponse', request, {
          errorHResult: 0,
          commands: commands.map((command, index) => ({
            index,
            startTime: null,
            endTime: null,
            commandStatus: 'Created',
            errors: [],
            command,
          })),
        });
      },
    },
    {
      service: 'defenderEndpoint',
      method: 'GET',
      path: /^\/api\/machineactions\/([^/]+)$/i,
      permission: 'Machine.Read.All',
      handle: (_request, match) => {
        const stored = state.machineActions.get(decodeURIComponent(match[1] ?? ''));
        if (!stored) return error(404, 'ResourceNotFound', 'Machine action was not found');
        const answer = view(stored);
        stored.reads += 1;
        return { status: 200, body: answer };
      },
    },
    {
      service: 'defenderEndpoint',
      method: 'GET',
      path: /^\/api\/machineactions$/i,
      permission: 'Machine.Read.All',
      handle: (request) => {
        const filter = request.query.$filter ?? '';
        const wanted = Object.fromEntries(
          [...filter.matchAll(/(\w+) eq '((?:[^']|'')*)'/g)].map((m) => [
            m[1],
            (m[2] ?? '').replace(/''/g, "'"),
          ]),
        );
        const value = [...state.machineActions.values()]
          .map(view)
          .filter((a) =>
            Object.entries(wanted).every(([k, v]) => (a as Record<string, unknown>)[k] === v),
          );
        return {
          status: 200,
          body: {
            '@odata.context':
              'https://api.securitycenter.microsoft.com/api/$metadata#MachineActions',
            value,
          },
        };
      },
    },
    ...indicatorRoutes(state, now, () => String(nextIndicator++)),
  ];
  return { routes, state };
}

function indicatorRoutes(
  state: DefenderEndpointState,
  now: () => number,
  nextId: () => string,
): StandInRoute[] {
  return [
    {
      service: 'defenderEndpoint',
      method: 'GET',
      path: /^\/api\/indicators$/i,
      permission: 'Ti.ReadWrite.All',
      handle: (request) => {
        const value = /indicatorValue eq '((?:[^']|'')*)'/
          .exec(request.query.$filter ?? '')?.[1]
          ?.replace(/''/g, "'");
        const all = [...state.indicators.values()];
        return {
          status: 200,
          body: {
            '@odata.context': 'https://api.securitycenter.microsoft.com/api/$metadata#Indicators',
            value: value === undefined ? all : all.filter((i) => i.indicatorValue === value),
          },
        };
      },
    },
    {
      service: 'defenderEndpoint',
      method: 'POST',
      path: /^\/api\/indicators$/i,
      permission: 'Ti.ReadWrite.All',
      handle: (request) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        for (const required of [
          'indicatorValue',
          'indicatorType',
          'action',
          'title',
          'description',
        ]) {
          if (typeof body[required] !== 'string') {
            return error(400, 'InvalidRequestBody', `${required} is required`);
          }
        }
        // Submit or update: an existing indicator of the value is updated, as Microsoft does.
        const existing = [...state.indicators.values()].find(
          (i) => i.indicatorValue === body.indicatorValue,
        );
        const at = new Date(now()).toISOString();
        const indicator = {
          id: existing?.id ?? nextId(),
          indicatorValue: body.indicatorValue,
          indicatorType: body.indicatorType,
          action: body.action,
          application: body.application ?? null,
          source: 'stand-in-app',
          sourceType: 'AadApp',
          title: body.title,
          creationTimeDateTimeUtc: existing?.creationTimeDateTimeUtc ?? at,
          createdBy: '45097602-1234-5678-1234-9f453233e62c',
          expirationTime: body.expirationTime ?? null,
          lastUpdateTime: at,
          lastUpdatedBy: 'stand-in-app',
          severity: body.severity ?? 'Informational',
          description: body.description,
          recommendedActions: body.recommendedActions ?? null,
          rbacGroupNames: body.rbacGroupNames ?? [],
        };
        state.indicators.set(String(indicator.id), indicator);
        return { status: 200, body: indicator };
      },
    },
    {
      service: 'defenderEndpoint',
      method: 'DELETE',
      path: /^\/api\/indicators\/([^/]+)$/i,
      permission: 'Ti.ReadWrite.All',
      handle: (_request, match) => {
        const id = decodeURIComponent(match[1] ?? '');
        if (!state.indicators.delete(id))
          return error(404, 'ResourceNotFound', `Indicator ${id} was not found`);
        return { status: 204 };
      },
    },
  ];
}
