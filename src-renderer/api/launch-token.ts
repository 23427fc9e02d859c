// Browser mode's access token reaches the page in the address's fragment (`/#token=…`): browsers
// never send a fragment to any server, and there is no cookie that every 127.0.0.1 port would
// receive. The page keeps the token in this tab's sessionStorage (so a reload still works) and
// removes it from the address bar (so it is not left in history or a shared screenshot).

const KEY = 'winnow.token';

export interface TokenPlace {
  hash: string;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Replaces the address without its fragment. */
  dropHash(): void;
}

/** The launch token from the fragment (remembered for this tab) or from an earlier load; null if none. */
export function takeLaunchToken(place: TokenPlace): string | null {
  const fromHash = new URLSearchParams(place.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    place.storage.setItem(KEY, fromHash);
    place.dropHash();
    return fromHash;
  }
  return place.storage.getItem(KEY);
}

/** Forgets a token the server refused, so the next load asks for the printed address again. */
export function forgetLaunchToken(place: Pick<TokenPlace, 'storage'>): void {
  place.storage.removeItem(KEY);
}

export function browserTokenPlace(): TokenPlace {
  return {
    hash: window.location.hash,
    storage: window.sessionStorage,
    dropHash: () => window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search),
  };
}
