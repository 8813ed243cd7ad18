/**
 * Golden files: `expectGolden(name, text)` compares with
 * `test/golden/<name>` and rewrites it instead when UPDATE_GOLDEN=1 is set
 * (after a deliberate output change; review the diff before committing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const dir = fileURLToPath(new URL("./golden/", import.meta.url));

export function expectGolden(name: string, text: string): void {
  const path = `${dir}${name}`;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`missing golden file ${path}; run the tests with UPDATE_GOLDEN=1 to create it`);
  }
  expect(text).toBe(readFileSync(path, "utf8"));
}
