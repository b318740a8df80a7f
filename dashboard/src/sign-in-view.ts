import { createApi } from "./api.ts";
import { h } from "./dom.ts";
import { messageOf } from "./panel.ts";

export interface SignInOptions {
  apiUrl: string;
  /** Why the user is here again (a token the API refused mid-session), shown above the form. */
  notice?: string;
  /** Called with a token the API accepted. */
  onSignedIn: (token: string) => void;
}

/** Asks for an API token and tries it on `GET /v1/models` before keeping it. */
export function signInView({ apiUrl, notice, onSignedIn }: SignInOptions): HTMLElement {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    "aria-describedby": "token-hint sign-in-error",
  });
  const error = h("p", { id: "sign-in-error", class: "error", role: "alert" }, notice ?? "");
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "sign-in", novalidate: true },
    h("label", { for: "token" }, "API token"),
    input,
    h(
      "p",
      { id: "token-hint", class: "muted" },
      "The admin token npm start printed, or a model token (POST /v1/models/{id}/tokens). ",
      "It is kept in this browser tab only, until you sign out or close it.",
    ),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = "Enter your API token.";
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = "Signing in…";
    error.textContent = "";
    try {
      await createApi(apiUrl, token, () => undefined).get("/v1/models");
      onSignedIn(token);
    } catch (failure) {
      error.textContent = `Sign-in failed: ${messageOf(failure)}`;
      submit.disabled = false;
      submit.textContent = "Sign in";
      input.select();
      input.focus();
    }
  });
  return h(
    "div",
    { class: "view narrow" },
    h("h1", { tabindex: "-1" }, "Sign in"),
    h("p", {}, `DriftWatch at ${apiUrl}`),
    form,
  );
}
