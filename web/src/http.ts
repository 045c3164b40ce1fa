/** Calls to /api/v1 on the same origin, shared by the resident site and the staff console. */

export interface Label {
  zh: string;
  en: string;
}

/** The API refused: its code and its message in both languages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly label: Label,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${label.en}`);
  }
}

/** The request never got an answer (offline, connection dropped): worth retrying later. */
export class NetworkError extends Error {}

/** What to show for a failed call: the API's own message, `offline` when it got no answer. */
export function labelOf(error: unknown, offline: Label): Label {
  if (error instanceof ApiError) return error.label;
  if (error instanceof NetworkError) return offline;
  return { zh: String(error), en: String(error) };
}

interface ErrorBody {
  error?: { code: string; message: string; message_en: string; details?: Record<string, unknown> };
}

export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!res.ok) {
    let code = 'http.' + res.status;
    let label: Label = { zh: res.statusText || String(res.status), en: res.statusText || String(res.status) };
    let details: Record<string, unknown> = {};
    try {
      const body = (await res.json()) as ErrorBody;
      if (body.error) {
        code = body.error.code;
        label = { zh: body.error.message, en: body.error.message_en };
        details = body.error.details ?? {};
      }
    } catch {
      // not JSON (a proxy's page): keep the status text
    }
    // A gateway that cannot reach the server is the network's fault, not the request's.
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError(code);
    throw new ApiError(res.status, code, label, details);
  }
  return (await res.json()) as T;
}
