/**
 * "Show Thing Logs": a Thing's app logs and agent events streamed into a LogOutputChannel of its
 * own ("SmartPlug Logs: thing-1"), live from the broker, with a filter per app: from a Thing, every
 * line or one app's (a quick pick); from an app of a Thing, that app's. Following stops when the
 * connection changes or the channel's Thing is shown again with another filter.
 */
import * as vscode from 'vscode';
import type { ThingLogLine, ThingLogs } from '../../platform/remote/thing-logs';
import type { PlatformConnection } from './connection';

interface Followed {
  channel: vscode.LogOutputChannel;
  logs: ThingLogs;
  /** the app whose lines are shown; undefined: every line */
  app: string | undefined;
}

export class ThingLogChannels implements vscode.Disposable {
  private readonly followed = new Map<string, Followed>();
  /** one channel per Thing for the window's life: following again writes on, under what it showed */
  private readonly channels = new Map<string, vscode.LogOutputChannel>();
  private readonly subscription: vscode.Disposable;
  private live: PlatformConnection['live'];

  constructor(private readonly connection: PlatformConnection) {
    this.live = connection.live;
    this.subscription = connection.onDidChange(() => {
      // Another platform (or none): what was followed belongs to the old one.
      if (connection.live !== this.live) {
        this.live = connection.live;
        void this.stopAll();
      }
    });
  }

  /** Shows the Thing's channel and follows it, with this app's lines only when `app` is given. */
  async show(thingId: string, app: string | undefined): Promise<void> {
    let f = this.followed.get(thingId);
    if (!f) {
      const logs = await this.connection.followThingLogs(thingId);
      let channel = this.channels.get(thingId);
      if (!channel) {
        channel = vscode.window.createOutputChannel(`SmartPlug Logs: ${thingId}`, { log: true });
        this.channels.set(thingId, channel);
      }
      const entry: Followed = { channel, logs, app };
      logs.on('line', (line) => write(entry, line));
      logs.on('refused', (message) => entry.channel.warn(`ignored a malformed event: ${message}`));
      this.followed.set(thingId, entry);
      f = entry;
    }
    f.app = app;
    f.channel.info(app ? `Following ${thingId}: the app "${app}" only.` : `Following ${thingId}: every app and the agent.`);
    f.channel.show(true);
  }

  async stopAll(): Promise<void> {
    const all = [...this.followed.values()];
    this.followed.clear();
    for (const f of all) {
      f.channel.info('Stopped following: the platform connection changed.');
      await f.logs.close();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const f of this.followed.values()) void f.logs.close();
    for (const c of this.channels.values()) c.dispose();
    this.followed.clear();
    this.channels.clear();
  }
}

function write(f: Followed, line: ThingLogLine): void {
  if (f.app !== undefined && line.app !== f.app) return;
  const text = `[${line.app ?? line.source}] ${line.message}${line.code ? ` (${line.code})` : ''}`;
  if (line.cat === 'error') f.channel.error(text);
  else if (line.cat === 'warning') f.channel.warn(text);
  else if (line.cat === 'debug') f.channel.debug(text);
  else f.channel.info(text);
}
