// A problem the operator can fix (port taken, data directory unusable, unsafe setting): printed without a stack.
export class StartupError extends Error {}
