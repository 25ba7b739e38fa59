// `npm run token -- <user> <Role,Role…> [--hours N]`: prints a bearer token for the local Action Center.
import { parseArgs } from 'node:util';
import { ROLES } from '../../functions/core/permissions.js';
import { DEFAULT_TOKEN_HOURS, localJwtSecret, signToken } from './auth.js';
import { localSettings } from './settings.js';

const usage =
  `usage: npm run token -- <user> <Role,Role…> [--hours N]   (default ${DEFAULT_TOKEN_HOURS} hours)\n` +
  `roles: ${ROLES.join(', ')}\n` +
  'example: npm run token -- ana@example.com SecurityAdmin,SearchAndPurge --hours 2\n';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { hours: { type: 'string', default: String(DEFAULT_TOKEN_HOURS) } },
  });
  const [user, roles] = positionals;
  const hours = Number(values.hours);
  if (!user || !roles || !Number.isFinite(hours) || hours <= 0) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const settings = localSettings();
  const secret = localJwtSecret(settings.dataDir);
  if (!secret) {
    throw new Error(
      'With STORAGE=memory the runtime makes its JWT secret per process: use the admin token it ' +
        'printed at start, or start it and this command with the same LOCAL_JWT_SECRET.',
    );
  }
  const token = await signToken(
    secret,
    user,
    roles.split(',').map((r) => r.trim()),
    hours,
  );
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
