/**
 * What rendering hands to writing: the output tree as units, each a folder (or one file) written as
 * a whole, as path -> text, and which units this run is authoritative for. Rendering (render/)
 * produces them in memory; writing (write/) compares them with the disk, stages and swaps them in.
 */

/**
 * A folder written as a whole: `clusters/<c>/<app>`, `clusters/<c>/platform`, `clusters/<c>/azure`,
 * `flux/<c>`: file path inside the folder (with `/`) -> its text.
 */
export type Unit = Map<string, string>;

/**
 * A unit that is one file rather than a folder (`.github/CODEOWNERS`, which sits among hand-written
 * files): its Unit holds one entry under this key. Staging, the journal and the two renames work
 * the same for a file as for a folder.
 */
export const FILE_UNIT = '';

/** The rendered output tree, as writing needs it. */
export interface RenderedUnits {
  /** Desired content: unit path (relative to the repo root) -> file path inside the unit -> text. */
  readonly units: ReadonlyMap<string, Unit>;
  /** Whether this run is authoritative for a unit path: such units not in `units` are deleted. */
  readonly owns: (unitPath: string) => boolean;
}
