// Approval policies evaluated by Cedar (@cedar-policy/cedar-wasm), in-process: the same engine in
// Lambda and locally. A policy set is parsed and validated against POLICY_SCHEMA once, at cold
// start; a problem stops start-up with the policy's line. Each policy's id is its `@id`
// annotation (else `policy<N>`, N counting from 1), so a decision names the policies that made it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/web';
import type {
  ApprovalPolicies,
  PolicyAnswer,
  PolicyPrincipal,
  PolicyResource,
  PolicyVerb,
  QuorumRule,
} from '../../core/approval-policies.js';
import { ConfigError } from '../../core/errors.js';
import { MAX_APPROVALS } from '../../core/model.js';
import { ROLES, type Role } from '../../core/permissions.js';
import { POLICY_SCHEMA } from './default-policies.js';

const NS = 'ActionCenter';
/** Beside the bundle in Lambda (CDK copies it there), else in node_modules. */
const WASM_FILE = 'cedar_wasm_bg.wasm';

let loaded = false;
function loadCedar(): void {
  if (loaded) return;
  const beside = new URL(`./${WASM_FILE}`, import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(beside);
  } catch {
    // Not bundled: the web build's wasm, found through the package's CommonJS entry.
    const nodejsEntry = createRequire(import.meta.url).resolve('@cedar-policy/cedar-wasm/nodejs');
    bytes = readFileSync(join(dirname(nodejsEntry), '..', 'web', WASM_FILE));
  }
  cedar.initSync({ module: bytes });
  loaded = true;
}

/** 1-based line of a character offset. */
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

type Detailed = { message: string; help?: string | null; sourceLocations?: { start: number }[] };

function describe(error: Detailed, text: string, base = 0): string {
  const at = error.sourceLocations?.[0]?.start;
  const where = at === undefined ? '' : `line ${lineOf(text, base + at)}: `;
  return `${where}${error.message}${error.help ? ` (${error.help})` : ''}`;
}

/** What one `quorum` permit asks: its `@approvals` and `@fromRoles`. */
interface QuorumAnnotation {
  approvals?: number;
  fromRoles: Role[];
}

interface ParsedPolicies {
  byId: Record<string, string>;
  reasons: Map<string, string>;
  quorums: Map<string, QuorumAnnotation>;
}

/** The principal a `quorum` question is asked for: nobody in particular, in no role. */
const QUORUM_PRINCIPAL = 'quorum';

/**
 * A policy's `@approvals` / `@fromRoles`, checked: they belong on a permit of the `quorum` action;
 * the count is 1 to MAX_APPROVALS; the roles are Action Center roles. Answers the problem, if any.
 */
function quorumAnnotationOf(
  json: { effect?: string; action?: { op?: string; entity?: { id?: string } } },
  annotations: Record<string, string | null | undefined>,
): QuorumAnnotation | string | undefined {
  const onQuorum = json.action?.op === '==' && json.action.entity?.id === QUORUM_PRINCIPAL;
  const { approvals, fromRoles } = annotations;
  if (approvals == null && fromRoles == null) {
    return onQuorum
      ? 'a quorum policy needs @approvals("N") or @fromRoles("Role, ...")'
      : undefined;
  }
  if (!onQuorum || json.effect !== 'permit') {
    return '@approvals and @fromRoles belong on a permit of ActionCenter::Action::"quorum"';
  }
  const annotation: QuorumAnnotation = { fromRoles: [] };
  if (approvals != null) {
    const count = /^\d+$/.test(approvals.trim()) ? Number(approvals) : Number.NaN;
    if (!(count >= 1 && count <= MAX_APPROVALS)) {
      return `@approvals("${approvals}") is not a whole number from 1 to ${MAX_APPROVALS}`;
    }
    annotation.approvals = count;
  }
  if (fromRoles != null) {
    const names = fromRoles.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length > 0) {
      return `@fromRoles("${fromRoles}") names ${unknown.map((n) => `"${n}"`).join(', ') || 'no role'}; the roles are ${ROLES.join(', ')}`;
    }
    annotation.fromRoles = [...new Set(names as Role[])];
  }
  return annotation;
}

/** Splits the text into policies keyed by their `@id`, or a ConfigError naming each problem and its line. */
function parsePolicies(text: string, source: string): ParsedPolicies {
  const fail = (problems: string[]): never => {
    throw new ConfigError(`Invalid approval policies (${source}): ${problems.join('; ')}`, {
      problems,
    });
  };
  const parsed = cedar.checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') fail(parsed.errors.map((e) => describe(e, text)));
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') return fail(parts.errors.map((e) => describe(e, text)));
  const byId: Record<string, string> = {};
  const reasons = new Map<string, string>();
  const quorums = new Map<string, QuorumAnnotation>();
  const offsets: Record<string, number> = {};
  let searchFrom = 0;
  parts.policies.forEach((policy, index) => {
    const json = cedar.policyToJson(policy);
    const annotations = json.type === 'success' ? (json.json.annotations ?? {}) : {};
    const id = annotations.id ?? `policy${index + 1}`;
    const offset = text.indexOf(policy, searchFrom);
    searchFrom = offset + policy.length;
    if (byId[id] !== undefined)
      fail([`line ${lineOf(text, offset)}: a second policy with @id("${id}")`]);
    byId[id] = policy;
    offsets[id] = offset;
    if (annotations.reason) reasons.set(id, annotations.reason);
    const quorum = quorumAnnotationOf(
      json.type === 'success' ? (json.json as Parameters<typeof quorumAnnotationOf>[0]) : {},
      annotations,
    );
    if (typeof quorum === 'string') fail([`line ${lineOf(text, offset)}: ${quorum}`]);
    else if (quorum) quorums.set(id, quorum);
  });
  if (parts.policies.length === 0) fail(['no policy: every request would be refused']);
  const validation = cedar.validate({ schema: POLICY_SCHEMA, policies: { staticPolicies: byId } });
  if (validation.type === 'failure') fail(validation.errors.map((e) => describe(e, text)));
  if (validation.type === 'success' && validation.validationErrors.length > 0) {
    fail(
      validation.validationErrors.map(
        (e) => `policy ${e.policyId}: ${describe(e.error, text, offsets[e.policyId] ?? 0)}`,
      ),
    );
  }
  return { byId, reasons, quorums };
}

