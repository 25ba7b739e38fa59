// The audit chain's check and its verification key, as the API answers them (its own file:
// api/schemas.ts stays under the length limit).
import * as z from 'zod';

/** `GET /audit/verify`: `full=true` recomputes the whole chain (GlobalAdmin or SecurityAdmin). */
export const AuditVerifyQuery = z.strictObject({
  full: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .meta({
      description:
        'true: recompute the whole chain too (GlobalAdmin or SecurityAdmin; others get 403). Default false.',
    })
    .optional(),
});
export type AuditVerifyQuery = z.infer<typeof AuditVerifyQuery>;

/** A signed checkpoint of the audit chain, without its signature. */
export const AuditCheckpoint = z.object({
  seq: z.number().int().positive(),
  hash: z.string(),
  at: z.iso.datetime(),
  previous: z
    .string()
    .nullable()
    .meta({ description: "sha256 (hex) of the previous checkpoint's signed bytes." }),
});

/** The audit chain checked: where it first breaks, if it does, and the newest signed checkpoint. */
export const AuditVerdict = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  firstBrokenSeq: z.number().int().positive().optional(),
  lastCheckpoint: AuditCheckpoint.nullable(),
});
export type AuditVerdict = z.infer<typeof AuditVerdict>;

/** The key that verifies the audit checkpoints' signatures (SubjectPublicKeyInfo, PEM). */
export const AuditPublicKey = z.object({
  publicKeyPem: z.string(),
  algorithm: z.enum(['ECDSA_SHA_256', 'Ed25519']),
});
export type AuditPublicKey = z.infer<typeof AuditPublicKey>;
