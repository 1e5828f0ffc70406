/** The App Store's routes: deploy, list, remove, and the bundle downloads Things make. */
import { readBundle, BundleError } from '../bundle';
import { HttpError, readBody, type Router } from './http-kit';
import type { ServiceContext } from './service-context';

/** The largest bundle the API accepts. */
export const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

export function addAppRoutes(router: Router, ctx: ServiceContext): void {
  const { store, auth } = ctx;

  router.get('/api/apps', async (req) => {
    await auth.requireToken(req, 'read');
    return { status: 200, body: { apps: await store.listApps() } };
  });

  router.get('/api/apps/:appId', async (req, p) => {
    await auth.requireToken(req, 'read');
    const appId = idParam(p.appId, 'app');
    const app = (await store.listApps()).find((a) => a.appId === appId);
    if (!app) throw new HttpError(404, 'not_found', `there is no app ${appId}; GET /api/apps lists them`);
    return { status: 200, body: app };
  });

  // Deploy: the body is the bundle (a zip, as `smartplug deploy` makes it). It is read and checked
  // here like a Thing would, so a bundle no Thing could run is never stored.
  router.post('/api/apps', async (req) => {
    await auth.requireToken(req, 'deploy');
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/(zip|octet-stream)\b/.test(type)) throw new HttpError(415, 'bad_input', 'deploy sends the bundle as the body, with Content-Type: application/zip (smartplug deploy APPDIR does this)');
    const bytes = await readBody(req, MAX_BUNDLE_BYTES);
    let contents;
    try {
      contents = await readBundle(bytes, { label: 'the uploaded bundle' });
    } catch (e) {
      if (e instanceof BundleError) throw new HttpError(400, 'bad_bundle', e.message);
      throw e;
    }
    const version = await store.deployAppVersion({ name: contents.name, version: contents.version, bundle: bytes, scriptNames: contents.files.filter((f) => f.endsWith('.js')) });
    ctx.log(`deployed ${contents.name} ${contents.version} (app ${version.appId}, ${bytes.length} bytes, sha256 ${version.sha256.slice(0, 12)}…)`);
    return { status: 201, body: { app: await store.getApp(version.appId), version } };
  });

  router.delete('/api/apps/:appId', async (req, p) => {
    await auth.requireToken(req, 'deploy');
    await store.removeApp(idParam(p.appId, 'app'));
    return { status: 204 };
  });

  router.delete('/api/apps/:appId/versions/:version', async (req, p) => {
    await auth.requireToken(req, 'deploy');
    await store.removeAppVersion(idParam(p.appId, 'app'), p.version);
    return { status: 204 };
  });

  // A direct URL to the bundle itself (seed 002: no redirect, no download page), for the Thing
  // whose desired state holds it (BasicAuth with its own credential) or a caller with a read token.
  router.get('/bundles/:appId/:version', async (req, p) => {
    const appId = idParam(p.appId, 'app');
    if (/^Bearer\s/i.test(req.headers.authorization ?? '')) await auth.requireToken(req, 'read');
    else {
      const thingId = await auth.requireThing(req);
      if (!(await ctx.desired.mayDownload(thingId, appId, p.version))) throw new HttpError(403, 'forbidden', `Thing ${thingId} is not provisioned with app ${appId} version ${p.version}`);
    }
    const { version, bytes } = await store.readBundle(appId, p.version);
    return { status: 200, bytes, type: 'application/zip', headers: { etag: `"${version.sha256}"`, 'x-checksum-sha256': version.sha256 } };
  });
}

export function idParam(text: string, what: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) throw new HttpError(400, 'bad_input', `"${text}" is not a${what === 'app' ? 'n' : ''} ${what} id (a positive number)`);
  return Number(text);
}
