import * as z from 'zod';
export const S = z.object({ a: z.string().max(3) });
console.log(S.parse({a:'x'}));
