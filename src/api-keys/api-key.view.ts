/** A newly issued key. `key` is shown this once and never again. */
export class ApiKeyCreatedView {
  id: string;
  /** The bearer key; store it now, it cannot be shown again. */
  key: string;
  label: string | null;
  createdAt: Date;
}

/** A key as listed later: never the key itself. */
export class ApiKeyView {
  id: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}
