/**
 * Where an app's web-service route answers through the platform, and a curl line that calls it: what
 * the IDE's Things view shows and copies (issue 19). Plain text, no VS Code in it.
 */

/** The URL a route (`METHOD /pattern`) answers at: `:name` segments shown as `{name}`, to fill in. */
export function endpointUrl(platformUrl: string, thingId: string, installationId: number, route: string): { method: string; url: string } {
  const space = route.indexOf(' ');
  const method = space < 0 ? 'GET' : route.slice(0, space);
  const pattern = space < 0 ? route : route.slice(space + 1);
  const path = pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return { method, url: `${platformUrl.replace(/\/+$/, '')}/things/${encodeURIComponent(thingId)}/apps/${installationId}${path}` };
}

/** A POSIX shell word: single-quoted, with any single quote closed, escaped and reopened. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A curl line calling the route with `token` (a token for that installation's endpoints). */
export function curlLine(url: string, method: string, token: string): string {
  const parts = ['curl', '-sS', '-i'];
  if (method !== 'GET') parts.push('-X', method);
  parts.push('-H', shellWord(`Authorization: Bearer ${token}`));
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') parts.push('-H', shellWord('Content-Type: application/json'), '-d', shellWord('{}'));
  parts.push(shellWord(url));
  return parts.join(' ');
}
