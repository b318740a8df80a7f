import { type Browser, chromium } from "playwright-core";

/**
 * Debian's headless Chromium (CI installs it), with the network chatter of a fresh profile turned
 * off: this machine's closed network refuses it, many connections at a time.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
