// Zod probes for `new Function` to compile faster parsers; the page's Content-Security-Policy
// forbids eval, so the probe would log a violation on every load. Imported first by main.tsx.
import * as z from 'zod';

z.config({ jitless: true });
