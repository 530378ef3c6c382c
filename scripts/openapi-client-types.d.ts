/** The TypeScript types openapi-typescript generates for an OpenAPI document (see openapi-client-types.js). */
export function clientTypes(document: unknown): Promise<string>;
/** Where `npm run openapi:types` writes them: test/support/openapi.d.ts. */
export const OUT: string;
