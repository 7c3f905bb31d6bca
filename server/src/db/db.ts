/** What a service needs to run SQL: a DataSource, an EntityManager in a transaction, or a pg client. */
export interface Db {
  query(sql: string, parameters?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Collects positional parameters while a statement is built. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, `$n`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
