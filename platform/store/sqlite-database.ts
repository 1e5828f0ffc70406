/**
 * node-sqlite3-wasm's Database, shaped as the better-sqlite3-like `SqliteDatabase` that kysely's
 * SqliteDialect drives. Why an adapter: better-sqlite3 is a V8-ABI native addon that does not load
 * in Electron's Node (the extension starts the platform there), while node-sqlite3-wasm is
 * WebAssembly with real file I/O; kysely only needs `prepare(sql)` returning a statement that
 * knows whether it returns rows. Two things differ and are handled here:
 * - node-sqlite3-wasm's statements hold WebAssembly memory until `finalize()`, and kysely never
 *   finalizes: statements are kept per SQL text (kysely's queries are parameterised, so there are
 *   few) and finalized on close;
 * - it has no `reader` flag: a statement returns rows when it is a query or has RETURNING (kysely
 *   writes every statement we run, so its SQL is regular).
 */
import { Database as WasmDatabase, type Statement as WasmStatement } from 'node-sqlite3-wasm';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

type Binding = number | bigint | string | Uint8Array | boolean | null;

const READER = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

export class WasmSqliteDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, WasmSqliteStatement>();

  constructor(readonly db: WasmDatabase) {}

  prepare(sql: string): SqliteStatement {
    let s = this.statements.get(sql);
    if (!s) {
      s = new WasmSqliteStatement(this.db.prepare(sql), READER.test(sql));
      this.statements.set(sql, s);
    }
    return s;
  }

  close(): void {
    for (const s of this.statements.values()) s.stmt.finalize();
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

class WasmSqliteStatement implements SqliteStatement {
  constructor(
    readonly stmt: WasmStatement,
    readonly reader: boolean,
  ) {}

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(bindings(parameters));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.stmt.run(bindings(parameters));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.stmt.iterate(bindings(parameters));
  }
}

/** kysely passes JS values; Buffers are Uint8Arrays already, and nothing else reaches SQL from the store. */
function bindings(parameters: ReadonlyArray<unknown>): Binding[] {
  return parameters.map((p) => {
    if (p === undefined) return null;
    if (p === null || typeof p === 'number' || typeof p === 'bigint' || typeof p === 'string' || typeof p === 'boolean' || p instanceof Uint8Array) return p;
    throw new TypeError(`cannot bind ${Object.prototype.toString.call(p)} to SQLite`);
  });
}
