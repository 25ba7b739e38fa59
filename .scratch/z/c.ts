import * as z from 'zod/mini';
export const S = z.object({ a: z.string().check(z.maxLength(3)) });
console.log(S.parse({a:'x'}));
