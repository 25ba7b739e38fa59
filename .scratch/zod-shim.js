export * as z from '../node_modules/zod/v4/classic/external.js';
