/** Where the API is: `config.json` beside index.html (written by the stack on AWS, by the local server here). */
export interface DashboardConfig {
  apiUrl: string;
}

/** Reads config.json; without one (or without `apiUrl`), the API is taken to share the dashboard's origin. */
export async function loadConfig(): Promise<DashboardConfig> {
  let apiUrl: unknown;
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (response.ok) apiUrl = ((await response.json()) as { apiUrl?: unknown }).apiUrl;
  } catch {
    // No config.json (or not JSON): the same origin, below.
  }
  return { apiUrl: (typeof apiUrl === "string" && apiUrl ? apiUrl : location.origin).replace(/\/+$/, "") };
}
