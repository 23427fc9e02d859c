import { z } from 'zod';
import { method } from './define';

export const CONTRACT_VERSION = 1;

export interface AppInfo {
  version: string;
  contractVersion: number;
  platform: string;
  transport: 'electron' | 'http' | 'memory';
  /** True when the desktop shell can show a native folder picker. */
  nativeDialogs: boolean;
}

export const appContract = {
  'app.info': method(z.object({})).returns<AppInfo>(),
  'app.showFolder': method(z.object({ path: z.string().min(1).max(4096) })).returns<{ shown: boolean }>(),
  'app.pickFolder': method(z.object({ title: z.string().max(200).optional() }), { timeoutMs: 600_000 }).returns<{ path: string | null }>(),
};
