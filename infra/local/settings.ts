// Settings of the embedded runtime (the functions' own settings are in functions/config.ts).
import { resolve } from 'node:path';
import * as z from 'zod';

const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./.data'),
  /** `memory` keeps nothing on disk (tests). */
  STORAGE: z.enum(['disk', 'memory']).default('disk'),
  TTL_SWEEP_SECONDS: z.coerce.number().positive().default(60),
  RECONCILE_SECONDS: z.coerce.number().positive().default(60),
});

export interface LocalSettings {
  port: number;
  host: string;
  /** Undefined when storage is in memory. */
  dataDir?: string;
  ttlSweepSeconds: number;
  reconcileSeconds: number;
  /** The functions' own settings (functions/config.ts), as a Lambda's environment would carry them. */
  env: Record<string, string | undefined>;
}

export function localSettings(env = process.env): LocalSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid local runtime settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir: s.STORAGE === 'memory' ? undefined : resolve(s.DATA_DIR),
    ttlSweepSeconds: s.TTL_SWEEP_SECONDS,
    reconcileSeconds: s.RECONCILE_SECONDS,
    env: { ...env },
  };
}
