import { appContract, CONTRACT_VERSION } from '../../../src-shared/contract/app';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { APP_VERSION } from '../version';
import type { Platform } from './platform';

export function appHandlers(platform: Platform): Handlers<typeof appContract> {
  return {
    'app.info': () => ({ version: APP_VERSION, contractVersion: CONTRACT_VERSION, platform: process.platform, transport: platform.transport, nativeDialogs: Boolean(platform.pickFolder) }),
    'app.showFolder': async ({ path }) => {
      if (!platform.showFolder) return { shown: false };
      await platform.showFolder(path);
      return { shown: true };
    },
    'app.pickFolder': async ({ title }) => ({ path: platform.pickFolder ? await platform.pickFolder(title) : null }),
  };
}
