/** The `smartplug` debug adapter over stdio, for any DAP client (VS Code runs it inline instead). */
import { DebugSession } from '@vscode/debugadapter';
import { SmartPlugDebugSession } from './debug-session';

DebugSession.run(SmartPlugDebugSession);
