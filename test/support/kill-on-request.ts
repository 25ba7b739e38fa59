// Preloaded into a runtime process by a test (StartOptions.killOnRequest, through `--import`): the
// process kills itself with SIGKILL, as `kill -9` would, the moment it is about to send an HTTP
// request whose body holds every string of KILL_ON_REQUEST (a JSON array); the request never
// leaves. It lets a test crash the runtime at one exact point (say, between a decision's write and
// its audit append) instead of at a random one. Test code only: nothing in the product reads it.
import http from 'node:http';

const needles: string[] = JSON.parse(process.env.KILL_ON_REQUEST ?? '[]');

if (needles.length > 0) {
  const end = http.ClientRequest.prototype.end as (...args: unknown[]) => http.ClientRequest;
  http.ClientRequest.prototype.end = function endOrDie(
    this: http.ClientRequest,
    ...args: unknown[]
  ) {
    const [chunk] = args;
    const body =
      typeof chunk === 'string' || chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
    if (needles.every((needle) => body.includes(needle))) process.kill(process.pid, 'SIGKILL');
    return end.apply(this, args);
  } as typeof http.ClientRequest.prototype.end;
}
