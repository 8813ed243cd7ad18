/** The list of `tricolor` commands, in the order `--help` shows them. */
import type { Command } from "../command.ts";

export const commands: readonly Command[] = [];
