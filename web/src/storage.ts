/**
 * What this browser keeps between visits (docs/web.md): the draft report (saved on every change,
 * so that a reload or a dropped connection loses nothing), photos not yet uploaded (IndexedDB:
 * localStorage holds text only), and the reporter keys of the cases sent from here.
 */

export interface Point {
  lon: number;
  lat: number;
}

export interface DraftPhoto {
  /** Local id; the blob sits in IndexedDB under it until uploaded. */
  local: string;
  name: string;
  uploaded: { id: string; url: string; thumbnail_url: string | null; upload_key: string } | null;
}

export interface Draft {
  /** Sent as idempotency_key: made once per draft, so a retry never files a second case. */
  id: string;
  category: { code: string; name: string; name_en: string } | null;
  point: Point | null;
  address: string;
  title: string;
  description: string;
  photos: DraftPhoto[];
  anonymous: boolean;
  name: string;
  phone: string;
  email: string;
  /** Submitted while offline: sent when the `online` event fires (or on the next visit). */
  queued: boolean;
}

const DRAFT = 'shanzhi.draft';
const KEYS = 'shanzhi.keys';

export function newId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function emptyDraft(): Draft {
  return {
    id: newId(),
    category: null,
    point: null,
    address: '',
    title: '',
    description: '',
    photos: [],
    anonymous: true,
    name: '',
    phone: '',
    email: '',
    queued: false,
  };
}

export function isBlank(d: Draft): boolean {
  return !d.category && !d.point && !d.address && !d.title && !d.description && d.photos.length === 0;
}

export function loadDraft(): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Draft>;
    if (typeof parsed.id !== 'string') return null;
    return { ...emptyDraft(), ...parsed } as Draft;
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  localStorage.setItem(DRAFT, JSON.stringify(draft));
}

export function clearDraft(): void {
  localStorage.removeItem(DRAFT);
}

export interface HeldKey {
  /** The reporter key; empty when intake gave none (a signed-in reporter). */
  key: string;
  id: string;
  at: string;
  /** Upload keys of the photos sent from here, by URL: they show the photos before the case is public. */
  uploads?: Record<string, string>;
}

export function heldKeys(): Record<string, HeldKey> {
  try {
    return JSON.parse(localStorage.getItem(KEYS) ?? '{}') as Record<string, HeldKey>;
  } catch {
    return {};
  }
}

/** The reporter key intake gave for this case, kept by reference: it confirms and rates the case. */
export function keepKey(reference: string, held: HeldKey): void {
  localStorage.setItem(KEYS, JSON.stringify({ ...heldKeys(), [reference]: held }));
}

export function keyFor(reference: string): HeldKey | undefined {
  return heldKeys()[reference];
}

// Photos waiting for upload, in IndexedDB.
const DB_NAME = 'shanzhi';
const STORE = 'photos';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = fn(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const photoStore = {
  put: (local: string, blob: Blob) => withStore('readwrite', (s) => s.put(blob, local)),
  get: (local: string) =>
    withStore<Blob | undefined>('readonly', (s) => s.get(local) as IDBRequest<Blob | undefined>),
  delete: (local: string) => withStore('readwrite', (s) => s.delete(local)),
};