const uid = (type: string, id: string) => ({ type: `${NS}::${type}`, id });

export class CedarApprovalPolicies implements ApprovalPolicies {
  private readonly setId: string;
  private readonly reasons: Map<string, string>;
  private readonly quorums: Map<string, QuorumAnnotation>;
  private static sets = 0;

  constructor(
    text: string,
    readonly name: string,
  ) {
    loadCedar();
    const { byId, reasons, quorums } = parsePolicies(text, name);
    this.reasons = reasons;
    this.quorums = quorums;
    CedarApprovalPolicies.sets += 1;
    this.setId = `approval-${CedarApprovalPolicies.sets}`;
    const preparsed = cedar.preparsePolicySet(this.setId, { staticPolicies: byId });
    if (preparsed.type === 'failure') {
      throw new ConfigError(`Invalid approval policies (${name}): ${preparsed.errors[0]?.message}`);
    }
  }

  decide(principal: PolicyPrincipal, verb: PolicyVerb, resource: PolicyResource): PolicyAnswer {
    const { decision, diagnostics } = this.ask(principal, verb, resource);
    const policies = [...diagnostics.reason];
    const reason = policies.map((id) => this.reasons.get(id)).find((r) => r !== undefined);
    return { allowed: decision === 'allow', policies, ...(reason !== undefined && { reason }) };
  }

  quorum(resource: PolicyResource): QuorumRule | undefined {
    if (this.quorums.size === 0) return undefined;
    const { decision, diagnostics } = this.ask(
      { user: QUORUM_PRINCIPAL, roles: [] },
      QUORUM_PRINCIPAL,
      resource,
    );
    if (decision !== 'allow') return undefined;
    // In the file's order, whatever order Cedar names them in.
    const reasons = new Set(diagnostics.reason);
    const matched = [...this.quorums]
      .filter(([id]) => reasons.has(id))
      .map(([id, annotation]) => ({ id, ...annotation }));
    if (matched.length === 0) return undefined;
    const fromRoles = [...new Set(matched.flatMap((m) => m.fromRoles))];
    const required = Math.max(fromRoles.length, ...matched.map((m) => m.approvals ?? 1));
    return {
      required: Math.min(required, MAX_APPROVALS),
      fromRoles,
      policies: matched.map((m) => m.id),
    };
  }

  private ask(principal: PolicyPrincipal, verb: string, resource: PolicyResource) {
    const user = uid('User', principal.user);
    const attrs: Record<string, cedar.CedarValueJson> = {
      type: resource.type,
      category: resource.category,
      severity: resource.severity,
      source: resource.source,
      ...(resource.assetGroup !== undefined && { assetGroup: resource.assetGroup }),
      ...(resource.proposedBy !== undefined && {
        proposedBy: { __entity: uid('User', resource.proposedBy) },
      }),
    };
    const entities: cedar.EntityJson[] = [
      { uid: user, attrs: {}, parents: principal.roles.map((r) => uid('Role', r)) },
      ...principal.roles.map((r) => ({ uid: uid('Role', r), attrs: {}, parents: [] })),
      { uid: uid('RemediationAction', resource.id), attrs, parents: [] },
    ];
    if (resource.proposedBy !== undefined && resource.proposedBy !== principal.user) {
      entities.push({ uid: uid('User', resource.proposedBy), attrs: {}, parents: [] });
    }
    const answer = cedar.statefulIsAuthorized({
      principal: user,
      action: uid('Action', verb),
      resource: uid('RemediationAction', resource.id),
      context: {},
      preparsedPolicySetId: this.setId,
      entities,
    });
    if (answer.type === 'failure') {
      throw new Error(
        `Cedar could not evaluate the request: ${answer.errors.map((e) => e.message).join('; ')}`,
      );
    }
    return answer.response;
  }
}

/** The policy set of APPROVAL_POLICY_FILE, or the defaults when it is unset. */
export function loadApprovalPolicies(
  file: string | undefined,
  defaults: string,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CedarApprovalPolicies {
  if (file === undefined) return new CedarApprovalPolicies(defaults, 'default');
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    throw new ConfigError(
      `APPROVAL_POLICY_FILE: cannot read ${file} (${(error as Error).message})`,
    );
  }
  return new CedarApprovalPolicies(text, file);
}
