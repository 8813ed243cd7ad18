/**
 * `tricolor pprof top|traces|raw|diff <profile>`: text reports of pprof
 * profiles (gzipped or raw profile.proto) that mirror `go tool pprof`'s
 * `-top`, `-traces` and `-raw` output, built on `@tricolor/pprof-proto`.
 */
import { type Profile, parseProfile, toRawString } from "@tricolor/pprof-proto";
import type { Command, Io } from "../command.js";
import { withInput } from "../errors.js";
import { inputName, readInputBytes } from "../input.js";

/** Reads and decodes one profile (`-` for stdin). */
export async function loadProfile(
  path: string,
  io: Io,
): Promise<{ name: string; profile: Profile }> {
  const name = inputName(path);
  const bytes = await readInputBytes(path, io);
  const profile = await withInput(name, () => parseProfile(bytes));
  return { name, profile };
}

export const pprofRawCommand: Command = {
  words: ["pprof", "raw"],
  summary: "print a profile as `go tool pprof -raw` does",
  usage: "pprof raw <profile>",
  description: "Times are printed in UTC (as `TZ=UTC go tool pprof -raw` does).",
  options: {},
  args: { min: 1, max: 1 },
  async run(args, io) {
    const { profile } = await loadProfile(args.positionals[0]!, io);
    io.stdout.write(toRawString(profile));
    return 0;
  },
};
