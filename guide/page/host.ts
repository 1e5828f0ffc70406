/**
 * The page's side of the webview: VS Code's messaging and state API, typed with the one
 * declaration of the messages (guide/messages.ts).
 */
import type { PageMessage } from '../messages';

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

/** What survives the page being hidden and shown again (VS Code drops a hidden webview's page). */
export interface SavedPage {
  config: Record<string, unknown>;
  name: string;
  page: number;
  app_id: number;
  installation_id: number;
  version: string;
  file?: string;
}

export interface Host {
  post(message: PageMessage): void;
  saved(): SavedPage | undefined;
  save(page: SavedPage): void;
}

export function connectHost(): Host {
  // acquireVsCodeApi may be called once per page load.
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    saved: () => {
      const s = api.getState() as SavedPage | undefined;
      return s && typeof s === 'object' && typeof s.config === 'object' ? s : undefined;
    },
    save: (page) => api.setState(page),
  };
}
