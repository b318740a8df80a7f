/**
 * The DriftWatch dashboard: a sign-in form, the models at a glance (`#/models`), and one model's
 * page (`#/models/{id}`, a section of it at `#/models/{id}/{section}`). Routing is by the URL's
 * hash, so the static files need no server-side routes.
 */
import { createApi } from "./api.ts";
import { loadConfig } from "./config.ts";
import { replaceChildren } from "./dom.ts";
import { MODEL_SECTIONS, modelView } from "./model-view.ts";
import { modelsView } from "./models-view.ts";
import { forgetToken, storedToken, storeToken } from "./session.ts";
import { signInView } from "./sign-in-view.ts";

const MODEL_ROUTE = /^\/models\/([^/]+)(?:\/([a-z-]+))?$/;

const main = document.getElementById("main") as HTMLElement;
const signOut = document.getElementById("sign-out") as HTMLButtonElement;
const mainNav = document.getElementById("main-nav") as HTMLElement;
const { apiUrl } = await loadConfig();

/** Why the sign-in form shows again (the API refused the token), until the next sign-in. */
let notice: string | undefined;
/** The model page on screen, so that moving between its sections does not load it again. */
let shownModel: string | undefined;

function show(view: HTMLElement, title: string): void {
  replaceChildren(main, view);
  document.title = `${title} · DriftWatch`;
  view.querySelector<HTMLElement>("h1")?.focus();
}

function route(): void {
  const token = storedToken();
  signOut.hidden = mainNav.hidden = !token;
  if (!token) {
    shownModel = undefined;
    show(
      signInView({
        apiUrl,
        notice,
        onSignedIn: (accepted) => {
          storeToken(accepted);
          notice = undefined;
          route();
        },
      }),
      "Sign in",
    );
    return;
  }
  const api = createApi(apiUrl, token, (detail) => {
    // Every panel's request may answer 401 at once; the first one signs out.
    if (storedToken() !== token) return;
    forgetToken();
    notice = `Signed out: the API no longer accepts this token (${detail.replace(/\.$/, "")}). Sign in again.`;
    route();
  });
  const path = location.hash.slice(1) || "/";
  const model = MODEL_ROUTE.exec(path);
  if (model) {
    const modelId = decodeURIComponent(model[1] as string);
    if (shownModel !== modelId) {
      shownModel = modelId;
      show(modelView(api, modelId), modelId);
    }
    const section = MODEL_SECTIONS.find(([name]) => name === model[2]);
    if (section) focusSection(section[0]);
    return;
  }
  shownModel = undefined;
  show(modelsView(api), "Models");
}

/** Frames to wait for the model page's sections (which appear once its configuration is read). */
const SECTION_WAIT_FRAMES = 300;

/** Scrolls to a section of the model page and moves the focus to its heading, once it is there. */
function focusSection(section: string, frames = SECTION_WAIT_FRAMES): void {
  const heading = document.getElementById(`${section}-heading`);
  if (!heading) {
    if (frames > 0) requestAnimationFrame(() => focusSection(section, frames - 1));
    return;
  }
  heading.setAttribute("tabindex", "-1");
  heading.focus();
  heading.scrollIntoView({ block: "start" });
}

signOut.addEventListener("click", () => {
  forgetToken();
  notice = "Signed out.";
  route();
});

window.addEventListener("hashchange", () => {
  // The skip link's in-page target is no route.
  if (location.hash.startsWith("#/") || location.hash === "") route();
});
route();
