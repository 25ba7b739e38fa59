// Paths the CDK app reads from the repository, resolved from this file (not the working directory).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
