/**
 * The Node flag that turns the permission model on: `--permission` where Node knows it (22.13,
 * 23.5 and later, where `--experimental-permission` is on its way out), `--experimental-permission`
 * before (Node 20, and the Node inside VS Code's Electron).
 */
export function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
}
