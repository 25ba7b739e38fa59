// `npm run token -- <user> <Role,Role…>`: prints a bearer token for the local Action Center.
import { ROLES } from '../../functions/core/permissions.js';
import { localJwtSecret, signToken } from './auth.js';
import { localSettings } from './settings.js';

const [user, roles] = process.argv.slice(2);
if (!user || !roles) {
  process.stderr.write(
    `usage: npm run token -- <user> <Role,Role…>\nroles: ${ROLES.join(', ')}\n` +
      'example: npm run token -- ana@example.com SecurityAdmin,SearchAndPurge\n',
  );
  process.exit(2);
}
try {
  const settings = localSettings();
  const secret = localJwtSecret(settings.dataDir);
  process.stdout.write(
    `${await signToken(
      secret,
      user,
      roles.split(',').map((r) => r.trim()),
    )}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
