// The one list of Lambda entries (functions/entries.ts) against the files: every entry file wires
// only through `wire`, and every file that exports `wire` is listed, so CDK, the local runtime,
// the bench and the tests cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_FUNCTIONS, TASK_FUNCTIONS } from '../../functions/entries.js';
import { readInvestigationAsl } from '../../statemachines/substitutions.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the list of Lambda entries', () => {
  it('names every file under functions/ that exports a wire function, and only those', () => {
    const wired = sourceFiles('functions')
      .filter((file) => /^export const wire\b/m.test(read(file)))
      .map((file) => relative(ROOT, join(ROOT, file)))
      .sort();

    expect(ALL_FUNCTIONS.map((f) => f.entry).sort()).toEqual(wired);
  });

  it('gives every function a distinct id and entry file', () => {
    expect(new Set(ALL_FUNCTIONS.map((f) => f.id)).size).toBe(ALL_FUNCTIONS.length);
    expect(new Set(ALL_FUNCTIONS.map((f) => f.entry)).size).toBe(ALL_FUNCTIONS.length);
  });

  it.each(ALL_FUNCTIONS.map((f) => [f.id, f.entry]))(
    '%s (%s) exports wire and handler and nothing else',
    async (_id, entry) => {
      const module = (await import(join(ROOT, entry))) as Record<string, unknown>;

      expect(Object.keys(module).sort()).toEqual(['handler', 'wire']);
      expect(typeof module.wire).toBe('function');
      expect(typeof module.handler).toBe('function');
    },
  );

  it('names each task the state machine invokes by its ARN placeholder', () => {
    const placeholders = [...readInvestigationAsl().matchAll(/\$\{(\w+FunctionArn)\}/g)].map(
      (m) => m[1],
    );

    expect([...new Set(placeholders)].sort()).toEqual(
      TASK_FUNCTIONS.map((t) => t.placeholder).sort(),
    );
  });
});

describe('configuration', () => {
  // Handlers get their configuration from `wire(config)` or, in Lambda, from the environment as
  // it is: only the local runtime's main and test setup may set variables. The one other writer
  // sets no configuration of ours: the X-Ray SDK's load-time switch, outside Lambda only.
  const writers = [join('infra', 'local', 'main.ts'), join('functions', 'tracing-mode.ts')];

  it('is never written into process.env outside infra/local/main.ts and test setup', () => {
    const writes = ['functions', 'infra', 'bench', 'statemachines']
      .flatMap(sourceFiles)
      .filter((file) => !writers.includes(file))
      .filter((file) =>
        /process\.env(\.\w+|\[[^\]]+\])\s*(\?\?|\|\||&&)?=(?!=)|Object\.assign\(process\.env|delete process\.env/.test(
          read(file),
        ),
      );

    expect(writes).toEqual([]);
  });
});
