// The readable reference page (docs/api.md), rendered from the OpenAPI document itself so the two
// never disagree: each route with its parameters, body, responses and an example, then the schemas.
type Json = Record<string, unknown>;

const REF = '#/components/schemas/';
const RESPONSE_REF = '#/components/responses/';

const cell = (text: unknown) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const anchor = (name: string) => `#${name.toLowerCase()}`;

/** A schema in a few words: `Action`, `string (date-time)`, `"pending" \| "history"`, `Action[]`. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.slice(REF.length);
    return `[${name}](${anchor(name)})`;
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
    return schema.default === undefined ? values : `${values} (default \`${schema.default}\`)`;
  }
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) return union.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
  const details = [
    schema.format,
    schema.pattern && `\`${schema.pattern}\``,
    schema.minLength !== undefined && `min length ${schema.minLength}`,
    schema.maxLength !== undefined && `max length ${schema.maxLength}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.default !== undefined && `default \`${JSON.stringify(schema.default)}\``,
  ].filter(Boolean);
  const type = Array.isArray(schema.type)
    ? schema.type.join(' \\| ')
    : String(schema.type ?? 'any');
  return details.length ? `${type} (${details.join(', ')})` : type;
}

function example(value: unknown, mediaType: string): string[] {
  if (value === undefined) return [];
  const text = mediaType === 'text/csv' ? String(value) : JSON.stringify(value, null, 2);
  const fence = '```';
  return [`${fence}${mediaType === 'text/csv' ? 'csv' : 'json'}`, text.trimEnd(), fence, ''];
}

function operation(method: string, path: string, op: Json, doc: Json): string[] {
  const lines = [`### ${method.toUpperCase()} ${path}`, '', `${op.summary}.`, ''];
  if (op.description) lines.push(String(op.description), '');
  const open = Array.isArray(op.security) && op.security.length === 0;
  lines.push(open ? '**No token needed.**' : 'Needs a bearer token.', '');
  const parameters = (op.parameters ?? []) as Json[];
  if (parameters.length > 0) {
    lines.push('| parameter | in | required | type | meaning |', '|---|---|---|---|---|');
    for (const p of parameters) {
      lines.push(
        `| \`${p.name}\` | ${p.in} | ${p.required ? 'yes' : 'no'} | ${typeOf(p.schema as Json)} | ${cell(p.description)} |`,
      );
    }
    lines.push('');
  }
  const body = op.requestBody as Json | undefined;
  if (body) {
    const json = (body.content as Json)['application/json'] as Json;
    lines.push(
      `Body (\`application/json\`): ${typeOf(json.schema as Json)}. ${body.description ?? ''}`.trimEnd(),
      '',
    );
    lines.push(...example(json.example, 'application/json'));
  }
  lines.push('| status | meaning | body |', '|---|---|---|');
  const responses = op.responses as Record<string, Json>;
  const components = (doc.components as Json).responses as Record<string, Json>;
  for (const [status, given] of Object.entries(responses)) {
    const response =
      typeof given.$ref === 'string'
        ? (components[given.$ref.slice(RESPONSE_REF.length)] as Json)
        : given;
    const [mediaType, media] =
      Object.entries((response.content ?? {}) as Record<string, Json>)[0] ?? [];
    const what =
      mediaType === 'application/json' ? typeOf(media?.schema as Json) : `\`${mediaType}\``;
    lines.push(`| ${status} | ${cell(response.description)} | ${what} |`);
  }
  lines.push('');
  // A route that creates what it answers succeeds with 201.
  const status = responses['200'] ? '200' : '201';
  const ok = responses[status] as Json;
  const [mediaType, media] = Object.entries(ok.content as Record<string, Json>)[0] as [
    string,
    Json,
  ];
  lines.push(`Example ${status}:`, '', ...example(media.example, mediaType));
  return lines;
}

function schemaSection(name: string, schema: Json): string[] {
  const lines = [`### ${name}`, ''];
  const properties = schema.properties as Record<string, Json> | undefined;
  if (!properties) return [...lines, typeOf(schema), ''];
  const required = new Set((schema.required ?? []) as string[]);
  lines.push('| field | type | required |', '|---|---|---|');
  for (const [field, property] of Object.entries(properties)) {
    const nested = property.type === 'object' && property.properties;
    const type = nested
      ? `object: ${Object.entries(nested as Record<string, Json>)
          .map(([k, v]) => `\`${k}\` ${typeOf(v)}`)
          .join('; ')}`
      : typeOf(property);
    lines.push(`| \`${field}\` | ${cell(type)} | ${required.has(field) ? 'yes' : 'no'} |`);
  }
  if (schema.additionalProperties !== false) lines.push('', 'Other fields are kept as given.');
  return [...lines, ''];
}

export function renderApiReference(doc: Json): string {
  const info = doc.info as Json;
  const lines = [
    `# ${info.title} ${info.version}`,
    '',
    '<!-- Generated by `npm run openapi` from docs/openapi.json; do not edit by hand. -->',
    '',
    String(info.description),
    '',
    '## Routes',
    '',
  ];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item))
      lines.push(...operation(method, path, op as Json, doc));
  }
  lines.push('## Schemas', '');
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  for (const [name, schema] of Object.entries(schemas)) lines.push(...schemaSection(name, schema));
  return `${lines.join('\n').trimEnd()}\n`;
}
