import { Request, RequestHandler } from 'express';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Refuses requests addressed to a host that is not one of the configured
 * base URLs (DNS rebinding: a web page whose host name an attacker points
 * at 127.0.0.1 reaches this backend with the attacker's name in `Host`),
 * and browser requests whose `Origin` is not one of them.
 *
 * A host matches when its name is a configured base URL's (a loopback name
 * standing for the others: `localhost`, `127.0.0.1`, `[::1]`) and its port is
 * the configured one or the one the request arrived on. Only the name
 * matters against rebinding: the attacker controls the name, never ours.
 */
export function createHostCheck(allowedOrigins: string[]): RequestHandler {
  const allowed = allowedOrigins.map(origin => new URL(origin));
  const names = new Set<string>();
  for (const url of allowed) {
    const hostname = url.hostname.toLowerCase();
    if (LOOPBACK.includes(hostname)) LOOPBACK.forEach(n => names.add(n));
    else names.add(hostname);
  }
  const ports = new Set(allowed.map(url => url.port || defaultPort(url)));

  const isAllowed = (host: string, req: Request) => {
    let url: URL;
    try {
      url = new URL(`http://${host}`);
    } catch {
      return false;
    }
    const port = url.port || '80';
    return (
      url.host === host.toLowerCase() &&
      names.has(url.hostname) &&
      (ports.has(port) || port === String(req.socket.localPort))
    );
  };
  const expected = allowedOrigins.join(', ');

  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (!isAllowed(host, req)) {
      res
        .status(403)
        .type('text/plain')
        .send(
          `Refused: this backend answers requests addressed to ${expected}, not to host ${JSON.stringify(
            host,
          )}\n`,
        );
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (!originHost || !isAllowed(originHost, req)) {
        res
          .status(403)
          .type('text/plain')
          .send(
            `Refused: requests from web pages are accepted from ${expected} only, not from ${JSON.stringify(
              origin,
            )}\n`,
          );
        return;
      }
    }
    next();
  };
}

function defaultPort(url: URL): string {
  return url.protocol === 'https:' ? '443' : '80';
}
