export function sortRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The provider's `objects` parameter: a YAML array of objects, as its docs show it. */
export function keyVaultObjects(names: readonly string[]): string {
  return `array:\n${names.map((n) => `  - |\n    objectName: ${n}\n    objectType: secret\n`).join('')}`;
}
