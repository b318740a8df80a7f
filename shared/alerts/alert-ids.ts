/**
 * An alert's key within its model is its rule's name and the feature it watches; its id, which the
 * ack route takes, is the model id and that key, URL-safe. `~` cannot occur in a model id, so the
 * id splits back without a lookup.
 */
export const alertKeyOf = (ruleName: string, feature?: string): string => `${ruleName}#${feature ?? ""}`;

export const alertIdOf = (modelId: string, alertKey: string): string =>
  `${modelId}~${Buffer.from(alertKey).toString("base64url")}`;

/** The model and key an alert id names; undefined when it is not an alert id. */
export function parseAlertId(alertId: string): { modelId: string; alertKey: string } | undefined {
  const match = /^([A-Za-z0-9_.-]{1,64})~([A-Za-z0-9_-]+)$/.exec(alertId);
  if (!match) return undefined;
  const alertKey = Buffer.from(match[2] as string, "base64url").toString();
  return alertIdOf(match[1] as string, alertKey) === alertId
    ? { modelId: match[1] as string, alertKey }
    : undefined;
}
